"""Eligibility (通知五(一)): leader age, team mean age, boundary cases."""

from datetime import date, timedelta
from fractions import Fraction

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from wuxiao.lib.dates import age_on
from wuxiao.projects.rules import (
    ADVISOR,
    LEADER,
    MEMBER,
    Person,
    eligibility_errors,
    format_mean,
    is_eligible,
    mean_age,
    next_step,
)
from wuxiao.projects.states import ProjectState

REF = date(2024, 5, 1)


def born_aged(years: int, extra_days: int = 0, ref: date = REF) -> date:
    """A birth date making someone exactly `years` full years old on `ref`, plus extra days."""
    return ref.replace(year=ref.year - years) - timedelta(days=extra_days)


def check(leader_birth, members=(), max_age=35, ref=REF):
    return eligibility_errors(
        leader=Person("韦某某", leader_birth),
        members=[Person(f"成员{i}", b) for i, b in enumerate(members)],
        reference_date=ref,
        max_age=max_age,
    )


def test_exactly_35_is_eligible():
    assert check(born_aged(35)) == []


def test_35_years_and_364_days_is_still_35_and_eligible():
    ref = date(2023, 5, 1)  # no 29 February between the 35th birthday and the reference date
    birth = date(1987, 5, 2)  # 35th birthday 2022-05-02, turns 36 on 2023-05-02
    assert (ref - birth.replace(year=2022)).days == 364
    assert age_on(birth, ref) == 35
    assert check(birth, ref=ref) == []
    # the same in a leap year is 35 years and 365 days: still 35
    assert check(date(1988, 5, 2)) == []


def test_turning_36_on_the_reference_date_is_refused_with_numbers():
    assert check(date(1988, 5, 1)) == [
        "申报人韦某某（个人申报） 2024-05-01 时年满 36 周岁，超过 35 周岁上限（参加资格：35周岁以下，含 35 周岁）"
    ]


def test_team_leader_over_the_limit_is_named_as_leader():
    errors = check(date(1988, 5, 1), members=[born_aged(20)])
    assert errors == [
        "项目负责人韦某某 2024-05-01 时年满 36 周岁，超过 35 周岁上限（参加资格：35周岁以下，含 35 周岁）"
    ]


def test_team_mean_exactly_35_passes():
    # 30 + 40 → mean 35.0 (a member over 35 is fine as long as the mean is not)
    assert check(born_aged(30), members=[born_aged(40)]) == []


def test_team_mean_36_2_is_refused_with_the_mean():
    # leader 35, members 35, 36, 37, 38 → 181 / 5 = 36.2
    errors = check(born_aged(35), members=[born_aged(35), born_aged(36), born_aged(37), born_aged(38)])
    assert errors == ["团队平均年龄 36.2 岁（5 人，含项目负责人），超过 35 岁上限"]


def test_team_mean_35_01_is_refused_and_shown_with_two_decimals():
    # 99 people of 35 and one of 36 → 3501 / 100 = 35.01
    errors = check(born_aged(35), members=[born_aged(35)] * 98 + [born_aged(36)])
    assert errors == ["团队平均年龄 35.01 岁（100 人，含项目负责人），超过 35 岁上限"]


def test_leader_and_mean_both_broken_gives_both_messages():
    errors = check(born_aged(40), members=[born_aged(40)])
    assert len(errors) == 2
    assert errors[0].startswith("项目负责人韦某某 2024-05-01 时年满 40 周岁")
    assert errors[1] == "团队平均年龄 40.0 岁（2 人，含项目负责人），超过 35 岁上限"


def test_max_age_is_a_setting():
    assert check(born_aged(36), max_age=40) == []
    assert check(born_aged(31), max_age=30) != []


def test_29_february_birth_turns_a_year_older_on_1_march_in_common_years():
    birth = date(1988, 2, 29)
    assert age_on(birth, date(2023, 2, 28)) == 34
    assert age_on(birth, date(2023, 3, 1)) == 35
    assert age_on(birth, date(2024, 2, 29)) == 36
    assert check(birth, ref=date(2024, 2, 28)) == []
    assert check(birth, ref=date(2024, 2, 29)) != []


def test_format_mean():
    assert format_mean(Fraction(181, 5), 35) == "36.2"
    assert format_mean(Fraction(3501, 100), 35) == "35.01"
    assert format_mean(Fraction(35), 35) == "35.0"
    assert format_mean(Fraction(35001, 1000), 35) == "35.001"


dates = st.dates(min_value=date(1950, 1, 1), max_value=date(2030, 12, 31))


days = st.integers(min_value=0, max_value=30000)


