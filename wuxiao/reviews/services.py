"""Changes of 评审认定. Keyword-only, verb-first; each checks its own permission (the
committee office for rounds, rubric, assignment, 查重, schedule and opinions; the assigned
expert for a review), runs in a transaction and is audited. `save_review` is the only code
that writes scores."""

from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from wuxiao.audit.services import record, snapshot
from wuxiao.campaigns.models import Campaign, StageKind
from wuxiao.campaigns.services import stage_window
from wuxiao.campaigns.services import today as campaign_today
from wuxiao.people.models import Membership, Role
from wuxiao.people.permissions import is_committee_admin
from wuxiao.projects.models import Opinion, OpinionStep, Project
from wuxiao.projects.transitions import StaleVersion
from wuxiao.reviews import blind, queries, rules
from wuxiao.reviews.models import (
    Assignment,
    AssignmentStatus,
    BlindFlag,
    Criterion,
    Decision,
    DuplicateFlag,
    ExpertProfile,
    RankingMethod,
    Review,
    ReviewRound,
    RoundKind,
    Score,
    Slot,
)


def _require_committee(user) -> None:
    if not is_committee_admin(user):
        raise PermissionDenied("仅组委会办公室可进行评审管理")


def _check_round_dates(campaign: Campaign, opens_on: date, closes_on: date) -> None:
    window = stage_window(campaign, StageKind.REVIEW)
    if window is None:
        raise ValidationError("本活动没有设置第五阶段（评审认定）的日期")
    if closes_on < opens_on:
        raise ValidationError(f"评分截止日期 {closes_on} 早于开始日期 {opens_on}")
    if opens_on < window[0] or closes_on > window[1]:
        raise ValidationError(
            f"评审轮次的日期必须在第五阶段（评审认定）{window[0]} 至 {window[1]} 之内，当前为 {opens_on} 至 {closes_on}"
        )


# --- The expert pool -----------------------------------------------------------------


@transaction.atomic
def save_expert_profile(
    *,
    by,
    expert,
    campaign: Campaign | None,
    employer: str,
    title: str,
    categories: list[str],
    is_active: bool,
    declared_organisations,
) -> ExpertProfile:
    """What the assignment needs of an expert: categories (the campaign's, or ones the expert
    already had), whether they review at all, and the units they declared an interest in."""
    from wuxiao.people.models import UNIT_KINDS

    _require_committee(by)
    if not Membership.objects.filter(user=expert, role=Role.EXPERT).exists():
        raise ValidationError(f"{expert.display_name} 不是评审专家")
    profile = ExpertProfile.objects.filter(user=expert).first() or ExpertProfile(user=expert)
    allowed = set(campaign.categories if campaign else []) | set(profile.categories or [])
    unknown = [c for c in categories if c not in allowed]
    if unknown:
        raise ValidationError({"categories": f"擅长类别“{'、'.join(unknown)}”不是本届活动的项目类别"})
    declared = list(declared_organisations)
    not_units = [o.name for o in declared if o.kind not in UNIT_KINDS]
    if not_units:
        raise ValidationError({"declared_organisations": f"只能声明回避单位，“{'、'.join(not_units)}”不是单位"})
    before = snapshot(profile) if profile.pk else None
    profile.employer, profile.title = employer.strip(), title.strip()
    profile.categories, profile.is_active = list(dict.fromkeys(categories)), is_active
    profile.save()
    profile.declared_organisations.set(declared)
    record(by=by, action="review.expert_profile", target=profile, before=before, after=snapshot(profile))
    return profile


# --- Rounds and rubric ----------------------------------------------------------------


