# ruff: noqa: F811  (pytest fixtures imported from tests/projects/conftest.py)
"""The unit admin's project list and detail, and 退回修改."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import UserFactory, grant
from tests.projects.conftest import (  # noqa: F401
    VALID,
    complete,
    draft,
    frank_refused_applicant,
    registration_open,
    submitted,
)
from tests.unitflow import make_project
from wuxiao.notifications.models import Notification
from wuxiao.people.models import Role
from wuxiao.projects import services
from wuxiao.projects.states import ProjectState

pytestmark = pytest.mark.django_db


def make_submitted(campaign, unit, n, *, prefix="项目"):
    projects = []
    for i in range(n):
        leader = UserFactory()
        grant(leader, unit, Role.APPLICANT)
        project = services.create_project(campaign=campaign, leader=leader)
        project = services.save_draft(
            project=project,
            data={**VALID, "name": f"{prefix}{i}", "commitment_name": leader.real_name},
            by=leader,
            expected_version=1,
        )
        projects.append(services.submit_project(project=project, by=leader, expected_version=project.version))
    return projects


def test_list_shows_the_units_submitted_projects_not_drafts(client_for, submitted, draft, bob_unit_admin):
    response = client_for(bob_unit_admin).get(reverse("console:projects"))
    assert response.status_code == 200
    assert list(response.context["page"]) == [submitted]
    assert "焊装线夹具快换结构改进" in response.content.decode()


def test_list_filters_by_state(client_for, registration_open, unit_a, bob_unit_admin):
    first, second = make_submitted(registration_open, unit_a, 2)
    services.return_project(project=first, by=bob_unit_admin, reason="补充材料")
    client = client_for(bob_unit_admin)
    assert list(client.get(reverse("console:projects"), {"state": "returned"}).context["page"]) == [first]
    assert list(client.get(reverse("console:projects"), {"state": "submitted"}).context["page"]) == [second]
    assert len(client.get(reverse("console:projects"), {"state": "bogus"}).context["page"]) == 2


def test_list_is_scoped_to_the_admins_subtree(
    client_for, registration_open, unit_a, unit_a2, unit_b, bob_unit_admin, dan_district_admin, eve_other_unit_admin
):
    a = make_submitted(registration_open, unit_a, 1, prefix="甲")
    a2 = make_submitted(registration_open, unit_a2, 1, prefix="乙")
    b = make_submitted(registration_open, unit_b, 1, prefix="丙")
    page = lambda user: set(client_for(user).get(reverse("console:projects")).context["page"])  # noqa: E731
    assert page(bob_unit_admin) == set(a)
    assert page(dan_district_admin) == set(a + a2)
    assert page(eve_other_unit_admin) == set(b)


def test_list_query_count_is_constant(client_for, registration_open, unit_a, bob_unit_admin):
    make_submitted(registration_open, unit_a, 2)
    client = client_for(bob_unit_admin)
    with CaptureQueriesContext(connection) as two:
        client.get(reverse("console:projects"))
    make_submitted(registration_open, unit_a, 18)
    with CaptureQueriesContext(connection) as twenty:
        response = client.get(reverse("console:projects"))
    assert len(response.context["page"]) == 20
    assert len(twenty) == len(two)


def test_list_paginates(client_for, registration_open, unit_a, bob_unit_admin):
    make_submitted(registration_open, unit_a, 21)
    response = client_for(bob_unit_admin).get(reverse("console:projects"), {"page": 2})
    assert len(response.context["page"]) == 1
    assert "第 2 / 2 页，共 21 条" in response.content.decode()


def test_list_refused_to_non_admins(client_for, carol_applicant, mallory, dave_expert):
    for user in (carol_applicant, mallory, dave_expert):
        assert client_for(user).get(reverse("console:projects")).status_code == 403


def test_detail_shows_the_whole_form_and_return_box(client_for, submitted, bob_unit_admin):
    response = client_for(bob_unit_admin).get(reverse("console:project_detail", args=[submitted.pk]))
    text = response.content.decode()
    assert response.status_code == 200
    assert response.context["can_return"] is True
    assert (
        'id="sheet"' in text and 'id="timeline"' in text and 'id="versions"' in text and 'id="return-project"' in text
    )
    assert "13877212345" in text  # the unit needs the leader's number for the 汇总表


def test_return_with_reason_notifies_the_leader(client_for, submitted, bob_unit_admin):
    response = client_for(bob_unit_admin).post(
        reverse("console:project_return", args=[submitted.pk]), {"reason": "请补充经济效益测算依据"}
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.state == ProjectState.RETURNED
    note = Notification.objects.get(recipient=submitted.leader, kind="project.returned")
    assert "请补充经济效益测算依据" in note.body
    assert note.url == reverse("portal:project_edit", args=[submitted.pk])


def test_return_without_reason_is_refused(client_for, submitted, bob_unit_admin):
    response = client_for(bob_unit_admin).post(reverse("console:project_return", args=[submitted.pk]), {"reason": " "})
    assert response.status_code == 400
    assert "退回修改必须填写原因，以便申报人修改" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.state == ProjectState.SUBMITTED


def test_returned_project_cannot_be_returned_again(client_for, submitted, bob_unit_admin):
    client = client_for(bob_unit_admin)
    client.post(reverse("console:project_return", args=[submitted.pk]), {"reason": "一"})
    response = client.get(reverse("console:project_detail", args=[submitted.pk]))
    assert response.context["can_return"] is False
    response = client.post(reverse("console:project_return", args=[submitted.pk]), {"reason": "二"})
    assert response.status_code == 400
    assert "不能变更为“退回修改”" in response.content.decode()


@pytest.mark.parametrize(
    ("who", "read", "act"),
    [
        ("bob_unit_admin", 200, 302),
        ("dan_district_admin", 200, 302),
        ("alice_committee", 200, 302),
        ("eve_other_unit_admin", 404, 404),
        ("carol_applicant", 403, 403),
        ("frank_refused_applicant", 403, 403),
        ("mallory", 403, 403),
        ("dave_expert", 403, 403),
    ],
)
def test_detail_and_return_permissions(request, client_for, submitted, who, read, act):
    client = client_for(request.getfixturevalue(who))
    assert client.get(reverse("console:project_detail", args=[submitted.pk])).status_code == read
    response = client.post(reverse("console:project_return", args=[submitted.pk]), {"reason": "补充"})
    assert response.status_code == act
    submitted.refresh_from_db()
    assert submitted.state == (ProjectState.RETURNED if act == 302 else ProjectState.SUBMITTED)


def test_draft_is_not_visible_in_the_console(client_for, draft, bob_unit_admin):
    assert client_for(bob_unit_admin).get(reverse("console:project_detail", args=[draft.pk])).status_code == 404


def test_list_count_is_capped(client_for, registration_open, unit_a, bob_unit_admin, monkeypatch):
    from wuxiao.lib import pagination

    monkeypatch.setattr(pagination, "COUNT_CAP", 30)
    leader = UserFactory()
    for i in range(45):
        make_project(registration_open, unit_a, leader, name=f"批量{i}")
    client = client_for(bob_unit_admin)
    text = client.get(reverse("console:projects")).content.decode()
    assert "超过 30 条，可用筛选缩小范围" in text
    # past the counted rows the pages go on to the last one: nothing is out of reach
    second = client.get(reverse("console:projects"), {"page": 2}).content.decode()
    assert "page=3" in second and "下一页" in second
    third = client.get(reverse("console:projects"), {"page": 3}).content.decode()
    assert third.count("批量") == 5 and "下一页" not in third and "第 3 页" in third
