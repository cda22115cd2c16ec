"""逾期未记录 is counted by the database (projects.queries.overdue_counts), one query however
many projects a unit has; it must say exactly what rules.progress says project by project."""

import random
from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import UserFactory, make_project
from wuxiao.projects import queries as q
from wuxiao.projects.models import Project, ProjectEvent, WorkRecord
from wuxiao.projects.states import ProjectState as S

pytestmark = pytest.mark.django_db


def at(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()) + timedelta(hours=10))


def test_the_database_count_agrees_with_the_rule_project_by_project(campaign, unit_a, unit_b):
    today = timezone.localdate()
    rng = random.Random(7)
    leader = UserFactory()
    for i in range(60):
        unit = unit_a if i % 3 else unit_b
        submitted = today - timedelta(days=rng.randint(0, 120))
        project = make_project(
            campaign, unit, leader, state=rng.choice([S.ACCEPTED, S.RESULT_RETURNED]), submitted_at=at(submitted)
        )
        if rng.random() < 0.7:  # accepted some days after submission (sometimes twice: the latest counts)
            for _ in range(rng.choice([1, 1, 2])):
                accepted = submitted + timedelta(days=rng.randint(0, 40))
                event = ProjectEvent.objects.create(project=project, to_state=S.ACCEPTED)
                ProjectEvent.objects.filter(pk=event.pk).update(at=at(min(accepted, today)))
        for _ in range(rng.choice([0, 0, 1, 3])):
            day = today - timedelta(days=rng.choice([0, 5, 29, 30, 31, 45, 90]))
            WorkRecord.objects.create(project=project, date=day, done="装配", created_by=leader)
    projects = list(Project.objects.filter(campaign=campaign))
    expected = {}
    for project, progress in q.progress_of(projects, today=today):
        expected[project.unit_id] = expected.get(project.unit_id, 0) + progress.overdue
    assert sum(expected.values()) > 5 and sum(expected.values()) < 55  # both kinds present
    with CaptureQueriesContext(connection) as queries:
        counted = dict(q.overdue_counts(Project.objects.filter(campaign=campaign), today=today))
    assert len(queries) == 1
    assert {u: n for u, n in expected.items() if n} == counted


def test_the_long_list_query_lists_exactly_what_each_user_may_see(
    campaign, unit_a, unit_b, alice_committee, dan_district_admin, bob_unit_admin, carol_applicant,
    eve_other_unit_admin, mallory,
):  # fmt: skip
    """projects_listed_for (the API's list, shaped for 200,000 rows) and projects_visible_to
    (every page's scope) are the same set for every kind of user."""
    from tests.factories import Role, grant
    from wuxiao.projects.models import AdvisorAssignment, TeamMember

    advisor, giver, member = UserFactory(), UserFactory(), UserFactory()
    grant(giver, unit_a, Role.WORKSHOP)
    for unit in (unit_a, unit_b):
        for state in (S.DRAFT, S.SUBMITTED, S.ACCEPTED, S.RESULT_WORKSHOP, S.FORWARDED, S.WITHDRAWN):
            make_project(campaign, unit, carol_applicant if unit == unit_a else UserFactory(), state=state)
    advised = make_project(campaign, unit_b, UserFactory(), state=S.ACCEPTED)
    AdvisorAssignment.objects.create(project=advised, advisor=advisor, assigned_by=eve_other_unit_admin)
    joined = make_project(campaign, unit_b, UserFactory(), state=S.DRAFT)
    TeamMember.objects.create(project=joined, user=member, name="成员", gender="M", birth_date="1998-01-01")
    users = [alice_committee, dan_district_admin, bob_unit_admin, carol_applicant, eve_other_unit_admin, mallory]
    for user in [*users, advisor, giver, member]:
        listed = set(q.projects_listed_for(user).values_list("pk", flat=True))
        assert listed == set(q.projects_visible_to(user).values_list("pk", flat=True)), user
        # the parts the API counts instead: disjoint, and together the same set
        parts = [set(part.values_list("pk", flat=True)) for part in q.listed_parts(user)]
        assert sum(len(part) for part in parts) == len(listed) and set().union(*parts) == listed, user
    assert len(q.projects_listed_for(giver)) == 2 and len(q.projects_listed_for(member)) == 1


def test_the_unit_home_overdue_count_is_cached_but_never_stale(campaign, unit_a, carol_applicant):
    """逾期未记录 on the unit's home comes from the cache between changes; a new work record, a
    new project and a new day are each seen at once (a state change writes a ProjectEvent, which
    moves the same version as a new project: data_version)."""
    today = timezone.localdate()
    make_project(campaign, unit_a, carol_applicant, state=S.ACCEPTED, submitted_at=at(today - timedelta(days=60)))
    quiet = make_project(
        campaign, unit_a, carol_applicant, state=S.ACCEPTED, submitted_at=at(today - timedelta(days=60))
    )

    def overdue(day=today):
        return q.unit_todo_counts([unit_a], campaign, today=day)[unit_a.pk]["overdue"]

    assert overdue() == 2
    with CaptureQueriesContext(connection) as cached:
        assert overdue() == 2
    assert not any("EXISTS" in query["sql"] for query in cached)  # the per-project check was not run
    WorkRecord.objects.create(project=quiet, date=today, done="装配", created_by=carol_applicant)
    assert overdue() == 1
    make_project(campaign, unit_a, carol_applicant, state=S.ACCEPTED, submitted_at=at(today - timedelta(days=45)))
    assert overdue() == 2
    assert overdue(today + timedelta(days=40)) == 3