@transaction.atomic
def create_round(
    *,
    by,
    campaign: Campaign,
    name: str,
    kind: str = RoundKind.INITIAL,
    opens_on: date,
    closes_on: date,
    blind: bool = True,
    experts_per_project: int = 3,
    max_per_expert: int = 30,
    previous: ReviewRound | None = None,
    advance_count: int | None = None,
) -> ReviewRound:
    """A review round with the campaign's default rubric (editable until scoring starts)."""
    _require_committee(by)
    _check_round_dates(campaign, opens_on, closes_on)
    if previous is not None and previous.campaign_id != campaign.pk:
        raise ValidationError("上一轮必须属于同一竞赛活动")
    if previous is not None and not advance_count:
        raise ValidationError("复评/答辩轮次必须填写从上一轮进入本轮的项目数")
    number = (campaign.review_rounds.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    round = ReviewRound.objects.create(
        campaign=campaign,
        number=number,
        name=name.strip() or RoundKind(kind).label,
        kind=kind,
        opens_on=opens_on,
        closes_on=closes_on,
        blind=blind,
        experts_per_project=experts_per_project,
        max_per_expert=max_per_expert,
        previous=previous,
        advance_count=advance_count,
        created_by=by,
    )
    Criterion.objects.bulk_create(
        Criterion(
            round=round,
            name=c["name"],
            weight=Decimal(str(c["weight"])),
            max_score=Decimal(str(c["max_score"])),
            order=i,
        )
        for i, c in enumerate(campaign.review_criteria)
    )
    record(by=by, action="review.round_create", target=round, after=snapshot(round))
    return round


def scoring_started(round: ReviewRound) -> bool:
    return Score.objects.filter(criterion__round=round).exists()


@transaction.atomic
def set_rubric(*, by, round: ReviewRound, criteria: list[dict]) -> list[Criterion]:
    """Replace the rubric: [{"name", "weight", "max_score"}, …]. Refused once a score exists,
    since a changed weight would silently change totals already given."""
    _require_committee(by)
    round = ReviewRound.objects.select_for_update().get(pk=round.pk)
    if scoring_started(round):
        raise ValidationError("已有专家评分，评分项和权重不能再修改")
    if not criteria:
        raise ValidationError("评分项至少需要一项")
    names = [c["name"].strip() for c in criteria]
    if len(set(names)) != len(names):
        raise ValidationError("评分项名称不能重复")
    for c in criteria:
        if Decimal(c["weight"]) <= 0 or Decimal(c["max_score"]) <= 0:
            raise ValidationError(f"评分项“{c['name']}”的权重和满分必须大于 0")
    before = list(round.criteria.values("name", "weight", "max_score"))
    round.criteria.all().delete()
    rows = Criterion.objects.bulk_create(
        Criterion(round=round, name=n, weight=Decimal(c["weight"]), max_score=Decimal(c["max_score"]), order=i)
        for i, (n, c) in enumerate(zip(names, criteria, strict=True))
    )
    record(
        by=by,
        action="review.rubric",
        target=round,
        before={"criteria": [f"{c['name']} {c['weight']}% / {c['max_score']}" for c in before]},
        after={"criteria": [f"{c.name} {c.weight}% / {c.max_score}" for c in rows]},
    )
    return rows


@transaction.atomic
def set_ranking_method(*, by, round: ReviewRound, method: str) -> ReviewRound:
    _require_committee(by)
    if method not in RankingMethod.values:
        raise ValidationError(f"未知的排名依据：{method}")
    before = round.ranking
    ReviewRound.objects.filter(pk=round.pk).update(ranking=method)
    round.ranking = method
    record(by=by, action="review.ranking_method", target=round, before={"ranking": before}, after={"ranking": method})
    return round


# --- Assignment -----------------------------------------------------------------------


def _assign_inputs(round: ReviewRound, projects: list[Project]):
    """Plain values for rules.assign: experts with their load, forbidden pairs."""
    experts = [p for p in queries.expert_pool() if p.is_active]
    loads = queries.loads(round)
    facts = queries.conflict_facts(projects=projects, experts=[e.user for e in experts])
    forbidden = facts.forbidden_pairs(projects, [e.user_id for e in experts])
    declined = Assignment.objects.filter(round=round, project__in=projects).values_list("project_id", "expert_id")
    forbidden |= set(declined)  # a declined or existing pair is never proposed again
    slots = [
        rules.ExpertSlot(id=p.user_id, categories=frozenset(p.categories), load=loads.get(p.user_id, 0))
        for p in experts
    ]
    return slots, forbidden


@transaction.atomic
def assign_round(*, by, round: ReviewRound, seed: int | None = None) -> rules.AssignmentResult:
    """Give every project of the round the experts it still needs, by the optimisation of
    rules.assign. Projects already fully assigned keep their experts."""
    _require_committee(by)
    round = ReviewRound.objects.select_for_update().get(pk=round.pk)
    if seed is None:
        seed = round.assignment_seed if round.assignment_seed is not None else 2024
    projects = list(queries.round_candidates(round))
    if not projects:
        raise ValidationError("本轮没有待评审的项目（各单位上报组委会的项目）")
    active = queries.active_counts(round)
    experts, forbidden = _assign_inputs(round, projects)
    slots = [
        rules.ProjectSlot(id=p.pk, category=p.category, need=max(round.experts_per_project - active.get(p.pk, 0), 0))
        for p in projects
    ]
    try:
        result = rules.assign(
            projects=slots, experts=experts, forbidden=forbidden, max_per_expert=round.max_per_expert, seed=seed
        )
    except rules.AssignmentInfeasible as exc:
        raise ValidationError(str(exc)) from exc
    Assignment.objects.bulk_create(
        Assignment(round=round, project_id=p, expert_id=e, created_by=by) for p, e in result.pairs
    )
    ReviewRound.objects.filter(pk=round.pk).update(assignment_seed=seed)
    record(
        by=by,
        action="review.assign",
        target=round,
        after={"seed": seed, "assignments": len(result.pairs), "category_fit": result.category_fit},
    )
    return result


@transaction.atomic
def add_assignment(*, by, round: ReviewRound, project: Project, expert) -> Assignment:
    """A hand-made assignment; refused with the reason when it breaks a conflict rule."""
    _require_committee(by)
    if not queries.round_candidates(round).filter(pk=project.pk).exists():
        raise ValidationError(f"项目“{project}”不在本轮评审范围内")
    profile = ExpertProfile.objects.filter(user=expert, is_active=True).first()
    if profile is None or not Membership.objects.filter(user=expert, role=Role.EXPERT).exists():
        raise ValidationError(f"{expert.display_name} 不在专家库中")
    reason = queries.conflict_facts(projects=[project], experts=[expert]).reason(project, expert.pk)
    if reason:
        raise ValidationError(f"不能把项目“{project}”分配给{expert.display_name}：{reason}")
    existing = Assignment.objects.filter(round=round, project=project, expert=expert).first()
    if existing is not None:
        if existing.status == AssignmentStatus.DECLINED:
            raise ValidationError(f"{expert.display_name} 已回避该项目：{existing.decline_reason}")
        raise ValidationError(f"{expert.display_name} 已是该项目的评审专家")
    load = Assignment.objects.filter(round=round, expert=expert, status=AssignmentStatus.ACTIVE).count()
    if load >= round.max_per_expert:
        raise ValidationError(
            f"{expert.display_name} 已评审 {load} 个项目，达到每位专家最多 {round.max_per_expert} 个的上限"
        )
    assignment = Assignment.objects.create(round=round, project=project, expert=expert, manual=True, created_by=by)
    record(by=by, action="review.assign_manual", target=assignment, after={"project": project.pk, "expert": expert.pk})
    return assignment


@transaction.atomic
def remove_assignment(*, by, assignment: Assignment) -> None:
    _require_committee(by)
    if Review.objects.filter(assignment=assignment).exists():
        raise ValidationError("该专家已开始评审，不能移除；请由专家回避或保留")
    record(
        by=by,
        action="review.unassign",
        target=assignment.round,
        before={"project": assignment.project_id, "expert": assignment.expert_id},
    )
    assignment.delete()


@transaction.atomic
def decline_assignment(*, by, assignment: Assignment, reason: str) -> Assignment | None:
    """The expert declines or recuses (回避) with a reason; the project gets another expert
    by the same optimisation. Returns the new assignment, or None when nobody is left (the
    committee then sees the project short of experts)."""
    assignment = Assignment.objects.select_for_update().select_related("round", "project").get(pk=assignment.pk)
    if assignment.expert_id != by.pk:
        raise PermissionDenied("只能回避分配给自己的项目")
    if assignment.status != AssignmentStatus.ACTIVE:
        raise ValidationError("该项目已回避")
    if not reason.strip():
        raise ValidationError("回避或谢绝必须填写原因")
    if assignment.round.is_closed:
        raise ValidationError(f"本轮评审已于 {assignment.round.closes_on} 截止")
    if Review.objects.filter(assignment=assignment, submitted_at__isnull=False).exists():
        raise ValidationError("已提交评分的项目不能回避；如确有利益冲突请联系组委会办公室")
    Assignment.objects.filter(pk=assignment.pk).update(
        status=AssignmentStatus.DECLINED, decline_reason=reason.strip()[:200]
    )
    Score.objects.filter(review__assignment=assignment).delete()
    Review.objects.filter(assignment=assignment).delete()
    record(
        by=by,
        action="review.decline",
        target=assignment.round,
        after={"project": assignment.project_id, "reason": reason},
    )
    round, project = assignment.round, assignment.project
    experts, forbidden = _assign_inputs(round, [project])
    need = round.experts_per_project - queries.active_counts(round).get(project.pk, 0)
    try:
        result = rules.assign(
            projects=[rules.ProjectSlot(id=project.pk, category=project.category, need=need)],
            experts=experts,
            forbidden=forbidden,
            max_per_expert=round.max_per_expert,
            seed=(round.assignment_seed or 0) + assignment.pk,
        )
    except rules.AssignmentInfeasible:
        return None
    new = [Assignment.objects.create(round=round, project_id=p, expert_id=e, created_by=by) for p, e in result.pairs]
    return new[0] if new else None


# --- Scoring: the one service that writes scores --------------------------------------


def _parse(value, criterion: Criterion) -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError(f"“{criterion.name}”的得分“{value}”不是数字") from None
    if not number.is_finite() or number < 0 or number > criterion.max_score:
        raise ValidationError(
            f"“{criterion.name}”的得分必须在 0 至 {criterion.max_score.normalize():f} 之间，当前为 {number}"
        )
    if number != number.quantize(Decimal("0.1")):
        raise ValidationError(f"“{criterion.name}”的得分最多保留一位小数，当前为 {number}")
    return number


@transaction.atomic
def save_review(
    *,
    by,
    assignment: Assignment,
    scores: dict[int, object],
    comment: str,
    submit: bool,
    expected_version: int | None = None,
    today: date | None = None,
) -> Review:
    """Save an expert's draft or submit it. Only the assigned expert, only while the round
    is open and inside stage 5 (评审认定); a submitted review stays editable until the round
    closes. A submit needs every criterion; a draft may leave some empty. `today` is the
    day the review is made (default: today); views never pass it, the demo's history does."""
    assignment = Assignment.objects.select_for_update().select_related("round__campaign").get(pk=assignment.pk)
    if assignment.expert_id != by.pk:
        raise PermissionDenied("只能为分配给自己的项目评分")
    if assignment.status != AssignmentStatus.ACTIVE:
        raise ValidationError("您已回避该项目，不能评分")
    round = assignment.round
    today = today or timezone.localdate()
    if not round.is_open_on(today):
        raise ValidationError(f"本轮评分时间为 {round.opens_on} 至 {round.closes_on}，今天（{today}）不能评分")
    window = stage_window(round.campaign, StageKind.REVIEW)
    if window is None or not window[0] <= today <= window[1]:
        raise ValidationError("今天不在第五阶段（评审认定）时间内，不能评分")
    criteria = list(round.criteria.all())
    values: dict[int, Decimal] = {}
    for c in criteria:
        raw = scores.get(c.pk)
        if raw is None or str(raw).strip() == "":
            continue
        values[c.pk] = _parse(raw, c)
    if submit:
        missing = [c.name for c in criteria if c.pk not in values]
        if missing:
            raise ValidationError(f"提交前请为全部 {len(criteria)} 个评分项打分，尚缺：{'、'.join(missing)}")
    review, created = Review.objects.get_or_create(assignment=assignment)
    if not created and expected_version is not None and review.version != expected_version:
        raise StaleVersion("该评审已在其他窗口修改，请刷新页面后再保存")
    review.scores.exclude(criterion_id__in=values).delete()
    for cid, value in values.items():
        Score.objects.update_or_create(review=review, criterion_id=cid, defaults={"value": value})
    rubric = [rules.Criterion(id=c.pk, weight=c.weight, max_score=c.max_score) for c in criteria]
    complete = len(values) == len(criteria)
    Review.objects.filter(pk=review.pk).update(
        comment=comment.strip(),
        total=rules.weighted_total(rubric, values) if complete else None,
        submitted_at=(review.submitted_at or timezone.now()) if submit else review.submitted_at,
        version=F("version") + 1,
    )
    review.refresh_from_db()
    record(
        by=by,
        action="review.submit" if submit else "review.draft",
        target=review,
        after={
            "assignment": assignment.pk,
            "scores": {str(k): str(v) for k, v in values.items()},
            "total": str(review.total),
        },
    )
    return review


@transaction.atomic
def urge_experts(*, by, round: ReviewRound) -> int:
    """催办: a message to each expert with reviews not yet submitted."""
    from wuxiao.reviews import messages

    _require_committee(by)
    late = queries.experts_behind(round)
    for expert, count in late:
        messages.review_urged(expert, round=round, count=count)
    record(by=by, action="review.urge", target=round, after={"experts": len(late)})
    return len(late)


# --- 查重 -------------------------------------------------------------------------------


@transaction.atomic
def scan_duplicates(*, by, campaign: Campaign, threshold: Decimal = Decimal("0.5")) -> int:
    """Flag the campaign's forwarded projects whose name and summary resemble another
    project's: another unit's in this campaign, or any earlier campaign's. Existing flags and
    their decisions are kept; returns the number of new flags."""
    _require_committee(by)
    current = list(queries.duplicate_candidates(campaign))
    earlier = list(queries.earlier_projects(campaign))
    texts = {p.pk: queries.duplicate_text(p) for p in current + earlier}
    units = {p.pk: p.unit_id for p in current + earlier}
    current_ids = {p.pk for p in current}

    def may_pair(a, b):
        # at least one side in this campaign; within this campaign only across units
        if a in current_ids and b in current_ids:
            return units[a] != units[b]
        return a in current_ids or b in current_ids

    found = rules.similar_pairs(texts, threshold=threshold, may_pair=may_pair)
    existing = set(DuplicateFlag.objects.filter(project_id__in=current_ids).values_list("project_id", "other_id"))
    new = []
    for s in found:
        project, other = (s.a, s.b) if s.a in current_ids else (s.b, s.a)
        if (project, other) in existing or (other, project) in existing:
            continue
        new.append(DuplicateFlag(project_id=project, other_id=other, similarity=s.score))
        existing.add((project, other))
    DuplicateFlag.objects.bulk_create(new)
    record(by=by, action="review.duplicates_scan", target=campaign, after={"new_flags": len(new)})
    return len(new)


@transaction.atomic
def decide_duplicate(*, by, flag: DuplicateFlag, decision: str, note: str) -> DuplicateFlag:
    _require_committee(by)
    if decision not in (Decision.DUPLICATE, Decision.DISTINCT):
        raise ValidationError("请选择“认定重复”或“不重复”")
    before = flag.decision
    flag.decision, flag.note, flag.decided_by, flag.decided_at = decision, note.strip()[:200], by, timezone.now()
    flag.save(update_fields=["decision", "note", "decided_by", "decided_at"])
    record(
        by=by,
        action="review.duplicate_decision",
        target=flag,
        before={"decision": before},
        after={"decision": decision, "note": flag.note},
    )
    return flag


# --- Blind mode: attachments that name the unit or a team member ----------------------


@transaction.atomic
def check_blind(*, by, round: ReviewRound) -> int:
    """Scan the round's projects (text fields, attachment names, document properties and
    text) for the unit's name or a team member's name; replace the round's flags."""
    _require_committee(by)
    projects = list(queries.round_candidates(round).prefetch_related("members", "attachments"))
    BlindFlag.objects.filter(round=round).delete()
    flags = []
    for project in projects:
        for hit in blind.leaks(project):
            flags.append(
                BlindFlag(
                    round=round,
                    project=project,
                    attachment=hit.attachment,
                    where=hit.where[:100],
                    found=hit.found[:200],
                )
            )
    BlindFlag.objects.bulk_create(flags)
    record(by=by, action="review.blind_check", target=round, after={"flags": len(flags)})
    return len(flags)


# --- 答辩 schedule by lot ---------------------------------------------------------------


@transaction.atomic
def draw_schedule(*, by, round: ReviewRound, seed: str, starts_at: datetime, minutes: int) -> list[Slot]:
    """公开抽签: the order of the round's projects drawn from a public seed (anyone can
    re-draw it with rules.draw_order), consecutive slots from `starts_at`; each team is told."""
    from wuxiao.reviews import messages

    _require_committee(by)
    if round.kind != RoundKind.DEFENCE:
        raise ValidationError("只有答辩轮次需要抽签排定答辩顺序")
    if not seed.strip():
        raise ValidationError("请填写公开抽签的种子（例如现场公布的数字）")
    if not 1 <= minutes <= 240:
        raise ValidationError(f"每个项目的答辩时长必须在 1 至 240 分钟之间，当前为 {minutes}")
    if not date(2000, 1, 1) <= starts_at.date() <= date(2100, 12, 31):  # a typing slip in the year
        raise ValidationError(f"第一个答辩开始时间 {starts_at:%Y-%m-%d %H:%M} 的年份有误，请检查")
    projects = {p.pk: p for p in queries.round_candidates(round).select_related("leader")}
    if not projects:
        raise ValidationError("本轮没有参加答辩的项目")
    order = rules.draw_order(seed.strip(), projects)
    round.slots.all().delete()
    slots = Slot.objects.bulk_create(
        Slot(
            round=round,
            project_id=pid,
            order=i + 1,
            starts_at=starts_at + timedelta(minutes=i * minutes),
            minutes=minutes,
        )
        for i, pid in enumerate(order)
    )
    ReviewRound.objects.filter(pk=round.pk).update(lot_seed=seed.strip())
    round.lot_seed = seed.strip()
    for slot in slots:
        messages.defence_scheduled(projects[slot.project_id], slot=slot, round=round)
    record(by=by, action="review.draw", target=round, after={"seed": seed.strip(), "order": order})
    return slots


# --- The 竞赛评审小组意见 and 竞赛组委会意见 boxes -----------------------------------------


@transaction.atomic
def record_opinion(*, by, project: Project, step: str, text: str, approved: bool = True) -> Opinion:
    """Fill the panel's or the committee's box of the 申报表 with its decision."""
    _require_committee(by)
    if step not in (OpinionStep.PANEL, OpinionStep.COMMITTEE):
        raise ValidationError("组委会办公室只填写“竞赛评审小组意见”和“竞赛组委会意见”")
    if not Assignment.objects.filter(project=project).exists():
        raise ValidationError(f"项目“{project}”尚未进入评审，不能填写{OpinionStep(step).label}")
    if not text.strip():
        raise ValidationError("意见必须填写")
    opinion = Opinion.objects.create(
        project=project,
        step=step,
        text=text.strip(),
        approved=approved,
        signer=by,
        signer_name=by.display_name,
        # The day the office acts (the demo replays its history on the campaign's own days).
        signed_on=campaign_today(),
    )
    record(by=by, action=f"review.opinion_{step}", target=project, after={"text": opinion.text})
    return opinion
