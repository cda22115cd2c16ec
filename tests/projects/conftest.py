"""Fixtures for projects: an open registration stage and a complete 申报表."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.factories import UserFactory, grant, open_stage
from wuxiao.campaigns.models import StageKind
from wuxiao.campaigns.services import stages_changed
from wuxiao.people.models import Role

VALID = {
    "name": "焊装线夹具快换结构改进",
    "economic_benefit": Decimal("12.50"),
    "start_date": date(2024, 6, 1),
    "end_date": date(2024, 12, 31),
    "patent_eligible": True,
    "patent_filed": False,
    "patent_willing": True,
    "category": "机械",
    "category_other": "",
    "achievement_form": "小革新",
    "content_direction": 2,
    "reason": "焊装线换型时夹具拆装耗时长，影响节拍。",
    "content": "设计快换定位销与气动锁紧结构。",
    "measures": "三维建模、试制样件、产线试运行。",
    "benefits": "换型时间由 40 分钟降至 8 分钟，年节约工时约 600 小时。",
    "is_large_research_project": False,
    "leader_phone": "13877212345",
}


def close_stage(campaign, kind=StageKind.REGISTRATION):
    today = timezone.localdate()
    campaign.stages.filter(kind=kind).update(starts_on=today - timedelta(days=30), ends_on=today - timedelta(days=1))
    stages_changed(campaign)  # update() sends no signal


@pytest.fixture
def registration_open(campaign):
    open_stage(campaign)
    return campaign


def fill(project, *, by=None, **overrides):
    """Save a complete, valid 申报表 (with the leader's name as commitment)."""
    from wuxiao.projects.services import save_draft

    data = {**VALID, "commitment_name": project.leader_name, **overrides}
    return save_draft(project=project, data=data, by=by or project.leader, expected_version=project.version)


@pytest.fixture
def draft(registration_open, carol_applicant):
    from wuxiao.projects.services import create_project

    return create_project(campaign=registration_open, leader=carol_applicant)


@pytest.fixture
def complete(draft):
    return fill(draft)


@pytest.fixture
def submitted(complete):
    from wuxiao.projects.services import submit_project

    return submit_project(project=complete, by=complete.leader, expected_version=complete.version)


@pytest.fixture
def frank_refused_applicant(unit_a):
    """An applicant of the same unit who is neither leader nor member: sees nothing."""
    user = UserFactory(username="frank", real_name="方凡")
    grant(user, unit_a, Role.APPLICANT)
    return user


@pytest.fixture
def grace_member(unit_a):
    """A colleague listed on carol's team and linked to her account."""
    user = UserFactory(username="grace", real_name="葛格", mobile="13977200002")
    grant(user, unit_a, Role.APPLICANT)
    return user
