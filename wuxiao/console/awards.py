"""奖项评定 in the console: the committee builds the proposal from a review round's ranking, adjusts
with reasons, locks and publishes; 优秀组织奖, the 青年岗位能手 list and patent help. Other admins see
the published results of their own subtree."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from wuxiao.awards import queries as aq
from wuxiao.awards import services
from wuxiao.awards.models import Award, AwardLevel, AwardSheet, OrganisationAward, PatentCase, PatentStatus
from wuxiao.console.forms import CertificateDesignForm
from wuxiao.console.helpers import PAGE_SIZE, current_campaign, flash_errors
from wuxiao.console.views import admin_required, committee_required
from wuxiao.documents.downloads import export
from wuxiao.documents.services import start_export
from wuxiao.lib.dates import impossible_date_message
from wuxiao.lib.http import get_visible_or_404
from wuxiao.people.models import Organisation
from wuxiao.people.permissions import admin_organisations, is_committee_admin


def _round(campaign, request_value):
    from wuxiao.reviews import queries as rq

    rounds = list(rq.rounds_of(campaign))
    chosen = next((r for r in rounds if str(r.pk) == str(request_value)), rounds[-1] if rounds else None)
    return rounds, chosen


def _campaign(request):
    """The campaign a page shows: ?campaign=<pk> (a past campaign's results), else the current one."""
    from wuxiao.campaigns.models import Campaign

    value = request.GET.get("campaign") or request.POST.get("campaign") or ""
    chosen = Campaign.objects.filter(pk=value).first() if value.isdigit() else None
    return chosen or current_campaign()


def _campaign_choices():
    from wuxiao.campaigns.models import Campaign

    return list(Campaign.objects.order_by("-year", "-pk").values_list("pk", "title"))


@admin_required
def results(request):
    """The committee's allocation page; other admins see their subtree's published prizes."""
    campaign = _campaign(request)
    sheet = aq.sheet_of(campaign)
    if not is_committee_admin(request.user):
        scope = Q(pk__in=[])
        for org in admin_organisations(request.user):
            scope |= Q(project__unit__path__startswith=org.path)
        awards = aq.published_prizes(campaign).filter(scope) if sheet and sheet.is_published else Award.objects.none()
        page = Paginator(awards, PAGE_SIZE).get_page(request.GET.get("page"))
        return render(
            request,
            "console/awards/published.html",
            {"campaign": campaign, "campaigns": _campaign_choices(), "sheet": sheet, "page": page},
        )
    rounds, chosen = _round(campaign, request.GET.get("round"))
    rows = Paginator(aq.award_rows(sheet) if sheet else Award.objects.none(), 50).get_page(request.GET.get("page"))
    review_rows = aq.review_ranking(chosen)[1] if chosen else {}
    lim = sheet.limits() if sheet and sheet.total else None
    counts = aq.level_counts(sheet) if sheet else {}
    return render(
        request,
        "console/awards/results.html",
        {
            "campaign": campaign,
            "campaigns": _campaign_choices(),
            "sheet": sheet,
            "rows": rows,
            "review_rows": review_rows,
            "rounds": rounds,
            "chosen_round": chosen,
            "forwarded_count": services.forwarded_projects(campaign).count(),
            "levels": [
                (value, label, counts.get(value, 0), lim.cap(value) if lim else None)
                for value, label in AwardLevel.choices
                if value != AwardLevel.NONE
            ],
            "level_choices": AwardLevel.choices,
            "ties": sheet.awards.exclude(tie_note="").count() if sheet else 0,
        },
    )


@committee_required
@require_POST
def propose(request):
    campaign = _campaign(request)
    _rounds, chosen = _round(campaign, request.POST.get("round"))
    if chosen is None:
        messages.error(request, "尚无评审轮次：请先在“评审认定”中设置评审轮次并完成评分")
        return redirect("console:awards_results")
    try:
        specials = int(request.POST.get("specials", "0") or 0)
    except ValueError:
        specials = -1
    ranked, _ = aq.review_ranking(chosen)
    basis = aq.proposal_basis(chosen)
    try:
        sheet = services.propose_awards(
            campaign=campaign, by=request.user, ranking=ranked, basis=basis, specials=specials
        )
        messages.success(request, f"已按“{basis}”生成奖项建议：上报项目 {sheet.total} 项")
    except ValidationError as exc:
        flash_errors(request, exc)
    return redirect(f"{_results_url()}?campaign={campaign.pk}&round={chosen.pk}")


def _results_url() -> str:
    from django.urls import reverse

    return reverse("console:awards_results")


@committee_required
@require_POST
def adjust(request, pk):
    campaign = _campaign(request)
    award = get_visible_or_404(Award.objects.filter(sheet__campaign=campaign).select_related("sheet", "project"), pk=pk)
    try:
        services.adjust_award(
            award=award, level=request.POST.get("level", ""), reason=request.POST.get("reason", ""), by=request.user
        )
        award.refresh_from_db()
        messages.success(request, f"“{award.project}”调整为{award.get_level_display()}")
    except ValidationError as exc:
        flash_errors(request, exc)
    return redirect(request.POST.get("next") if _safe_next(request) else "console:awards_results")


def _safe_next(request) -> bool:
    from django.utils.http import url_has_allowed_host_and_scheme

    nxt = request.POST.get("next", "")
    return bool(nxt) and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()})


