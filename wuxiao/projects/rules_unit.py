"""Pure rules of the unit workflow: the two-advisor rule, the opinion chain, progress
metrics and the quota check. Plain values in, plain values out."""

from dataclasses import dataclass
from datetime import date

MIN_ADVISORS = 2
OVERDUE_DAYS = 30


def advisor_problem(level: str, advisor_count: int, minimum: int = MIN_ADVISORS) -> str | None:
    """A key project (重点项目) needs at least `minimum` technical advisors."""
    if level == "key" and advisor_count < minimum:
        return f"重点项目需配备至少 {minimum} 名技术顾问，当前 {advisor_count} 名"
    return None


def quota_problem(quota: int, forwarded: int, selected: int) -> str | None:
    """Forwarding `selected` more when `forwarded` are already up must stay within `quota`."""
    if forwarded + selected > quota:
        return f"上报名额已满：可报 {quota} 项，已报 {forwarded} 项，本次选择 {selected} 项"
    return None


# The opinion chain of 附件2 inside a unit. Decisions: approve, return to the previous step,
# return to the applicant.
APPROVE, RETURN_PREVIOUS, RETURN_APPLICANT = "approve", "previous", "applicant"
CHAIN = ["result_workshop", "result_tech", "result_league"]
STEP_OF_STATE = {"result_workshop": "workshop", "result_tech": "tech_dept", "result_league": "league"}


def first_result_state(workshop_enabled: bool) -> str:
    return "result_workshop" if workshop_enabled else "result_tech"


def state_after_opinion(state: str, decision: str, workshop_enabled: bool) -> str:
    """Where a result goes after the opinion at `state`. Returning from the first step of
    the chain (the workshop, or the tech department when the unit has no workshop step)
    goes back to the applicant."""
    chain = CHAIN if workshop_enabled else CHAIN[1:]
    if state not in chain:
        raise ValueError(f"{state} is not an opinion step")
    i = chain.index(state)
    if decision == APPROVE:
        return chain[i + 1] if i + 1 < len(chain) else "unit_approved"
    if decision == RETURN_PREVIOUS:
        return chain[i - 1] if i > 0 else "result_returned"
    if decision == RETURN_APPLICANT:
        return "result_returned"
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