@settings(deadline=None)
@given(birth=dates, a=days, b=days)
def test_age_is_monotonic_in_the_date(birth, a, b):
    d1 = birth + timedelta(days=min(a, b))
    d2 = birth + timedelta(days=max(a, b))
    assert 0 <= age_on(birth, d1) <= age_on(birth, d2)


@given(birth=dates, years=st.integers(min_value=0, max_value=80))
def test_the_birthday_itself_counts(birth, years):
    assume(not (birth.month == 2 and birth.day == 29))
    anniversary = birth.replace(year=birth.year + years)
    assert age_on(birth, anniversary) == years
    assert age_on(birth, anniversary - timedelta(days=1)) == years - 1


@given(birth=dates, offset=days, max_age=st.integers(min_value=18, max_value=60))
def test_individual_entry_eligible_iff_age_at_most_max(birth, offset, max_age):
    ref = birth + timedelta(days=offset)
    eligible = is_eligible(leader=Person("甲", birth), members=[], reference_date=ref, max_age=max_age)
    assert eligible == (age_on(birth, ref) <= max_age)


@given(
    ages=st.lists(st.integers(min_value=16, max_value=60), min_size=2, max_size=12),
    max_age=st.integers(min_value=30, max_value=40),
)
def test_team_rule_is_leader_and_exact_mean(ages, max_age):
    births = [born_aged(a) for a in ages]
    errors = check(births[0], members=births[1:], max_age=max_age)
    leader_ok = ages[0] <= max_age
    mean_ok = Fraction(sum(ages), len(ages)) <= max_age
    assert (errors == []) == (leader_ok and mean_ok)
    assert len(errors) == (not leader_ok) + (not mean_ok)


@given(ages=st.lists(st.integers(min_value=16, max_value=60), min_size=1, max_size=12))
def test_mean_does_not_depend_on_order(ages):
    assert mean_age(ages) == mean_age(list(reversed(ages)))


@given(
    ages=st.lists(st.integers(min_value=16, max_value=35), min_size=1, max_size=10),
    younger=st.integers(min_value=16, max_value=35),
)
def test_an_eligible_team_stays_eligible_when_a_younger_member_joins(ages, younger):
    births = [born_aged(a) for a in ages]
    assume(check(births[0], members=births[1:]) == [])
    assume(younger <= min(ages))
    assert check(births[0], members=[*births[1:], born_aged(younger)]) == []


# --- next step (我的项目, the dashboard) ------------------------------------------------------


@given(st.sampled_from(list(ProjectState)), st.sampled_from([LEADER, MEMBER, ADVISOR]))
def test_every_state_tells_every_role_a_next_step(state, role):
    assert next_step(state, role=role)


def test_next_steps_the_notice_s_people_read():
    assert next_step(ProjectState.SUBMITTED, role=LEADER) == "等待单位立项"
    assert next_step(ProjectState.ACCEPTED, role=MEMBER) == "请填写工作记录"
    assert next_step(ProjectState.ACCEPTED, role=ADVISOR) == "请指导攻关并点评工作记录"
    assert next_step(ProjectState.FORWARDED, role=LEADER) == "已上报组委会，评审在第五阶段"
    assert next_step("no-such-state", role=LEADER) == ""


# --- the timeline: who did what ---------------------------------------------------------------


def test_the_timeline_names_the_role_and_what_was_done():
    from wuxiao.projects.states import event_actor_role, event_verb

    S = ProjectState
    assert (event_actor_role(S.RESULT_TECH, S.RESULT_LEAGUE), event_verb(S.RESULT_TECH, S.RESULT_LEAGUE)) == (
        "技术部门",
        "提出意见（同意）",
    )
    assert event_verb(S.RESULT_TECH, S.RESULT_RETURNED) == "提出意见（退回）"
    assert (event_actor_role(S.SUBMITTED, S.RETURNED), event_verb(S.SUBMITTED, S.RETURNED)) == (
        "单位团组织",
        "退回修改",
    )
    assert event_verb(S.ACCEPTED, S.RESULT_WORKSHOP) == "提交成果"
    assert event_verb(S.RETURNED, S.SUBMITTED) == "重新提交申报"
    assert event_actor_role(S.FORWARDED, S.UNIT_APPROVED) == "组委会"
    assert (event_actor_role("", S.DRAFT), event_verb("", S.DRAFT)) == ("项目负责人", "创建草稿")


@given(st.sampled_from(list(ProjectState)))
def test_every_allowed_move_has_a_role_and_a_verb(from_state):
    from wuxiao.projects.states import TRANSITIONS, event_actor_role, event_verb

    for to_state in TRANSITIONS.get(from_state, {}):
        assert event_actor_role(from_state, to_state) and event_verb(from_state, to_state)
        assert not event_verb(from_state, to_state).startswith("变更")