@committee_required
@require_POST
def lock(request):
    campaign = _campaign(request)
    action = request.POST.get("action")
    try:
        if action == "lock":
            services.lock_results(campaign=campaign, by=request.user)
            messages.success(request, "奖项结果已锁定：发布前如需修改，须说明理由后解除锁定")
        elif action == "unlock":
            services.unlock_results(campaign=campaign, by=request.user, reason=request.POST.get("reason", ""))
            messages.success(request, "已解除锁定，理由已记入审计日志")
        elif action == "publish":
            services.publish_results(campaign=campaign, by=request.user)
            messages.success(request, "评审结果已发布，获奖项目团队、所在单位和县区团委已收到通知")
        else:
            raise Http404
    except ValidationError as exc:
        flash_errors(request, exc)
    return redirect(f"{_results_url()}?campaign={campaign.pk}")


@committee_required
@require_POST
def certificates(request):
    campaign = _campaign(request)
    sheet = aq.sheet_of(campaign)
    if sheet is None or not sheet.is_published:
        messages.error(request, "评审结果发布后才能生成获奖证书")
        return redirect("console:awards_results")
    job = start_export(by=request.user, exporter="certificates.pdf", params={"sheet": sheet.pk})
    return redirect("console:documents_job", job.pk)


@committee_required
@require_http_methods(["GET", "HEAD", "POST"])
def certificate_design(request):
    """证书设置: the wording and the committee's seal printed on every certificate, with a preview."""
    campaign = _campaign(request)
    sheet = aq.sheet_of(campaign)
    initial = {
        "wording": sheet.certificate_wording if sheet else AwardSheet._meta.get_field("certificate_wording").default
    }
    form = CertificateDesignForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_certificate_design(
                campaign=campaign,
                by=request.user,
                wording=form.cleaned_data["wording"],
                seal=form.cleaned_data["seal"],
                remove_seal=form.cleaned_data["remove_seal"],
            )
            messages.success(request, "证书设置已保存，此后下载和生成的获奖证书均按新设置印制")
            return redirect(f"{reverse('console:awards_certificate_design')}?campaign={campaign.pk}")
        except ValidationError as exc:
            form.add_error("seal" if exc.code in SEAL_ERRORS else "wording", exc)
    sample = aq.published_prizes(campaign).first() if sheet and sheet.is_published else None
    return render(
        request,
        "console/awards/certificate_design.html",
        {"campaign": campaign, "campaigns": _campaign_choices(), "sheet": sheet, "form": form, "sample": sample},
    )


SEAL_ERRORS = {"empty", "too_large", "kind", "damaged", "pixels"}


@committee_required
@require_safe
def seal(request):
    """The uploaded seal as it is stored, for the preview on 证书设置 (the committee only)."""
    sheet = aq.sheet_of(_campaign(request))
    if sheet is None or not sheet.seal:
        raise Http404("尚未上传印章")
    try:
        stream = sheet.seal.open("rb")
    except OSError:  # the file was lost (a restored database without its media)
        raise Http404("印章文件不存在，请重新上传") from None
    content_type = "image/png" if sheet.seal.name.endswith(".png") else "image/jpeg"
    response = FileResponse(stream, content_type=content_type)
    response["Cache-Control"] = "private, no-cache"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@committee_required
def history(request, pk):
    campaign = _campaign(request)
    award = get_visible_or_404(Award.objects.filter(sheet__campaign=campaign).select_related("project__unit"), pk=pk)
    return render(
        request,
        "console/awards/history.html",
        {"award": award, "changes": award.changes.select_related("by")},
    )


# --- 优秀组织奖 -----------------------------------------------------------------------------

SORTS = {
    "participation": lambda m: m.participation or 0,
    "registered": lambda m: m.registered,
    "key": lambda m: m.key_projects,
    "forwarded": lambda m: m.forwarded,
    "awards": lambda m: m.award_total,
}


