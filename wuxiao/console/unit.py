"""The unit workflow in the console: directions, 立项管理, 攻关进度, 成果审核, 内部评比,
成果上报, and the district and committee overviews. Each view: decorators → fetch with
permission (404 when the user may not see it, 403 when they may see but not act) → form →
service → redirect."""

from dataclasses import replace
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from wuxiao.campaigns.models import Campaign
from wuxiao.console import unit_forms as forms
from wuxiao.console.helpers import PAGE_SIZE, current_campaign, flash_errors, flash_form_errors
from wuxiao.console.projects import project_page
from wuxiao.console.views import admin_required
from wuxiao.documents.content import summary_rows
from wuxiao.lib.http import get_visible_or_404, require
from wuxiao.people import services as people
from wuxiao.people.models import UNIT_KINDS, Organisation, OrgKind, Role
from wuxiao.people.permissions import admin_organisations, can_manage_organisation
from wuxiao.people.queries import organisations_visible_to
from wuxiao.projects import queries as q
from wuxiao.projects import rules, workflow
from wuxiao.projects.models import Direction, Project, ProjectLevel
from wuxiao.projects.queries import project_page_data
from wuxiao.projects.states import ProjectState


def _admin_unit(request, unit_id) -> Organisation:
    return get_visible_or_404(organisations_visible_to(request.user).filter(kind__in=UNIT_KINDS), pk=unit_id)


def _project(unit, campaign, pk) -> Project:
    return get_visible_or_404(q.unit_projects(unit, campaign), pk=pk)


@admin_required
def unit_home(request):
    """Where an admin starts: the units, districts and committee they administer."""
    orgs = admin_organisations(request.user)
    units = [o for o in orgs if o.is_unit]
    campaign = Campaign.objects.current()
    todo = q.unit_todo_counts(units, campaign, today=timezone.localdate()) if campaign else {}
    return render(
        request,
        "console/unit/home.html",
        {
            "units": [(u, todo.get(u.pk)) for u in units],
            "districts": [o for o in orgs if o.kind in (OrgKind.DISTRICT,)],
            "is_committee": any(o.is_committee for o in orgs),
            "committee": next((o for o in orgs if o.is_committee), None),
        },
    )


# --- Directions ------------------------------------------------------------------------


@admin_required
def directions(request, unit_id):
    unit, campaign = _admin_unit(request, unit_id), current_campaign()
    form = forms.DirectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            direction = workflow.add_direction(campaign=campaign, unit=unit, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"已添加方向“{direction.title}”（未发布）")
            return redirect("console:unit_directions", unit.pk)
    items = Direction.objects.filter(campaign=campaign, unit=unit)
    return render(
        request, "console/unit/directions.html", {"unit": unit, "campaign": campaign, "form": form, "items": items}
    )


@admin_required
@require_POST
def directions_publish(request, unit_id):
    unit, campaign = _admin_unit(request, unit_id), current_campaign()
    try:
        n = workflow.publish_directions(campaign=campaign, unit=unit, by=request.user)
        messages.success(request, f"已发布 {n} 个项目方向，已通知本单位申报人")
    except ValidationError as exc:
        flash_errors(request, exc)
    return redirect("console:unit_directions", unit.pk)


@admin_required
@require_POST
def direction_delete(request, unit_id, pk):
    unit, campaign = _admin_unit(request, unit_id), current_campaign()
    direction = get_visible_or_404(Direction.objects.filter(unit=unit, campaign=campaign), pk=pk)
    workflow.delete_direction(direction=direction, by=request.user)
    messages.success(request, f"已删除方向“{direction.title}”")
    return redirect("console:unit_directions", unit.pk)


# --- 立项管理 ---------------------------------------------------------------------------


@admin_required
def applications(request, unit_id):
    """The old 立项管理 list: now the one project list, filtered to the unit."""
    unit = _admin_unit(request, unit_id)
    return redirect(f"{reverse('console:projects')}?{urlencode({'unit': unit.pk})}")


@admin_required
def project_manage(request, unit_id, pk):
    """The old 立项管理 page of a project: now the one project page."""
    unit, campaign = _admin_unit(request, unit_id), current_campaign()
    return redirect("console:project_detail", _project(unit, campaign, pk).pk)


