"""The demo projects: made through the services, in every 申报 state, deterministic."""

from collections import Counter

import pytest

from tests.factories import UserFactory, grant
from wuxiao.demo.projects import build_projects
from wuxiao.people.models import Role
from wuxiao.projects.models import Project, ProjectVersion
from wuxiao.projects.states import ProjectState

pytestmark = pytest.mark.django_db


@pytest.fixture
def applicants(unit_a, unit_b, bob_unit_admin, eve_other_unit_admin):
    people = []
    for i, unit in enumerate([unit_a, unit_a, unit_a, unit_b, unit_b]):
        user = UserFactory(username=f"demo{i}", real_name=f"韦演示{i}", birth_date=None, gender="")
        grant(user, unit, Role.APPLICANT)
        people.append(user)
    return people


def test_build_projects_covers_every_state(campaign, unit_a, unit_b, applicants):
    projects = build_projects(campaign, [unit_a, unit_b], applicants, count=80)
    assert len(projects) == 80 == Project.objects.count()
    states = Counter(Project.objects.values_list("state", flat=True))
    assert set(states) == {ProjectState.DRAFT, ProjectState.SUBMITTED, ProjectState.RETURNED, ProjectState.WITHDRAWN}
    assert states[ProjectState.SUBMITTED] > states[ProjectState.DRAFT]
    assert Counter(Project.objects.values_list("unit", flat=True)) == {unit_a.pk: 40, unit_b.pk: 40}
    assert ProjectVersion.objects.filter(number=2).exists()  # returned, revised, submitted again
    assert Project.objects.filter(members__isnull=False).distinct().count() > 20
    assert len(set(Project.objects.values_list("name", flat=True))) == 80
    submitted = Project.objects.filter(state=ProjectState.SUBMITTED).first()
    assert submitted.reason and submitted.benefits and submitted.category in campaign.categories
    assert submitted.commitment_name == submitted.leader_name


def test_build_projects_accepts_a_mapping_and_is_deterministic(campaign, unit_a, unit_b, applicants):
    first = build_projects(campaign, [unit_a], {unit_a: applicants[:3]}, count=10, seed=7)
    names = [p.name for p in first]
    Project.objects.all().delete()
    again = build_projects(campaign, [unit_a], {unit_a: applicants[:3]}, count=10, seed=7)
    assert [p.name for p in again] == names


def test_build_projects_without_applicants_makes_nothing(campaign, unit_a):
    assert build_projects(campaign, [unit_a], [], count=10) == []


def test_projects_fit_their_unit_and_titles_are_never_cut_mid_word(campaign, district, applicants):
    from tests.factories import OrgKind, make_org
    from wuxiao.demo.names import short_unit_name, unit_category

    assert unit_category("柳州市明达律师事务所团支部") == "其他"
    assert unit_category("柳州市华鼎机械制造有限公司团委") == "机械"
    assert short_unit_name("柳州市华鼎机械制造有限公司团委") == "华鼎机械制造"
    law = make_org("柳州市明达律师事务所团支部", OrgKind.TWO_NEW, district)
    works = make_org("柳州市华鼎机械制造有限公司团委", OrgKind.ENTERPRISE, district)
    people = []
    for i, unit in enumerate([law, law, works, works]):
        user = UserFactory(username=f"fit{i}", real_name=f"覃合适{i}", birth_date=None, gender="")
        grant(user, unit, Role.APPLICANT)
        people.append(user)
    build_projects(campaign, [law, works], people, count=60)
    law_categories = set(Project.objects.filter(unit=law).exclude(category="").values_list("category", flat=True))
    assert law_categories == {"其他"}  # no tablet coaters in a law firm
    assert set(Project.objects.filter(unit=works).exclude(category="").values_list("category", flat=True)) <= {
        "机械",
        "其他",
    }
    for name in Project.objects.filter(name__contains="（").values_list("name", flat=True):
        assert name.endswith(("（明达律师事务所）", "（华鼎机械制造）", "二期）", "项）")), name


def test_an_ended_campaign_is_submitted_on_its_own_dates(campaign, unit_a, unit_b, applicants):
    from wuxiao.campaigns.models import StageKind

    ends = {
        "registration": campaign.stages.get(kind=StageKind.REGISTRATION).ends_on,
        "direct": campaign.stages.get(kind=StageKind.COLLECTION).ends_on,
    }
    build_projects(campaign, [unit_a, unit_b], applicants, count=20)
    for p in Project.objects.exclude(submitted_at=None):
        assert p.commitment_at.date() <= ends[p.entry_route], (p.commitment_at, p.entry_route)
        assert p.submitted_at == p.commitment_at
        assert all(e.at <= p.submitted_at for e in p.events.all())