@committee_required
def organisation_awards(request):
    campaign = _campaign(request)
    kind = "district" if request.GET.get("kind") == "district" else "unit"
    page = Paginator(aq.organisations_for_award(kind), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = aq.organisation_metrics(campaign, list(page.object_list), today=timezone.localdate())
    sort = request.GET.get("sort", "")
    if sort in SORTS:
        rows.sort(key=SORTS[sort], reverse=True)
    return render(
        request,
        "console/awards/organisations.html",
        {
            "campaign": campaign,
            "kind": kind,
            "page": page,
            "rows": rows,
            "sort": sort,
            "sheet": aq.sheet_of(campaign),
            "winners": aq.organisation_winners(campaign),
        },
    )


@committee_required
@require_POST
def organisation_award(request, org_id):
    campaign = _campaign(request)
    org = get_visible_or_404(Organisation.objects.all(), pk=org_id)
    try:
        if request.POST.get("action") == "withdraw":
            award = get_visible_or_404(OrganisationAward.objects.filter(campaign=campaign), organisation=org)
            services.withdraw_organisation_award(award=award, by=request.user)
            messages.success(request, f"已取消“{org.name}”的优秀组织奖")
        else:
            services.choose_organisation_award(
                campaign=campaign, organisation=org, by=request.user, reason=request.POST.get("reason", "")
            )
            messages.success(request, f"“{org.name}”获评优秀组织奖")
    except ValidationError as exc:
        flash_errors(request, exc)
    return redirect(request.POST.get("next") if _safe_next(request) else "console:organisation_awards")


@committee_required
def talents(request):
    campaign = _campaign(request)
    sheet = aq.sheet_of(campaign)
    return render(
        request,
        "console/awards/talents.html",
        {"campaign": campaign, "sheet": sheet, "rows": aq.talent_list(sheet) if sheet else []},
    )


# --- 协助申报专利 -----------------------------------------------------------------------------


@committee_required
def patents(request):
    campaign = _campaign(request)
    page = Paginator(aq.patent_cases(campaign), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "console/awards/patents.html",
        {"campaign": campaign, "page": page, "statuses": PatentStatus.choices, "today": timezone.localdate()},
    )


@committee_required
@require_POST
def patent_advance(request, pk):
    campaign = _campaign(request)
    case = get_visible_or_404(PatentCase.objects.filter(project__campaign=campaign).select_related("project"), pk=pk)
    text = request.POST.get("on", "").strip()
    try:
        on = timezone.datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError:
        messages.error(request, impossible_date_message(text) or "日期格式应为 2025-06-18")
        return redirect("console:patents")
    try:
        services.advance_patent(
            case=case,
            to=request.POST.get("to", ""),
            on=on,
            note=request.POST.get("note", ""),
            patent_number=request.POST.get("patent_number", ""),
            by=request.user,
        )
        case.refresh_from_db()
        messages.success(request, f"“{case.project}”专利申报：{case.get_status_display()}")
    except ValidationError as exc:
        flash_errors(request, exc)
    return redirect("console:patents")


# --- Downloads ----------------------------------------------------------------------------

SHEET_EXPORTS = {"results.xlsx", "results.docx", "talents.xlsx", "organisation_awards.xlsx"}


@admin_required
def export_sheet(request, identifier):
    """获奖名单, 能手 list and 优秀组织奖 table: each exporter checks who may have it."""
    if identifier not in SHEET_EXPORTS:
        raise Http404
    sheet = aq.sheet_of(_campaign(request))
    if sheet is None:
        raise Http404("尚未评定奖项")
    return export(request, identifier, sheet)


@admin_required
def certificate(request, pk):
    """One certificate, for an admin whose subtree holds the project (or the committee)."""
    scope = Q(pk__in=[])
    for org in admin_organisations(request.user):
        scope |= Q(project__unit__path__startswith=org.path)
    award = get_visible_or_404(
        Award.objects.filter(scope, sheet__status="published")
        .exclude(level=AwardLevel.NONE)
        .select_related("sheet__campaign", "project__unit"),
        pk=pk,
    )
    return export(request, "certificate.pdf", award)


# --- 成果发布: what the public showcase shows -------------------------------------------------


@committee_required
def publication(request):
    """Forwarded projects of the current campaign with what the public sees of each."""
    from wuxiao.publication.queries import as_public, public_projects

    campaign = _campaign(request)
    sheet = aq.sheet_of(campaign)
    public = {p.pk: as_public(p) for p in public_projects(campaign)} if sheet else {}
    rows = Paginator(
        services.forwarded_projects(campaign)
        .select_related("unit", "award", "public_entry")
        .order_by("award__rank", "id"),
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "console/awards/publication.html",
        {
            "campaign": campaign,
            "campaigns": _campaign_choices(),
            "sheet": sheet,
            "page": rows,
            "public": public,
            **_booklet_context(campaign),
        },
    )


# --- 案例集 online: a booklet of the public entries, generated in the background and published -----


def _public_booklet_jobs(campaign):
    from wuxiao.documents.models import ExportJob
    from wuxiao.publication.services import BOOKLET_EXPORTERS

    return ExportJob.objects.filter(
        exporter__in=list(BOOKLET_EXPORTERS), params__campaign=campaign.pk, params__public=True
    ).select_related("created_by")


def _booklet_context(campaign) -> dict:
    from wuxiao.publication.models import PublicBooklet
    from wuxiao.publication.queries import booklet_is_current

    booklets = list(PublicBooklet.objects.filter(campaign=campaign).select_related("published_by"))
    return {
        "booklets": [(b, booklet_is_current(b)) for b in booklets],
        "published_jobs": {b.job_id for b in booklets},
        "booklet_jobs": list(_public_booklet_jobs(campaign)[:6]),
    }


def _posted_pk(request, name: str) -> int:
    value = request.POST.get(name, "")
    return int(value) if value.isdigit() else 0


@committee_required
@require_POST
def publication_booklet(request):
    """生成 (a background export of the public entries), 发布 (a finished one goes online) or 撤销."""
    from wuxiao.publication import services as publishing
    from wuxiao.publication.models import PublicBooklet
    from wuxiao.publication.queries import public_projects

    campaign = _campaign(request)
    action = request.POST.get("action")
    try:
        if action == "generate":
            fmt = request.POST.get("format")
            if fmt not in ("pdf", "docx"):
                raise Http404
            sheet = aq.sheet_of(campaign)
            if sheet is None or not sheet.is_published:
                raise ValidationError("评审结果发布后才能生成公开的优秀项目案例集")
            ids = list(public_projects(campaign).values_list("pk", flat=True))
            if not ids:
                raise ValidationError("没有公开展示的项目，无法生成案例集")
            job = start_export(
                by=request.user,
                exporter=f"booklet.{fmt}",
                params={"campaign": campaign.pk, "public": True, "projects": ids, "images_per_project": 2},
            )
            return redirect("console:documents_job", job.pk)
        if action == "publish":
            job = get_visible_or_404(_public_booklet_jobs(campaign), pk=_posted_pk(request, "job"))
            booklet = publishing.publish_booklet(job=job, by=request.user)
            messages.success(request, f"“{booklet.filename}”已发布，公众可在评审结果页下载")
        elif action == "withdraw":
            booklet = get_visible_or_404(
                PublicBooklet.objects.filter(campaign=campaign), pk=_posted_pk(request, "booklet")
            )
            publishing.withdraw_booklet(booklet=booklet, by=request.user)
            messages.success(request, f"已撤销发布“{booklet.filename}”")
        else:
            raise Http404
    except ValidationError as exc:
        flash_errors(request, exc)
    return redirect(f"{reverse('console:publication')}?campaign={campaign.pk}")


@committee_required
def publication_edit(request, pk):
    from wuxiao.projects.models import Attachment
    from wuxiao.publication import services as publishing
    from wuxiao.publication.models import PublicEntry
    from wuxiao.publication.queries import as_public, default_summary

    campaign = _campaign(request)
    project = get_visible_or_404(services.forwarded_projects(campaign).select_related("unit", "campaign"), pk=pk)
    entry = PublicEntry.objects.filter(project=project).first()
    images = Attachment.objects.filter(project=project, stored__content_type__startswith="image/")
    if request.method == "POST":
        try:
            publishing.save_entry(
                project=project,
                by=request.user,
                visible=request.POST.get("visible") == "on",
                summary=request.POST.get("summary", ""),
                show_team=request.POST.get("show_team") == "on",
                show_benefit=request.POST.get("show_benefit") == "on",
                images=images.filter(pk__in=[i for i in request.POST.getlist("images") if i.isdigit()]),
            )
            messages.success(request, f"已保存“{project}”的公开内容")
            return redirect("console:publication")
        except ValidationError as exc:
            flash_errors(request, exc)
    return render(
        request,
        "console/awards/publication_edit.html",
        {
            "project": project,
            "entry": entry,
            "images": images,
            "chosen": set(entry.images.values_list("pk", flat=True)) if entry else set(),
            "summary": entry.summary if entry and entry.summary else default_summary(project.content),
            "preview": as_public(project),
        },
    )
