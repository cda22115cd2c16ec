"""The counts the database keeps (stats/models.py, migration stats 0001) always equal what
grouping the projects gives: after any sequence of the writes the platform makes — ORM saves,
bulk updates, deletes, team changes, a unit or campaign changed, a rolled-back transaction —
on SQLite and on PostgreSQL. The dashboards read them, and a difference is reported by
`manage.py stats_counts` and repaired by its --rebuild."""

import threading
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import UserFactory
from tests.stats.conftest import member
from tests.unitflow import make_project
from wuxiao.projects.models import Project, TeamMember
from wuxiao.projects.states import ProjectState
from wuxiao.projects.states import ProjectState as S
from wuxiao.stats import counts
from wuxiao.stats import queries as q
from wuxiao.stats.models import UnitCategoryCount, UnitStateCount

pytestmark = pytest.mark.django_db

STATES = [S.DRAFT, S.SUBMITTED, S.RETURNED, S.ACCEPTED, S.UNIT_APPROVED, S.FORWARDED]
CATEGORIES = ["机械", "化工", "电子", ""]
FORMS = ["小发明", "小革新", ""]
BENEFITS = [None, Decimal("0"), Decimal("2.5"), Decimal("12.25")]


def nonzero(d: dict) -> dict:
    return {k: v for k, v in d.items() if v}


def assert_kept_equals_grouped(scopes):
    assert counts.differences() == []
    for scope in scopes:
        unit_children = scope.unit_children()
        kept, members = q.kept(scope, unit_children)
        grouped = q.cube(scope, unit_children)
        for name in ["by_state", "by_category", "benefit_by_category", "by_form", "by_child", "forwarded_by_child"]:
            assert nonzero(getattr(kept, name)) == nonzero(getattr(grouped, name)), name
        assert (kept.total, kept.benefit, kept.units) == (grouped.total, grouped.benefit, grouped.units)
        assert nonzero(members) == nonzero(q.team_members_by_child(scope, unit_children))


@pytest.fixture
def world(city, campaign, later_campaign, committee, district, unit_a, unit_a2, unit_b):
    units = [unit_a, unit_a2, unit_b]
    scopes = [q.Scope(org=org, campaign=c) for org in (committee, district) for c in (campaign, later_campaign)]
    return {"campaigns": [campaign, later_campaign], "units": units, "leader": UserFactory(), "scopes": scopes}


def pick(rows, i):
    rows = list(rows)
    return rows[i % len(rows)] if rows else None


def apply(world, op, i, j):
    """One write, as the platform's code makes them (save, update, bulk, delete)."""
    projects = Project.objects.order_by("pk")
    project = pick(projects, i)
    if op == "create":
        make_project(
            pick(world["campaigns"], i),
            pick(world["units"], j),
            world["leader"],
            state=pick(STATES, i + j),
            category=pick(CATEGORIES, j),
            achievement_form=pick(FORMS, i),
            economic_benefit=pick(BENEFITS, i * 7 + j),
        )
    elif project is None:
        return
    elif op == "save_state":
        project.state = pick(STATES, j)
        project.save()
    elif op == "update_many":  # one UPDATE over several rows (forwarding a batch, say)
        Project.objects.filter(unit=project.unit_id).exclude(state=S.DRAFT).update(state=pick(STATES, j))
    elif op == "edit":
        project.category, project.achievement_form = pick(CATEGORIES, j), pick(FORMS, i + j)
        project.save(update_fields=["category", "achievement_form"])
    elif op == "edit_benefit":
        project.economic_benefit = pick(BENEFITS, j)
        project.save()
    elif op == "edit_draft_text":
        Project.objects.filter(pk=project.pk).update(name=f"改名{j}")
    elif op == "move_unit":
        Project.objects.filter(pk=project.pk).update(unit=pick(world["units"], j))
    elif op == "move_campaign":
        project.campaign = pick(world["campaigns"], j)
        project.save()
    elif op == "delete":
        project.delete()  # its team first, as Django deletes
    elif op == "add_member":
        member(project, f"成员{j}")
    elif op == "remove_member":
        TeamMember.objects.filter(pk__in=TeamMember.objects.order_by("pk").values("pk")[j % 3 : j % 3 + 1]).delete()
    elif op == "move_member":
        TeamMember.objects.filter(pk=pick(TeamMember.objects.order_by("pk").values_list("pk", flat=True), j)).update(
            project=project
        )
    elif op == "rolled_back":
        try:
            with transaction.atomic():
                project.state = pick(STATES, j)
                project.category = "建设"
                project.save()
                member(project, "回滚")
                raise RuntimeError
        except RuntimeError:
            pass


