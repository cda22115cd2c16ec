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
