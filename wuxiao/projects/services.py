"""The 申报表: creating, drafts, team, submission, return and withdrawal. Every change of a
project's state goes through `transitions.transition`."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from wuxiao.audit.services import changes, record, snapshot
from wuxiao.lib.dates import birth_date_problem
from wuxiao.people.models import Membership
from wuxiao.projects.models import Project, ProjectEvent, ProjectVersion, TeamMember
from wuxiao.projects.permissions import can_invite_member, is_leader
from wuxiao.projects.queries import ProjectShows
from wuxiao.projects.states import ProjectState, allowed
from wuxiao.projects.transitions import lock, transition

# ---------------------------------------------------------------------------
# The 申报表: creating, drafts, team, submission, return and withdrawal
# ---------------------------------------------------------------------------

# Fields of 附件2 the leader fills in; a draft may leave any of them empty.
DRAFT_FIELDS = [
    "name",
    "economic_benefit",
    "start_date",
    "end_date",
    "patent_eligible",
    "leader_name",
    "leader_gender",
    "leader_birth_date",
    "leader_education",
    "leader_phone",
    "category",
    "category_other",
    "achievement_form",
    "patent_filed",
    "patent_willing",
    "content_direction",
    "reason",
    "content",
    "measures",
    "benefits",
    "is_large_research_project",
    "commitment_name",
]
REQUIRED_TEXT = ["name", "leader_name", "leader_phone", "reason", "content", "measures", "benefits"]
CONTENT_PARTS = ["reason", "content", "measures", "benefits"]
PATENT_FIELDS = ["patent_eligible", "patent_filed", "patent_willing"]
# Everything `submission_errors` asks for (a draft may still leave them empty): marked
# `required` on the form so people and screen readers know before they submit.
REQUIRED_AT_SUBMIT = [
    *REQUIRED_TEXT,
    "economic_benefit",
    "start_date",
    "end_date",
    "leader_gender",
    "leader_birth_date",
    "leader_education",
    "category",
    "achievement_form",
    "content_direction",
    *PATENT_FIELDS,
    "is_large_research_project",
    "commitment_name",
]


def field_label(name: str) -> str:
    return str(Project._meta.get_field(name).verbose_name)


def applicant_units(user) -> list:
    """Active units where the user holds the applicant role (the unit a project is preset
    to), in organisation order."""
    from wuxiao.people.models import Role
    from wuxiao.people.permissions import memberships

    return [m.organisation for m in memberships(user) if m.role == Role.APPLICANT and m.organisation.is_active]


@transaction.atomic
def create_project(*, campaign, leader, unit=None, entry_route: str = "registration", name: str = "") -> Project:
    """A new draft led by `leader`, in their unit (their applicant membership), with the
    项目负责人 block prefilled from their profile."""
    from wuxiao.projects.models import EntryRoute

    units = applicant_units(leader)
    if unit is None:
        if not units:
            raise ValidationError("您还不是任何单位的申报人，请向所在单位团组织索取邀请链接后再申报项目")
        unit = units[0]
    elif unit not in units:
        raise PermissionDenied(f"您不是“{unit.name}”的申报人，不能以该单位名义申报")
    if entry_route not in EntryRoute.values:
        raise ValidationError(f"申报途径“{entry_route}”无效")
    if entry_route == EntryRoute.DIRECT and not campaign.allow_direct_achievements:
        raise ValidationError("本届活动不允许在成果收集阶段直接申报，请在立项阶段申报项目")
    project = Project.objects.create(
        campaign=campaign,
        unit=unit,
        leader=leader,
        created_by=leader,
        entry_route=entry_route,
        name=name[:100],
        leader_name=leader.real_name,
        leader_gender=leader.gender or "",
        leader_birth_date=leader.birth_date,
        leader_education=leader.education or "",
        leader_phone=leader.mobile or "",
    )
    ProjectEvent.objects.create(
        project=project, actor=leader, from_state="", to_state=ProjectState.DRAFT, note="创建草稿"
    )
    record(
        by=leader, action="project.create", target=project, after=snapshot(project, fields=["campaign", "unit", "name"])
    )
    return project


def _check_editable(project: Project, by) -> None:
    if not is_leader(by, project):
        raise PermissionDenied("只有项目负责人可以修改申报表")
    if project.state not in ProjectState.EDITABLE:
        raise ValidationError(
            f"项目当前状态为“{ProjectState(project.state).label}”，不能修改；如需修改请先撤回或等待单位退回",
            code="not_editable",
        )


@transaction.atomic
def change_entry_route(*, project: Project, by, entry_route: str, expected_version: int | None) -> Project:
    """Move a draft to the other route (立项阶段申报 ↔ 成果收集阶段直接申报), e.g. a draft
    begun in stage 2 and finished in stage 4. The stage dates are checked at submission."""
    from wuxiao.projects.models import EntryRoute

    project = lock(project, expected_version=expected_version)
    _check_editable(project, by)
    if entry_route not in EntryRoute.values:
        raise ValidationError(f"申报途径“{entry_route}”无效")
    if entry_route == EntryRoute.DIRECT and not project.campaign.allow_direct_achievements:
        raise ValidationError("本届活动不允许在成果收集阶段直接申报，请在立项阶段申报项目")
    if entry_route != project.entry_route:
        before = project.get_entry_route_display()
        project.entry_route = entry_route
        project.version += 1
        project.save(update_fields=["entry_route", "version", "updated_at"])
        record(
            by=by,
            action="project.change_route",
            target=project,
            before={"entry_route": before},
            after={"entry_route": project.get_entry_route_display()},
        )
    return project


def draft_errors(values: dict) -> dict[str, list[str]]:
    """What even a draft must not contain: the rules the database also enforces."""
    errors: dict[str, list[str]] = {}
    benefit = values.get("economic_benefit")
    if benefit is not None and benefit < 0:
        errors.setdefault("economic_benefit", []).append(f"经济效益不能为负数（填写的是 {benefit} 万元），应 ≥ 0")
    start, end = values.get("start_date"), values.get("end_date")
    if start and end and start > end:
        errors.setdefault("end_date", []).append(
            f"项目结束时间 {end.isoformat()} 早于开始时间 {start.isoformat()}，结束时间应不早于开始时间"
        )
    problem = birth_date_problem(values.get("leader_birth_date"), today=timezone.localdate(), what="负责人出生日期")
    if problem:
        errors.setdefault("leader_birth_date", []).append(problem)
    return errors


def changed_fields(project: Project, data: dict) -> list[tuple[str, object, object]]:
    """(label, what the user has, what is saved now) for each field that differs: shown
    when a stale save is refused, so the user sees what the other tab or person changed."""
    out = []
    for name in DRAFT_FIELDS:
        if name in data and data[name] != getattr(project, name):
            out.append((field_label(name), data[name], getattr(project, name)))
    return out


def save_draft(*, project: Project, data: dict, by, expected_version: int) -> Project:
    """Save what the leader typed, complete or not. Refuses a stale version (StaleVersion)
    so two tabs or two people never silently overwrite each other."""
    with transaction.atomic():
        return _save_draft(project=project, data=data, by=by, expected_version=expected_version)


def save_and_submit(*, project: Project, data: dict, by, expected_version: int) -> Project:
    """保存并提交: save what the leader typed, then submit it, holding the row once and
    writing it once. A submission refused (an empty field, a closed stage: ValidationError)
    still keeps what was typed: the draft is saved, then the refusal is raised."""
    refused = None
    with transaction.atomic():
        project, change = _apply_draft(project=project, data=data, by=by, expected_version=expected_version)
        try:
            members = _submission_check(project, by=by)
        except ValidationError as exc:
            refused = exc
            _write_draft(project, change, by=by)
        else:
            # what was typed is written with the submission's own save of the row
            _write_draft(project, change, by=by, save=False)
            project = _submit(project, members, by=by)
    if refused is not None:
        raise refused
    return project


def _save_draft(*, project: Project, data: dict, by, expected_version: int) -> Project:
    project, change = _apply_draft(project=project, data=data, by=by, expected_version=expected_version)
    _write_draft(project, change, by=by)
    return project


def _apply_draft(*, project: Project, data: dict, by, expected_version: int) -> tuple[Project, tuple | None]:
    """Lock the row and put what was typed into it, unsaved: the project, and the change
    to record ((before, after) of the fields that differ) or None when nothing changed."""
    project = lock(project, expected_version=expected_version)
    _check_editable(project, by)
    values = {k: v for k, v in data.items() if k in DRAFT_FIELDS}
    for key in (
        "name",
        "leader_name",
        "leader_phone",
        "category",
        "category_other",
        "achievement_form",
        "reason",
        "content",
        "measures",
        "benefits",
        "commitment_name",
        "leader_gender",
        "leader_education",
    ):
        if key in values and values[key] is None:
            values[key] = ""
    errors = draft_errors({**{n: getattr(project, n) for n in DRAFT_FIELDS}, **values})
    if errors:
        raise ValidationError(errors)
    before = snapshot(project, fields=DRAFT_FIELDS)
    for key, value in values.items():
        setattr(project, key, value)
    old, new = changes(before, snapshot(project, fields=DRAFT_FIELDS))
    if not new:
        return project, None
    project.version += 1
    return project, (old, new)


def _write_draft(project: Project, change: tuple | None, *, by, save: bool = True) -> None:
    if change is None:
        return
    if save:
        project.save()
    old, new = change
    record(by=by, action="project.save_draft", target=project, before=old, after=new)


def _bump(project: Project) -> None:
    project.version += 1
    project.save(update_fields=["version", "updated_at"])


MEMBER_FIELDS = ["name", "gender", "birth_date", "education"]


def member_errors(values: dict, *, position: int | None = None) -> list[str]:
    from wuxiao.people.models import Education, Gender

    who = f"第 {position} 位主要研究人员" if position else "主要研究人员"
    if values.get("name"):
        who += f"（{values['name']}）"
    missing = [TeamMember._meta.get_field(f).verbose_name for f in MEMBER_FIELDS if not values.get(f)]
    errors = []
    if missing:
        errors.append(f"{who}信息不完整：请填写{'、'.join(str(m) for m in missing)}")
    if values.get("gender") and values["gender"] not in Gender.values:
        errors.append(f"{who}的性别无效")
    if values.get("education") and values["education"] not in Education.values:
        errors.append(f"{who}的文化程度无效，应为：{'、'.join(Education.labels)}")
    problem = birth_date_problem(values.get("birth_date"), today=timezone.localdate(), what=f"{who}的出生日期")
    if problem:
        errors.append(problem)
    return errors


@transaction.atomic
def add_member(*, project: Project, by, expected_version: int | None = None, **fields) -> TeamMember:
    project = lock(project, expected_version=expected_version)
    _check_editable(project, by)
    values = {k: fields.get(k) for k in MEMBER_FIELDS}
    errors = member_errors(values)
    if errors:
        raise ValidationError(errors)
    order = (project.members.aggregate(m=models.Max("order"))["m"] or 0) + 1
    member = TeamMember.objects.create(project=project, order=order, **values)
    _bump(project)
    record(by=by, action="project.member_add", target=project, after=snapshot(member, fields=MEMBER_FIELDS))
    return member


@transaction.atomic
def update_member(*, member: TeamMember, by, expected_version: int | None = None, **fields) -> TeamMember:
    project = lock(member.project, expected_version=expected_version)
    _check_editable(project, by)
    member = TeamMember.objects.get(pk=member.pk, project=project)
    values = {k: fields.get(k, getattr(member, k)) for k in MEMBER_FIELDS}
    errors = member_errors(values)
    if errors:
        raise ValidationError(errors)
    before = snapshot(member, fields=MEMBER_FIELDS)
    for key, value in values.items():
        setattr(member, key, value)
    member.save()
    _bump(project)
    old, new = changes(before, snapshot(member, fields=MEMBER_FIELDS))
    record(by=by, action="project.member_update", target=project, before=old, after=new)
    return member


@transaction.atomic
def remove_member(*, member: TeamMember, by, expected_version: int | None = None) -> None:
    project = lock(member.project, expected_version=expected_version)
    _check_editable(project, by)
    record(by=by, action="project.member_remove", target=project, before=snapshot(member, fields=MEMBER_FIELDS))
    member.delete()
    _bump(project)


@transaction.atomic
def link_member(*, member: TeamMember, by, mobile: str) -> TeamMember:
    """Let a team member with an account read the project: the leader names them by the
    mobile number they registered with in the project's unit."""
    from wuxiao.lib.phones import normalise_phone

    project = member.project
    if not is_leader(by, project):
        raise PermissionDenied("只有项目负责人可以关联团队成员账号")
    mobile = normalise_phone(mobile)
    membership = (
        Membership.objects.filter(user__mobile=mobile, organisation__path__startswith=project.unit.path)
        .select_related("user")
        .first()
    )
    if membership is None:
        raise ValidationError(
            f"本单位（{project.unit.name}）没有手机号码为 {mobile} 的注册用户；可以向该成员发送邀请", code="no_user"
        )
    if membership.user_id == project.leader_id:
        raise ValidationError("项目负责人无需作为主要研究人员关联")
    member.user = membership.user
    member.save(update_fields=["user"])
    record(by=by, action="project.member_link", target=project, after={"member": member.pk, "user": member.user_id})
    return member


