"""青年创新沙龙 for anyone signed in (the public salon page's 报名 and 取消报名,
wuxiao/portal/salons.py), the committee's side of them (announcing and editing a salon, its
notes and photos afterwards: the console's salon pages, with their form), and the committee's stage extensions for an organisation
(延长阶段, the console's `extensions` page). The rules are the services'."""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from ninja import File, Form, Query, Router, Status, UploadedFile

from wuxiao.api import schemas as s
from wuxiao.api.common import PageIn, committee_only, page_of, page_schema, read, write
from wuxiao.campaigns.models import Campaign, StageExtension
from wuxiao.campaigns.services import extend_stage
from wuxiao.console.helpers import current_campaign
from wuxiao.console.salons import SalonForm
from wuxiao.people.models import OrgKind
from wuxiao.people.queries import organisations_visible_to
from wuxiao.salons import services
from wuxiao.salons.models import Salon, Signup

router = Router(tags=["青年创新沙龙与阶段延长"])
SalonPage = page_schema("SalonPage", s.SalonOut)


@router.get("/salons", response=read(SalonPage), summary="青年创新沙龙（新的在前）")
def salon_list(request, paging: Query[PageIn]):
    return page_of(Salon.objects.order_by("-starts_at", "-id"), paging)


@router.post(
    "/salons/{salon_id}/signup",
    response=write(s.SignupOut),
    summary="报名沙龙（名额已满时进入候补名单）",
)
def salon_signup(request, salon_id: s.Id):
    salon = get_object_or_404(Salon, pk=salon_id)
    return services.sign_up(salon=salon, user=request.user)


@router.delete(
    "/salons/{salon_id}/signup",
    response=write(s.SignupOut),
    summary="取消报名（沙龙开始前；候补者按顺序递补）",
)
def salon_cancel(request, salon_id: s.Id):
    signup = get_object_or_404(Signup, salon_id=salon_id, user=request.user)
    return services.cancel(signup=signup, by=request.user)


# --- 沙龙的组织 (the committee office, as the console's salon pages) ------------------------


def _salon_fields(data: s.SalonIn, salon: Salon | None = None) -> dict:
    form = SalonForm(data.dict(), instance=salon)
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    return form.cleaned_data


@router.post(
    "/salons",
    response=write(s.SalonDetailOut, 201),
    summary="发布青年创新沙龙（组委会办公室，本届活动）",
)
def salon_create(request, data: s.SalonIn):
    committee_only(request)
    fields = _salon_fields(data)
    salon = services.save_salon(by=request.user, campaign=current_campaign(), **fields)
    return Status(201, salon)


@router.put(
    "/salons/{salon_id}",
    response=write(s.SalonDetailOut),
    summary="修改青年创新沙龙（组委会办公室；名额不能少于已报名人数，多出的名额由候补者递补）",
)
def salon_edit(request, salon_id: s.Id, data: s.SalonIn):
    committee_only(request)
    salon = get_object_or_404(Salon, pk=salon_id)
    fields = _salon_fields(data, salon)
    return services.save_salon(by=request.user, campaign=salon.campaign, salon=salon, **fields)


@router.post(
    "/salons/{salon_id}/outcome",
    response=write(s.SalonDetailOut),
    summary="记录沙龙的活动纪要和照片（组委会办公室；multipart/form-data，照片只接受 JPG 或 PNG，按文件内容检查）",
)
def salon_outcome(
    request,
    salon_id: s.Id,
    notes: Form[s.Text(10000)] = "",
    photos: list[UploadedFile] = File(None, description="活动照片，可多张（字段名均为 photos）；与网页的检查相同"),
):
    committee_only(request)
    salon = get_object_or_404(Salon, pk=salon_id)
    return services.record_outcome(salon=salon, by=request.user, notes=notes, photos=photos or ())


# --- 延长阶段 (the committee office) --------------------------------------------------------


def _extensions(campaign):
    return (
        StageExtension.objects.filter(stage__campaign=campaign)
        .select_related("stage", "organisation", "granted_by")
        .order_by("-created_at", "-pk")
    )


@router.get(
    "/campaigns/{campaign_id}/stage-extensions",
    response=read(list[s.StageExtensionOut]),
    summary="为组织延长的阶段（组委会办公室）",
)
def extension_list(request, campaign_id: s.Id):
    committee_only(request)
    return list(_extensions(get_object_or_404(Campaign, pk=campaign_id)))


@router.post(
    "/campaigns/{campaign_id}/stage-extensions",
    response=write(s.StageExtensionOut, 201),
    summary="为一个组织及其下级延长某一阶段（须说明原因，记入审计日志）",
)
def extension_add(request, campaign_id: s.Id, data: s.StageExtensionIn):
    committee_only(request)
    campaign = get_object_or_404(Campaign, pk=campaign_id)
    stage = campaign.stages.filter(kind=data.stage).first()
    if stage is None:
        raise ValidationError({"stage": [f"本届活动没有设置该阶段（{data.stage}）"]})
    organisation = (
        organisations_visible_to(request.user)
        .filter(is_active=True)
        .exclude(kind=OrgKind.COMMITTEE)
        .filter(pk=data.organisation)
        .first()
    )
    if organisation is None:
        raise ValidationError({"organisation": [f"组织 #{data.organisation} 不存在、已停用或不能延长阶段"]})
    ext = extend_stage(by=request.user, stage=stage, organisation=organisation, until=data.until, reason=data.reason)
    return Status(201, _extensions(campaign).get(pk=ext.pk))
