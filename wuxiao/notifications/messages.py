"""One function per kind of message: each says who gets what, in Chinese."""

from django.urls import NoReverseMatch, reverse

from wuxiao.notifications.services import deliver, send_email_only


def invitation_sent(invitation, link: str) -> None:
    body = (
        f"{invitation.real_name}：您好！{invitation.invited_by.display_name} 邀请您以"
        f"“{invitation.get_role_display()}”身份加入“{invitation.organisation.name}”，"
        f"参加青年岗位科技“五小”竞赛活动。\n请在 {invitation.expires_at:%Y-%m-%d %H:%M} 前打开以下链接完成注册"
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
def project_submitted(project, *, number: int) -> None:
    """The unit's admins learn that a project waits for them."""
    from wuxiao.people.models import Membership, Role

    admins = [
        m.user for m in Membership.objects.filter(organisation=project.unit, role=Role.ADMIN).select_related("user")
    ]
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