@transaction.atomic
def invite_member(*, member: TeamMember, by, mobile: str = "", email: str = "", base_url: str | None = None):
    """Invite a team member to the platform as an applicant of the project's unit; when
    they accept, `link_accepted_invitations` links them to this row."""
    from wuxiao.people.models import Role
    from wuxiao.people.services import issue_invitation

    project = member.project
    if not can_invite_member(by, project):
        raise PermissionDenied("只有项目负责人可以邀请团队成员")
    if not (mobile or email):
        raise ValidationError("请填写被邀请人的手机号码或电子邮箱")
    invitation, link = issue_invitation(
        by=by,
        organisation=project.unit,
        role=Role.APPLICANT,
        real_name=member.name,
        mobile=mobile,
        email=email,
        base_url=base_url,
    )
    member.invitation = invitation
    member.save(update_fields=["invitation"])
    record(
        by=by, action="project.member_invite", target=project, after={"member": member.pk, "invitation": invitation.pk}
    )
    return invitation, link


def link_accepted_invitations(user) -> int:
    """Team rows whose invitation this user accepted now point at the user."""
    return TeamMember.objects.filter(invitation__accepted_by=user, user__isnull=True).update(user=user)


def submission_errors(project: Project, *, members: list[TeamMember], today=None) -> dict[str, list[str]]:
    """Everything wrong with the 申报表, all at once: {field: [messages]}; "__all__" for
    the rules that concern the whole entry (eligibility, stage window)."""
    from wuxiao.lib.phones import validate_phone
    from wuxiao.people.models import Education, Gender
    from wuxiao.projects import rules

    campaign = project.campaign
    errors: dict[str, list[str]] = {}

    def add(field, message):
        errors.setdefault(field, []).append(message)

    for name in REQUIRED_TEXT:
        if not (getattr(project, name) or "").strip():
            add(name, f"请填写{field_label(name)}")
    for name in ("economic_benefit", "start_date", "end_date", "leader_birth_date", "content_direction"):
        if getattr(project, name) is None:
            add(name, f"请填写{field_label(name)}")
    if not project.leader_gender:
        add("leader_gender", "请选择负责人性别")
    elif project.leader_gender not in Gender.values:
        add("leader_gender", "负责人性别无效")
    if not project.leader_education:
        add("leader_education", "请选择负责人文化程度")
    elif project.leader_education not in Education.values:
        add("leader_education", f"负责人文化程度无效，应为：{'、'.join(Education.labels)}")
    for field, messages in draft_errors({n: getattr(project, n) for n in DRAFT_FIELDS}).items():
        for message in messages:
            add(field, message)
    if project.leader_phone:
        try:
            validate_phone(project.leader_phone)
        except ValidationError as exc:
            add("leader_phone", f"负责人联系方式：{exc.messages[0]}")

    if not project.category:
        add("category", f"请选择项目类别（{'、'.join(campaign.categories)}）")
    elif project.category not in campaign.categories:
        add("category", f"项目类别“{project.category}”无效，应为：{'、'.join(campaign.categories)}")
    elif project.category == "其他" and not project.category_other.strip():
        add("category_other", "项目类别选“其他”时，请填写具体类别（例如：环保）")
    if not project.achievement_form:
        add("achievement_form", f"请选择成果形式（{'、'.join(campaign.achievement_forms)}）")
    elif project.achievement_form not in campaign.achievement_forms:
        add(
            "achievement_form",
            f"成果形式“{project.achievement_form}”无效，应为：{'、'.join(campaign.achievement_forms)}",
        )
    directions = len(campaign.content_directions) or 5
    if project.content_direction is not None and not 1 <= project.content_direction <= directions:
        add("content_direction", f"申报内容方向应为第 1–{directions} 类，填写的是第 {project.content_direction} 类")
    for name in PATENT_FIELDS:
        if getattr(project, name) is None:
            add(name, f"请选择“{field_label(name)}”：是或否")

    if project.is_large_research_project is None:
        add("is_large_research_project", "请声明本项目是否已确立为单位大型科研攻关项目")
    elif project.is_large_research_project:
        add(
            "is_large_research_project",
            "已经确立为单位大型科研攻关项目的不作为“五小”项目（通知五(二)），不能申报",
        )
    if not project.commitment_name.strip():
        add("commitment_name", "请阅读项目负责人承诺，并输入负责人姓名以确认")
    elif project.commitment_name.strip() != (project.leader_name or "").strip():
        add(
            "commitment_name",
            f"承诺签名“{project.commitment_name.strip()}”与项目负责人姓名“{project.leader_name}”不一致，请输入负责人姓名以确认承诺",
        )

    member_messages = []
    for position, member in enumerate(members, start=1):
        member_messages += member_errors({f: getattr(member, f) for f in MEMBER_FIELDS}, position=position)
    if member_messages:
        errors["members"] = member_messages

    if project.leader_birth_date and all(m.birth_date for m in members):
        for message in rules.eligibility_errors(
            leader=rules.Person(project.leader_name or project.leader.display_name, project.leader_birth_date),
            members=[rules.Person(m.name, m.birth_date) for m in members],
            reference_date=campaign.reference_date,
            max_age=campaign.max_age,
        ):
            add("__all__", message)

    window_error = stage_error(project, today=today)
    if window_error:
        add("__all__", window_error)
    return errors


