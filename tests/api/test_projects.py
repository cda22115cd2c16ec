"""Projects through the API: the same scope, refusals and messages as the pages."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.conftest import messages
from tests.projects.conftest import VALID
from tests.unitflow import make_project, open_stage
from wuxiao.projects.models import Project, TeamMember
from wuxiao.projects.states import ProjectState as S

pytestmark = pytest.mark.django_db


def ids(response) -> set[int]:
    return {row["id"] for row in response.json()["items"]}


# --- list and detail ----------------------------------------------------------------------


def test_list_is_scoped_like_the_pages(api_as, world, carol_applicant, bob_unit_admin, eve_other_unit_admin, mallory):
    everything = {p.pk for p in world.values()}
    assert ids(api_as(carol_applicant).get("/projects")) == everything
    # unit admins never see another person's draft
    assert ids(api_as(bob_unit_admin).get("/projects")) == everything - {world["draft"].pk}
    assert ids(api_as(eve_other_unit_admin).get("/projects")) == set()
    empty = {
        "count": 0, "count_capped": False, "page": 1, "page_size": 20, "next_cursor": None, "next": None, "items": []
    }  # fmt: skip
    assert api_as(mallory).get("/projects").json() == empty


def test_list_filters_and_orders_with_the_filterset(api_as, world, bob_unit_admin, campaign, unit_a, unit_a2):
    api = api_as(bob_unit_admin)
    assert ids(api.get("/projects", {"state": "accepted"})) == {world["accepted"].pk}
    assert ids(api.get("/projects", {"level": "none"})) == {world["submitted"].pk}
    assert ids(api.get("/projects", {"category": "化工"})) == set()
    assert len(ids(api.get("/projects", {"category": "机械", "campaign": campaign.pk, "unit": unit_a.pk}))) == 5
    # a unit the caller does not administer: refused, not silently ignored as on the page
    other = api.get("/projects", {"unit": unit_a2.pk})
    assert other.status_code == 422 and other.json()["errors"][0]["field"] == "unit"
    assert ids(api.get("/projects", {"q": "攻关"})) == {world["accepted"].pk}
    assert ids(api.get("/projects", {"forwarded": "1"})) == {world["forwarded"].pk}
    by_name = [row["name"] for row in api.get("/projects", {"ordering": "name"}).json()["items"]]
    assert by_name == sorted(by_name)
    by_id = [row["id"] for row in api.get("/projects", {"ordering": "-id"}).json()["items"]]
    assert by_id == sorted(by_id, reverse=True)


def test_list_refuses_an_unknown_filter_value_in_chinese(api_as, world, bob_unit_admin):
    response = api_as(bob_unit_admin).get("/projects", {"state": "approved-ish"})
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["field"] == "state"
    assert error["code"] == "literal_error"
    assert error["message"].startswith("state：应为以下之一：")


def test_list_pages(api_as, world, carol_applicant):
    api = api_as(carol_applicant)
    first = api.get("/projects", {"page_size": 4, "ordering": "id"}).json()
    second = api.get("/projects", {"page_size": 4, "page": 2, "ordering": "id"}).json()
    assert first["count"] == second["count"] == 6
    assert len(first["items"]) == 4 and len(second["items"]) == 2
    assert not ids_of(first) & ids_of(second)


def ids_of(page):
    return {row["id"] for row in page["items"]}


@pytest.mark.parametrize("ordering", ["-updated_at", "updated_at", "-submitted_at", "submitted_at", "name", "-id"])
def test_the_cursor_walks_every_row_once_in_order(api_as, world, carol_applicant, ordering):
    """`next` continues the list after its last row (keyset, not OFFSET), drafts (no
    submission time) last either way, until every project was listed exactly once."""
    api = api_as(carol_applicant)
    everything = api.get("/projects", {"ordering": ordering, "page_size": 100}).json()["items"]
    page = api.get("/projects", {"ordering": ordering, "page_size": 2}).json()
    walked = list(page["items"])
    while page["next"]:
        assert page["next"].startswith("/api/projects?") and "page_size=2" in page["next"]
        page = api.get(page["next"].removeprefix("/api")).json()
        assert page["page"] is None and page["count"] == len(everything) == 6
        walked += page["items"]
    assert [row["id"] for row in walked] == [row["id"] for row in everything]
    if ordering.endswith("submitted_at"):
        assert walked[-1]["submitted_at"] is None  # the draft


def test_numbered_pages_stop_at_the_cap_and_the_cursor_goes_on(api_as, world, carol_applicant, monkeypatch):
    from wuxiao.api import common

    monkeypatch.setattr(common, "COUNT_CAP", 4)
    api = api_as(carol_applicant)
    second = api.get("/projects", {"page_size": 2, "page": 2, "ordering": "id"}).json()
    assert second["count"] == 4 and second["count_capped"] and second["next_cursor"]
    refused = api.get("/projects", {"page_size": 2, "page": 3, "ordering": "id"})
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "page"
    rest = api.get("/projects", {"page_size": 2, "ordering": "id", "cursor": second["next_cursor"]}).json()
    assert [row["id"] for row in rest["items"]] == sorted(p.pk for p in world.values())[4:6]
    assert rest["next"] is None


def test_a_cursor_of_another_order_or_garbage_is_refused(api_as, world, carol_applicant):
    api = api_as(carol_applicant)
    cursor = api.get("/projects", {"page_size": 2, "ordering": "id"}).json()["next_cursor"]
    for bad in (cursor, "bm9wZQ", "!!"):
        response = api.get("/projects", {"page_size": 2, "ordering": "-id" if bad == cursor else "id", "cursor": bad})
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "cursor"


def test_list_query_count_does_not_grow(api_as, campaign, unit_a, carol_applicant, bob_unit_admin):
    api = api_as(bob_unit_admin)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert api.get("/projects").status_code == 200
        return len(ctx)

    count()  # the first call of a token records its use: one write, once a minute
    make_project(campaign, unit_a, carol_applicant)
    few = count()
    for _ in range(15):
        make_project(campaign, unit_a, carol_applicant)
    assert count() == few
    # a page continued by its cursor costs the same, whatever the rows
    cursor = api.get("/projects", {"page_size": 5, "ordering": "-submitted_at"}).json()["next_cursor"]
    with CaptureQueriesContext(connection) as ctx:
        assert api.get("/projects", {"page_size": 5, "ordering": "-submitted_at", "cursor": cursor}).status_code == 200
    with_cursor = len(ctx)
    for _ in range(15):
        make_project(campaign, unit_a, carol_applicant)
    with CaptureQueriesContext(connection) as ctx:
        assert api.get("/projects", {"page_size": 5, "ordering": "-submitted_at", "cursor": cursor}).status_code == 200
    assert len(ctx) == with_cursor


def test_detail_masks_the_phone_for_who_does_not_need_it(
    api_as, submitted, carol_applicant, bob_unit_admin, grace_member
):
    TeamMember.objects.create(
        project=submitted, name="葛格", gender="F", birth_date=date(1999, 1, 1), education="bachelor", user=grace_member
    )
    path = f"/projects/{submitted.pk}"
    assert api_as(carol_applicant).get(path).json()["leader_phone"] == "13877212345"
    assert api_as(bob_unit_admin).get(path).json()["leader_phone"] == "13877212345"
    shown = api_as(grace_member).get(path).json()
    assert shown["leader_phone"] == "138****2345"
    assert [m["name"] for m in shown["members"]] == ["葛格"]


@pytest.mark.parametrize("who", ["eve_other_unit_admin", "mallory", "frank_refused_applicant", "dave_expert"])
def test_detail_is_404_for_who_may_not_see_it(request, api_as, submitted, who):
    response = api_as(request.getfixturevalue(who)).get(f"/projects/{submitted.pk}")
    assert response.status_code == 404
    assert messages(response) == ["未找到该对象，或您无权查看"]


def test_unit_admin_never_sees_a_draft(api_as, draft, bob_unit_admin):
    assert api_as(bob_unit_admin).get(f"/projects/{draft.pk}").status_code == 404


# --- the 申报表: create, edit, submit, withdraw ---------------------------------------------


def test_applicant_creates_a_draft(api_as, registration_open, carol_applicant, unit_a):
    response = api_as(carol_applicant).post("/projects", {"name": "焊装线夹具快换结构改进"})
    assert response.status_code == 201
    body = response.json()
    assert body["state"] == "draft" and body["unit_id"] == unit_a.pk and body["leader_name"] == "蔡柔"
    assert Project.objects.get(pk=body["id"]).leader == carol_applicant


def test_who_is_no_applicant_may_not_create(api_as, registration_open, mallory, bob_unit_admin, unit_a):
    response = api_as(mallory).post("/projects", {"name": "x"})
    assert response.status_code == 422
    assert messages(response) == ["您还不是任何单位的申报人，请向所在单位团组织索取邀请链接后再申报项目"]
    response = api_as(bob_unit_admin).post("/projects", {"name": "x", "unit": unit_a.pk})
    assert response.status_code == 403
    assert messages(response) == [f"您不是“{unit_a.name}”的申报人，不能以该单位名义申报"]
    assert not Project.objects.exists()


def test_leader_saves_the_draft_with_the_version(api_as, draft, carol_applicant):
    api = api_as(carol_applicant)
    response = api.patch(f"/projects/{draft.pk}", {"version": draft.version, "name": "新名称", "category": "机械"})
    assert response.status_code == 200
    assert response.json()["version"] == draft.version + 1
    draft.refresh_from_db()
    assert (draft.name, draft.category) == ("新名称", "机械")


def test_stale_version_is_409_and_changes_nothing(api_as, draft, carol_applicant):
    api = api_as(carol_applicant)
    api.patch(f"/projects/{draft.pk}", {"version": draft.version, "name": "第一个标签页"})
    response = api.patch(f"/projects/{draft.pk}", {"version": draft.version, "name": "第二个标签页"})
    assert response.status_code == 409
    assert response.json()["errors"] == [
        {
            "field": None,
            "message": f"该项目已被他人修改（您看到的是第 {draft.version} 版，当前为第 {draft.version + 1} 版），请刷新后再操作",
            "code": "stale",
        }
    ]
    draft.refresh_from_db()
    assert draft.name == "第一个标签页"


def test_draft_rules_answer_with_the_services_message(api_as, draft, carol_applicant):
    response = api_as(carol_applicant).patch(
        f"/projects/{draft.pk}", {"version": draft.version, "start_date": "2024-12-01", "end_date": "2024-06-01"}
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "end_date",
            "message": "项目结束时间 2024-06-01 早于开始时间 2024-12-01，结束时间应不早于开始时间",
            "code": "invalid",
        }
    ]


def test_nobody_else_edits(api_as, submitted, draft, carol_applicant, bob_unit_admin, frank_refused_applicant):
    refused = api_as(bob_unit_admin).patch(f"/projects/{submitted.pk}", {"version": submitted.version, "name": "x"})
    assert refused.status_code == 403
    assert messages(refused) == ["只有项目负责人可以在草稿或退回修改状态下修改申报表"]
    # the leader either, once it is submitted
    assert api_as(carol_applicant).patch(f"/projects/{submitted.pk}", {"version": submitted.version}).status_code == 403
    assert api_as(frank_refused_applicant).patch(f"/projects/{draft.pk}", {"version": 1}).status_code == 404
    submitted.refresh_from_db()
    assert submitted.name == VALID["name"]


def test_submit_lists_every_missing_field(api_as, draft, carol_applicant):
    response = api_as(carol_applicant).post(f"/projects/{draft.pk}/submit", {"version": draft.version})
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert {"field": "reason", "message": "请填写立项理由", "code": "invalid"} in errors
    assert {
        "field": "category",
        "message": "请选择项目类别（机械、化工、电子、通信、建设、医药、仪器、其他）",
        "code": "invalid",
    } in errors
    draft.refresh_from_db()
    assert draft.state == S.DRAFT


def test_leader_submits_then_withdraws(api_as, complete, carol_applicant, bob_unit_admin):
    api = api_as(carol_applicant)
    response = api.post(f"/projects/{complete.pk}/submit", {"version": complete.version})
    assert response.status_code == 200 and response.json()["state"] == "submitted"
    refused = api_as(bob_unit_admin).post(f"/projects/{complete.pk}/withdraw")
    assert refused.status_code == 403 and messages(refused) == ["只有项目负责人可以撤回申报"]
    assert api.post(f"/projects/{complete.pk}/withdraw").json()["state"] == "withdrawn"


def test_only_the_leader_submits(api_as, complete, grace_member):
    TeamMember.objects.create(
        project=complete, name="葛格", gender="F", birth_date=date(1999, 1, 1), education="bachelor", user=grace_member
    )
    response = api_as(grace_member).post(f"/projects/{complete.pk}/submit", {"version": complete.version})
    assert response.status_code == 403
    assert messages(response) == ["只有项目负责人可以提交申报表"]


# --- the unit's moves ---------------------------------------------------------------------


def test_unit_returns_with_a_reason(api_as, submitted, bob_unit_admin, carol_applicant, eve_other_unit_admin):
    path = f"/projects/{submitted.pk}/return"
    assert messages(api_as(carol_applicant).post(path, {"reason": "x"})) == ["只有本单位团组织可以退回该项目"]
    assert api_as(eve_other_unit_admin).post(path, {"reason": "x"}).status_code == 404
    empty = api_as(bob_unit_admin).post(path, {"reason": "  "})
    assert empty.status_code == 422
    assert empty.json()["errors"] == [
        {"field": "reason", "message": "退回修改必须填写原因，以便申报人修改", "code": "invalid"}
    ]
    done = api_as(bob_unit_admin).post(path, {"reason": "请补充测算表"})
    assert done.status_code == 200 and done.json()["state"] == "returned"
    assert done.json()["events"][-1]["note"] == "请补充测算表"


def test_classify_and_refuse(api_as, world, bob_unit_admin, carol_applicant, campaign, unit_a):
    submitted = world["submitted"]
    refused = api_as(carol_applicant).post(f"/projects/{submitted.pk}/classify", {"level": "general"})
    assert refused.status_code == 403 and messages(refused) == [f"您不是“{unit_a.name}”的团组织管理员"]
    key = api_as(bob_unit_admin).post(f"/projects/{submitted.pk}/classify", {"level": "key"})
    assert key.status_code == 422
    assert key.json()["errors"][0]["code"] == "advisors"
    ok = api_as(bob_unit_admin).post(f"/projects/{submitted.pk}/classify", {"level": "general"})
    assert ok.status_code == 200 and ok.json()["state"] == "accepted" and ok.json()["level"] == "general"

    other = make_project(campaign, unit_a, carol_applicant)
    assert api_as(carol_applicant).post(f"/projects/{other.pk}/refuse", {"reason": "x"}).status_code == 403
    no_reason = api_as(bob_unit_admin).post(f"/projects/{other.pk}/refuse", {"reason": ""})
    assert messages(no_reason) == ["不予立项必须填写原因"]
    done = api_as(bob_unit_admin).post(f"/projects/{other.pk}/refuse", {"reason": "与单位大型项目重复"})
    assert done.json()["state"] == "refused"


def test_leader_submits_the_result(api_as, world, carol_applicant, bob_unit_admin, campaign):
    accepted = world["accepted"]
    open_stage(campaign, "collection")
    refused = api_as(bob_unit_admin).post(f"/projects/{accepted.pk}/result", {"economic_benefit": "3.5"})
    assert refused.status_code == 403 and messages(refused) == ["只有项目负责人可以提交成果"]
    done = api_as(carol_applicant).post(
        f"/projects/{accepted.pk}/result", {"economic_benefit": "3.5", "result_description": "已在 3 号线试用半年"}
    )
    assert done.status_code == 200 and done.json()["state"] == "result_workshop"
    accepted.refresh_from_db()
    assert accepted.result_description == "已在 3 号线试用半年"


def test_result_outside_the_collection_stage(api_as, world, carol_applicant, campaign):
    open_stage(campaign, "work")
    response = api_as(carol_applicant).post(f"/projects/{world['accepted'].pk}/result", {})
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "stage"
    assert "成果收集阶段" in messages(response)[0]


# --- the team ---------------------------------------------------------------------------


def test_team_members(api_as, draft, carol_applicant, frank_refused_applicant):
    api = api_as(carol_applicant)
    added = api.post(
        f"/projects/{draft.pk}/members",
        {"name": "韦小敏", "gender": "F", "birth_date": "1998-03-12", "education": "college"},
    )
    assert added.status_code == 201
    member_id = added.json()["id"]
    incomplete = api.post(f"/projects/{draft.pk}/members", {"name": "覃工"})
    assert incomplete.status_code == 422
    assert messages(incomplete) == ["主要研究人员（覃工）信息不完整：请填写性别、出生日期、文化程度"]
    assert api_as(frank_refused_applicant).get(f"/projects/{draft.pk}/members").status_code == 404
    assert api_as(frank_refused_applicant).delete(f"/projects/{draft.pk}/members/{member_id}").status_code == 404
    changed = api.patch(f"/projects/{draft.pk}/members/{member_id}", {"education": "bachelor"})
    assert changed.json()["education"] == "bachelor"
    assert [m["name"] for m in api.get(f"/projects/{draft.pk}/members").json()] == ["韦小敏"]
    assert api.delete(f"/projects/{draft.pk}/members/{member_id}").status_code == 204
    assert not TeamMember.objects.exists()


def test_team_is_frozen_after_submission(api_as, submitted, carol_applicant):
    response = api_as(carol_applicant).post(
        f"/projects/{submitted.pk}/members",
        {"name": "韦小敏", "gender": "F", "birth_date": "1998-03-12", "education": "college"},
    )
    assert response.status_code == 403
    assert not submitted.members.exists()
