"""Changing organisations, memberships and invitations. Each function records an audit entry."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from wuxiao.audit.services import changes, record, snapshot
from wuxiao.people.models import ApiToken, ApiTokenScope, Invitation, Membership, Organisation, OrgKind, Role
from wuxiao.people.permissions import (
    can_create_organisation,
    can_invite,
    can_manage_organisation,
    can_restructure_organisation,
    can_revoke_role,
    forget_memberships,
)

_ALLOWED_PARENT_KINDS = {
    OrgKind.COMMITTEE: {None},
    OrgKind.DISTRICT: {OrgKind.COMMITTEE},
}
_UNIT_PARENT_KINDS = {OrgKind.COMMITTEE, OrgKind.DISTRICT}


def check_parent(kind: str, parent: Organisation | None) -> None:
    allowed = _ALLOWED_PARENT_KINDS.get(kind, _UNIT_PARENT_KINDS)
    parent_kind = parent.kind if parent else None
    if parent_kind not in allowed:
        label = OrgKind(kind).label
        raise ValidationError(
            f"“{label}”不能设在“{parent.name if parent else '（无上级）'}”之下："
            "组织层级为 组委会 → 县区/系统团组织 → 基层单位"
        )


def _set_path(org: Organisation) -> None:
    prefix = org.parent.path if org.parent_id else ""
    org.path = f"{prefix}{org.pk:06d}."


@transaction.atomic
def create_organisation(*, by, name: str, kind: str, parent: Organisation | None, **fields) -> Organisation:
    """`by=None` is the platform itself (a campaign data file, a management command): never
    pass it from a request."""
    if by is not None and not can_create_organisation(by, parent=parent, kind=kind):
        if kind == OrgKind.DISTRICT:
            raise PermissionDenied("只有组委会办公室可以新建县区/系统团组织")
        raise PermissionDenied(f"您无权在“{parent.name if parent else '（无上级）'}”下新建组织")
    check_parent(kind, parent)
    org = Organisation(name=name, kind=kind, parent=parent, **fields)
    org.full_clean(exclude=["path"])
    org.save()
    _set_path(org)
    org.save(update_fields=["path"])
    record(by=by, action="organisation.create", target=org, after=snapshot(org))
    return org


@transaction.atomic
def update_organisation(*, by, org: Organisation, before: dict) -> Organisation:
    """Save an organisation edited by a form; moving it re-paths its whole subtree. Its
    admins edit its details; its kind and place in the tree belong to the level above,
    both where it was and where it goes."""
    old_parent = Organisation.objects.filter(pk=before.get("parent")).first()
    if not can_manage_organisation(by, Organisation.objects.get(pk=org.pk)):
        raise PermissionDenied(f"无权修改“{org.name}”")
    if before.get("kind") != org.kind or before.get("parent") != org.parent_id:
        if not (
            old_parent is not None and can_manage_organisation(by, old_parent) and can_restructure_organisation(by, org)
        ):
            raise PermissionDenied(f"“{org.name}”的类型和上级组织由上级组织的管理员调整")
    check_parent(org.kind, org.parent)
    if org.parent_id and org.parent.is_within(org):
        raise ValidationError("不能把组织移到它自己的下级组织之下")
    old_path = before.get("path", org.path)
    _set_path(org)
    org.save()
    if org.path != old_path:
        for child in Organisation.objects.filter(path__startswith=old_path).exclude(pk=org.pk):
            child.path = org.path + child.path[len(old_path) :]
            child.save(update_fields=["path"])
    old, new = changes(before, snapshot(org))
    if new:
        record(by=by, action="organisation.update", target=org, before=old, after=new)
    return org


@transaction.atomic
def grant_role(*, by, user, organisation: Organisation, role: str) -> Membership:
    """Give `user` a role directly (the demo, commands). Whoever may invite someone to the
    role may grant it; `by=None` is the platform itself, never passed from a request."""
    if by is not None and not can_invite(by, organisation, role):
        raise PermissionDenied(f"您无权授予“{organisation.name}”的“{Role(role).label}”角色")
    membership, created = Membership.objects.get_or_create(user=user, organisation=organisation, role=role)
    forget_memberships(user)
    if created:
        record(by=by, action="membership.grant", target=membership, after=snapshot(membership))
    return membership


@transaction.atomic
def revoke_role(*, by, membership: Membership) -> None:
    if membership.user_id == by.pk and membership.role == Role.ADMIN:
        raise PermissionDenied("不能撤销自己的管理员角色，请由上级组织管理员操作")
    if not can_revoke_role(by, membership):
        raise PermissionDenied("无权调整该组织的成员")
    record(by=by, action="membership.revoke", target=membership, before=snapshot(membership))
    membership.delete()
    forget_memberships(membership.user)


@transaction.atomic
def invite_problem(by, organisation: Organisation, role: str) -> str | None:
    """Why `by` may not invite someone into `organisation` with `role` (None when they may):
    the one message of the console's form and of the API."""
    if can_invite(by, organisation, role):
        return None
    return (
        f"您无权邀请“{Role(role).label}”加入“{organisation.name}”："
        "县区/系统团组织管理员、评审专家和评审小组成员由组委会办公室邀请"
    )


