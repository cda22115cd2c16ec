"""评审管理 for the committee office, as the console's pages (wuxiao/console/reviews.py): the
rounds and their rubric, assignment (the optimisation and changes by hand), progress and
催办, the blind check, the ranking and its method, the panel's and committee's opinion boxes,
the 答辩 schedule by lot, and 查重.

Like the console, everyone but the committee office is refused (403, the console's message)
before any lookup; each change is the same `reviews.services` function the page calls, which
checks the committee again and holds every rule and its message."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Query, Router, Status

from wuxiao.api import schemas as s
from wuxiao.api.common import PageIn, committee_only, page_of, page_schema, read, user_named, write
from wuxiao.campaigns.models import Campaign, StageKind
from wuxiao.campaigns.services import stage_window
from wuxiao.lib.http import get_visible_or_404
from wuxiao.people.models import Organisation, Role
from wuxiao.projects.models import Opinion, Project
from wuxiao.reviews import queries, services
from wuxiao.reviews.models import Assignment, BlindFlag, DuplicateFlag, ReviewRound

router = Router(tags=["评审管理（组委会）"])
RoundProjectPage = page_schema("RoundProjectPage", s.RoundProjectOut)
DuplicatePage = page_schema("DuplicatePage", s.DuplicateOut)


def _campaign(request, campaign_id) -> Campaign:
    committee_only(request)
    return get_object_or_404(Campaign, pk=campaign_id)


def _round(request, round_id) -> ReviewRound:
    committee_only(request)
    return get_visible_or_404(ReviewRound.objects.select_related("campaign", "previous"), pk=round_id)


def _round_out(round: ReviewRound) -> ReviewRound:
    """The round with the counts the console's list shows."""
    return queries.rounds_of(round.campaign).select_related("campaign").get(pk=round.pk)


def _round_detail(round: ReviewRound) -> ReviewRound:
    """The round page's facts: criteria and blind-check flags are read by the schema."""
    out = _round_out(round)
    window = stage_window(round.campaign, StageKind.REVIEW)
    out.rubric_locked = services.scoring_started(round)
    out.review_stage = {"starts_on": window[0], "ends_on": window[1]} if window else None
    out.progress = [
        {
            "expert_id": p.expert.pk,
            "expert_name": p.expert.display_name,
            "assigned": p.assigned,
            "drafts": p.drafts,
            "submitted": p.submitted,
            "behind": p.behind,
        }
        for p in queries.progress(round)
    ]
    return out


def _blind_flags(round: ReviewRound):
    return BlindFlag.objects.filter(round=round).select_related("project")


# --- rounds and rubric -----------------------------------------------------------------


@router.get(
    "/campaigns/{campaign_id}/review-rounds",
    response=read(list[s.RoundAdminOut]),
    summary="评审轮次（组委会办公室）",
)
def round_list(request, campaign_id: s.Id):
    return list(queries.rounds_of(_campaign(request, campaign_id)).select_related("campaign"))


@router.post(
    "/campaigns/{campaign_id}/review-rounds",
    response=write(s.RoundDetailOut, 201),
    summary="新建评审轮次（日期须在第五阶段评审认定之内；带活动的默认评分项）",
)
def round_create(request, campaign_id: s.Id, data: s.RoundIn):
    campaign = _campaign(request, campaign_id)
    values = data.dict()
    previous = values.pop("previous")
    if previous is not None:
        values["previous"] = campaign.review_rounds.filter(pk=previous).first()
        if values["previous"] is None:
            raise ValidationError({"previous": [f"评审轮次 #{previous} 不是本活动的评审轮次"]})
    round = services.create_round(by=request.user, campaign=campaign, **values)
    return Status(201, _round_detail(round))


@router.get(
    "/review-rounds/{round_id}",
    response=read(s.RoundDetailOut),
    summary="评审轮次详情：评分项、专家进度、盲评检查结果",
)
def round_detail(request, round_id: s.Id):
    return _round_detail(_round(request, round_id))


@router.put(
    "/review-rounds/{round_id}/rubric",
    response=write(list[s.CriterionOut]),
    summary="设置评分项和权重（整体替换；已有专家评分后不能修改）",
)
def round_rubric(request, round_id: s.Id, data: s.RubricIn):
    round = _round(request, round_id)
    services.set_rubric(by=request.user, round=round, criteria=[c.dict() for c in data.criteria])
    return list(round.criteria.all())


@router.put(
    "/review-rounds/{round_id}/ranking-method",
    response=write(s.RoundAdminOut),
    summary="设置排名依据：原始平均分或标准化得分",
)
def round_ranking_method(request, round_id: s.Id, data: s.RankingMethodIn):
    round = _round(request, round_id)
    return _round_out(services.set_ranking_method(by=request.user, round=round, method=data.method))


