"""Who am I, campaigns with their stages, organisations, a unit's quota and 上报."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from ninja import Query, Router

from wuxiao.api import schemas as s
from wuxiao.api.common import PageIn, page_of, page_schema, read, write
from wuxiao.campaigns.models import Campaign, Stage
from wuxiao.lib.http import get_visible_or_404, require
from wuxiao.people.models import UNIT_KINDS
from wuxiao.people.queries import memberships_of, organisations_visible_to
from wuxiao.projects import queries as q
from wuxiao.projects import workflow

router = Router(tags=["账号、活动与组织"])
CampaignPage = page_schema("CampaignPage", s.CampaignOut)
OrganisationPage = page_schema("OrganisationPage", s.OrganisationOut)


@router.get("/me", response=read(s.MeOut), summary="当前用户及其角色")
def me(request):
    user = request.user
    token = getattr(request, "api_token", None)
    return {
        "id": user.pk,
        "username": user.username,
        "real_name": user.real_name,
        "mobile": user.mobile or "",
        "memberships": list(memberships_of(user)),
        "token_scope": token.scope if token is not None else "session",
    }


def _campaigns():
    return Campaign.objects.prefetch_related(Prefetch("stages", queryset=Stage.objects.order_by("number")))


@router.get("/campaigns", response=read(CampaignPage), summary="竞赛活动列表（含阶段）")
def campaigns(request, paging: Query[PageIn]):
    return page_of(_campaigns().order_by("-starts_on", "-id"), paging)


@router.get("/campaigns/{campaign_id}", response=read(s.CampaignOut), summary="竞赛活动详情（含阶段）")
def campaign(request, campaign_id: s.Id):
    return get_object_or_404(_campaigns(), pk=campaign_id)


@router.get("/organisations", response=read(OrganisationPage), summary="我管理的组织（含下级）")
def organisations(request, paging: Query[PageIn]):
    return page_of(organisations_visible_to(request.user).order_by("path", "id"), paging)


def _visible_org(request, org_id):
    return get_visible_or_404(organisations_visible_to(request.user), pk=org_id)


@router.get("/organisations/{org_id}", response=read(s.OrganisationOut), summary="组织详情")
def organisation(request, org_id: s.Id):
    return _visible_org(request, org_id)


def _unit_and_campaign(request, org_id):
    unit = get_visible_or_404(organisations_visible_to(request.user).filter(kind__in=UNIT_KINDS), pk=org_id)
    campaign = Campaign.objects.current()
    require(campaign is not None, "没有进行中的竞赛活动")
    return unit, campaign


@router.get("/organisations/{org_id}/quota", response=read(s.QuotaOut), summary="本届上报名额（可报、已报）")
def quota(request, org_id: s.Id):
    unit, campaign = _unit_and_campaign(request, org_id)
    status = workflow.quota_status(campaign, unit)
    return {
        "campaign_id": campaign.pk,
        "unit_id": unit.pk,
        "quota": status.quota,
        "forwarded": status.forwarded,
        "remaining": status.remaining,
        "text": status.text,
    }


@router.post(
    "/organisations/{org_id}/forward",
    response=write(list[s.ProjectListOut]),
    summary="成果上报：在名额内把单位评审通过的重点项目上报组委会",
)
def forward(request, org_id: s.Id, data: s.ForwardIn):
    unit, campaign = _unit_and_campaign(request, org_id)
    require(workflow.may_forward(request.user, unit), f"“{unit.name}”未允许上级团组织代为上报")
    chosen = list(q.unit_projects(unit, campaign).filter(pk__in=data.projects))
    missing = sorted(set(data.projects) - {p.pk for p in chosen})
    if missing:
        from django.core.exceptions import ValidationError

        raise ValidationError(
            {"projects": [f"项目 {'、'.join(f'#{pk}' for pk in missing)} 不是“{unit.name}”本届已提交的项目"]}
        )
    return workflow.forward_projects(
        unit=unit,
        projects=chosen,
        by=request.user,
        reporter_name=data.reporter_name,
        reporter_phone=data.reporter_phone,
    )