def _post_action(request, unit_id, pk, form_class, prefix, key, action, success, **form_kwargs):
    unit, campaign = _admin_unit(request, unit_id), current_campaign()
    project = _project(unit, campaign, pk)
    form = form_class(request.POST, prefix=prefix, **form_kwargs)
    if form.is_valid():
        try:
            action(project, form.cleaned_data)
            messages.success(request, success(form.cleaned_data))
            return redirect("console:project_detail", project.pk)
        except ValidationError as exc:
            for text in exc.messages:
                form.add_error(None, text)
    return project_page(request, project, status=400, **{key: form})


@admin_required
@require_POST
def classify(request, unit_id, pk):
    return _post_action(
        request,
        unit_id,
        pk,
        forms.ClassifyForm,
        "c",
        "classify_form",
        lambda p, d: workflow.classify(
            project=p, level=d["level"], by=request.user, funding=d["funding"], equipment=d["equipment"]
        ),
        lambda d: f"已立项为{ProjectLevel(d['level']).label}",
    )


@admin_required
@require_POST
def refuse(request, unit_id, pk):
    return _post_action(
        request,
        unit_id,
        pk,
        forms.RefuseForm,
        "r",
        "refuse_form",
        lambda p, d: workflow.refuse(project=p, reason=d["reason"], by=request.user),
        lambda d: "已不予立项，并通知申报人",
    )


@admin_required
@require_POST
def change_level(request, unit_id, pk):
    return _post_action(
        request,
        unit_id,
        pk,
        forms.LevelForm,
        "l",
        "level_form",
        lambda p, d: workflow.change_level(project=p, level=d["level"], reason=d["reason"], by=request.user),
        lambda d: f"已变更为{ProjectLevel(d['level']).label}",
    )


@admin_required
@require_POST
def resources(request, unit_id, pk):
    return _post_action(
        request,
        unit_id,
        pk,
        forms.ResourcesForm,
        "res",
        "resources_form",
        lambda p, d: workflow.set_resources(project=p, funding=d["funding"], equipment=d["equipment"], by=request.user),
        lambda d: "已保存重点项目资源",
    )


@admin_required
@require_POST
def advisor_add(request, unit_id, pk):
    unit = _admin_unit(request, unit_id)
    return _post_action(
        request,
        unit_id,
        pk,
        forms.AdvisorForm,
        "a",
        "advisor_form",
        lambda p, d: workflow.assign_advisor(project=p, advisor=d["advisor"], by=request.user),
        lambda d: f"已指派技术顾问 {d['advisor'].display_name}",
        candidates=workflow.advisor_candidates(unit, project_id=pk),
    )


@admin_required
@require_POST
def advisor_remove(request, unit_id, pk, user_id):
    unit, campaign = _admin_unit(request, unit_id), current_campaign()
    project = _project(unit, campaign, pk)
    assignment = get_visible_or_404(project.advisor_assignments.select_related("advisor"), advisor_id=user_id)
    try:
        workflow.remove_advisor(project=project, advisor=assignment.advisor, by=request.user)
        messages.success(request, f"已移除技术顾问 {assignment.advisor.display_name}")
    except ValidationError as exc:
        flash_errors(request, exc)
    return redirect("console:project_detail", project.pk)


@admin_required
@require_POST
def advisor_invite(request, unit_id, pk):
    unit = _admin_unit(request, unit_id)

    def invite(project, d):
        _, link = people.invite(
            by=request.user,
            organisation=unit,
            role=Role.ADVISOR,
            real_name=d["real_name"],
            mobile=d["mobile"],
            email=d["email"],
            base_url=request.build_absolute_uri("/")[:-1],
        )
        messages.info(request, f"邀请链接（仅显示一次，可转发给对方）：{link}")

    return _post_action(
        request,
        unit_id,
        pk,
        forms.InviteAdvisorForm,
        "i",
        "invite_form",
        invite,
        lambda d: f"已邀请 {d['real_name']} 担任本单位技术顾问；对方接受后即可指派",
    )


# --- 攻关进度 ---------------------------------------------------------------------------