def invite(
    *,
    by,
    organisation: Organisation,
    role: str,
    real_name: str,
    mobile: str = "",
    email: str = "",
    base_url: str | None = None,
) -> tuple[Invitation, str]:
    """Create an invitation and send its link; returns the invitation and the link (shown
    once to the inviter, who may pass it on by other means)."""
    problem = invite_problem(by, organisation, role)
    if problem:
        raise PermissionDenied(problem)
    return issue_invitation(
        by=by, organisation=organisation, role=role, real_name=real_name, mobile=mobile, email=email, base_url=base_url
    )


def issue_invitation(
    *,
    by,
    organisation: Organisation,
    role: str,
    real_name: str,
    mobile: str = "",
    email: str = "",
    base_url: str | None = None,
) -> tuple[Invitation, str]:
    """The one way an invitation is made and sent. It checks nothing about `by`: its two
    callers do (`invite` asks can_invite; `projects.services.invite_member` asks whether
    `by` leads the project)."""
    from django.urls import reverse

    from wuxiao.notifications import messages

    token, token_hash = Invitation.new_token()
    invitation = Invitation(
        organisation=organisation,
        role=role,
        real_name=real_name,
        mobile=mobile,
        email=email,
        token_hash=token_hash,
        invited_by=by,
        expires_at=timezone.now() + timedelta(days=settings.WUXIAO_INVITATION_DAYS),
    )
    invitation.full_clean()
    invitation.save()
    link = f"{base_url or settings.SITE_URL}{reverse('portal:accept_invitation', args=[token])}"
    record(by=by, action="invitation.create", target=invitation, after=snapshot(invitation))
    messages.invitation_sent(invitation, link)
    return invitation, link


def pending_invitation(token: str) -> Invitation:
    """The invitation a token opens, or a ValidationError that says why not."""
    invitation = Invitation.objects.select_related("organisation", "invited_by").by_token(token).first()
    if invitation is None:
        raise ValidationError("邀请链接无效，请向邀请人确认链接是否完整")
    if invitation.accepted_at:
        raise ValidationError("该邀请链接已被使用，每个链接只能使用一次")
    if invitation.revoked_at:
        raise ValidationError("该邀请已被撤销")
    if invitation.expires_at <= timezone.now():
        expired = timezone.localtime(invitation.expires_at)
        raise ValidationError(f"该邀请链接已于 {expired:%Y-%m-%d %H:%M} 过期，请联系邀请人重新发送")
    return invitation


@transaction.atomic
def accept_invitation(*, token: str, user=None, new_user: dict | None = None) -> Membership:
    """Accept with the signed-in `user`, or create an account from `new_user` fields
    (username, password, real_name, …). The row is locked so a link works exactly once."""
    from wuxiao.notifications import messages

    invitation = pending_invitation(token)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at:
        raise ValidationError("该邀请链接已被使用，每个链接只能使用一次")
    if user is None:
        fields = dict(new_user or {})
        password = fields.pop("password")
        user = get_user_model()(**fields)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save()
        record(
            by=user, action="user.register", target=user, after=snapshot(user), note=f"通过邀请 #{invitation.pk} 注册"
        )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    membership, _ = Membership.objects.get_or_create(
        user=user, organisation=invitation.organisation, role=invitation.role
    )
    forget_memberships(user)
    record(by=user, action="invitation.accept", target=invitation, after={"membership": membership.pk})
    messages.welcome(membership)
    messages.invitation_accepted(invitation)
    return membership