def stage_error(project: Project, *, today=None) -> str | None:
    """Why the project cannot be submitted today (or on `today`, for the demo's history),
    as far as dates go; None if it can."""
    return route_error(campaign=project.campaign, unit=project.unit, entry_route=project.entry_route, today=today)


def default_entry_route(*, campaign, unit, today=None, errors: dict[str, str | None] | None = None) -> str:
    """The route a new draft starts on: the one whose stage is open today (立项阶段申报 in
    stage 2, 成果收集阶段直接申报 in stage 4 when the campaign allows it). `errors`:
    `route_errors(...)` when the caller already has them."""
    from wuxiao.projects.models import EntryRoute

    errors = route_errors(campaign=campaign, unit=unit, today=today) if errors is None else errors
    for route in (EntryRoute.REGISTRATION, EntryRoute.DIRECT):
        if route in errors and errors[route] is None:
            return route
    return EntryRoute.REGISTRATION


def route_errors(*, campaign, unit, today=None) -> dict[str, str | None]:
    """Each route the campaign offers → why it is closed today (None when open); the stage
    dates are read once for all routes."""
    from wuxiao.campaigns.services import stage_windows
    from wuxiao.projects.models import EntryRoute

    routes = [EntryRoute.REGISTRATION] + ([EntryRoute.DIRECT] if campaign.allow_direct_achievements else [])
    windows = stage_windows(campaign, unit)
    return {r: route_error(campaign=campaign, unit=unit, entry_route=r, today=today, windows=windows) for r in routes}


