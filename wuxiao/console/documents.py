"""Console downloads of the official documents. Views only fetch with permission and stream
what the exporter registry renders (wuxiao/documents/registry.py); slow exporters run as
background jobs (ExportJob) whose progress the job page polls with htmx."""

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from wuxiao.campaigns.models import Campaign
from wuxiao.console.views import admin_required, committee_required
from wuxiao.documents.downloads import export, stream
from wuxiao.documents.models import ExportJob
from wuxiao.documents.queries import PROJECT_LIST_FILTERS, form_project
from wuxiao.documents.registry import Rendered, get_exporter
from wuxiao.documents.services import retry_export, start_export, sweep_stale_jobs
from wuxiao.lib.http import get_visible_or_404, require
from wuxiao.people.models import Organisation
from wuxiao.people.permissions import admin_organisations, can_manage_organisation, is_committee_admin
from wuxiao.projects.models import SelfGrade
from wuxiao.projects.queries import projects_visible_to
from wuxiao.projects.states import ProjectState

BOOKLET_PAGE_SIZE = 200


def current_campaign(request) -> Campaign:
    campaign = (
        Campaign.objects.filter(pk=request.GET.get("campaign")).first()
        if request.GET.get("campaign", "").isdigit()
        else None
    )
    campaign = campaign or Campaign.objects.current()
    if campaign is None:
        raise Http404("尚未设置竞赛活动")
    return campaign


def managed_organisations(user):
    """Organisations in the user's subtrees (for the 汇总表 list), one query."""
    scope = Q(pk__in=[])
    for org in admin_organisations(user):
        scope |= Q(path__startswith=org.path)
    return Organisation.objects.filter(scope)


@admin_required
def index(request):
    campaign = current_campaign(request)
    sweep_stale_jobs(jobs=ExportJob.objects.filter(created_by=request.user))
    organisations = managed_organisations(request.user).select_related("parent").order_by("path")
    page = Paginator(organisations, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "console/documents/index.html",
        {
            "campaign": campaign,
            "page": page,
            "is_committee": is_committee_admin(request.user),
            "jobs": ExportJob.objects.filter(created_by=request.user)[:10],
        },
    )


@admin_required
def project_form(request, pk: int, fmt: str):
    if fmt not in ("docx", "pdf"):
        raise Http404
    project = get_visible_or_404(projects_visible_to(request.user), pk=pk)
    return export(request, f"project_form.{fmt}", form_project(project.pk))


@admin_required
def summary(request, organisation_id: int):
    """A unit's, a district's or (committee) the campaign-wide 汇总表. ?projects=1,2,3 lists
    exactly those projects of a unit (its own review before forwarding)."""
    organisation = get_object_or_404(Organisation, pk=organisation_id)
    if not can_manage_organisation(request.user, organisation):
        raise Http404
    campaign = current_campaign(request)
    params = {"campaign": campaign.pk, "organisation": organisation.pk}
    ids = request.GET.get("projects", "")
    if ids:
        params["projects"] = [int(i) for i in ids.split(",") if i.strip().isdigit()]
    return export(request, "summary.xlsx", organisation, params)


@admin_required
def project_list(request):
    """The project list with the filters of the page the user is looking at: link here with
    the list page's query string (?state=…&unit=…&district=…&level=…&category=…&q=…)."""
    campaign = current_campaign(request)
    filters = {key: request.GET[key] for key in PROJECT_LIST_FILTERS if request.GET.get(key)}
    return export(request, "project_list.xlsx", campaign, {"campaign": campaign.pk, "filters": filters})


@admin_required
def progress(request):
    campaign = current_campaign(request)
    return export(request, "progress.xlsx", campaign, {"campaign": campaign.pk})


def booklet_candidates(campaign, user, data):
    qs = projects_visible_to(user, campaign=campaign).filter(state__in=ProjectState.FORWARDED_OR_LATER)
    if data.get("self_grade") in SelfGrade.values:
        qs = qs.filter(self_grade=data["self_grade"])
    if data.get("category"):
        qs = qs.filter(category=data["category"])
    return qs.select_related("unit").order_by("unit__path", "id")


@committee_required
@require_http_methods(["GET", "HEAD", "POST"])
def booklet(request):
    campaign = current_campaign(request)
    data = request.POST if request.method == "POST" else request.GET
    candidates = booklet_candidates(campaign, request.user, data)
    error = ""
    if request.method == "POST":
        fmt = request.POST.get("format")
        if fmt not in ("pdf", "docx"):
            raise Http404
        if request.POST.get("all"):
            ids = list(candidates.values_list("pk", flat=True))
        else:
            chosen = {int(i) for i in request.POST.getlist("project") if i.isdigit()}
            ids = list(candidates.filter(pk__in=chosen).values_list("pk", flat=True))
        images = request.POST.get("images", "2")
        if not ids:
            error = "请至少选择一个已上报的项目"
        else:
            exporter = get_exporter(f"booklet.{fmt}")
            require(exporter.may_export(request.user, campaign), f"无权导出“{exporter.label}”")
            job = start_export(
                by=request.user,
                exporter=exporter.identifier,
                params={
                    "campaign": campaign.pk,
                    "projects": ids,
                    "images_per_project": int(images) if images.isdigit() else 2,
                },
            )
            return redirect("console:documents_job", pk=job.pk)
    page = Paginator(candidates, BOOKLET_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "console/documents/booklet.html",
        {
            "campaign": campaign,
            "page": page,
            "error": error,
            "grades": SelfGrade.choices,
            "categories": campaign.categories,
            "chosen": set(request.POST.getlist("project")),
        },
    )


def own_job(request, pk: int) -> ExportJob:
    return get_visible_or_404(ExportJob.objects.filter(created_by=request.user), pk=pk)


@admin_required
def job(request, pk: int):
    export_job = own_job(request, pk)
    if sweep_stale_jobs(jobs=ExportJob.objects.filter(pk=export_job.pk)):
        export_job.refresh_from_db()
    template = "console/documents/_job_status.html" if request.htmx else "console/documents/job.html"
    return render(request, template, {"job": export_job, "exporter": get_exporter(export_job.exporter)})


@admin_required
@require_POST
def job_retry(request, pk: int):
    """重新生成: a failed job queued again as a new job (the worker checks permission again)."""
    new_job = retry_export(job=own_job(request, pk), by=request.user)  # refusals: 403 with the reason
    return redirect("console:documents_job", pk=new_job.pk)


@admin_required
def job_download(request, pk: int):
    export_job = own_job(request, pk)
    if not export_job.result:
        raise Http404("文件尚未生成")
    with export_job.result.open("rb") as f:
        return stream(Rendered(export_job.filename, export_job.content_type, f.read()))