@transaction.atomic
def revoke_invitation(*, by, invitation: Invitation) -> None:
    if not can_manage_organisation(by, invitation.organisation):
        raise PermissionDenied("无权撤销该邀请")
    if invitation.status != "待接受":
        raise ValidationError(f"该邀请{invitation.status}，无法撤销")
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    record(by=by, action="invitation.revoke", target=invitation)


@transaction.atomic
def set_organisation_active(*, by, org: Organisation, active: bool) -> Organisation:
    """Deactivate (停用) or reactivate an organisation. Its admins lose the console while it
    is inactive; a body with active organisations below it cannot be deactivated."""
    from wuxiao.people.permissions import can_restructure_organisation

    if not can_restructure_organisation(by, org):
        raise PermissionDenied(f"无权{'启用' if active else '停用'}“{org.name}”：只有上级组织的管理员可以操作")
    if org.is_active == active:
        return org
    if not active:
        below = Organisation.objects.subtree(org).exclude(pk=org.pk).filter(is_active=True).count()
        if below:
            raise ValidationError(f"“{org.name}”下还有 {below} 个启用的下级组织，请先停用或移走它们")
    elif org.parent_id and not org.parent.is_active:
        raise ValidationError(f"上级组织“{org.parent.name}”已停用，请先启用上级组织")
    org.is_active = active
    org.save(update_fields=["is_active"])
    record(
        by=by,
        action="organisation.activate" if active else "organisation.deactivate",
        target=org,
        before={"is_active": not active},
        after={"is_active": active},
    )
    return org


# --- personal API tokens ----------------------------------------------------------------

MAX_API_TOKENS = 10
# last_used_at is written at most once a minute per token: a client polling the API must
# not turn every read into a write.
TOKEN_TOUCH_SECONDS = 60


@transaction.atomic
def create_api_token(*, user, name: str, scope: str) -> tuple[ApiToken, str]:
    """A new token for `user`; returns the row and the token itself, which is never
    stored and so can be shown only this once."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": ["请填写令牌名称（用途），例如：单位 OA 系统同步"]})
    if len(name) > 50:
        raise ValidationError({"name": [f"令牌名称最多 50 个字，填写的是 {len(name)} 个字"]})
    if scope not in ApiTokenScope.values:
        raise ValidationError({"scope": [f"令牌权限“{scope}”无效，应为 read（只读）或 write（读写）"]})
    active = ApiToken.objects.active().filter(user=user).count()
    if active >= MAX_API_TOKENS:
        raise ValidationError(f"每人最多 {MAX_API_TOKENS} 个有效令牌（现有 {active} 个），请先撤销不用的令牌")
    token, token_hash = ApiToken.new_token()
    api_token = ApiToken.objects.create(user=user, name=name, scope=scope, token_hash=token_hash, prefix=token[:8])
    record(by=user, action="apitoken.create", target=api_token, after={"name": name, "scope": scope})
    return api_token, token


@transaction.atomic
def revoke_api_token(*, api_token: ApiToken, by) -> ApiToken:
    if api_token.user_id != by.pk:
        raise PermissionDenied("只能撤销自己的 API 令牌")
    if api_token.revoked_at is None:
        api_token.revoked_at = timezone.now()
        api_token.save(update_fields=["revoked_at"])
        record(by=by, action="apitoken.revoke", target=api_token)
    return api_token


def authenticate_api_token(token: str) -> ApiToken | None:
    """The active token row for a presented token (its user joined), or None. Marks it used."""
    if not token or not token.startswith(ApiToken.PREFIX):
        return None
    api_token = (
        ApiToken.objects.active()
        .select_related("user")
        .filter(token_hash=ApiToken.hash(token), user__is_active=True)
        .first()
    )
    if api_token is None:
        return None
    now = timezone.now()
    if api_token.last_used_at is None or (now - api_token.last_used_at).total_seconds() >= TOKEN_TOUCH_SECONDS:
        ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
        api_token.last_used_at = now
    return api_token
