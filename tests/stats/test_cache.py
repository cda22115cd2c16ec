"""The dashboards never show a stale number: a state change, an edit of a sent-back project,
a new team member, a published award sheet or a moved unit shows on the very next view —
whether the counts are the database's kept rows (no date range) or grouped from the projects
and cached (a date range), so every test runs both ways."""

import sys
from datetime import date

import pytest
from django.urls import reverse

from tests.stats.conftest import publish
from wuxiao.projects import services
from wuxiao.projects.states import ProjectState as S

pytestmark = pytest.mark.django_db

RANGES = {"kept": "", "dated": "?date_from=2024-01-01&date_to=2099-12-31"}
QUERY = ""


@pytest.fixture(autouse=True, params=list(RANGES))
def _date_range(request, monkeypatch):
    monkeypatch.setattr(sys.modules[__name__], "QUERY", RANGES[request.param])


def view(client, org):
    response = client.get(reverse("console:stats", args=[org.pk]) + QUERY)
    assert response.status_code == 200
    numbers = {n["label"]: n["value"] for n in response.context["numbers"]}
    charts = {c["id"]: c for c, _t, _d in response.context["charts"]}
    return numbers, charts


def count_of(charts, chart_id, label):
    payload = charts[chart_id]
    return payload["series"][0]["data"][payload["labels"].index(label)]


def test_a_state_change_shows_at_once(client_for, city, alice_committee, bob_unit_admin, committee):
    client = client_for(alice_committee)
    _numbers, charts = view(client, committee)
    assert count_of(charts, "state", S.SUBMITTED.label) == 1
    assert count_of(charts, "state", S.RETURNED.label) == 0
    view(client, committee)  # now cached

    services.return_project(project=city["a_submitted"], by=bob_unit_admin, reason="请补充实施措施")
    _numbers, charts = view(client, committee)
    assert count_of(charts, "state", S.SUBMITTED.label) == 0
    assert count_of(charts, "state", S.RETURNED.label) == 1


def test_edits_of_a_sent_back_project_show_at_once(client_for, city, alice_committee, bob_unit_admin, committee):
    """A sent-back project is counted, and its leader edits it without changing its state."""
    project = services.return_project(project=city["a_submitted"], by=bob_unit_admin, reason="请补充实施措施")
    client = client_for(alice_committee)
    numbers, charts = view(client, committee)
    assert (count_of(charts, "category", "机械"), count_of(charts, "category", "电子")) == (2, 1)
    assert numbers["参与人数"] == 9

    project = services.save_draft(
        project=project, data={"category": "电子"}, by=project.leader, expected_version=project.version
    )
    numbers, charts = view(client, committee)
    assert (count_of(charts, "category", "机械"), count_of(charts, "category", "电子")) == (1, 2)

    services.add_member(
        project=project, by=project.leader, name="丁", gender="F", birth_date=date(1998, 5, 1), education="bachelor"
    )
    numbers, _charts = view(client, committee)
    assert numbers["参与人数"] == 10


def test_a_new_project_shows_at_once(client_for, city, alice_committee, committee, unit_b):
    from tests.factories import UserFactory
    from tests.unitflow import make_project

    client = client_for(alice_committee)
    assert view(client, committee)[0]["项目总数"] == 6
    make_project(city["a_submitted"].campaign, unit_b, UserFactory(), state=S.SUBMITTED, category="化工")
    assert view(client, committee)[0]["项目总数"] == 7


def test_publishing_the_awards_shows_at_once(client_for, results, dan_district_admin, district):
    client = client_for(dan_district_admin)
    assert "award_level" not in view(client, district)[1]
    publish(results)
    assert view(client, district)[1]["award_level"]["series"][0]["data"] == [0, 1, 0, 1]


def test_a_moved_unit_counts_under_its_new_district(client_for, city, alice_committee, committee, unit_a2):
    from wuxiao.people.models import Organisation

    client = client_for(alice_committee)
    children = view(client, committee)[1]["children"]
    assert count_of({"c": children}, "c", "城中区团委") == 4
    # A unit moved to another district (the path follows the parent, as the tree keeps it).
    other = Organisation.objects.get(name="鱼峰区团委")
    Organisation.objects.filter(pk=unit_a2.pk).update(parent=other, path=other.path + unit_a2.path[-7:])
    children = view(client, committee)[1]["children"]
    assert count_of({"c": children}, "c", "城中区团委") == 3
    assert count_of({"c": children}, "c", "鱼峰区团委") == 3


def test_the_screen_follows_a_send_back_at_once(client_for, city, alice_committee, committee):
    from wuxiao.projects import workflow

    client = client_for(alice_committee)
    url = reverse("console:stats_screen_data", args=[committee.pk])
    for _ in range(2):  # the second from the cache
        assert [r["name"] for r in client.get(url).json()["recent"]] == ["反应釜温控优化", "送料装置改进"]
    workflow.send_back(project=city["b_forwarded"], by=alice_committee, reason="请补充效益证明")
    data = client.get(url).json()
    assert [r["name"] for r in data["recent"]] == ["送料装置改进"]
    assert data["numbers"][3] == {"label": "已上报组委会", "value": 1, "unit": "项", "compare": None}
