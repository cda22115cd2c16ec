"""Dates: ages in full years, Chinese date formatting."""

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
