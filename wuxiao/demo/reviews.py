"""The demo's 评审认定: an expert pool from the city's experts, and

- the 2024 campaign's history: one round, every forwarded project reviewed by three experts,
  all reviews submitted, the panel's and the committee's opinions on the top projects;
- the current campaign, when today is in stage 5 (评审认定) or later: a round with
  assignments and part-finished scores (the `expert` account has some of each).

Everything goes through reviews.services, as the committee and the experts would."""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from wuxiao.campaigns.models import Campaign, StageKind
from wuxiao.campaigns.services import acting_on
from wuxiao.people.models import Membership, Role, User
from wuxiao.reviews import queries, services
from wuxiao.reviews.models import Assignment, ExpertProfile, ReviewRound

EMPLOYERS = ["柳州职业技术学院", "广西科技大学", "柳州市科学技术协会", "柳州市工业和信息化局", "柳钢集团技术中心"]
TITLES = ["高级工程师", "教授", "副教授", "正高级工程师", "高级技师"]


def build_expert_pool(campaign: Campaign, *, seed: int) -> list[ExpertProfile]:
    """A profile (categories, employer, title) for every expert of the city without one."""
    rng = random.Random(seed)
    categories = [c for c in campaign.categories if c != "其他"] or ["机械"]
    made = []
    experts = User.objects.filter(memberships__role=Role.EXPERT, expert_profile__isnull=True).distinct().order_by("pk")
    for user in experts:
        made.append(
            ExpertProfile.objects.create(
                user=user,
                employer=rng.choice(EMPLOYERS),
                title=rng.choice(TITLES),
                categories=rng.sample(categories, k=min(len(categories), rng.choice([2, 3]))),
            )
        )
    return made


def _committee_admin() -> User:
    from wuxiao.campaigns.services import committee_organisation

    return (
        Membership.objects.filter(organisation=committee_organisation(), role=Role.ADMIN, user__username="committee")
        .select_related("user")
        .first()
        or Membership.objects.filter(organisation=committee_organisation(), role=Role.ADMIN)
        .select_related("user")
        .first()
    ).user


def _score(rng: random.Random, quality: float, bias: float, criteria) -> dict[int, Decimal]:
    out = {}
    for c in criteria:
        value = max(0.0, min(float(c.max_score), (quality + bias + rng.gauss(0, 0.8)) * float(c.max_score) / 10))
        out[c.pk] = Decimal(str(round(value * 2) / 2))  # half points, as experts give them
    return out


def round_half(x: float) -> int:
    return int(x + 0.5)


def build_round(
    campaign: Campaign, *, seed: int, share_done: float, today: date, opinions: bool = False
) -> ReviewRound | None:
    """One round over the campaign's forwarded projects, assigned, `share_done` of the
    reviews submitted (some of the rest saved as drafts) on `today`."""
    by = _committee_admin()
    window = campaign.stages.get(kind=StageKind.REVIEW)
    if campaign.review_rounds.exists():
        return None
    round = services.create_round(
        by=by,
        campaign=campaign,
        name="初评",
        opens_on=window.starts_on,
        closes_on=window.ends_on - timedelta(days=7)
        if window.ends_on - window.starts_on > timedelta(days=14)
        else window.ends_on,
        experts_per_project=3,
        max_per_expert=200,
    )
    projects = list(queries.round_candidates(round))
    if not projects:
        return round
    experts = len(queries.expert_pool())
    round.max_per_expert = max(5, -(-3 * len(projects) // max(experts, 1)) + 5)
    # A small demo city (--scale) may have too few experts free of conflicts for three per
    # project: then two, then one, as a committee would settle for.
    for k in (3, 2, 1):
        round.experts_per_project = k
        round.save(update_fields=["max_per_expert", "experts_per_project"])
        try:
            with transaction.atomic():
                services.assign_round(by=by, round=round, seed=seed)
            break
        except ValidationError:
            continue
    rng = random.Random(seed)
    quality = {p.pk: rng.uniform(5, 9.5) for p in projects}
    criteria = list(round.criteria.all())
    day = min(max(today, round.opens_on), round.closes_on)
    by_expert: dict[int, list[Assignment]] = {}
    for a in Assignment.objects.filter(round=round).select_related("expert").order_by("pk"):
        by_expert.setdefault(a.expert_id, []).append(a)
    for mine in by_expert.values():
        bias = rng.uniform(-1.5, 1.5)
        # Each expert submits their share, keeps one draft and leaves the rest untouched,
        # so a part-finished round shows every status (even in a small demo city).
        if share_done >= 1:
            done = len(mine)
        elif len(mine) == 1:
            done = int(rng.random() < share_done)
        else:
            done = min(len(mine) - 1, max(1, round_half(len(mine) * share_done)))
        for i, a in enumerate(mine):
            if i > done:
                break
            services.save_review(
                by=a.expert,
                assignment=a,
                scores=_score(rng, quality[a.project_id], bias, criteria),
                comment=rng.choice(["创新点明确，实用性强。", "效益测算依据充分。", "建议补充推广应用情况。", ""]),
                submit=i < done,
                today=day,
            )
    if opinions:
        ranked = queries.ranking(round)
        # Signed on the round's day, inside the 2024 campaign, not on the day the demo is built.
        with acting_on(day):
            for row in ranked[: max(1, len(ranked) // 4)]:
                services.record_opinion(
                    by=by, project=row.project, step="panel", text="经评审小组评议，建议授予一等奖。"
                )
                services.record_opinion(by=by, project=row.project, step="committee", text="同意评审小组意见。")
    return round


def build_reviews(*, base: Campaign, current: Campaign, stage: str, today: date, seed: int) -> dict[str, int]:
    build_expert_pool(base, seed=seed)
    history = base.stages.get(kind=StageKind.REVIEW)
    done = build_round(base, seed=seed, share_done=1.0, today=history.starts_on + timedelta(days=10), opinions=True)
    counts = {"history_round": int(done is not None)}
    if stage in (StageKind.REVIEW, StageKind.PROMOTION):
        current_round = build_round(
            current, seed=seed + 1, share_done=0.55 if stage == StageKind.REVIEW else 1.0, today=today
        )
        counts["current_round"] = int(current_round is not None)
    return counts
