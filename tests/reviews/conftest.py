"""Fixtures of 评审认定: stage 5 open, projects forwarded by three units, an expert pool.

committee ─┬─ 城中区团委 ─┬─ 示例机械 (unit_a: 机械 ×2)      zoe_expert (城中区团委: conflicts with unit_a, unit_a2)
           │             └─ 示例电子 (unit_a2: 电子 ×1)
           └─ 鱼峰区团委 ── 示例化工 (unit_b: 化工 ×1)        dave_expert (鱼峰区团委: conflicts with unit_b)
xena_expert, yuri_expert: of the committee office (the root, no conflict by the tree)
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import Role, UserFactory, grant
from tests.unitflow import make_project, open_stage
from wuxiao.projects.states import ProjectState
from wuxiao.reviews import services
from wuxiao.reviews.models import ExpertProfile


def make_expert(org, username, name, categories):
    user = UserFactory(username=username, real_name=name)
    grant(user, org, Role.EXPERT)
    ExpertProfile.objects.create(user=user, categories=categories, title="高级工程师")
    return user


@pytest.fixture
def review_open(campaign):
    open_stage(campaign, "review")
    return campaign


@pytest.fixture
def experts(committee, district, other_district, dave_expert):
    ExpertProfile.objects.create(user=dave_expert, categories=["机械", "化工"])
    return {
        "dave": dave_expert,
        "xena": make_expert(committee, "xena", "徐娜", ["机械", "电子"]),
        "yuri": make_expert(committee, "yuri", "于锐", ["化工", "电子"]),
        "zoe": make_expert(district, "zoe", "周舟", ["机械", "电子", "化工"]),
    }


@pytest.fixture
def forwarded(review_open, unit_a, unit_a2, unit_b, carol_applicant):
    def fwd(unit, category, name):
        leader = carol_applicant if unit == unit_a else UserFactory(real_name=f"{unit.name[:2]}负责人")
        return make_project(
            review_open,
            unit,
            leader,
            state=ProjectState.FORWARDED,
            category=category,
            name=name,
            leader_name=leader.real_name,
            reason="针对生产中存在的问题进行改进，提高效率。",
        )

    return [
        fwd(unit_a, "机械", "数控车床自动送料装置"),
        fwd(unit_a, "机械", "焊接夹具快速定位改进"),
        fwd(unit_a2, "电子", "电路板自动检测工装"),
        fwd(unit_b, "化工", "反应釜温度控制优化"),
    ]


@pytest.fixture
def round1(review_open, alice_committee, forwarded, experts):
    today = timezone.localdate()
    return services.create_round(
        by=alice_committee,
        campaign=review_open,
        name="初评",
        opens_on=today - timedelta(days=1),
        closes_on=today + timedelta(days=5),
        experts_per_project=2,
        max_per_expert=4,
    )


@pytest.fixture
def assigned(round1, alice_committee):
    services.assign_round(by=alice_committee, round=round1, seed=1)
    return round1