def route_error(*, campaign, unit, entry_route: str, today=None, windows=None) -> str | None:
    """Why a project on this route cannot be submitted today, as far as dates go."""
    from contextlib import nullcontext

    from wuxiao.campaigns.models import StageKind
    from wuxiao.campaigns.services import acting_on, require_stage_open
    from wuxiao.projects.models import EntryRoute

    if entry_route == EntryRoute.DIRECT:
        if not campaign.allow_direct_achievements:
            return "本届活动不允许在成果收集阶段直接申报成果"
        kind = StageKind.COLLECTION
    else:
        kind = StageKind.REGISTRATION
    try:
        with acting_on(today) if today else nullcontext():
            require_stage_open(campaign, kind, unit, action="提交申报", windows=windows)
    except ValidationError as exc:
        return exc.messages[0]
    return None


def version_data(project: Project, members: list[TeamMember]) -> dict:
    """The whole 申报表 as submitted: every field, the team, the attachment names."""
    from wuxiao.lib.dates import age_on

    ref = project.campaign.reference_date
    return {
        "campaign": project.campaign.title,
        "unit": project.unit.name,
        "entry_route": project.entry_route,
        "fields": snapshot(project, fields=DRAFT_FIELDS),
        "leader_age": age_on(project.leader_birth_date, ref) if project.leader_birth_date else None,
        "members": [
            {
                "name": m.name,
                "gender": m.gender,
                "gender_display": m.get_gender_display(),
                "birth_date": m.birth_date.isoformat(),
                "age": age_on(m.birth_date, ref),
                "education": m.education,
                "education_display": m.get_education_display(),
            }
            for m in members
        ],
        "attachments": [a.original_name for a in ProjectShows.attachments.read.all(owner=project.pk)],
    }


