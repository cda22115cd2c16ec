"""评审结果: the published 获奖名单 of a campaign, public like the site's results page (it reads
only `wuxiao.publication.queries`, the module the public site reads: name, unit, category,
form, level and the team's names; never a phone, a birth date or a score), and the committee's
award sheet, draft or locked, as the console shows it."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Query, Router

from wuxiao.api import schemas as s
from wuxiao.api.common import PageIn, page_of, page_schema, read
from wuxiao.awards import queries as aq
from wuxiao.campaigns.models import Campaign
from wuxiao.lib.http import require
from wuxiao.people.permissions import is_committee_admin
from wuxiao.publication import queries as pq

router = Router(tags=["评审结果"])
PublishedCampaignPage = page_schema("PublishedCampaignPage", s.PublishedCampaignOut)
PrizePage = page_schema("PrizePage", s.PrizeOut)

NOT_PUBLISHED = "该届活动的评审结果尚未发布"


@router.get(
    "/results",
    auth=None,
    response=read(PublishedCampaignPage),
    summary="已发布评审结果的竞赛活动（公开，无需登录）",
)
def published_campaigns(request, paging: Query[PageIn]):
    return page_of(pq.published_campaigns().select_related("award_sheet").order_by("-year", "-id"), paging)


@router.get(
    "/results/{campaign_id}",
    auth=None,
    response=read(PrizePage),
    summary="获奖名单（公开，无需登录；发布前答 404）：特等奖在前，再按排名",
)
def prizes(request, campaign_id: s.Id, filters: Query[s.ResultsQuery], paging: Query[PageIn]):
    campaign = pq.published_campaigns().filter(pk=campaign_id).first()
    if campaign is None:
        raise Http404(NOT_PUBLISHED)
    return page_of(pq.published_prizes(campaign, level=filters.level), paging)


@router.get(
    "/campaigns/{campaign_id}/award-sheet",
    response=read(s.AwardSheetOut),
    summary="奖项评定表（组委会办公室；评定中、已锁定或已发布）",
)
def award_sheet(request, campaign_id: s.Id, paging: Query[PageIn]):
    require(is_committee_admin(request.user), "只有组委会办公室可以查看奖项评定表")
    campaign = get_object_or_404(Campaign, pk=campaign_id)
    sheet = aq.sheet_of(campaign)
    if sheet is None:
        raise Http404("本届活动尚未生成奖项建议")
    for key, value in page_of(aq.award_rows(sheet), paging).items():
        setattr(sheet, key, value)
    return sheet
