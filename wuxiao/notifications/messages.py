"""One function per kind of message: each says who gets what, in Chinese."""

from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from wuxiao.lib.compiled import Compiled
from wuxiao.notifications.services import deliver, send_email_only


def invitation_sent(invitation, link: str) -> None:
    deadline = timezone.localtime(invitation.expires_at)  # Beijing time, not UTC
    body = (
        f"{invitation.real_name}：您好！{invitation.invited_by.display_name} 邀请您以"
        f"“{invitation.get_role_display()}”身份加入“{invitation.organisation.name}”，"
        f"参加青年岗位科技“五小”竞赛活动。\n请在 {deadline:%Y-%m-%d %H:%M} 前打开以下链接完成注册"
        f"（链接只能使用一次）：\n{link}"
    )
    if invitation.email:
        send_email_only(to=invitation.email, title="邀请您加入五小竞赛平台", body=body)


def welcome(membership) -> None:
    deliver(
        recipients=[membership.user],
        kind="people.welcome",
        title=f"您已加入{membership.organisation.name}",
        body=f"您在“{membership.organisation.name}”的角色：{membership.get_role_display()}。",
        url=reverse("portal:dashboard"),
    )


def invitation_accepted(invitation) -> None:
    deliver(
        recipients=[invitation.invited_by],
        kind="people.invitation_accepted",
        title=f"{invitation.real_name} 已接受邀请",
        body=f"{invitation.real_name} 已以“{invitation.get_role_display()}”身份加入“{invitation.organisation.name}”。",
        url=_console_url("console:invitations"),
    )


def _console_url(name: str) -> str:
    """A console page, or the console home while that page is not built yet."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return reverse("console:home")


def _unit_admins(unit):
    from wuxiao.people.models import Membership, Role

    return Membership.objects.filter(organisation_id=unit, role=Role.ADMIN).select_related("user")


# every submission asks: compiled once per process
_UNIT_ADMINS = Compiled(_unit_admins)


def project_submitted(project, *, number: int) -> None:
    """The unit's admins learn that a project waits for them."""
    admins = [m.user for m in _UNIT_ADMINS.all(unit=project.unit_id)]
    again = "" if number == 1 else f"（第 {number} 次提交）"
    deliver(
        recipients=admins,
        kind="project.submitted",
        title=f"新的项目申报：{project.name}{again}",
        body=f"{project.leader_name or project.leader.display_name} 提交了项目“{project.name}”，请审核。",
        url=reverse("console:project_detail", args=[project.pk]),
    )


def project_returned(project, *, reason: str, by) -> None:
    """The leader learns the unit sent the project back, and why."""
    deliver(
        recipients=[project.leader],
        kind="project.returned",
        title=f"项目“{project.name}”被退回修改",
        body=f"{project.unit.name}（{by.display_name}）退回了您的项目，原因：{reason}\n请修改后重新提交。",
        url=reverse("portal:project_edit", args=[project.pk]),
    )


# --- Unit workflow (stages 2–4 inside a unit) ------------------------------------------


def _team_users(project) -> list:
    users = [project.leader]
    users += [m.user for m in project.members.select_related("user") if m.user_id and m.user_id != project.leader_id]
    return users


def _unit_admins(unit) -> list:
    from wuxiao.people.models import Membership, Role

    return [m.user for m in Membership.objects.filter(organisation=unit, role=Role.ADMIN).select_related("user")]


def _step_people(project) -> list:
    """Who gives the opinion the project is waiting for."""
    from wuxiao.people.models import Membership

    role = {"result_workshop": "workshop", "result_tech": "tech_dept"}.get(project.state)
    if role is None:
        return _unit_admins(project.unit)
    return [m.user for m in Membership.objects.filter(organisation=project.unit, role=role).select_related("user")]


def directions_published(*, unit, campaign, titles, recipients) -> None:
    deliver(
        recipients=recipients,
        kind="unit.directions",
        title=f"{unit.name}发布了{campaign.year}年“五小”攻关项目方向",
        body="本单位攻关项目方向：\n" + "\n".join(f"{i}. {t}" for i, t in enumerate(titles, 1)),
        url=reverse("portal:dashboard"),
    )


def project_accepted(project) -> None:
    deliver(
        recipients=[project.leader],
        kind="project.accepted",
        title=f"“{project}”已立项为{project.get_level_display()}",
        body=f"{project.unit.name}已将您的项目“{project}”立项为{project.get_level_display()}，请按计划开展攻关并做好工作记录。",
        url=reverse("portal:work", args=[project.pk]),
    )


def project_refused(project, *, reason: str) -> None:
    deliver(
        recipients=[project.leader],
        kind="project.refused",
        title=f"“{project}”未予立项",
        body=f"{project.unit.name}未予立项，原因：{reason}",
        url=reverse("portal:dashboard"),
    )


def advisor_assigned(assignment) -> None:
    project = assignment.project
    deliver(
        recipients=[assignment.advisor],
        kind="project.advisor",
        title=f"您被指派为“{project}”的技术顾问",
        body=f"{project.unit.name}指派您担任“{project}”（负责人 {project.leader.display_name}）的技术顾问，请指导项目组并审阅工作记录。",
        url=reverse("portal:work", args=[project.pk]),
    )