@transaction.atomic
def submit_project(*, project: Project, by, expected_version: int, today=None) -> Project:
    """Check the whole 申报表 and every rule at once; if all pass, keep a frozen copy
    (ProjectVersion) and move the project to SUBMITTED. One ValidationError carries every
    message. A second click with the same version is refused by the version check."""
    project = lock(project, expected_version=expected_version)
    members = _submission_check(project, by=by, today=today)
    return _submit(project, members, by=by)


def _submission_check(project: Project, *, by, today=None) -> list[TeamMember]:
    """Refuse the submission of the locked project for every reason at once (nothing is
    written); when there is none, the team it read (the frozen copy takes it)."""
    if not is_leader(by, project):
        raise PermissionDenied("只有项目负责人可以提交申报表")
    if allowed(project.state, ProjectState.SUBMITTED) is None:
        raise ValidationError(f"项目当前状态为“{ProjectState(project.state).label}”，不能提交", code="transition")
    members = ProjectShows.members.read_into(project)
    errors = submission_errors(project, members=members, today=today)
    if errors:
        raise ValidationError(errors)
    return members


def _submit(project: Project, members: list[TeamMember], *, by) -> Project:
    from wuxiao.notifications import messages

    number = len(ProjectShows.versions.read.all(owner=project.pk)) + 1  # versions are never deleted
    project.commitment_at = timezone.now()  # saved with the state change below (one row write)
    ProjectVersion.objects.create(project=project, number=number, data=version_data(project, members), submitted_by=by)
    note = "提交申报表" if number == 1 else f"第 {number} 次提交申报表"
    project = transition(project, ProjectState.SUBMITTED, by=by, note=note, locked=True)
    messages.project_submitted(project, number=number)
    return project


