import pytest

from tests.factories import OrgKind, UserFactory, make_org
from tests.unitflow import make_project
from wuxiao.campaigns.models import Participation
from wuxiao.demo.workflow import advance_demo_projects
from wuxiao.projects.models import Project
from wuxiao.projects.states import ProjectState as S

pytestmark = pytest.mark.django_db


def test_demo_moves_projects_through_the_unit_workflow(campaign, district):
    units = [make_org(f"演示单位{i}", OrgKind.ENTERPRISE, district, contact_phone="0772-3100000") for i in range(3)]
    projects = [make_project(campaign, u, UserFactory()) for u in units for _ in range(40)]
    counts = advance_demo_projects(projects, seed=7)
    states = set(Project.objects.values_list("state", flat=True))
    assert {S.SUBMITTED, S.REFUSED, S.ACCEPTED, S.UNIT_APPROVED, S.FORWARDED} <= states
    assert sum(counts.values()) == 120
    for unit in units:
        forwarded = Project.objects.filter(unit=unit, state=S.FORWARDED).count()
        assert forwarded <= Participation.objects.get(organisation=unit).quota
    for p in Project.objects.filter(level="key").exclude(state=S.SUBMITTED):
        assert p.advisor_assignments.count() >= 2
    for p in Project.objects.filter(state=S.FORWARDED):
        assert p.self_grade and p.forwarded_at and p.opinions.filter(approved=True).count() >= 2
    done = list(Project.objects.exclude(state=S.SUBMITTED))
    before = sorted(Project.objects.values_list("pk", "state"))
    assert advance_demo_projects(done, seed=7) == {}
    assert sorted(Project.objects.values_list("pk", "state")) == before