@admin_required
def progress(request, unit_id):
    unit, campaign = _admin_unit(request, unit_id), current_campaign()
    qs = q.unit_projects(unit, campaign).filter(state__in=ProjectState.WORKING)
    overdue_only = request.GET.get("overdue") == "1"
    if overdue_only:  # the overview's 逾期未记录 count links here
        rows = [r for r in q.progress_of(list(qs), today=timezone.localdate()) if r[1].overdue]
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        rows = list(page.object_list)
    else:
        page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
        rows = q.progress_of(list(page.object_list), today=timezone.localdate())
    return render(
        request,
        "console/unit/progress.html",
        {
            "unit": unit,
            "campaign": campaign,
            "page": page,
            "rows": rows,
            "overdue_days": rules.OVERDUE_DAYS,
            "overdue_only": overdue_only,
            "query": "overdue=1" if overdue_only else "",
            "urge_form": forms.UrgeForm(),
        },
    )


@admin_required
@require_POST
def urge(request, unit_id, pk):
    unit, campaign = _admin_unit(request, unit_id), current_campaign()
    project = _project(unit, campaign, pk)
    form = forms.UrgeForm(request.POST)
    if form.is_valid():
        try:
            workflow.urge(project=project, by=request.user, note=form.cleaned_data["note"])
            messages.success(request, f"已催办“{project}”，项目组已收到通知")
        except ValidationError as exc:
            flash_errors(request, exc)
    else:
        flash_form_errors(request, form)
    return redirect("console:unit_progress", unit.pk)


# --- 成果审核 (opinion givers: 车间, 技术部门, 团组织) ----------------------------------


def _opinion_unit(request, unit_id) -> tuple[Organisation, list[str]]:
    unit = get_visible_or_404(Organisation.objects.filter(kind__in=UNIT_KINDS), pk=unit_id)
    states = q.opinion_states_for(request.user, unit)
    if not states:
        raise Http404
    return unit, states


def _layout(user, unit) -> str:
    return "console/base.html" if can_manage_organisation(user, unit) else "console/unit/_plain.html"


@login_required
def opinions(request, unit_id):
    unit, states = _opinion_unit(request, unit_id)
    campaign = current_campaign()
    qs = q.unit_projects(unit, campaign).filter(state__in=states).order_by("updated_at", "id")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "console/unit/opinions.html",
        {
            "unit": unit,
            "campaign": campaign,
            "page": page,
            "my_steps": [ProjectState(s).label for s in states],
            "is_admin": can_manage_organisation(request.user, unit),
            "layout": _layout(request.user, unit),
        },
    )


@login_required
def opinion(request, unit_id, pk):
    unit, states = _opinion_unit(request, unit_id)
    campaign = current_campaign()
    project = get_visible_or_404(q.unit_projects(unit, campaign).filter(state__in=ProjectState.OPINION_CHAIN), pk=pk)
    require(project.state in states, f"该项目当前{project.get_state_display()}，不是您负责的审核环节")
    workshop_on = workflow.workshop_step_enabled(campaign, unit)
    has_previous = project.state == ProjectState.RESULT_LEAGUE or (
        project.state == ProjectState.RESULT_TECH and workshop_on
    )
    form = forms.OpinionForm(request.POST or None, request.FILES or None, has_previous=has_previous)
    if request.method == "POST" and form.is_valid():
        try:
            workflow.give_opinion(
                project=project,
                by=request.user,
                decision=form.cleaned_data["decision"],
                text=form.cleaned_data["text"],
                stamp=form.cleaned_data["stamp"],
            )
            messages.success(request, f"已提交对“{project}”的意见")
            return redirect("console:unit_opinions", unit.pk)
        except ValidationError as exc:
            for text in exc.messages:
                form.add_error(None, text)
    return render(
        request,
        "console/unit/opinion.html",
        {
            "unit": unit,
            "campaign": campaign,
            "project": project,
            "form": form,
            "opinions": project.opinions.select_related("signer"),
            "members": project.members.all(),
            # Before signing, the giver reads what they sign for: the whole 申报表 with its
            # attachments and every work record (a key project with none is flagged).
            "sheet": project_page_data(project),
            "records": project.work_records.select_related("created_by").prefetch_related("files"),
            "layout": _layout(request.user, unit),
        },
        status=400 if request.method == "POST" else 200,
    )


# --- 内部评比 ---------------------------------------------------------------------------


