import logging

from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from wuxiao.campaigns.models import Campaign
from wuxiao.lib.public_cache import public_page
from wuxiao.publication.queries import published_campaigns

logger = logging.getLogger(__name__)


@require_safe
def home(request):
    campaign = Campaign.objects.current()
    today = timezone.localdate()
    stages = []
    committee = []
    if campaign:
        stages = [(stage, stage.status_on(today)) for stage in campaign.stages.all()]
        committee = list(campaign.committee_members.all())
    return render(
        request,
        "showcase/home.html",
        {
            "campaign": campaign,
            "stages": stages,
            "committee": committee,
            "today": today,
            "current_stage": campaign.stage_on(today) if campaign else None,
            "published": list(published_campaigns()[:6]),
        },
    )


@never_cache
@require_safe
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = "ok"
    except Exception:  # the point of a health check is to report, not raise
        # The details (host, user) go to the log, never to an anonymous caller.
        logger.exception("healthz: database check failed")
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": database, "vendor": connection.vendor})


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", {"reason": reason}, status=403)


def mask_name(name: str) -> str:
    """韦晓明 → 韦*明, 覃雅 → 覃*: enough to match a certificate in hand, not to identify a stranger."""
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return f"{name[0]}*"
    return f"{name[0]}{'*' * (len(name) - 2)}{name[-1]}"


@require_safe
def certificate_check(request):
    """证书查验 by hand: the number typed from a printed certificate (for whoever cannot scan
    its QR code) leads to the same page the QR code opens."""
    from django.shortcuts import redirect

    number = request.GET.get("number", "").strip().upper()[:40]
    if number and "/" not in number:
        return redirect("showcase:certificate", number=number)
    response = render(request, "showcase/certificate.html", {"number": number, "form_only": not number})
    response["X-Robots-Tag"] = "noindex"
    return response


@require_safe
def certificate(request, number):
    """The public check of a 获奖证书: its QR code opens this page. Only published prizes exist here;
    the leader's name is masked and nothing else about the people is shown."""
    from wuxiao.publication.queries import certificate as find

    award = find(number)
    response = render(
        request,
        "showcase/certificate.html",
        {
            "number": number,
            "award": award,
            "leader": mask_name(award.project.leader_name) if award else "",
        },
        status=200 if award else 404,
    )
    response["X-Robots-Tag"] = "noindex"
    return response


# --- 成果推广: published results and the gallery (reads only wuxiao.publication.queries) ----------


def _published_or_404(slug):
    from django.http import Http404

    from wuxiao.publication import queries as pq

    campaign = pq.published_campaign(slug)
    if campaign is None:
        raise Http404("该届活动的评审结果尚未发布")
    return campaign


@require_safe
@public_page
def results(request, slug):
    from wuxiao.publication import queries as pq

    campaign = _published_or_404(slug)
    return render(
        request,
        "showcase/results.html",
        {
            "campaign": campaign,
            "by_level": pq.results_by_level(campaign),
            "by_unit": pq.results_by_unit(campaign),
            "winners": pq.organisation_winners(campaign),
            "booklets": pq.public_booklets(campaign),
        },
    )


@require_safe
@public_page
def gallery(request, slug):
    from urllib.parse import urlencode

    from django.core.paginator import Paginator

    from wuxiao.awards.models import AwardLevel
    from wuxiao.publication import queries as pq

    campaign = _published_or_404(slug)
    f = {k: request.GET.get(k, "").strip()[:50] for k in ("q", "category", "form", "level")}
    page = Paginator(pq.gallery(campaign, **f), 24).get_page(request.GET.get("page"))
    items = [pq.as_public(p) for p in page.object_list]
    query = urlencode({k: v for k, v in f.items() if v})
    return render(
        request,
        "showcase/gallery.html",
        {
            "campaign": campaign,
            "page": page,
            "items": items,
            "f": f,
            "query": query,
            "categories": campaign.categories,
            "forms": campaign.achievement_forms,
            "levels": [(v, label) for v, label in AwardLevel.choices if v != AwardLevel.NONE],
            "booklets": pq.public_booklets(campaign),
        },
    )


@require_safe
def booklet(request, slug, fmt):
    """案例集 online: the booklet the committee published, while it is current (publication.queries)."""
    from django.http import FileResponse, Http404

    from wuxiao.publication import queries as pq

    found = pq.public_booklet(_published_or_404(slug), fmt)
    if found is None:
        raise Http404("本届优秀项目案例集尚未发布")
    try:
        stream = found.file.open("rb")
    except OSError:  # the file was lost (a restored database without its media): not there
        raise Http404("本届优秀项目案例集暂不能下载") from None
    content_type = {"pdf": "application/pdf", "docx": DOCX}[found.format]
    response = FileResponse(stream, as_attachment=True, filename=found.filename, content_type=content_type)
    # Not kept by proxies: a booklet withdrawn (or out of date) must stop being served at once.
    response["Cache-Control"] = "no-cache"
    response["X-Content-Type-Options"] = "nosniff"
    return response


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@require_safe
@public_page
def project(request, pk):
    from django.http import Http404

    from wuxiao.publication import queries as pq

    found = pq.public_project(pk)
    if found is None:
        raise Http404("该项目未公开")
    return render(
        request,
        "showcase/project.html",
        {"campaign": found.campaign, "item": pq.as_public(found, with_images=True)},
    )


@require_safe
def image(request, pk):
    """A picture the committee chose for a public project; nothing else is served here."""
    from django.http import FileResponse, Http404

    from wuxiao.publication import queries as pq

    attachment = pq.public_image(pk)
    if attachment is None:
        raise Http404
    try:
        stream = attachment.file.open("rb")
    except OSError:  # the file was lost (a restored database without its media): not there
        raise Http404 from None
    response = FileResponse(stream, content_type=attachment.content_type)
    response["Cache-Control"] = "public, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- 青年创新沙龙 ---------------------------------------------------------------------------------


@require_safe
def salons(request):
    from wuxiao.salons.queries import salons_with_counts

    now = timezone.now()
    all_salons = salons_with_counts()
    return render(
        request,
        "showcase/salons.html",
        {
            "upcoming": list(all_salons.filter(starts_at__gte=now).order_by("starts_at")[:20]),
            "past": list(all_salons.filter(starts_at__lt=now).order_by("-starts_at")[:20]),
            "now": now,
        },
    )


@require_safe
def salon(request, pk):
    from django.shortcuts import get_object_or_404

    from wuxiao.salons.queries import salons_with_counts, signup_of

    found = get_object_or_404(salons_with_counts().prefetch_related("photos"), pk=pk)
    return render(
        request,
        "showcase/salon.html",
        {"salon": found, "signup": signup_of(found, request.user), "now": timezone.now()},
    )


@require_safe
def salon_photo(request, pk):
    from django.http import FileResponse, Http404
    from django.shortcuts import get_object_or_404

    from wuxiao.salons.models import SalonPhoto

    photo = get_object_or_404(SalonPhoto, pk=pk)
    extension = photo.file.name.rsplit(".", 1)[-1].lower()
    content_type = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png"}.get(extension)
    if content_type is None:  # only pictures are served here, whatever was stored before
        raise Http404
    try:
        stream = photo.file.open("rb")
    except OSError:  # the file was lost (a restored database without its media): not there
        raise Http404 from None
    response = FileResponse(stream, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response
