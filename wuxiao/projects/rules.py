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
from wuxiao.projects.states import ProjectState


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


# -------------------------------------------------------------------------------------
# The unit workflow: the two-advisor rule, the quota check, the opinion chain, progress.


MIN_ADVISORS = 2
OVERDUE_DAYS = 30


def advisor_problem(level: str, advisor_count: int, minimum: int = MIN_ADVISORS) -> str | None:
    """A key project (重点项目) needs at least `minimum` technical advisors."""
    if level == "key" and advisor_count < minimum:
        return f"重点项目需配备至少 {minimum} 名技术顾问，当前 {advisor_count} 名"
    return None


def quota_problem(quota: int, forwarded: int, selected: int) -> str | None:
    """Forwarding `selected` more when `forwarded` are already up must stay within `quota`.
    "已满" only when nothing is left; otherwise the message says how many still fit."""
    if forwarded + selected <= quota:
        return None
    remaining = quota - forwarded
    if remaining <= 0:
        return f"上报名额已满：可报 {quota} 项，已报 {forwarded} 项，本次选择 {selected} 项"
    return f"超出剩余名额：剩余 {remaining} 项，本次选择 {selected} 项（可报 {quota} 项，已报 {forwarded} 项）"


# The opinion chain of 附件2 inside a unit. Decisions: approve, return to the previous step,
# return to the applicant.
APPROVE, RETURN_PREVIOUS, RETURN_APPLICANT = "approve", "previous", "applicant"
CHAIN = list(ProjectState.OPINION_CHAIN)
STEP_OF_STATE = dict(zip(CHAIN, ["workshop", "tech_dept", "league"], strict=True))


def first_result_state(workshop_enabled: bool) -> str:
    return CHAIN[0] if workshop_enabled else CHAIN[1]


def state_after_opinion(state: str, decision: str, workshop_enabled: bool) -> str:
    """Where a result goes after the opinion at `state`. Returning from the first step of
    the chain (the workshop, or the tech department when the unit has no workshop step)
    goes back to the applicant."""
    chain = CHAIN if workshop_enabled else CHAIN[1:]
    if state not in chain:
        raise ValueError(f"{state} is not an opinion step")
    i = chain.index(state)
    if decision == APPROVE:
        return chain[i + 1] if i + 1 < len(chain) else ProjectState.UNIT_APPROVED.value
    if decision == RETURN_PREVIOUS:
        return chain[i - 1] if i > 0 else ProjectState.RESULT_RETURNED.value
    if decision == RETURN_APPLICANT:
        return ProjectState.RESULT_RETURNED.value
    raise ValueError(f"unknown decision {decision}")


@dataclass(frozen=True)
class Progress:
    last_record: date | None
    records: int
    per_month: float
    days_quiet: int
    overdue: bool


def progress(record_dates: list[date], *, since: date, today: date, overdue_days: int = OVERDUE_DAYS) -> Progress:
    """Work-record metrics of one project. `since` is when the work started (acceptance);
    months are counted as 30-day periods, at least one. Overdue = no record in the last
    `overdue_days` days (counting from `since` if there is none yet)."""
    last = max(record_dates) if record_dates else None
    start = min([since, *record_dates]) if record_dates else since
    months = max(1.0, (today - start).days / 30)
    quiet = (today - (last or since)).days
    return Progress(
        last_record=last,
        records=len(record_dates),
        per_month=round(len(record_dates) / months, 1),
        days_quiet=max(0, quiet),
        overdue=quiet > overdue_days,
    )


# What each person should do next with a project, as 我的项目 and the dashboard say it.
LEADER, MEMBER, ADVISOR = "leader", "member", "advisor"
_NEXT_STEP = {
    # state: (the leader's next step, a team member's, an advisor's)
    ProjectState.DRAFT: ("请填写并提交申报表", "等待项目负责人提交申报表", "等待项目负责人提交申报表"),
    ProjectState.SUBMITTED: ("等待单位立项", "等待单位立项", "等待单位立项"),
    ProjectState.RETURNED: (
        "单位已退回，请按意见修改后重新提交",
        "等待项目负责人修改后重新提交",
        "等待项目负责人修改后重新提交",
    ),
    ProjectState.WITHDRAWN: ("已撤回，修改后可重新提交", "等待项目负责人重新提交", "等待项目负责人重新提交"),
    ProjectState.REFUSED: ("未予立项，无需操作", "未予立项，无需操作", "未予立项，无需操作"),
    ProjectState.ACCEPTED: (
        "请填写工作记录，成果收集阶段提交成果",
        "请填写工作记录",
        "请指导攻关并点评工作记录",
    ),
    ProjectState.RESULT_WORKSHOP: ("成果已提交，等待车间（分厂/科室）意见",) * 3,
    ProjectState.RESULT_TECH: ("成果已提交，等待本单位技术部门意见",) * 3,
    ProjectState.RESULT_LEAGUE: ("成果已提交，等待本单位团组织意见",) * 3,
    ProjectState.RESULT_RETURNED: (
        "成果被退回，请按意见修改后重新提交成果",
        "等待项目负责人重新提交成果",
        "请指导修改成果",
    ),
    ProjectState.UNIT_APPROVED: ("单位评审通过，等待单位上报组委会",) * 3,
    ProjectState.FORWARDED: ("已上报组委会，评审在第五阶段",) * 3,
}


def next_step(state: str, *, role: str) -> str:
    """The next step of a project in `state` for its leader, a team member or an advisor."""
    steps = _NEXT_STEP.get(state)
    if steps is None:
        return ""
    return steps[(LEADER, MEMBER, ADVISOR).index(role)]