@transaction.atomic
def return_project(*, project: Project, by, reason: str) -> Project:
    """退回修改: the unit sends a submitted project back to the leader with a reason."""
    from wuxiao.notifications import messages

    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ["退回修改必须填写原因，以便申报人修改"]})
    project = transition(project, ProjectState.RETURNED, by=by, note=reason)
    messages.project_returned(project, reason=reason, by=by)
    return project


@transaction.atomic
def withdraw_project(*, project: Project, by) -> Project:
    """撤回: the leader takes a submitted project back, as long as the unit has not acted."""
    return transition(project, ProjectState.WITHDRAWN, by=by, note="申报人撤回")


# ---------------------------------------------------------------------------
# Attachments
# ---------------------------------------------------------------------------


@transaction.atomic
def add_attachment(*, project: Project, by, file, expected_version: int | None = None):
    """Store an uploaded file under a generated name after checking its content, its size
    and the project's total; the original name is kept for display only."""
    from wuxiao.projects.models import Attachment, FilePurpose
    from wuxiao.projects.uploads import check_upload, store

    project = lock(project, expected_version=expected_version)
    _check_editable(project, by)
    used = project.attachments.aggregate(total=models.Sum("stored__size"))["total"] or 0
    checked = check_upload(file, used_bytes=used)
    stored = store(
        project=project,
        upload=file,
        purpose=FilePurpose.ATTACHMENT,
        by=by,
        display_name=checked.display_name,
        extension=checked.extension,
        content_type=checked.content_type,
    )
    attachment = Attachment.objects.create(project=project, stored=stored)
    _bump(project)
    record(
        by=by,
        action="project.attachment_add",
        target=project,
        after={"attachment": attachment.pk, "name": attachment.original_name, "size": attachment.size},
    )
    return attachment


@transaction.atomic
def remove_attachment(*, attachment, by, expected_version: int | None = None) -> None:
    project = lock(attachment.project, expected_version=expected_version)
    _check_editable(project, by)
    record(
        by=by,
        action="project.attachment_remove",
        target=project,
        before={"attachment": attachment.pk, "name": attachment.original_name},
    )
    stored = attachment.file.name
    storage = attachment.file.storage
    attachment.stored.delete()  # and the attachment with it
    _bump(project)
    # Earlier submitted versions name the file but do not need its bytes after removal.
    transaction.on_commit(lambda: storage.delete(stored))
