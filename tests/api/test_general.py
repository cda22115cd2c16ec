"""Campaigns, organisations, quota and 上报 through the API."""

import pytest

from tests.api.conftest import messages
from tests.unitflow import open_stage
from wuxiao.projects.models import Project
from wuxiao.projects.states import ProjectState as S

pytestmark = pytest.mark.django_db


def test_me_lists_the_roles(api_as, bob_unit_admin, unit_a):
    body = api_as(bob_unit_admin).get("/me").json()
    assert body["memberships"] == [
        {"organisation_id": unit_a.pk, "organisation": unit_a.name, "role": "admin", "role_label": "团组织管理员"}
    ]


def test_campaigns_with_their_stages(api_as, anonymous, campaign, mallory):
    assert anonymous.get("/campaigns").status_code == 401
    body = api_as(mallory).get("/campaigns").json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["title"] == campaign.title
    assert [s["number"] for s in item["stages"]] == [1, 2, 3, 4, 5, 6]
    assert api_as(mallory).get(f"/campaigns/{campaign.pk}").json()["stages"][1]["label"] == "攻关项目立项"
    assert api_as(mallory).get(f"/campaigns/{campaign.pk + 1000}").status_code == 404


def test_organisations_are_those_the_user_administers(
    api_as, committee, district, unit_a, unit_a2, unit_b, alice_committee, dan_district_admin, mallory
):
    def names(user):
        return {o["name"] for o in api_as(user).get("/organisations", {"page_size": 100}).json()["items"]}

    assert names(dan_district_admin) == {district.name, unit_a.name, unit_a2.name}
    assert {district.name, unit_a.name, unit_b.name} <= names(alice_committee)
    assert names(mallory) == set()
    assert api_as(dan_district_admin).get(f"/organisations/{unit_b.pk}").status_code == 404
    shown = api_as(dan_district_admin).get(f"/organisations/{unit_a.pk}").json()
    assert shown["contact_phone"] == "138****0001"  # masked, as on the console's list
    assert shown["parent"] == district.name


@pytest.fixture
def approved(world, campaign):
    open_stage(campaign, "collection")
    return world["approved"]


def forward_body(*projects):
    return {"projects": [p.pk for p in projects], "reporter_name": "黄小军", "reporter_phone": "0772-2827423"}


def test_quota(api_as, approved, unit_a, bob_unit_admin, eve_other_unit_admin):
    body = api_as(bob_unit_admin).get(f"/organisations/{unit_a.pk}/quota").json()
    assert (body["quota"], body["forwarded"], body["remaining"]) == (5, 1, 4)
    assert body["text"] == "可报 5 项，已报 1 项"
    assert api_as(eve_other_unit_admin).get(f"/organisations/{unit_a.pk}/quota").status_code == 404


def test_unit_forwards_within_the_quota(api_as, approved, unit_a, bob_unit_admin):
    response = api_as(bob_unit_admin).post(f"/organisations/{unit_a.pk}/forward", forward_body(approved))
    assert response.status_code == 200
    assert [p["state"] for p in response.json()] == ["forwarded"]
    approved.refresh_from_db()
    assert approved.state == S.FORWARDED and approved.forwarded_by == bob_unit_admin


def test_forwarding_beyond_the_quota_is_refused(
    api_as, approved, world, campaign, unit_a, carol_applicant, bob_unit_admin
):
    from tests.unitflow import make_project

    more = [
        make_project(campaign, unit_a, carol_applicant, state=S.UNIT_APPROVED, level="key", self_grade="B")
        for _ in range(4)
    ]
    response = api_as(bob_unit_admin).post(f"/organisations/{unit_a.pk}/forward", forward_body(approved, *more))
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "quota"
    assert Project.objects.filter(state=S.FORWARDED).count() == 1


def test_forwarding_is_refused_to_others(
    api_as, approved, unit_a, dan_district_admin, eve_other_unit_admin, carol_applicant
):
    path = f"/organisations/{unit_a.pk}/forward"
    denied = api_as(dan_district_admin).post(path, forward_body(approved))
    assert denied.status_code == 403
    assert messages(denied) == [f"“{unit_a.name}”未允许上级团组织代为上报"]
    assert api_as(eve_other_unit_admin).post(path, forward_body(approved)).status_code == 404
    assert api_as(carol_applicant).post(path, forward_body(approved)).status_code == 404
    approved.refresh_from_db()
    assert approved.state == S.UNIT_APPROVED


def test_forwarding_names_projects_that_are_not_the_units(api_as, approved, unit_a, bob_unit_admin, world):
    body = forward_body(approved)
    body["projects"].append(world["draft"].pk)
    response = api_as(bob_unit_admin).post(f"/organisations/{unit_a.pk}/forward", body)
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "projects",
            "message": f"项目 #{world['draft'].pk} 不是“{unit_a.name}”本届已提交的项目",
            "code": "invalid",
        }
    ]


def test_organisation_list_query_count_does_not_grow(api_as, committee, district, alice_committee):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import OrgKind, make_org

    api = api_as(alice_committee)
    api.get("/me")  # the token's first use is recorded once

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert api.get("/organisations").status_code == 200
        return len(ctx)

    few = count()
    for i in range(12):
        make_org(f"新增单位{i}团委", OrgKind.ENTERPRISE, district)
    assert count() == few