OPS = [
    "create",
    "save_state",
    "update_many",
    "edit",
    "edit_benefit",
    "edit_draft_text",
    "move_unit",
    "move_campaign",
    "delete",
    "add_member",
    "remove_member",
    "move_member",
    "rolled_back",
]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(OPS), st.integers(0, 50), st.integers(0, 50)), max_size=30))
def test_the_kept_counts_equal_the_grouped_projects_after_any_writes(world, writes):
    for op, i, j in writes:
        apply(world, op, i, j)
    assert_kept_equals_grouped(world["scopes"])


def test_the_city_is_counted(city, committee, campaign):
    """The fixture's projects, by hand: 6 counted (the draft is not), 3 team members."""
    kept, members = q.kept(q.Scope(org=committee, campaign=campaign), {})
    assert (kept.total, kept.benefit, sum(members.values())) == (6, Decimal("50.00"), 3)
    assert kept.by_state[S.FORWARDED] == 2 and S.DRAFT not in kept.by_state
    assert not UnitStateCount.objects.filter(state=S.DRAFT).exists()


def test_a_draft_edit_writes_no_count(city, campaign):
    draft = city["a_draft"]
    before = list(UnitCategoryCount.objects.order_by("pk").values())
    draft.category, draft.economic_benefit = "化工", Decimal("1")
    draft.save()
    member(draft, "草稿成员")
    assert list(UnitCategoryCount.objects.order_by("pk").values()) == before
    assert counts.differences() == []


def test_the_command_finds_a_difference_and_rebuilds(city, capsys):
    call_command("stats_counts")
    assert "一致" in capsys.readouterr().out

    UnitStateCount.objects.filter(state=S.FORWARDED).update(projects=7)
    with pytest.raises(CommandError, match="不一致：2 行"):
        call_command("stats_counts")
    assert "forwarded：应为 {'projects': 1, 'members': " in capsys.readouterr().out

    call_command("stats_counts", "--rebuild")
    assert "一致" in capsys.readouterr().out
    assert counts.differences() == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_moves_are_all_counted_and_never_deadlock(on_postgres, campaign, unit_a, committee):
    """Eight connections at once move projects of one unit between the same rows in opposite
    directions (退回 and 重新提交): each statement locks its rows in key order, so none waits
    on another in a cycle, and no increment is lost."""
    leader = UserFactory()
    projects = [
        make_project(campaign, unit_a, leader, state=S.SUBMITTED if n % 2 else S.RETURNED, category="机械")
        for n in range(8)
    ]
    barrier = threading.Barrier(len(projects))
    errors = []

    def flip(project):
        try:
            for _ in range(10):
                barrier.wait()
                with transaction.atomic():
                    p = Project.objects.select_for_update().get(pk=project.pk)
                    p.state = S.RETURNED if p.state == S.SUBMITTED else S.SUBMITTED
                    p.category = "化工" if p.category == "机械" else "机械"
                    p.save()
        except Exception as exc:  # any error fails the test below
            errors.append(exc)
            barrier.abort()
        finally:
            connection.close()

    threads = [threading.Thread(target=flip, args=(p,)) for p in projects]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert counts.differences() == []
    kept, _ = q.kept(q.Scope(org=committee, campaign=campaign), {})
    assert (kept.by_state[S.SUBMITTED], kept.by_state[S.RETURNED]) == (4, 4)


def test_the_kept_counts_leave_out_exactly_the_private_states():
    """The triggers leave out 'draft'; the units table reads them as "everything but
    ProjectState.PRIVATE" (projects.queries._state_counts)."""
    assert ProjectState.PRIVATE == (ProjectState.DRAFT.value,)
