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


@pytest.fixture
def later_campaign(campaign):
    """The 2025 campaign, with the 2024 one's vocabulary (not current)."""
    from wuxiao.campaigns.models import Campaign

    return Campaign.objects.create(
        slug="liuzhou-2025",
        title="2025年柳州市青年岗位科技“五小”竞赛活动",
        year=2025,
        starts_on=date(2025, 3, 1),
        ends_on=date(2025, 12, 31),
        categories=campaign.categories,
        achievement_forms=campaign.achievement_forms,
    )


@pytest.fixture
def results(city, campaign, alice_committee):
    """Reviews and awards over the city (expected numbers in the comments):

    初评: a_forwarded scored by both experts (complete); b_forwarded scored by one, a draft
          by the other, and a third expert declined (not counted) → 4 assigned, 3 scored,
          2 projects, 1 complete (城中区: 2/2, 1/1; 鱼峰区: 2/1, 1/0).
    复评: a_forwarded assigned to one expert, not started → 1 assigned, 0 scored, 1 project.
    Awards (a draft sheet; tests publish it): a_forwarded 一等奖, a_accepted 三等奖,
          b_forwarded 二等奖, a2_refused 未获奖 (never counted).
    """
    from django.utils import timezone

    from wuxiao.awards.models import Award, AwardLevel, AwardSheet
    from wuxiao.reviews.models import Assignment, AssignmentStatus, Review, ReviewRound

    today = timezone.localdate()
    x, y, z = UserFactory(), UserFactory(), UserFactory()

    def make_round(number, name):
        return ReviewRound.objects.create(
            campaign=campaign, number=number, name=name, opens_on=today, closes_on=today, created_by=alice_committee
        )

    def assign(round, project, expert, *, review=None, status=AssignmentStatus.ACTIVE):
        a = Assignment.objects.create(round=round, project=project, expert=expert, status=status)
        if review == "submitted":
            Review.objects.create(assignment=a, total=Decimal("80"), submitted_at=timezone.now())
        elif review == "draft":
            Review.objects.create(assignment=a, total=None)
        return a

    first, second = make_round(1, "初评"), make_round(2, "复评")
    assign(first, city["a_forwarded"], x, review="submitted")
    assign(first, city["a_forwarded"], y, review="submitted")
    assign(first, city["b_forwarded"], x, review="submitted")
    assign(first, city["b_forwarded"], y, review="draft")
    assign(first, city["b_forwarded"], z, status=AssignmentStatus.DECLINED)
    assign(second, city["a_forwarded"], z)

    sheet = AwardSheet.objects.create(campaign=campaign, total=4)
    for rank, (key, level) in enumerate(
        [
            ("a_forwarded", AwardLevel.FIRST),
            ("b_forwarded", AwardLevel.SECOND),
            ("a_accepted", AwardLevel.THIRD),
            ("a2_refused", AwardLevel.NONE),
        ],
        start=1,
    ):
        Award.objects.create(sheet=sheet, project=city[key], rank=rank, proposed_level=level, level=level)
    return sheet


def publish(sheet):
    from wuxiao.awards.models import ResultStatus

    sheet.status = ResultStatus.PUBLISHED
    sheet.save(update_fields=["status"])
