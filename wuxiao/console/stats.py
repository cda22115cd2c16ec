"""Statistics for the offices: a dashboard per organisation (the committee over the city, a
district/system over its subtree, a unit over itself), its numbers as a workbook, the
campaign report and the full-screen 数据大屏. Every number comes from wuxiao/stats; the
pages are a thin layer over its JSON payloads."""

from django import forms
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from wuxiao.campaigns.models import Campaign
from wuxiao.console.helpers import PAGE_SIZE
from wuxiao.console.views import admin_required
from wuxiao.documents.downloads import export
from wuxiao.documents.registry import get_exporter
from wuxiao.documents.services import start_export
from wuxiao.lib.http import get_visible_or_404, require
from wuxiao.people.permissions import admin_organisations, can_manage_organisation, is_committee_admin
from wuxiao.people.queries import organisations_visible_to
from wuxiao.projects import queries as pq
from wuxiao.stats.charts import Dashboard, screen_payload, table
from wuxiao.stats.queries import Scope


class StatsFilterForm(forms.Form):
    campaign = forms.ModelChoiceField(
        label="竞赛活动",
        queryset=Campaign.objects.order_by("-starts_on"),
        required=False,
        empty_label=None,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    compare = forms.ModelChoiceField(
        label="同比对比",
        queryset=Campaign.objects.order_by("-starts_on"),
        required=False,
        empty_label="不对比",
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    date_from = forms.DateField(
        label="提交日期自",
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"}),
        help_text="例如：2024-04-01",
    )
    date_to = forms.DateField(
        label="至",
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"}),
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(f"日期范围有误：开始日期 {start} 晚于结束日期 {end}")
        return data


def _filters(request) -> tuple[StatsFilterForm, dict]:
    """The dashboard's filters and the same values as exporter params (for the downloads)."""
    current = Campaign.objects.current()
    if current is None:
        raise Http404("尚未设置竞赛活动")
    form = StatsFilterForm(request.GET or None, initial={"campaign": current})
    data = form.cleaned_data if form.is_valid() else {}
    campaign = data.get("campaign") or current
    compare = data.get("compare")
    params = {
        "campaign": campaign.pk,
        "compare": compare.pk if compare and compare.pk != campaign.pk else "",
        "date_from": data["date_from"].isoformat() if data.get("date_from") else "",
        "date_to": data["date_to"].isoformat() if data.get("date_to") else "",
    }
    return form, params


def _org(request, org_id):
    return get_visible_or_404(organisations_visible_to(request.user), pk=org_id)


def _query(params: dict) -> str:
    from urllib.parse import urlencode

    return urlencode({k: v for k, v in params.items() if v and k != "organisation"})


@require_safe
@admin_required
def stats_home(request):
    """统计: the dashboard of the highest organisation the user administers."""
    org = min(admin_organisations(request.user), key=lambda o: (o.depth, o.path))
    return redirect("console:stats", org.pk)


@require_safe
@admin_required
def dashboard(request, org_id):
    org = _org(request, org_id)
    form, params = _filters(request)
    campaign = Campaign.objects.get(pk=params["campaign"])
    compare = Campaign.objects.filter(pk=params["compare"]).first() if params["compare"] else None
    scope = Scope(
        org=org,
        campaign=campaign,
        date_from=form.cleaned_data.get("date_from") if form.is_bound and form.is_valid() else None,
        date_to=form.cleaned_data.get("date_to") if form.is_bound and form.is_valid() else None,
    )
    board = Dashboard(scope, compare=compare, unpublished_awards=is_committee_admin(request.user))
    if org.is_unit:
        page = None
        rows = pq.unit_overview([org], campaign)
    else:
        page = Paginator(pq.units_under(org), PAGE_SIZE).get_page(request.GET.get("page"))
        rows = pq.unit_overview(list(page.object_list), campaign)
    charts = board.charts(quota_rows=rows)
    states = pq.overview_states()
    for r in rows:
        r["links"] = list(zip([s for s, _ in states], r["cells"], strict=True))
    query = _query(params)
    return render(
        request,
        "console/stats/dashboard.html",
        {
            "org": org,
            "campaign": campaign,
            "compare": compare,
            "form": form,
            "numbers": board.numbers(),
            "charts": [(c, table(c), f"chart-{c['id']}") for c in charts],
            "children": board.children,
            "page": page,
            "rows": rows,
            "states": states,
            "projects_url": reverse("console:projects"),  # once, not for each of the table's cells
            "query": query,
            "parent": org.parent if org.parent_id and can_manage_organisation(request.user, org.parent) else None,
        },
    )


@require_safe
@admin_required
def numbers_xlsx(request, org_id):
    org = _org(request, org_id)
    _form, params = _filters(request)
    return export(request, "stats.xlsx", org, params)


@require_POST
@admin_required
def report(request, org_id, fmt):
    """The campaign report draws its charts server-side (seconds): a background export job,
    whose page the user is sent to, as for the 案例集."""
    if fmt not in ("pdf", "docx"):
        raise Http404
    org = _org(request, org_id)
    _form, params = _filters(request)
    exporter = get_exporter(f"campaign_report.{fmt}")
    require(exporter.may_export(request.user, org), f"无权导出“{exporter.label}”")
    job = start_export(by=request.user, exporter=exporter.identifier, params={**params, "organisation": org.pk})
    return redirect("console:documents_job", pk=job.pk)


@require_safe
@admin_required
def screen(request, org_id):
    org = _org(request, org_id)
    _form, params = _filters(request)
    campaign = Campaign.objects.get(pk=params["campaign"])
    return render(
        request,
        "console/stats/screen.html",
        {"org": org, "query": _query(params), "payload": screen_payload(Scope(org=org, campaign=campaign))},
    )


@require_safe
@admin_required
def screen_data(request, org_id):
    org = _org(request, org_id)
    _form, params = _filters(request)
    campaign = Campaign.objects.get(pk=params["campaign"])
    response = JsonResponse(screen_payload(Scope(org=org, campaign=campaign)))
    response["Cache-Control"] = "private, no-store"
    return response