def work_record_added(work) -> None:
    project = work.project
    deliver(
        recipients=[a.advisor for a in project.advisor_assignments.select_related("advisor")],
        kind="workrecord.added",
        title=f"“{project}”新增工作记录（{work.date:%Y-%m-%d}）",
        body=f"{work.created_by.display_name}：{work.done[:100]}",
        url=reverse("portal:work", args=[project.pk]),
    )


def work_record_commented(comment) -> None:
    project = comment.record.project
    signed = "并签字确认" if comment.signed_off else ""
    deliver(
        recipients=[project.leader],
        kind="workrecord.comment",
        title=f"技术顾问 {comment.advisor.display_name} 审阅了 {comment.record.date:%Y-%m-%d} 的工作记录{signed}",
        body=comment.text,
        url=reverse("portal:work", args=[project.pk]),
    )


def project_urged(project, *, by, note: str) -> None:
    body = f"{project.unit.name}提醒您：请按计划推进“{project}”的攻关工作，并及时填写工作记录。"
    if note:
        body += f"\n附言：{note}"
    deliver(
        recipients=_team_users(project),
        kind="project.urged",
        title=f"催办：“{project}”",
        body=body,
        url=reverse("portal:work", args=[project.pk]),
    )


def result_awaiting_opinion(project) -> None:
    deliver(
        recipients=_step_people(project),
        kind="result.awaiting",
        title=f"“{project}”的成果待您审核",
        body=f"“{project}”（负责人 {project.leader.display_name}）{project.get_state_display()}。",
        url=reverse("console:unit_opinion", args=[project.unit_id, project.pk]),
    )


def result_returned(project, *, reason: str) -> None:
    deliver(
        recipients=[project.leader],
        kind="result.returned",
        title=f"“{project}”的成果被退回修改",
        body=f"退回原因：{reason}",
        url=reverse("portal:work", args=[project.pk]),
    )


def result_unit_approved(project) -> None:
    deliver(
        recipients=[project.leader],
        kind="result.unit_approved",
        title=f"“{project}”已通过单位评审",
        body=f"{project.unit.name}团组织已同意“{project}”的成果，等待单位内部评比和上报。",
        url=reverse("portal:work", args=[project.pk]),
    )


def projects_forwarded(*, unit, projects, by) -> None:
    for project in projects:
        deliver(
            recipients=[project.leader],
            kind="project.forwarded",
            title=f"“{project}”已上报组委会",
            body=f"{unit.name}已将“{project}”上报竞赛组委会，参加评审认定。",
            url=reverse("portal:work", args=[project.pk]),
        )


def forwarded_sent_back(project, *, reason: str) -> None:
    deliver(
        recipients=[*_unit_admins(project.unit), project.leader],
        kind="project.sent_back",
        title=f"组委会退回了“{project}”",
        body=f"竞赛组委会将已上报的“{project}”退回单位，原因：{reason}",
        url=reverse("console:unit_forwarding", args=[project.unit_id]),
    )


# --- Awards (stage 5's outcome) --------------------------------------------------------


def awards_published(*, sheet, awards) -> None:
    """Results are out: each team learns its prize, each unit and district committee its list."""
    from collections import defaultdict

    from wuxiao.people.models import Membership, Organisation, OrgKind, Role

    campaign = sheet.campaign
    by_unit = defaultdict(list)
    for award in awards:
        project = award.project
        by_unit[project.unit].append(award)
        deliver(
            recipients=_team_users(project),
            kind="awards.published",
            title=f"“{project}”荣获{award.get_level_display()}",
            body=f"{campaign.title}评审结果已发布：您的项目“{project}”荣获{award.get_level_display()}，"
            f"证书编号 {award.certificate_number}。",
            url=reverse("portal:project_detail", args=[project.pk]),
        )
    prefixes = {unit.path[: i + 1] for unit in by_unit for i, c in enumerate(unit.path) if c == "."}
    districts = list(Organisation.objects.filter(path__in=prefixes, kind=OrgKind.DISTRICT))
    admins = defaultdict(list)
    for m in Membership.objects.filter(organisation__in=[*by_unit, *districts], role=Role.ADMIN).select_related("user"):
        admins[m.organisation_id].append(m.user)
    for unit, won in by_unit.items():
        lines = "\n".join(f"{a.project}：{a.get_level_display()}" for a in won)
        deliver(
            recipients=admins[unit.pk],
            kind="awards.published",
            title=f"{campaign.title}评审结果已发布",
            body=f"{unit.name}获奖项目 {len(won)} 项：\n{lines}",
            url=reverse("console:awards_results"),
        )
    for district in districts:
        count = sum(len(won) for unit, won in by_unit.items() if unit.is_within(district))
        deliver(
            recipients=admins[district.pk],
            kind="awards.published",
            title=f"{campaign.title}评审结果已发布",
            body=f"{district.name}所属单位获奖项目 {count} 项。",
            url=reverse("console:awards_results"),
        )
