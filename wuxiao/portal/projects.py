"""我的项目: applicants create, fill in, save, submit and withdraw their 申报表; team
members read it. Every change goes through wuxiao.projects.services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from wuxiao.awards.models import AwardLevel, PatentCase
from wuxiao.awards.queries import published_award, published_levels
from wuxiao.campaigns.models import Campaign
from wuxiao.lib.http import require
from wuxiao.portal.documents import is_own
from wuxiao.portal.project_forms import CreateProjectForm, MemberForm, ProjectForm
from wuxiao.projects import rules, services
from wuxiao.projects.models import Attachment, EntryRoute, ProjectVersion, TeamMember
from wuxiao.projects.permissions import can_edit, can_withdraw, is_leader
from wuxiao.projects.queries import (
    ProjectShows,
    my_roles_in,
    project_form_data,
    projects_of,
    published_directions,
    visible_project,
)
from wuxiao.projects.states import ProjectState
from wuxiao.projects.transitions import StaleVersion


def _visible(request, pk, *, page=False, form=False):
    """The project if the user may see it (404 otherwise); `page`: with what its page shows,
    `form`: with what the 申报表 form shows."""
    if page:
        return visible_project(request.user, pk, shows=ProjectShows.page)
    return visible_project(request.user, pk, shows=ProjectShows.form if form else None)


def _editable(request, pk, *, form=False):
    project = _visible(request, pk, form=form)
    require(can_edit(request.user, project), "只有项目负责人可以在草稿或退回修改状态下修改申报表")
    return project


def _version(request) -> int | None:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


@login_required
def project_list(request):
    services.link_accepted_invitations(request.user)
    page = Paginator(projects_of(request.user), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/projects/list.html",
        {
            "rows": project_rows(request.user, page.object_list),
            "page": page,
            "can_create": bool(services.applicant_units(request.user)),
        },
    )


ROLE_LABELS = {rules.LEADER: "项目负责人", rules.MEMBER: "主要研究人员", rules.ADVISOR: "技术顾问"}


def project_rows(user, projects) -> list[dict]:
    """我的项目 rows: the project, the user's role in it, the next step and where to take it."""
    roles = my_roles_in(user, projects)
    levels = published_levels([p.pk for p in projects])  # only forwarded projects have awards
    rows = []
    for p in projects:
        role = roles[p.pk]
        detail_url = reverse("portal:project_detail", args=[p.pk])
        if role == rules.LEADER and p.is_editable:
            url = reverse("portal:project_edit", args=[p.pk])
        elif p.pk in levels:  # results are out: the award (and its certificate) is on the project page
            url = detail_url
        elif p.state in ProjectState.ACCEPTED_OR_LATER:
            url = reverse("portal:work", args=[p.pk])
        else:
            url = detail_url
        rows.append(
            {
                "project": p,
                "role": ROLE_LABELS[role],
                "next_step": _result_step(levels[p.pk]) if p.pk in levels else rules.next_step(p.state, role=role),
                "url": url,
                "detail_url": detail_url,
            }
        )
    return rows


def _result_step(level: str) -> str:
    """Once the results are published, "评审在第五阶段" is stale: say what came of it."""
    if level == AwardLevel.NONE:
        return "评审结果已发布，本项目未获奖"
    return f"荣获{AwardLevel(level).label}，可在项目页下载获奖证书"


