"""Who am I, campaigns with their stages, organisations (and creating and editing one, as the
console's organisation_create / organisation_edit), a unit's quota and 上报."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Status

from wuxiao.api import schemas as s
from wuxiao.api.common import PageIn, page_of, page_schema, read, write
from wuxiao.audit.services import snapshot
from wuxiao.campaigns.models import Campaign, Stage
from wuxiao.console.forms import OrganisationForm
from wuxiao.lib.http import get_visible_or_404, require
from wuxiao.people import services as people
from wuxiao.people.models import UNIT_KINDS
from wuxiao.people.permissions import can_import_units, can_manage_organisation
from wuxiao.people.queries import memberships_of, organisations_visible_to
from wuxiao.projects import queries as q
from wuxiao.projects import workflow

router = Router(tags=["账号、活动与组织"])
CampaignPage = page_schema("CampaignPage", s.CampaignOut)
OrganisationPage = page_schema("OrganisationPage", s.OrganisationOut)
ORGANISATION_FIELDS = OrganisationForm.Meta.fields


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


# --- 新建、编辑组织: the console's form (OrganisationForm) checks the fields, people.services who


def _checked(form: OrganisationForm) -> dict:
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    return form.cleaned_data


@router.post(
    "/organisations",
    response=write(s.OrganisationOut, 201),
    summary="新建组织（组委会办公室新建县区/系统团组织；县区/系统团组织管理员在本组织下新建基层单位）",
)
def organisation_create(request, data: s.OrganisationIn):
    require(can_import_units(request.user), "仅组委会办公室和县区/系统团组织管理员可以新建组织")
    fields = _checked(OrganisationForm(data.dict(), user=request.user))
    org = people.create_organisation(by=request.user, **{name: fields[name] for name in ORGANISATION_FIELDS})
    return Status(201, get_visible_or_404(organisations_visible_to(request.user), pk=org.pk))


@router.patch(
    "/organisations/{org_id}",
    response=write(s.OrganisationOut),
    summary="编辑组织（只改给出的字段；类型和上级组织由上级组织的管理员调整）",
)
def organisation_edit(request, org_id: s.Id, data: s.OrganisationPatchIn):
    org = get_visible_or_404(organisations_visible_to(request.user), pk=org_id)
    require(can_manage_organisation(request.user, org), "无权修改该组织")
    before = snapshot(org)
    form = OrganisationForm(None, instance=org, user=request.user)
    values = {name: form.initial.get(name) for name in ORGANISATION_FIELDS}
    given = data.dict(exclude_unset=True)
    fixed = [name for name in ("kind", "parent") if form.fields[name].disabled]
    if any(given.get(name) not in (None, values[name]) for name in fixed):
        # The console shows these fields disabled; the service's words for trying anyway.
        raise PermissionDenied(f"“{org.name}”的类型和上级组织由上级组织的管理员调整")
    values.update(given)
    values = {name: value for name, value in values.items() if value is not None}
    _checked(OrganisationForm(values, instance=org, user=request.user))
    people.update_organisation(by=request.user, org=org, before=before)
    return get_visible_or_404(organisations_visible_to(request.user), pk=org.pk)
