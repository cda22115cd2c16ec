"""奖项评定 for the committee office, as the console's pages (wuxiao/console/awards.py): the
proposal from a review round's ranking, adjustments with a reason (each kept in the award's
history), lock, unlock with a reason (audited), publish; the certificate's wording and seal,
优秀组织奖 and patent help; 成果发布 (a forwarded project shown or hidden in the public
gallery, with its summary: the console's publication_edit). Reading the sheet itself is `GET /api/campaigns/{id}/award-sheet`
(wuxiao/api/results.py).

Everyone but the committee office is refused (403, the console's message) before any
lookup; each change is the `awards.services` function the page calls, which checks the
committee again, the lock, the caps and every other rule. The sheet's `version` is optional on
every change: when sent and the sheet changed since, the answer is 409 and nothing changes."""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from ninja import File, Form, Query, Router, Status, UploadedFile

from wuxiao.api import schemas as s
from wuxiao.api.common import PageIn, committee_only, page_of, page_schema, read, write
from wuxiao.awards import queries as aq
from wuxiao.awards import services
from wuxiao.awards.models import Award, AwardSheet, OrganisationAward, PatentCase
from wuxiao.campaigns.models import Campaign
from wuxiao.lib.http import get_visible_or_404
from wuxiao.people.models import Organisation
from wuxiao.reviews import queries as rq

router = Router(tags=["奖项评定（组委会）"])
PatentPage = page_schema("PatentPage", s.PatentCaseOut)

NO_ROUND = "尚无评审轮次：请先在“评审认定”中设置评审轮次并完成评分"


def _campaign(request, campaign_id) -> Campaign:
    committee_only(request)
    return get_object_or_404(Campaign, pk=campaign_id)


def _sheet(campaign: Campaign) -> AwardSheet:
    return AwardSheet.objects.select_related("campaign").get(campaign=campaign)


@router.post(
    "/campaigns/{campaign_id}/award-sheet/propose",
    response=write(s.AwardSheetSummaryOut),
    summary="按评审轮次的排名生成奖项建议（锁定后不能重新生成）",
)
def propose(request, campaign_id: s.Id, data: s.ProposeIn):
    campaign = _campaign(request, campaign_id)
    rounds = list(rq.rounds_of(campaign))
    if data.round is None:
        chosen = rounds[-1] if rounds else None
        if chosen is None:
            raise ValidationError({"round": [NO_ROUND]})
    else:
        chosen = next((r for r in rounds if r.pk == data.round), None)
        if chosen is None:
            raise ValidationError({"round": [f"评审轮次 #{data.round} 不是本活动的评审轮次"]})
    ranked, _ = aq.review_ranking(chosen)
    return services.propose_awards(
        campaign=campaign,
        by=request.user,
        ranking=ranked,
        basis=aq.proposal_basis(chosen),
        specials=data.specials,
        expected_version=data.version,
    )


def _award(campaign: Campaign, award_id) -> Award:
    return get_visible_or_404(
        Award.objects.filter(sheet__campaign=campaign).select_related("sheet__campaign", "project__unit"),
        pk=award_id,
    )


@router.post(
    "/campaigns/{campaign_id}/award-sheet/awards/{award_id}/adjust",
    response=write(s.SheetAwardOut),
    summary="调整一个项目的奖项（须说明理由；超过等级上限时说明数字）",
)
def adjust(request, campaign_id: s.Id, award_id: s.Id, data: s.AdjustIn):
    campaign = _campaign(request, campaign_id)
    award = _award(campaign, award_id)
    services.adjust_award(
        award=award, level=data.level, reason=data.reason, by=request.user, expected_version=data.version
    )
    return _award(campaign, award.pk)


@router.get(
    "/campaigns/{campaign_id}/award-sheet/awards/{award_id}/history",
    response=read(list[s.AwardChangeOut]),
    summary="奖项变更记录：建议和每次调整（理由、调整人、时间）",
)
def history(request, campaign_id: s.Id, award_id: s.Id):
    award = _award(_campaign(request, campaign_id), award_id)
    return list(award.changes.select_related("by"))


@router.post(
    "/campaigns/{campaign_id}/award-sheet/lock",
    response=write(s.AwardSheetSummaryOut),
    summary="锁定奖项结果（锁定后不能调整；发布前可说明理由解除锁定）",
)
def lock(request, campaign_id: s.Id, data: s.SheetVersionIn):
    campaign = _campaign(request, campaign_id)
    return services.lock_results(campaign=campaign, by=request.user, expected_version=data.version)


@router.post(
    "/campaigns/{campaign_id}/award-sheet/unlock",
    response=write(s.AwardSheetSummaryOut),
    summary="解除锁定（须说明理由，记入审计日志；已发布的结果不能解除）",
)
def unlock(request, campaign_id: s.Id, data: s.UnlockIn):
    campaign = _campaign(request, campaign_id)
    return services.unlock_results(
        campaign=campaign, by=request.user, reason=data.reason, expected_version=data.version
    )


