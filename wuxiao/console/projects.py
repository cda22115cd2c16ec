"""The unit admin's one list and one page of projects (项目申报 and 立项管理 in one): every
project submitted in the subtrees the admin runs, with the filters of `ProjectFilter`, and a
page with the whole 申报表 and every action the admin may take in the project's state —
退回修改, 立项 or 不予立项, advisors, key-project resources, a change of level.

The page is built from one include per section so later capabilities add theirs. The
unit-workflow actions post to `console.unit` and come back here."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import F
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from wuxiao.campaigns.models import Campaign
from wuxiao.console import unit_forms
from wuxiao.console.helpers import PAGE_SIZE
from wuxiao.console.views import admin_required
from wuxiao.lib.http import get_visible_or_404, require
from wuxiao.lib.pagination import CappedPaginator
from wuxiao.projects import rules, services, workflow
from wuxiao.projects.filters import ProjectFilter
from wuxiao.projects.models import LevelChange, Project
from wuxiao.projects.permissions import can_classify, can_return, is_unit_admin_for
from wuxiao.projects.queries import project_page_data, projects_for_unit_admin, with_advisor_count
from wuxiao.projects.states import ProjectState


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label="退回原因",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="例如：经济效益测算依据不足，请补充财务部门出具的测算表",
        error_messages={"required": "退回修改必须填写原因，以便申报人修改"},
    )


@admin_required
def project_list(request):
    campaign = Campaign.objects.current()
    data = request.GET.copy()
    if "campaign" not in data and campaign is not None:
        data["campaign"] = str(campaign.pk)  # this year's projects unless another year is chosen
    # NULLS LAST matches project_campaign_recent_idx (PostgreSQL): a page never walks past drafts.
    base = with_advisor_count(projects_for_unit_admin(request.user)).order_by(
        F("submitted_at").desc(nulls_last=True), "-id"
    )
    filters = ProjectFilter(data, base, user=request.user, categories=campaign.categories if campaign else ())
    page = CappedPaginator(filters.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    filters.form.is_valid()  # cleaned_data keeps the filters that validated
    if not filters.filters["district"].queryset.exists():
        filters.form.fields.pop("district")  # a unit admin runs no district: nothing to choose
    unit = filters.form.cleaned_data.get("unit")
    return render(
        request,
        "console/projects/list.html",
        {
            "page": page,
            "filters": filters,
            "query": filters.query_string,
            # Filtered to one unit the admin runs: the page is that unit's 立项管理 tab.
            "unit": unit,
            "campaign": campaign,
            "tab": "applications",
        },
    )


def _project(request, pk) -> Project:
    return get_visible_or_404(projects_for_unit_admin(request.user), pk=pk)


def project_page(request, project: Project, *, status=200, **bound):
    """The one page; `bound` carries a form that failed (with its errors) into its place."""
    project = project_page_data(project)
    context = {
        "project": project,
        "can_return": can_return(request.user, project),
        "return_form": ReturnForm(),
        "frozen": project.state in ProjectState.FORWARDED_OR_LATER,
        "S": ProjectState,
    }
    if is_unit_admin_for(request.user, project):
        resources = getattr(project, "resources", None)
        context |= {
            "unit": project.unit,
            "manages": True,
            "can_classify": can_classify(request.user, project),
            "can_advise": project.state in ProjectState.ADVISABLE,
            "can_change_level": project.state in ProjectState.IN_UNIT_WORK and bool(project.level),
            "classify_form": unit_forms.ClassifyForm(prefix="c"),
            "refuse_form": unit_forms.RefuseForm(prefix="r"),
            "level_form": unit_forms.LevelForm(prefix="l"),
            "resources_form": unit_forms.ResourcesForm(
                prefix="res",
                initial={
                    "funding": getattr(resources, "funding", 0),
                    "equipment": getattr(resources, "equipment", ""),
                },
            ),
            "advisor_form": unit_forms.AdvisorForm(
                prefix="a", candidates=workflow.advisor_candidates(project.unit, project_id=project.pk)
            ),
            "invite_form": unit_forms.InviteAdvisorForm(prefix="i"),
            "advisors": project.advisor_assignments.select_related("advisor", "assigned_by"),
            "level_changes": LevelChange.objects.filter(project=project).select_related("changed_by"),
            "opinions": project.opinions.select_related("signer"),
            "min_advisors": rules.MIN_ADVISORS,
        }
    context.update(bound)
    return render(request, "console/projects/detail.html", context, status=status)


@admin_required
def project_detail(request, pk):
    return project_page(request, _project(request, pk))


@admin_required
@require_POST
def project_return(request, pk):
    project = _project(request, pk)
    require(is_unit_admin_for(request.user, project), "只有本单位团组织可以退回该项目")
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.return_project(project=project, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_error(None, exc.messages[0])
        else:
            messages.success(request, f"已退回“{project.name}”，申报人会收到通知")
            return redirect("console:project_detail", pk=project.pk)
    return project_page(request, project, return_form=form, status=400)
