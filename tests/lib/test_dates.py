"""age_on: full years on a date; the birthday itself counts; 29 February → 1 March."""

import calendar
from datetime import date, timedelta

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from wuxiao.lib.dates import EARLIEST_BIRTH_DATE, age_on, birth_date_problem, format_cn, impossible_date_message

births = st.dates(min_value=date(1940, 1, 1), max_value=date(2020, 12, 31))
days = st.dates(min_value=date(1940, 1, 1), max_value=date(2090, 12, 31))


@given(births, days, days)
def test_age_never_goes_down_as_the_date_moves_on(birth, d1, d2):
    assume(birth <= d1 <= d2)
    assert age_on(birth, d1) <= age_on(birth, d2)


@given(births)
def test_age_is_zero_on_the_day_of_birth(birth):
    assert age_on(birth, birth) == 0


@given(births, st.integers(min_value=1, max_value=70))
def test_the_birthday_counts_and_the_day_before_does_not(birth, years):
    assume((birth.month, birth.day) != (2, 29))
    birthday = birth.replace(year=birth.year + years)
    assert age_on(birth, birthday) == years
    assert age_on(birth, birthday - timedelta(days=1)) == years - 1


@given(st.sampled_from([y for y in range(1944, 2021) if calendar.isleap(y)]), st.integers(min_value=1, max_value=60))
def test_29_february_births_come_of_age_on_1_march_in_common_years(leap_year, years):
    birth = date(leap_year, 2, 29)
    year = leap_year + years
    if calendar.isleap(year):
        assert age_on(birth, date(year, 2, 29)) == years
        assert age_on(birth, date(year, 2, 28)) == years - 1
    else:
        assert age_on(birth, date(year, 3, 1)) == years
        assert age_on(birth, date(year, 2, 28)) == years - 1


@given(births, days)
def test_age_matches_counting_birthdays(birth, on):
    assume(birth <= on)
    passed = 0
    for year in range(birth.year + 1, on.year + 1):
        # the n-th birthday: the same day, or 1 March for 29 February in a common year
        birthday = (
            date(year, 3, 1)
            if (birth.month, birth.day) == (2, 29) and not calendar.isleap(year)
            else birth.replace(year=year)
        )
        passed += birthday <= on
    assert age_on(birth, on) == passed


@pytest.mark.parametrize(
    ("birth", "on", "age"),
    [
        (date(1989, 5, 31), date(2024, 5, 31), 35),  # 35 on the reference date: still eligible
        (date(1989, 6, 1), date(2024, 5, 31), 34),
        (date(1989, 5, 30), date(2024, 5, 31), 35),
        (date(1988, 6, 1), date(2024, 5, 31), 35),
        (date(1988, 5, 31), date(2024, 5, 31), 36),
        (date(2000, 2, 29), date(2023, 2, 28), 22),
        (date(2000, 2, 29), date(2023, 3, 1), 23),
        (date(2000, 2, 29), date(2024, 2, 29), 24),
    ],
)
def test_examples(birth, on, age):
    assert age_on(birth, on) == age


def test_format_cn():
    assert format_cn(date(2024, 5, 1)) == "2024年5月1日"
    assert format_cn(date(2024, 12, 31)) == "2024年12月31日"
    assert format_cn(None) == ""


@given(st.dates(), st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 1, 1)))
def test_a_birth_date_is_accepted_exactly_between_1900_and_today(birth, today):
    problem = birth_date_problem(birth, today=today)
    assert (problem is None) == (EARLIEST_BIRTH_DATE <= birth <= today)
    if problem:
        assert birth.isoformat() in problem


@given(st.dates())
def test_every_real_date_is_not_called_impossible(day):
    assert impossible_date_message(day.isoformat()) is None


@given(st.integers(1000, 9999), st.integers(1, 12), st.integers(29, 99))
def test_a_day_past_the_month_end_is_named_impossible(year, month, day):
    last = calendar.monthrange(year, month)[1]
    assume(day > last)
    message = impossible_date_message(f"{year}-{month:02d}-{day:02d}")
    assert message == f"不存在的日期：{year}-{month:02d}-{day:02d}（{year} 年 {month} 月只有 {last} 天）"


def test_impossible_dates_in_chinese_and_what_is_merely_malformed():
    assert impossible_date_message("2023-02-30") == "不存在的日期：2023-02-30（2023 年 2 月只有 28 天）"
    assert impossible_date_message("2024年13月1日") == "不存在的日期：2024年13月1日（月份应为 1–12）"
    assert impossible_date_message("2024-02-29") is None
    assert impossible_date_message("六月一日") is None


def _date_forms():
    from wuxiao.console.review_forms import RoundForm, ScheduleForm
    from wuxiao.console.salons import SalonForm

    return [
        (RoundForm, "opens_on", "2025-02-30"),
        (RoundForm, "closes_on", "2025-02-30"),
        (ScheduleForm, "starts_at", "2025-02-30T09:00"),
        (SalonForm, "starts_at", "2025-02-30T14:30"),
        (SalonForm, "signup_deadline", "2025-02-30 14:30"),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("index", range(5))
def test_every_form_with_dates_names_a_day_that_does_not_exist(index):
    form_class, field, value = _date_forms()[index]
    form = form_class(data={field: value})
    form.is_valid()
    assert form.errors[field] == ["不存在的日期：2025-02-30（2025 年 2 月只有 28 天）"]


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["starts_at", "signup_deadline"])
@pytest.mark.parametrize("value", ["0001-01-01T00:00", "9999-12-31T23:59"])
def test_event_times_outside_the_century_are_refused(field, value):
    from wuxiao.console.review_forms import ScheduleForm
    from wuxiao.console.salons import SalonForm

    for form in (SalonForm(data={field: value}), ScheduleForm(data={"starts_at": value})):
        form.is_valid()
        name = field if field in form.fields else "starts_at"
        assert "不在 2000–2099 年之间，请检查年份" in form.errors[name][0]