# --- assignment ------------------------------------------------------------------------


@router.get(
    "/review-experts",
    response=read(list[s.ExpertOut]),
    summary="专家库（组委会办公室）：擅长类别、是否可参加评审、声明回避的单位",
)
def expert_list(request):
    committee_only(request)
    return queries.expert_pool()


@router.put(
    "/review-experts/{user_id}",
    response=write(s.ExpertOut),
    summary="保存专家资料：擅长类别、是否可参加评审、声明回避的单位",
)
def expert_save(request, user_id: s.Id, data: s.ExpertProfileIn):
    committee_only(request)
    expert = get_visible_or_404(get_user_model().objects.filter(memberships__role=Role.EXPERT).distinct(), pk=user_id)
    values = data.dict()
    ids = values.pop("declared_organisations")
    declared = list(Organisation.objects.filter(pk__in=ids))
    missing = sorted(set(ids) - {o.pk for o in declared})
    if missing:
        raise ValidationError({"declared_organisations": [f"组织 #{missing[0]} 不存在"]})
    services.save_expert_profile(
        by=request.user, expert=expert, campaign=Campaign.objects.current(), declared_organisations=declared, **values
    )
    return next(p for p in queries.expert_pool() if p.user_id == expert.pk)


@router.get(
    "/review-rounds/{round_id}/projects",
    response=read(RoundProjectPage),
    summary="本轮评审的项目及其评审专家（分页）",
)
def round_projects(request, round_id: s.Id, paging: Query[PageIn]):
    round = _round(request, round_id)
    page = page_of(queries.round_candidates(round), paging)
    by_project = queries.assignments_by_project(round)
    for project in page["items"]:
        project.assignments = by_project.get(project.pk, [])
    return page


@router.post(
    "/review-rounds/{round_id}/assign",
    response=write(s.AssignOut),
    summary="自动分配评审专家（回避同单位、上级和声明的利益关系，兼顾擅长类别和工作量）",
)
def round_assign(request, round_id: s.Id, data: s.AssignIn):
    round = _round(request, round_id)
    result = services.assign_round(by=request.user, round=round, seed=data.seed)
    round.refresh_from_db(fields=["assignment_seed"])
    return {"count": result.count, "category_fit": result.category_fit, "seed": round.assignment_seed}


def _assignment_out(assignment: Assignment) -> Assignment:
    return Assignment.objects.select_related("expert", "review").get(pk=assignment.pk)


@router.post(
    "/review-rounds/{round_id}/assignments",
    response=write(s.AssignmentAdminOut, 201),
    summary="人工分配：把一个项目分配给一位专家（违反回避规则时说明原因）",
)
def assignment_add(request, round_id: s.Id, data: s.ManualAssignIn):
    round = _round(request, round_id)
    project = get_visible_or_404(queries.round_candidates(round), pk=data.project)
    expert = user_named("expert", data.expert)
    assignment = services.add_assignment(by=request.user, round=round, project=project, expert=expert)
    return Status(201, _assignment_out(assignment))


@router.delete(
    "/review-rounds/{round_id}/assignments/{assignment_id}",
    response=write(None, 204),
    summary="移除一个分配（专家尚未开始评审时）",
)
def assignment_remove(request, round_id: s.Id, assignment_id: s.Id):
    round = _round(request, round_id)
    assignment = get_visible_or_404(Assignment.objects.filter(round=round), pk=assignment_id)
    services.remove_assignment(by=request.user, assignment=assignment)
    return Status(204, None)


@router.post(
    "/review-rounds/{round_id}/urge",
    response=write(s.CountOut),
    summary="催办：通知尚未提交全部评审的专家（count 为通知的专家数）",
)
def round_urge(request, round_id: s.Id):
    round = _round(request, round_id)
    return {"count": services.urge_experts(by=request.user, round=round)}


@router.post(
    "/review-rounds/{round_id}/blind-check",
    response=write(s.BlindCheckOut),
    summary="盲评检查：在文本、附件名称和内容中查找单位名称和人员姓名",
)
def round_blind_check(request, round_id: s.Id):
    round = _round(request, round_id)
    count = services.check_blind(by=request.user, round=round)
    return {"count": count, "flags": list(_blind_flags(round))}


# --- ranking and the opinion boxes -----------------------------------------------------


