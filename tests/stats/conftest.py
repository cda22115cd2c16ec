"""A known data set for the statistics tests (numbers in the comments are what the tests
expect):

committee ─┬─ 城中区团委 ─┬─ unit_a  (150 young workers): 已提交 机械/小发明 12.5, 已上报 机械/小革新 10,
           │             │                              已立项 化工/小发明 5, and a draft (never counted)
           │             └─ unit_a2 (50): 未予立项 电子/(no form) 0
           └─ 鱼峰区团委 ── unit_b  (200): 已上报 化工/小革新 20, 待技术部门意见 化工/小改造 2.5
Team members: 2 on unit_a's submitted project, 1 on unit_b's forwarded one.
"""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from tests.factories import UserFactory, participation
from tests.unitflow import make_project
from wuxiao.projects.models import TeamMember
from wuxiao.projects.states import ProjectState as S

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: int, month: int = 4):
    return datetime(2024, month, day, 10, 0, tzinfo=SHANGHAI)


def member(project, name):
    return TeamMember.objects.create(
        project=project, name=name, gender="M", birth_date=date(1996, 1, 1), education="bachelor"
    )


@pytest.fixture
def city(campaign, unit_a, unit_a2, unit_b):
    participation(campaign, unit_a, 150)
    participation(campaign, unit_a2, 50)
    participation(campaign, unit_b, 200)
    leader = UserFactory()

    def p(unit, state, category, form, benefit, day, **extra):
        return make_project(
            campaign,
            unit,
            leader,
            state=state,
            category=category,
            achievement_form=form,
            economic_benefit=Decimal(benefit),
            submitted_at=at(day),
            **extra,
        )

    projects = {
        "a_submitted": p(unit_a, S.SUBMITTED, "机械", "小发明", "12.5", 1),
        "a_forwarded": p(unit_a, S.FORWARDED, "机械", "小革新", "10", 2, forwarded_at=at(20, 5), name="送料装置改进"),
        "a_accepted": p(unit_a, S.ACCEPTED, "化工", "小发明", "5", 3),
        "a_draft": p(unit_a, S.DRAFT, "电子", "小发明", "99", 4),
        "a2_refused": p(unit_a2, S.REFUSED, "电子", "", "0", 10),
        "b_forwarded": p(
            unit_b, S.FORWARDED, "化工", "小革新", "20", 11, forwarded_at=at(21, 5), name="反应釜温控优化"
        ),
        "b_tech": p(unit_b, S.RESULT_TECH, "化工", "小改造", "2.5", 12),
    }
    member(projects["a_submitted"], "甲")
    member(projects["a_submitted"], "乙")
    member(projects["b_forwarded"], "丙")
    return projects
