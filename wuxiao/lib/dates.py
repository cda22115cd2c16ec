"""Dates: ages in full years, Chinese date formatting."""

import calendar
import re
from datetime import date


def age_on(birth_date: date, on: date) -> int:
    """Full years of age on a date. The birthday itself counts; a 29 February birthday
    is reached on 1 March in common years (the day after 28 February)."""
    years = on.year - birth_date.year
    if (on.month, on.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def format_cn(value: date | None) -> str:
    """2024-05-01 → 2024年5月1日."""
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


EARLIEST_BIRTH_DATE = date(1900, 1, 1)


def birth_date_problem(birth_date: date | None, *, today: date, what: str = "出生日期") -> str | None:
    """A birth date no living applicant can have: before 1900 or after today. The message
    names the rule and the date (e.g. "出生日期 0001-01-01 早于 1900-01-01")."""
    if birth_date is None:
        return None
    if birth_date < EARLIEST_BIRTH_DATE:
        return f"{what} {birth_date.isoformat()} 早于 {EARLIEST_BIRTH_DATE.isoformat()}，请检查年份"
    if birth_date > today:
        return f"{what} {birth_date.isoformat()} 晚于今天（{today.isoformat()}）"
    return None


_DATE_SHAPE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")


def impossible_date_message(text: str) -> str | None:
    """For text shaped like a date whose day does not exist (2023-02-30, 2024-13-01):
    "不存在的日期" naming the month's last day; None when the text is not date-shaped
    or is a real date."""
    match = _DATE_SHAPE.match(text or "")
    if not match:
        return None
    year, month, day = (int(g) for g in match.groups())
    if not 1 <= month <= 12:
        return f"不存在的日期：{text.strip()}（月份应为 1–12）"
    last = calendar.monthrange(year, month)[1] if year >= 1 else 31
    if not 1 <= day <= last:
        return f"不存在的日期：{text.strip()}（{year} 年 {month} 月只有 {last} 天）"
    return None