@router.get(
    "/review-rounds/{round_id}/ranking",
    response=read(s.RankingOut),
    summary="本轮排名（原始平均分和标准化得分）、专家评分宽严和评审小组/组委会意见",
)
def round_ranking(request, round_id: s.Id):
    round = _round(request, round_id)
    rows = queries.ranking(round)
    opinions: dict[int, dict[str, str]] = {}
    for o in Opinion.objects.filter(project__in=[r.project.pk for r in rows], step__in=["panel", "committee"]).order_by(
        "created_at", "id"
    ):
        opinions.setdefault(o.project_id, {})[o.step] = o.text
    return {
        "round_id": round.pk,
        "ranking": round.ranking,
        "ranking_label": round.get_ranking_display(),
        "rows": [
            {
                "position": r.position,
                "project_id": r.project.pk,
                "project_name": r.project.name,
                "unit": r.project.unit.name,
                "category": r.project.category_display,
                "raw": r.raw,
                "normalised": r.normalised,
                "spread": r.spread,
                "count": r.count,
                "disputed": r.disputed,
                "panel_opinion": opinions.get(r.project.pk, {}).get("panel"),
                "committee_opinion": opinions.get(r.project.pk, {}).get("committee"),
            }
            for r in rows
        ],
        "biases": [
            {
                "expert_id": expert.pk,
                "expert_name": expert.display_name,
                "mean": bias.mean,
                "offset": bias.offset,
                "count": bias.count,
            }
            for expert, bias in queries.biases(round)
        ],
    }


@router.post(
    "/review-rounds/{round_id}/projects/{project_id}/opinions",
    response=write(s.OpinionOut, 201),
    summary="填写竞赛评审小组意见或竞赛组委会意见",
)
def round_opinion(request, round_id: s.Id, project_id: s.Id, data: s.ReviewOpinionIn):
    round = _round(request, round_id)
    project = get_visible_or_404(Project.objects.filter(review_assignments__round=round).distinct(), pk=project_id)
    opinion = services.record_opinion(by=request.user, project=project, step=data.step, text=data.text)
    return Status(201, opinion)


# --- 答辩 schedule ----------------------------------------------------------------------


def _schedule(round: ReviewRound) -> dict:
    round.refresh_from_db(fields=["lot_seed"])
    return {
        "round_id": round.pk,
        "seed": round.lot_seed,
        "slots": list(round.slots.select_related("project", "project__unit")),
    }


@router.get("/review-rounds/{round_id}/schedule", response=read(s.ScheduleOut), summary="答辩顺序（抽签结果）")
def round_schedule(request, round_id: s.Id):
    return _schedule(_round(request, round_id))


@router.post(
    "/review-rounds/{round_id}/schedule",
    response=write(s.ScheduleOut),
    summary="公开抽签排定答辩顺序（仅答辩轮次；通知各项目负责人）",
)
def round_draw(request, round_id: s.Id, data: s.ScheduleIn):
    round = _round(request, round_id)
    starts_at = data.starts_at  # a time sent without an offset is read in the site's time zone
    if timezone.is_naive(starts_at):
        starts_at = timezone.make_aware(starts_at)
    services.draw_schedule(by=request.user, round=round, seed=data.seed, starts_at=starts_at, minutes=data.minutes)
    return _schedule(round)


# --- 查重 -------------------------------------------------------------------------------


def _flags(campaign: Campaign):
    return DuplicateFlag.objects.filter(project__campaign=campaign).select_related(
        "project", "project__unit", "other", "other__unit", "other__campaign", "decided_by"
    )


@router.get(
    "/campaigns/{campaign_id}/duplicates",
    response=read(DuplicatePage),
    summary="查重提示：与其他单位或往届项目相似的上报项目（分页）",
)
def duplicate_list(request, campaign_id: s.Id, paging: Query[PageIn]):
    return page_of(_flags(_campaign(request, campaign_id)), paging)


@router.post(
    "/campaigns/{campaign_id}/duplicates/scan",
    response=write(s.CountOut),
    summary="查重：比对上报项目的名称和摘要（count 为新增的相似提示数）",
)
def duplicate_scan(request, campaign_id: s.Id):
    campaign = _campaign(request, campaign_id)
    return {"count": services.scan_duplicates(by=request.user, campaign=campaign)}


@router.post(
    "/campaigns/{campaign_id}/duplicates/{flag_id}/decision",
    response=write(s.DuplicateOut),
    summary="查重认定：认定重复或不重复",
)
def duplicate_decide(request, campaign_id: s.Id, flag_id: s.Id, data: s.DuplicateDecisionIn):
    flag = get_visible_or_404(_flags(_campaign(request, campaign_id)), pk=flag_id)
    services.decide_duplicate(by=request.user, flag=flag, decision=data.decision, note=data.note)
    return _flags(flag.project.campaign).get(pk=flag.pk)
