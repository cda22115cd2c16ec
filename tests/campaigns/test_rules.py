"""Quota from headcount and award caps: SPEC's readings as pure functions."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wuxiao.campaigns.rules import AwardCaps, QuotaSettings, award_caps, quota

headcounts = st.integers(min_value=0, max_value=2_000_000)


@pytest.mark.parametrize(
    ("young_workers", "expected"),
    [
        (0, 5),
        (1, 5),
        (99, 5),
        (100, 5),
        (199, 5),
        (200, 10),
        (299, 10),
        (300, 15),
        (9999, 495),
        (10000, 500),
        (10100, 500),
        (1_000_000, 500),
    ],
)
def test_quota_boundaries(young_workers, expected):
    assert quota(young_workers) == expected


@given(headcounts, headcounts)
def test_quota_grows_with_the_headcount(a, b):
    low, high = sorted((a, b))
    assert quota(low) <= quota(high)


@given(headcounts)
def test_quota_is_spec_formula_within_minimum_and_cap(n):
    assert quota(n) == min(500, 5 * max(1, n // 100))
    assert 5 <= quota(n) <= 500
    assert quota(n) % 5 == 0


@given(headcounts, st.integers(1, 500), st.integers(1, 20), st.integers(0, 20), st.integers(1, 2000))
def test_quota_with_other_settings_stays_between_minimum_and_cap(n, block, per_block, minimum, cap):
    s = QuotaSettings(block_size=block, per_block=per_block, minimum=minimum, cap=cap)
    assert quota(n, s) <= cap
    assert quota(n, s) >= min(minimum, cap)
    assert quota(n, s) == min(cap, max(minimum, per_block * (n // block)))


def test_negative_headcount_is_refused():
    with pytest.raises(ValueError, match="young_workers must be ≥ 0"):
        quota(-1)


@pytest.mark.parametrize(
    ("total", "expected"),
    [(0, (0, 0, 0)), (9, (0, 2, 4)), (10, (1, 2, 5)), (39, (3, 9, 19)), (40, (4, 10, 20)), (101, (10, 25, 50))],
)
def test_award_caps_each_level(total, expected):
    assert award_caps(total) == dict(zip(["first", "second", "third"], expected, strict=True))


@pytest.mark.parametrize(
    ("total", "expected"),
    [(0, (0, 0, 0)), (9, (0, 2, 2)), (10, (1, 1, 3)), (39, (3, 6, 10)), (40, (4, 6, 10))],
)
def test_award_caps_cumulative(total, expected):
    caps = award_caps(total, AwardCaps(cumulative=True))
    assert caps == dict(zip(["first", "second", "third"], expected, strict=True))


percentages = st.integers(0, 100)


@given(st.integers(0, 1_000_000), percentages, percentages, percentages)
def test_each_level_is_the_floor_of_p_times_n(total, p1, p2, p3):
    caps = award_caps(total, AwardCaps(first_pct=p1, second_pct=p2, third_pct=p3))
    assert caps == {"first": total * p1 // 100, "second": total * p2 // 100, "third": total * p3 // 100}


@given(st.integers(0, 1_000_000), st.lists(percentages, min_size=3, max_size=3).map(sorted))
def test_cumulative_levels_add_up_to_the_floor_of_each_percentage(total, pcts):
    p1, p2, p3 = pcts
    caps = award_caps(total, AwardCaps(first_pct=p1, second_pct=p2, third_pct=p3, cumulative=True))
    assert caps["first"] == total * p1 // 100
    assert caps["first"] + caps["second"] == total * p2 // 100
    assert caps["first"] + caps["second"] + caps["third"] == total * p3 // 100
    assert min(caps.values()) >= 0
