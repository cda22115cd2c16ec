"""Inviting people into an organisation (申报人, 技术顾问, admins …) and revoking an
invitation, the roles people hold and revoking one, switching an organisation on or off, and a
unit's 青年职工人数 (its quota follows), as the console's pages
(wuxiao/console/views.py). `people.services` and `campaigns.services` hold the rules: who
may invite whom (`invite_problem`), which invitation may still be revoked, who sets a
headcount."""

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Status

from wuxiao.api import schemas as s
from wuxiao.api.common import PageIn, page_of, page_schema, read, write
from wuxiao.campaigns.models import Campaign
from wuxiao.campaigns.services import set_headcount
from wuxiao.lib.http import get_visible_or_404, require
from wuxiao.people import services as people
from wuxiao.people.permissions import can_restructure_organisation, can_revoke_role, can_set_headcount
from wuxiao.people.queries import invitations_visible_to, memberships_visible_to, organisations_visible_to

router = Router(tags=["组织与人员"])
InvitationPage = page_schema("InvitationPage", s.InvitationOut)
MembershipPage = page_schema("MembershipPage", s.MemberRoleOut)


@router.get("/invitations", response=read(InvitationPage), summary="我管理的组织发出的邀请（新的在前）")
def invitation_list(request, paging: Query[PageIn]):
    return page_of(invitations_visible_to(request.user).order_by("-created_at", "-pk"), paging)


@router.post(
    "/organisations/{org_id}/invitations",
    response=write(s.InvitationCreatedOut, 201),
    summary="邀请某人以某角色加入组织（例如本单位的申报人、技术顾问）；邀请链接只显示这一次",
)
def invitation_create(request, org_id: s.Id, data: s.InvitationIn):
    org = get_visible_or_404(organisations_visible_to(request.user).filter(is_active=True), pk=org_id)
    invitation, link = people.invite(
        by=request.user, organisation=org, base_url=request.build_absolute_uri("/").rstrip("/"), **data.dict()
    )
    invitation = invitations_visible_to(request.user).get(pk=invitation.pk)
    invitation.link = link
    return Status(201, invitation)


@router.delete("/invitations/{invitation_id}", response=write(None, 204), summary="撤销尚未接受的邀请")
def invitation_revoke(request, invitation_id: s.Id):
    invitation = get_visible_or_404(invitations_visible_to(request.user), pk=invitation_id)
    people.revoke_invitation(by=request.user, invitation=invitation)
    return Status(204, None)


@router.put(
    "/organisations/{org_id}/headcount",
    response=write(s.HeadcountOut),
    summary="填写单位的35岁以下青工人数（由上级组织的管理员填写；上报名额随之计算）",
)
def headcount(request, org_id: s.Id, data: s.HeadcountIn):
    org = get_visible_or_404(organisations_visible_to(request.user), pk=org_id)
    require(can_set_headcount(request.user, org), "青工人数由上级组织的管理员填写")
    campaign = get_object_or_404(Campaign, pk=data.campaign)
    participation = set_headcount(
        by=request.user, campaign=campaign, organisation=org, young_workers=data.young_workers
    )
    return participation


@router.get(
    "/memberships",
    response=read(MembershipPage),
    summary="我管理的组织中的成员和角色",
)
def membership_list(request, paging: Query[PageIn]):
    qs = memberships_visible_to(request.user).order_by("organisation__path", "user__real_name", "role", "pk")
    return page_of(qs, paging)


@router.delete("/memberships/{membership_id}", response=write(None, 204), summary="撤销某人在某组织的角色")
def membership_revoke(request, membership_id: s.Id):
    membership = get_visible_or_404(memberships_visible_to(request.user), pk=membership_id)
    require(can_revoke_role(request.user, membership), "不能撤销自己的管理员角色，请由上级组织管理员操作")
    people.revoke_role(by=request.user, membership=membership)
    return Status(204, None)


@router.post(
    "/organisations/{org_id}/active",
    response=write(s.OrganisationOut),
    summary="启用或停用组织（上级组织的管理员；有启用的下级组织时不能停用）",
)
def organisation_set_active(request, org_id: s.Id, data: s.ActiveIn):
    org = get_visible_or_404(organisations_visible_to(request.user), pk=org_id)
    require(can_restructure_organisation(request.user, org), "只有上级组织的管理员可以启用或停用该组织")
    people.set_organisation_active(by=request.user, org=org, active=data.active)
    return get_visible_or_404(organisations_visible_to(request.user), pk=org.pk)
