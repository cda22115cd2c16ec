"""One function per kind of message: each says who gets what, in Chinese."""

from django.urls import NoReverseMatch, reverse
from django.utils import timezone

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
