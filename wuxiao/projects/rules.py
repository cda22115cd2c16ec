"""Eligibility rules of the notice (五(一) 参加资格) as pure functions over plain values.

The campaign's settings (max_age, the reference date) are passed in, never read here.
"35周岁以下" includes 35 (Civil Code art. 1259: 以下 includes the number); ages are full
years on the reference date, always derived from birth dates.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from wuxiao.lib.dates import age_on


@dataclass(frozen=True)
class Person:
    name: str
    birth_date: date


def mean_age(ages: Sequence[int]) -> Fraction:
    """The exact mean of whole-year ages (no float rounding at the boundary)."""
    if not ages:
        raise ValueError("mean_age needs at least one age")
    return Fraction(sum(ages), len(ages))


def format_mean(mean: Fraction, max_age: int) -> str:
    """One decimal (36.2) unless that would hide why a mean is over the limit (35.01, not 35.0)."""
    exact = Decimal(mean.numerator) / Decimal(mean.denominator)
    for places in range(1, 7):
        shown = exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        if not (mean > max_age and shown <= max_age):
            return f"{shown:.{places}f}"
    return f"{exact:.6f}"


def leader_message(person: Person, age: int, reference_date: date, max_age: int, *, team: bool) -> str:
    who = "项目负责人" if team else "申报人"
    entry = "" if team else "（个人申报）"
    return (
        f"{who}{person.name}{entry} {reference_date.isoformat()} 时年满 {age} 周岁，"
        f"超过 {max_age} 周岁上限（参加资格：35周岁以下，含 {max_age} 周岁）"
    )


def team_message(mean: Fraction, count: int, max_age: int) -> str:
    return f"团队平均年龄 {format_mean(mean, max_age)} 岁（{count} 人，含项目负责人），超过 {max_age} 岁上限"


def eligibility_errors(*, leader: Person, members: Sequence[Person], reference_date: date, max_age: int) -> list[str]:
    """Every eligibility rule the entry breaks, as messages naming the rule and the numbers.

    - the leader (or the individual applicant) is at most `max_age` full years old on
      the reference date;
    - for a team, the mean age of everyone including the leader is at most `max_age`.
    """
    errors = []
    leader_age = age_on(leader.birth_date, reference_date)
    team = bool(members)
    if leader_age > max_age:
        errors.append(leader_message(leader, leader_age, reference_date, max_age, team=team))
    if team:
        ages = [leader_age] + [age_on(m.birth_date, reference_date) for m in members]
        mean = mean_age(ages)
        if mean > max_age:
            errors.append(team_message(mean, len(ages), max_age))
    return errors


def is_eligible(*, leader: Person, members: Sequence[Person], reference_date: date, max_age: int) -> bool:
    return not eligibility_errors(leader=leader, members=members, reference_date=reference_date, max_age=max_age)
