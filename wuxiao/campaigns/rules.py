"""The notice's rules as pure functions over plain values; settings are passed in."""

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class QuotaSettings:
    block_size: int = 100
    per_block: int = 5
    minimum: int = 5
    cap: int = 500


def quota(young_workers: int, s: QuotaSettings = QuotaSettings()) -> int:
    """上报名额: 100 young workers → 5, each further full 100 → 5 more, at most 500.
    A unit under one block still gets the minimum (SPEC's reading)."""
    if young_workers < 0:
        raise ValueError("young_workers must be ≥ 0")
    return min(s.cap, max(s.minimum, s.per_block * (young_workers // s.block_size)))


@dataclass(frozen=True)
class AwardCaps:
    first_pct: int = 10
    second_pct: int = 25
    third_pct: int = 50
    cumulative: bool = False


def award_caps(total: int, caps: AwardCaps = AwardCaps()) -> dict[str, int]:
    """Most projects per level out of `total` forwarded: ⌊p × N⌋ ("不超过").
    Cumulative mode caps levels 1..k together at the k-th percentage."""
    first = math.floor(total * caps.first_pct / 100)
    second = math.floor(total * caps.second_pct / 100)
    third = math.floor(total * caps.third_pct / 100)
    if caps.cumulative:
        return {"first": first, "second": second - first, "third": third - second}
    return {"first": first, "second": second, "third": third}
