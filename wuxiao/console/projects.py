"""The unit admin's side of 申报: the unit's submitted projects and 退回修改.

The detail page is built from one include per section so the unit-workflow pages
(classification, advisors, opinions…) can add theirs."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from wuxiao.console.views import admin_required
from wuxiao.lib.http import get_visible_or_404, require
from wuxiao.projects import services
from wuxiao.projects.permissions import is_unit_admin_for
from wuxiao.projects.queries import project_page_data, projects_for_unit_admin
from wuxiao.projects.states import ProjectState, allowed


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label="退回原因",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="例如：经济效益测算依据不足，请补充财务部门出具的测算表",
        error_messages={"required": "退回修改必须填写原因，以便申报人修改"},
    )


STATE_FILTERS = [s for s in ProjectState if s != ProjectState.DRAFT]


@admin_required
def project_list(request):
    qs = projects_for_unit_admin(request.user).order_by("-submitted_at", "-id")
    state = request.GET.get("state", "")
    if state in ProjectState.values:
        qs = qs.filter(state=state)
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "console/projects/list.html",
        {
            "page": page,
            "state": state,
            "states": STATE_FILTERS,
            "query": f"state={state}" if state else "",
        },
    )


def _project(request, pk):
    return get_visible_or_404(projects_for_unit_admin(request.user), pk=pk)


@admin_required
def project_detail(request, pk, *, return_form=None, status=200):
    project = project_page_data(_project(request, pk))
    can_return = allowed(project.state, ProjectState.RETURNED) == "unit_admin" and is_unit_admin_for(
        request.user, project
    )
    return render(
        request,
        "console/projects/detail.html",
        {"project": project, "can_return": can_return, "return_form": return_form or ReturnForm()},
        status=status,
    )


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
    return project_detail(request, pk, return_form=form, status=400)
