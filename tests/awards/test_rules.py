"""Award allocation: caps never exceeded, ranking respected, ties at a boundary flagged."""

from collections import Counter
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wuxiao.awards import rules
from wuxiao.awards.rules import FIRST, NONE, SECOND, SPECIAL, THIRD, Ranked
from wuxiao.campaigns.rules import AwardCaps

SEPARATE, CUMULATIVE = AwardCaps(), AwardCaps(cumulative=True)
ORDER = [rules.SPECIAL, FIRST, SECOND, THIRD, NONE]


def ranking_of(scores):
    """Best first, as the review's ranking hands it over."""
    return [Ranked(project_id=i + 1, score=s) for i, s in enumerate(sorted(scores, reverse=True))]


def levels(proposal):
    return [p.level for p in proposal]


@pytest.mark.parametrize(
    ("n", "separate", "cumulative"),
    [
        (0, (0, 0, 0), (0, 0, 0)),
        (1, (0, 0, 0), (0, 0, 0)),
        (4, (0, 1, 2), (0, 1, 1)),
        (7, (0, 1, 3), (0, 1, 2)),
        (9, (0, 2, 4), (0, 2, 2)),
        (10, (1, 2, 5), (1, 1, 3)),
        (11, (1, 2, 5), (1, 1, 3)),
        (20, (2, 5, 10), (2, 3, 5)),
        (39, (3, 9, 19), (3, 6, 10)),
        (1000, (100, 250, 500), (100, 150, 250)),
    ],
)
def test_limits_at_small_and_large_n(n, separate, cumulative):
    for caps, expected in ((SEPARATE, separate), (CUMULATIVE, cumulative)):
        lim = rules.limits(total=n, specials=0, caps=caps)
        assert (lim.cap(FIRST), lim.cap(SECOND), lim.cap(THIRD)) == expected


def test_ten_projects_separate_caps_give_one_two_five():
    proposal = rules.allocate(ranking_of([Decimal(90 - i) for i in range(10)]), rules.limits(total=10, specials=0))
    assert levels(proposal) == [FIRST, SECOND, SECOND, THIRD, THIRD, THIRD, THIRD, THIRD, NONE, NONE]
    assert all(p.tie_note == "" for p in proposal)


def test_specials_are_outside_the_caps_unless_the_campaign_says_otherwise():
    ranking = ranking_of([Decimal(90 - i) for i in range(10)])
    outside = rules.allocate(ranking, rules.limits(total=10, specials=1))
    assert levels(outside)[:4] == [SPECIAL, FIRST, SECOND, SECOND]
    inside = rules.allocate(ranking, rules.limits(total=10, specials=1, specials_in_caps=True))
    assert levels(inside)[:4] == [SPECIAL, SECOND, SECOND, THIRD]
    assert Counter(levels(inside))[FIRST] == 0


def test_a_tie_across_the_first_prize_boundary_is_flagged_not_broken_silently():
    scores = [Decimal("95"), Decimal("88.5"), Decimal("88.5"), Decimal("80")] + [Decimal(70 - i) for i in range(6)]
    proposal = rules.allocate(ranking_of(scores), rules.limits(total=10, specials=0))
    # 一等奖 has one place; the 2nd and 3rd share 88.5 but sit both inside 二等奖 (2 places): no flag.
    assert [p.tie_note != "" for p in proposal[:4]] == [False, False, False, False]
    scores = [Decimal("95"), Decimal("95"), Decimal("80")] + [Decimal(70 - i) for i in range(7)]
    proposal = rules.allocate(ranking_of(scores), rules.limits(total=10, specials=0))
    assert levels(proposal)[:2] == [FIRST, SECOND]
    assert proposal[0].tie_note == proposal[1].tie_note
    assert "2 个项目得分同为 95" in proposal[0].tie_note
    assert "一等奖与二等奖" in proposal[0].tie_note
    assert proposal[2].tie_note == ""


def test_unscored_projects_get_no_prize():
    ranking = [Ranked(1, Decimal("80")), Ranked(2, None), Ranked(3, None)]
    proposal = rules.allocate(ranking, rules.limits(total=10, specials=0))
    assert levels(proposal) == [FIRST, NONE, NONE]


def test_over_cap_adjustment_names_the_numbers():
    lim = rules.limits(total=30, specials=1)
    counts = {FIRST: 3, SECOND: 6}
    assert (
        rules.adjustment_problem(level=FIRST, counts=counts, lim=lim, current=SECOND)
        == "一等奖最多 3 项（30 项上报项目），已定 3 项"
    )
    assert rules.adjustment_problem(level=SECOND, counts=counts, lim=lim, current=FIRST) is None
    assert rules.adjustment_problem(level=FIRST, counts=counts, lim=lim, current=FIRST) is None
    assert rules.adjustment_problem(level=NONE, counts=counts, lim=lim, current=FIRST) is None
    assert (
        rules.adjustment_problem(level=SPECIAL, counts={SPECIAL: 1}, lim=lim, current=FIRST)
        == "特等奖最多 1 项（组委会设定），已定 1 项"
    )


scores = st.lists(st.one_of(st.none(), st.decimals(0, 100, places=1)), max_size=120)


@settings(max_examples=300, deadline=None)
@given(
    scores=scores,
    extra=st.integers(0, 50),
    specials=st.integers(0, 5),
    cumulative=st.booleans(),
    inside=st.booleans(),
)
def test_caps_never_exceeded_order_respected_ties_flagged(scores, extra, specials, cumulative, inside):
    scored = sorted((s for s in scores if s is not None), reverse=True)
    ranking = [Ranked(i + 1, s) for i, s in enumerate(scored + [None] * (len(scores) - len(scored)))]
    total = len(ranking) + extra  # N counts every forwarded project, ranked or not
    caps = CUMULATIVE if cumulative else SEPARATE
    lim = rules.limits(total=total, specials=specials, caps=caps, specials_in_caps=inside)
    proposal = rules.allocate(ranking, lim)
    counts = Counter(levels(proposal))
    # Caps hold for every level, in both modes; cumulative caps hold for levels 1..k together.
    plain = rules.limits(total=total, specials=0, caps=SEPARATE)
    for level in (FIRST, SECOND, THIRD):
        assert counts[level] <= lim.cap(level)
    if cumulative:
        assert counts[FIRST] <= plain.cap(FIRST)
        assert counts[FIRST] + counts[SECOND] <= plain.cap(SECOND)
        assert counts[FIRST] + counts[SECOND] + counts[THIRD] <= plain.cap(THIRD)
    if inside:
        assert counts[SPECIAL] + counts[FIRST] <= plain.cap(FIRST)
    assert counts[SPECIAL] <= specials
    # The ranking is respected: a better-ranked project never gets a lower level.
    idx = [ORDER.index(level) for level in levels(proposal)]
    assert idx == sorted(idx)
    # Every place that can be given is given, to scored projects only.
    assert sum(counts[level] for level in rules.LEVELS) == min(len(scored), sum(lim.caps.values()))
    assert all(p.level == NONE for p, r in zip(proposal, ranking, strict=True) if r.score is None)
    # A tie across a boundary is flagged on both sides; no flag without a tie.
    for i in range(len(proposal) - 1):
        a, b = ranking[i], ranking[i + 1]
        if a.score is not None and a.score == b.score and proposal[i].level != proposal[i + 1].level:
            assert proposal[i].tie_note and proposal[i + 1].tie_note
    for i, p in enumerate(proposal):
        if p.tie_note:
            assert any(
                ranking[j].score == ranking[i].score and proposal[j].level != p.level for j in range(len(proposal))
            )