@router.post(
    "/campaigns/{campaign_id}/award-sheet/publish",
    response=write(s.AwardSheetSummaryOut),
    summary="发布评审结果（须先锁定；生成证书编号并通知获奖团队、单位和县区团委）",
)
def publish(request, campaign_id: s.Id, data: s.SheetVersionIn):
    campaign = _campaign(request, campaign_id)
    return services.publish_results(campaign=campaign, by=request.user, expected_version=data.version)


@router.post(
    "/campaigns/{campaign_id}/award-sheet/certificate-design",
    response=write(s.CertificateDesignOut),
    summary="证书设置：证书用语和组委会印章图片（multipart/form-data；印章为 PNG 或 JPG，不超过 5 MB）",
)
def certificate_design(
    request,
    campaign_id: s.Id,
    wording: Form[s.Text(200)],
    remove_seal: Form[bool] = False,
    seal: UploadedFile | None = File(None, description="组委会印章图片（PNG 或 JPG，不超过 5 MB）；不传则保留现有印章"),
):
    campaign = _campaign(request, campaign_id)
    sheet = services.set_certificate_design(
        campaign=campaign, by=request.user, wording=wording, seal=seal, remove_seal=remove_seal
    )
    return sheet


# --- 优秀组织奖 ---------------------------------------------------------------------------


@router.get(
    "/campaigns/{campaign_id}/organisation-awards",
    response=read(list[s.OrganisationAwardOut]),
    summary="优秀组织奖获奖组织",
)
def organisation_awards(request, campaign_id: s.Id):
    return list(aq.organisation_winners(_campaign(request, campaign_id)))


@router.post(
    "/campaigns/{campaign_id}/organisation-awards",
    response=write(s.OrganisationAwardOut, 201),
    summary="评选优秀组织奖（奖项结果锁定前）",
)
def organisation_award_choose(request, campaign_id: s.Id, data: s.OrganisationAwardIn):
    campaign = _campaign(request, campaign_id)
    organisation = get_visible_or_404(Organisation.objects.all(), pk=data.organisation)
    award = services.choose_organisation_award(
        campaign=campaign, organisation=organisation, by=request.user, reason=data.reason
    )
    return Status(201, aq.organisation_winners(campaign).get(pk=award.pk))


@router.delete(
    "/campaigns/{campaign_id}/organisation-awards/{org_id}",
    response=write(None, 204),
    summary="取消优秀组织奖（奖项结果锁定前）",
)
def organisation_award_withdraw(request, campaign_id: s.Id, org_id: s.Id):
    campaign = _campaign(request, campaign_id)
    award = get_visible_or_404(OrganisationAward.objects.filter(campaign=campaign), organisation_id=org_id)
    services.withdraw_organisation_award(award=award, by=request.user)
    return Status(204, None)


# --- 协助申报专利 ---------------------------------------------------------------------------


@router.get(
    "/campaigns/{campaign_id}/patents",
    response=read(PatentPage),
    summary="协助申报专利：获奖且愿意申报专利的项目（分页）",
)
def patents(request, campaign_id: s.Id, paging: Query[PageIn]):
    return page_of(aq.patent_cases(_campaign(request, campaign_id)), paging)


@router.post(
    "/campaigns/{campaign_id}/patents/{case_id}/advance",
    response=write(s.PatentCaseOut),
    summary="专利申报进入下一步（待评估 → 辅导中 → 已提交 → 已受理 → 已授权，或未通过）",
)
def patent_advance(request, campaign_id: s.Id, case_id: s.Id, data: s.PatentAdvanceIn):
    campaign = _campaign(request, campaign_id)
    case = get_visible_or_404(PatentCase.objects.filter(project__campaign=campaign), pk=case_id)
    services.advance_patent(
        case=case, to=data.to, on=data.on, note=data.note, patent_number=data.patent_number, by=request.user
    )
    return aq.patent_cases(campaign).get(pk=case.pk)


# --- 成果发布 (the console's publication_edit) -------------------------------------------------


@router.put(
    "/projects/{project_id}/public-entry",
    response=write(s.PublicEntryOut),
    summary="成果发布：公开展示或隐藏一个上报组委会的项目，及其公开简介和图片（组委会办公室）",
)
def public_entry(request, project_id: s.Id, data: s.PublicEntryIn):
    from wuxiao.projects.models import Attachment, Project
    from wuxiao.publication import services as publishing

    committee_only(request)
    project = get_object_or_404(Project, pk=project_id)
    chosen = Attachment.objects.filter(project=project, stored__content_type__startswith="image/")
    chosen = list(chosen.filter(pk__in=data.images))
    if len(chosen) != len(set(data.images)):
        raise ValidationError({"images": ["只能选择本项目附件中的图片"]})  # the service's words
    return publishing.save_entry(
        project=project,
        by=request.user,
        visible=data.visible,
        summary=data.summary,
        show_team=data.show_team,
        show_benefit=data.show_benefit,
        images=chosen,
    )