@admin_required
def evaluation(request, unit_id):
    unit, campaign = _admin_unit(request, unit_id), current_campaign()
    qs = (
        q.unit_projects(unit, campaign)
        .filter(state=ProjectState.UNIT_APPROVED)
        .order_by("-internal_score", "self_grade", "id")
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "console/unit/evaluation.html",
        {"unit": unit, "campaign": campaign, "page": page, "grades": forms.SelfGrade.choices},
    )


@admin_required
@require_POST
def evaluate(request, unit_id, pk):
    unit, campaign = _admin_unit(request, unit_id), current_campaign()
    project = _project(unit, campaign, pk)
    form = forms.EvaluationForm(request.POST)
    if form.is_valid():
        try:
            workflow.evaluate(
                project=project,
                by=request.user,
                score=form.cleaned_data["score"],
                self_grade=form.cleaned_data["self_grade"],
            )
            messages.success(request, f"已保存“{project}”的内部评比结果")
        except ValidationError as exc:
            flash_errors(request, exc)
    else:
        flash_form_errors(request, form)
    return redirect("console:unit_evaluation", unit.pk)


# --- 成果上报 ---------------------------------------------------------------------------


FORWARDING_PAGE_SIZE = 50


@admin_required
def forwarding(request, unit_id):
    unit, campaign = _admin_unit(request, unit_id), current_campaign()
    # Best internal score first: the unit forwards its best within the quota.
    candidates = q.forwardable(unit, campaign).order_by(
        F("internal_score").desc(nulls_last=True), "-submitted_at", "-id"
    )
    participation = workflow.participation_for(campaign, unit)
    form = forms.ForwardForm(
        request.POST or None,
        candidates=candidates,
        initial={
            "reporter_name": participation.reporter_name or request.user.display_name,
            "reporter_phone": participation.reporter_phone or unit.contact_phone,
        },
    )
    preview = None
    if request.method == "POST":
        require(workflow.may_forward(request.user, unit), f"“{unit.name}”未允许上级团组织代为上报")
        if form.is_valid():
            chosen = list(form.cleaned_data["projects"])
            if request.POST.get("confirm") == "1":
                try:
                    done = workflow.forward_projects(
                        unit=unit,
                        projects=chosen,
                        by=request.user,
                        reporter_name=form.cleaned_data["reporter_name"],
                        reporter_phone=form.cleaned_data["reporter_phone"],
                    )
                    messages.success(request, f"已上报 {len(done)} 项成果至组委会")
                    return redirect("console:unit_forwarding", unit.pk)
                except ValidationError as exc:
                    for text in exc.messages:
                        form.add_error(None, text)
            else:
                status = workflow.quota_status(campaign, unit)
                problem = rules.quota_problem(status.quota, status.forwarded, len(chosen))
                if problem:
                    form.add_error(None, problem)
                preview = {"rows": summary_rows(chosen), "data": form.cleaned_data}
    # Both lists are paged: a unit with many candidates (or a large quota) still costs one
    # page. Ticks survive a refusal, those on other pages as hidden fields.
    candidate_page = Paginator(candidates, FORWARDING_PAGE_SIZE).get_page(request.GET.get("page"))
    selected = {int(v) for v in request.POST.getlist("projects") if v.isdigit()} if request.method == "POST" else set()
    forwarded = (
        q.unit_projects(unit, campaign).filter(state__in=ProjectState.FORWARDED_OR_LATER).order_by("forwarded_at", "id")
    )
    forwarded_page = Paginator(forwarded, FORWARDING_PAGE_SIZE).get_page(request.GET.get("forwarded_page"))
    offset = forwarded_page.start_index() - 1 if forwarded_page.paginator.count else 0
    forwarded_rows = [replace(row, number=row.number + offset) for row in summary_rows(forwarded_page)]
    return render(
        request,
        "console/unit/forwarding.html",
        {
            "unit": unit,
            "campaign": campaign,
            "form": form,
            "preview": preview,
            "quota": workflow.quota_status(campaign, unit),
            "candidates": candidate_page,
            "selected": selected,
            "selected_elsewhere": sorted(selected - {p.pk for p in candidate_page}),
            "forwarded": forwarded_page,
            "forwarded_rows": forwarded_rows,
            "participation": participation,
            "may_forward": workflow.may_forward(request.user, unit),
            "on_behalf": not any(o.pk == unit.pk for o in admin_organisations(request.user)),
        },
        status=400 if request.method == "POST" and not preview else 200,
    )