@login_required
def project_create(request):
    campaign = Campaign.objects.current()
    units = services.applicant_units(request.user)
    if campaign is None or not units:
        messages.error(request, "您还不是任何单位的申报人，请向所在单位团组织索取邀请链接后再申报项目")
        return redirect("portal:projects")
    # Start on the route whose stage is open today, and say before anything is typed when a
    # route is closed (submission would refuse it after the whole form was filled in).
    routes = services.route_errors(campaign=campaign, unit=units[0])
    initial = {
        "unit": units[0],
        "entry_route": services.default_entry_route(campaign=campaign, unit=units[0], errors=routes),
    }
    form = CreateProjectForm(request.POST or None, units=units, campaign=campaign, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.create_project(
                campaign=campaign,
                leader=request.user,
                unit=form.cleaned_data["unit"],
                entry_route=form.cleaned_data["entry_route"],
                name=form.cleaned_data["name"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "项目草稿已创建，请填写申报表；内容会自动保存")
            return redirect("portal:project_edit", pk=project.pk)
    directions = [(unit, published_directions(campaign, unit)) for unit in units]
    route_notes = [(EntryRoute(r).label, problem) for r, problem in routes.items()]
    return render(
        request,
        "portal/projects/create.html",
        {
            "form": form,
            "campaign": campaign,
            "route_notes": route_notes,
            "directions": [(u, d) for u, d in directions if d],
        },
    )


@login_required
def project_detail(request, pk):
    project = _visible(request, pk, page=True)
    # Prizes (and the patent help that follows one) go to forwarded projects only.
    reviewed = project.state in ProjectState.FORWARDED_OR_LATER
    return render(
        request,
        "portal/projects/detail.html",
        {
            "project": project,
            "can_edit": can_edit(request.user, project),
            "can_withdraw": can_withdraw(request.user, project),
            "is_leader": is_leader(request.user, project),
            # the same rule as the download itself (portal/documents.py): its leader and team
            "can_download_form": is_own(request.user, project),
            "award": published_award(project) if reviewed else None,
            "patent_case": PatentCase.objects.filter(project=project).first() if reviewed else None,
        },
    )


def _add_errors(form, exc: ValidationError) -> list[str]:
    """Put a service's errors next to their fields; return those with no field of their
    own (eligibility, stage window, the team) for the top of the page."""
    other = []
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            if field in form.fields:
                for message in errors:
                    form.add_error(field, message)
            else:
                other += errors
    else:
        other += exc.messages
    return other


def _edit_context(request, project, form, *, form_data=False, **extra):
    """`form_data`: the project was read with what the form shows (`_editable(form=True)`)."""
    project = project if form_data else project_form_data(project)
    returned = project.state == ProjectState.RETURNED and project.events.filter(to_state=ProjectState.RETURNED).last()
    routes = services.route_errors(campaign=project.campaign, unit=project.unit)
    return {
        "project": project,
        "form": form,
        "return_reason": returned.note if returned else "",
        "version": extra.pop("version", project.version),
        "member_form": MemberForm(prefix="m"),
        "directions": project.campaign.content_directions,
        "route_problem": routes[project.entry_route]
        if project.entry_route in routes
        else services.stage_error(project),
        "route_choices": [(r, EntryRoute(r).label, problem) for r, problem in routes.items()],
        **extra,
    }


@login_required
def project_edit(request, pk):
    project = _editable(request, pk, form=request.method != "POST")
    if request.method != "POST":
        form = ProjectForm(initial=ProjectForm.initial_from(project), campaign=project.campaign)
        return render(request, "portal/projects/edit.html", _edit_context(request, project, form, form_data=True))

    form = ProjectForm(request.POST, campaign=project.campaign)
    submitting = request.POST.get("action") == "submit"
    version = _version(request)
    if not form.is_valid():
        return render(
            request,
            "portal/projects/edit.html",
            _edit_context(request, project, form, version=version, summary=_summary(form, [])),
        )
    try:
        save = services.save_and_submit if submitting else services.save_draft
        project = save(project=project, data=form.cleaned_data, by=request.user, expected_version=version)
    except StaleVersion as exc:
        project.refresh_from_db()
        if submitting and project.state == ProjectState.SUBMITTED:
            messages.info(request, "该项目已经提交，无需重复提交")
            return redirect("portal:project_detail", pk=project.pk)
        context = _edit_context(
            request,
            project,
            form,
            version=project.version,
            stale=exc.messages[0],
            changed=services.changed_fields(project, form.cleaned_data),
        )
        return render(request, "portal/projects/edit.html", context, status=409)
    except ValidationError as exc:
        other = _add_errors(form, exc)
        project.refresh_from_db()
        member_errors = exc.message_dict.get("members", []) if hasattr(exc, "error_dict") else []
        other = [m for m in other if m not in member_errors]
        summary = _summary(form, other, members=len(member_errors))
        context = _edit_context(request, project, form, summary=summary, member_errors=member_errors)
        return render(request, "portal/projects/edit.html", context)
    if submitting:
        messages.success(request, "申报表已提交，等待单位团组织审核")
        return redirect("portal:project_detail", pk=project.pk)
    messages.success(request, f"草稿已保存（第 {project.version} 版）")
    return redirect("portal:project_edit", pk=project.pk)


def _summary(form, other: list[str], *, members: int = 0) -> list[tuple[str, str]]:
    """(text, anchor) lines for the box at the top of the page, in the form's order. A
    field's message is shown once, beside the field: its line here only names the field and
    jumps to it. Messages with no field (eligibility, dates of the stage) are spelled out."""
    lines = [(e, "") for e in other]
    lines += [(e, "") for e in form.non_field_errors() if e not in other]
    for name, field in form.fields.items():
        count = len(form.errors.get(name, ()))
        if count:
            more = f"（{count} 处）" if count > 1 else ""
            radio = getattr(field.widget, "input_type", "") == "radio"
            lines.append((f"{field.label}{more}：见该栏下方的提示", form[name].auto_id + ("_0" if radio else "")))
        if name == "leader_phone" and members:
            lines.append((f"主要研究人员组成（{members} 处）：见该栏下方的提示", "group-members"))
    return lines


@require_POST
def project_autosave(request, pk):
    """The htmx autosave: answers with a status line and the new version (swapped out of
    band into the form). A signed-out user is told to sign in again; the page keeps what
    was typed in the browser (site.js) and offers it back after signing in."""
    if not request.user.is_authenticated:
        login = f"{reverse('login')}?next={reverse('portal:project_edit', args=[pk])}"
        response = render(request, "portal/projects/_autosave.html", {"expired": True, "login_url": login})
        response["HX-Trigger"] = "wuxiao-session-expired"
        return response
    project = _visible(request, pk)
    if not can_edit(request.user, project):
        return render(
            request, "portal/projects/_autosave.html", {"error": "当前状态不能修改申报表，自动保存已停止"}, status=403
        )
    form = ProjectForm(request.POST, campaign=project.campaign)
    # One field that does not parse (a half-typed date) must not stop the others from being
    # kept: save every field that is valid and name the ones that were not saved.
    invalid = [] if form.is_valid() else [n for n in form.fields if n in form.errors]
    data = {k: v for k, v in form.cleaned_data.items() if k not in invalid}
    try:
        try:
            project = services.save_draft(
                project=project, data=data, by=request.user, expected_version=_version(request)
            )
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                raise
            # The draft rules (a negative benefit, an end before the start) name their
            # fields: keep those fields as they were and save the rest.
            for name in exc.error_dict:
                form.add_error(name if name in form.fields else None, exc.error_dict[name])
            invalid += [n for n in exc.error_dict if n in form.fields and n not in invalid]
            data = {k: v for k, v in data.items() if k not in exc.error_dict}
            project = services.save_draft(
                project=project, data=data, by=request.user, expected_version=_version(request)
            )
    except StaleVersion as exc:
        project.refresh_from_db()
        changed = services.changed_fields(project, form.cleaned_data)
        return render(
            request,
            "portal/projects/_autosave.html",
            {"stale": exc.messages[0], "changed": changed, "project": project},
        )
    except ValidationError as exc:
        return render(request, "portal/projects/_autosave.html", {"errors": exc.messages, "project": project})
    unsaved = [f"{form.fields[n].label}：{'；'.join(form.errors[n])}" for n in form.fields if n in invalid]
    response = render(
        request,
        "portal/projects/_autosave.html",
        {"saved_at": timezone.localtime(), "project": project, "unsaved": unsaved},
    )
    response["X-Draft-Saved"] = str(project.version)
    return response


@login_required
@require_POST
def project_route(request, pk):
    """Change a draft's 申报途径 (a draft begun in 立项 and finished in 成果收集, or back)."""
    project = _editable(request, pk)
    try:
        project = services.change_entry_route(
            project=project,
            by=request.user,
            entry_route=request.POST.get("entry_route", ""),
            # The route is independent of the fields autosave keeps changing on this page.
            expected_version=None,
        )
    except StaleVersion as exc:
        messages.error(request, exc.messages[0])
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, f"申报途径已改为“{project.get_entry_route_display()}”")
    return redirect("portal:project_edit", pk=project.pk)


# --- team members (htmx partials) -------------------------------------------------------


def _members_response(request, project, *, errors=None, member_form=None, editing=None, notice=None, status=200):
    project = project_form_data(project)
    return render(
        request,
        "portal/projects/_members.html",
        {
            "project": project,
            "member_form": member_form or MemberForm(prefix="m"),
            "member_errors": errors or [],
            "editing": editing,
            "notice": notice,
            "oob_version": True,
            "editable": True,
        },
        status=status,
    )


def _member_values(form) -> dict:
    return {k: form.cleaned_data.get(k) or ("" if k != "birth_date" else None) for k in form.fields}


@login_required
@require_POST
def member_add(request, pk):
    project = _editable(request, pk)
    form = MemberForm(request.POST, prefix="m")
    if not form.is_valid():
        return _members_response(
            request, project, errors=[e for es in form.errors.values() for e in es], member_form=form
        )
    try:
        services.add_member(
            project=project, by=request.user, expected_version=_version(request), **_member_values(form)
        )
    except ValidationError as exc:
        return _members_response(request, project, errors=exc.messages, member_form=form)
    return _members_response(request, project)


def _member(request, pk, member_pk):
    project = _editable(request, pk)
    return project, get_object_or_404(TeamMember, pk=member_pk, project=project)


@login_required
def member_edit(request, pk, member_pk):
    project, member = _member(request, pk, member_pk)
    prefix = f"e{member.pk}"
    if request.method != "POST" and request.GET.get("cancel"):
        return _members_response(request, project)
    if request.method != "POST":
        form = MemberForm(
            prefix=prefix,
            initial={
                "name": member.name,
                "gender": member.gender,
                "birth_date": member.birth_date,
                "education": member.education,
            },
        )
        return _members_response(request, project, editing=(member.pk, form))
    form = MemberForm(request.POST, prefix=prefix)
    if not form.is_valid():
        return _members_response(
            request, project, editing=(member.pk, form), errors=[e for es in form.errors.values() for e in es]
        )
    try:
        services.update_member(
            member=member, by=request.user, expected_version=_version(request), **_member_values(form)
        )
    except ValidationError as exc:
        return _members_response(request, project, editing=(member.pk, form), errors=exc.messages)
    return _members_response(request, project)


@login_required
@require_POST
def member_remove(request, pk, member_pk):
    project, member = _member(request, pk, member_pk)
    try:
        services.remove_member(member=member, by=request.user, expected_version=_version(request))
    except ValidationError as exc:
        return _members_response(request, project, errors=exc.messages)
    return _members_response(request, project)


@login_required
@require_POST
def member_account(request, pk, member_pk):
    """Link the row to a colleague's account by mobile number, or invite them."""
    project, member = _member(request, pk, member_pk)
    mobile = request.POST.get(f"link-{member.pk}-mobile", "").strip()
    try:
        if request.POST.get("how") == "invite":
            _invitation, link = services.invite_member(
                member=member, by=request.user, mobile=mobile, base_url=request.build_absolute_uri("/").rstrip("/")
            )
            notice = f"已生成给 {member.name} 的邀请链接（只显示一次，可复制发送）：{link}"
        else:
            services.link_member(member=member, by=request.user, mobile=mobile)
            notice = f"已关联 {member.name} 的账号，该成员可以查看本项目"
    except ValidationError as exc:
        return _members_response(request, project, errors=exc.messages)
    return _members_response(request, project, notice=notice)


# --- attachments --------------------------------------------------------------------------


def _attachments_response(request, project, *, errors=None):
    project = project_form_data(project)
    return render(
        request,
        "portal/projects/_attachments.html",
        {"project": project, "attachment_errors": errors or [], "oob_version": True, "editable": True},
    )


@login_required
@require_POST
def attachment_add(request, pk):
    project = _editable(request, pk)
    upload = request.FILES.get("file")
    if upload is None:
        return _attachments_response(request, project, errors=["请选择要上传的文件"])
    try:
        services.add_attachment(project=project, by=request.user, file=upload, expected_version=_version(request))
    except ValidationError as exc:
        return _attachments_response(request, project, errors=exc.messages)
    return _attachments_response(request, project)


@login_required
@require_POST
def attachment_remove(request, pk, attachment_pk):
    project = _editable(request, pk)
    attachment = get_object_or_404(Attachment, pk=attachment_pk, project=project)
    try:
        services.remove_attachment(attachment=attachment, by=request.user, expected_version=_version(request))
    except ValidationError as exc:
        return _attachments_response(request, project, errors=exc.messages)
    return _attachments_response(request, project)


# --- withdraw, versions -------------------------------------------------------------------


@login_required
@require_POST
def project_withdraw(request, pk):
    project = _visible(request, pk)
    require(is_leader(request.user, project), "只有项目负责人可以撤回申报")
    try:
        services.withdraw_project(project=project, by=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    except PermissionDenied:
        raise
    else:
        messages.success(request, "申报已撤回，项目回到可编辑状态；修改后可重新提交")
    return redirect("portal:project_detail", pk=project.pk)


@login_required
def project_version(request, pk, number):
    project = _visible(request, pk)
    version = get_object_or_404(ProjectVersion.objects.select_related("submitted_by"), project=project, number=number)
    return render(
        request,
        "portal/projects/version.html",
        {"project": project, "version": version, "rows": version_rows(version.data, project.campaign)},
    )


def version_rows(data: dict, campaign) -> list[tuple[str, str]]:
    """(label, shown value) for each field of a frozen 申报表."""
    from wuxiao.people.models import Education, Gender
    from wuxiao.projects.services import DRAFT_FIELDS, field_label

    fields = data.get("fields", {})
    rows = []
    for name in DRAFT_FIELDS:
        value = fields.get(name)
        if isinstance(value, bool):
            shown = "是" if value else "否"
        elif value in (None, ""):
            shown = "—"
        elif name == "leader_gender":
            shown = Gender(value).label if value in Gender.values else value
        elif name == "leader_education":
            shown = Education(value).label if value in Education.values else value
        elif name == "content_direction" and 1 <= value <= len(campaign.content_directions):
            shown = f"第{value}类：{campaign.content_directions[value - 1]}"
        else:
            shown = str(value)
        rows.append((field_label(name), shown))
    return rows
