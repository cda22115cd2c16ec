"""The named groups of states, and what they promise when review adds states after
FORWARDED: a project in a later state still counts against its unit's quota, stays in the
unit's and the committee's lists and overviews, and its content stays frozen."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import ProjectFactory, open_stage, participation
from wuxiao.documents.queries import progress_rows, summary_projects
from wuxiao.projects import queries, workflow
from wuxiao.projects.models import Project
from wuxiao.projects.states import TRANSITIONS, ProjectState

pytestmark = pytest.mark.django_db

LATER = "in_review"  # a state review might add after FORWARDED


@pytest.fixture
def later_state(monkeypatch):
    """Review appends a state after FORWARDED in the workflow order."""
    monkeypatch.setattr(ProjectState, "flow", classmethod(lambda cls: [*(s.value for s in cls), LATER]))
    return LATER


def test_groups_follow_the_workflow_order():
    assert ProjectState.FORWARDED_OR_LATER == ("forwarded",)
    assert ProjectState.PRIVATE == ("draft",)
    assert ProjectState.OPINION_CHAIN == ("result_workshop", "result_tech", "result_league")
    assert ProjectState.WORKING == ("accepted", "result_returned")
    assert set(ProjectState.IN_UNIT_WORK) == {
        "accepted",
        "result_workshop",
        "result_tech",
        "result_league",
        "result_returned",
        "unit_approved",
    }
    assert ProjectState.ADVISABLE == ("submitted", *ProjectState.IN_UNIT_WORK)
    assert set(ProjectState.RESULT_OR_LATER) == set(ProjectState.OPINION_CHAIN) | {
        "result_returned",
        "unit_approved",
        "forwarded",
    }
    assert [s.value for s in ProjectState.shown_to_units()] == ProjectState.values[1:]
    # Every state the map names is a member, and every member is in the flow.
    named = set(TRANSITIONS) | {to for moves in TRANSITIONS.values() for to in moves}
    assert named <= set(ProjectState.values) == set(ProjectState.flow())


def test_a_later_state_joins_every_at_or_after_group(later_state):
    assert ProjectState.FORWARDED_OR_LATER == ("forwarded", LATER)
    assert LATER in ProjectState.ACCEPTED_OR_LATER
    assert LATER in ProjectState.RESULT_OR_LATER
    assert LATER not in ProjectState.IN_UNIT_WORK  # out of the unit's hands
    assert LATER not in ProjectState.ADVISABLE


@pytest.fixture
def unit_full(campaign, unit_a, carol_applicant):
    """unit_a (quota 5) with four projects forwarded and one in the later state."""
    open_stage(campaign, "collection")
    part = participation(campaign, unit_a, young_workers=150)
    assert part.quota == 5
    for _ in range(4):
        ProjectFactory(campaign=campaign, unit=unit_a, leader=carol_applicant, forwarded=True)
    later = ProjectFactory(campaign=campaign, unit=unit_a, leader=carol_applicant, forwarded=True)
    Project.objects.filter(pk=later.pk).update(state=LATER)
    waiting = ProjectFactory(campaign=campaign, unit=unit_a, leader=carol_applicant, unit_approved=True)
    return later, waiting


def test_the_quota_still_holds_with_a_project_in_a_later_state(
    later_state, unit_full, campaign, unit_a, bob_unit_admin
):
    _later, waiting = unit_full
    assert workflow.quota_status(campaign, unit_a).forwarded == 5
    with pytest.raises(ValidationError) as exc:
        workflow.forward_projects(
            unit=unit_a, projects=[waiting], by=bob_unit_admin, reporter_name="卜波", reporter_phone="13877200001"
        )
    assert exc.value.messages == ["上报名额已满：可报 5 项，已报 5 项，本次选择 1 项"]
    waiting.refresh_from_db()
    assert waiting.state == ProjectState.UNIT_APPROVED


def test_without_the_later_state_the_quota_would_have_freed_up(unit_full, campaign, unit_a):
    """The control: the same data with the later state unknown counts only four."""
    assert workflow.quota_status(campaign, unit_a).forwarded == 4


def test_a_project_in_a_later_state_stays_in_the_lists(
    later_state, unit_full, campaign, committee, unit_a, client_for, bob_unit_admin, alice_committee
):
    later, _ = unit_full
    assert queries.unit_overview([unit_a], campaign)[0]["forwarded"] == 5
    assert queries.forwarded_count(campaign, unit_a) == 5
    assert later in summary_projects(user=bob_unit_admin, campaign=campaign, organisation=unit_a)
    assert progress_rows(campaign=campaign, organisations=[unit_a]).get().forwarded == 5
    page = client_for(bob_unit_admin).get(reverse("console:unit_forwarding", args=[unit_a.pk]))
    assert page.status_code == 200
    assert later.name in page.content.decode()
    assert later in page.context["forwarded"]
    committee_page = client_for(alice_committee).get(reverse("console:committee_overview"))
    assert later in committee_page.context["forwarded"].object_list


def test_a_project_in_a_later_state_stays_frozen(later_state, unit_full, bob_unit_admin):
    later, _ = unit_full
    later.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        workflow.set_resources(project=later, funding=1, equipment="", by=bob_unit_admin)
    assert exc.value.code == "frozen"


def test_a_data_app_above_adds_who_sees_projects(monkeypatch, campaign, unit_a, carol_applicant, dave_expert):
    """How reviews adds experts: a rule registered from its AppConfig.ready(), no import cycle."""
    from django.db.models import Q

    project = ProjectFactory(campaign=campaign, unit=unit_a, leader=carol_applicant, forwarded=True)
    assert project not in queries.projects_visible_to(dave_expert)
    monkeypatch.setattr(queries, "_visibility_extensions", [])
    queries.extend_visibility(lambda user: Q(pk=project.pk) if user == dave_expert else Q(pk__in=[]))
    assert list(queries.projects_visible_to(dave_expert)) == [project]
