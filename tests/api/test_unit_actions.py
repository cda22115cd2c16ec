"""The unit's moves after 立项 (分类变更, 资源, 技术顾问, 催办, 内部评比), the committee's
send-back, and the applicant's 申报表 attachments, 申报途径 and team accounts through the API:
the same workflow/services functions as the pages, with their messages; who may not is
refused (403 with the reason, 404 when they may not see the project) and nothing changes."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.api.conftest import messages
from tests.projects.files import pdf_bytes
from tests.unitflow import make_advisor, open_stage
from wuxiao.audit.models import AuditEntry
from wuxiao.notifications.models import Notification
from wuxiao.projects.models import AdvisorAssignment, Attachment, KeyResources, Project, TeamMember
from wuxiao.projects.states import ProjectState as S

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        sorted(Project.objects.values_list("pk", "state", "level", "version", "self_grade", "internal_score")),
        sorted(AdvisorAssignment.objects.values_list("project_id", "advisor_id")),
        list(KeyResources.objects.values_list("project_id", "funding")),
        Attachment.objects.count(),
        sorted(TeamMember.objects.values_list("pk", "user_id")),
        AuditEntry.objects.count(),
    )


def not_admin(unit) -> list[str]:
    return [f"您不是“{unit.name}”的团组织管理员"]


# --- 分类变更 and 资源 -----------------------------------------------------------------------


def test_level_change_needs_a_reason_and_two_advisors_for_key(api_as, world, bob_unit_admin):
    api = api_as(bob_unit_admin)
    project = world["accepted"]
    no_reason = api.post(f"/projects/{project.pk}/level", {"level": "general", "reason": " "})
    assert (no_reason.status_code, messages(no_reason)) == (422, ["变更项目分类必须填写原因"])
    changed = api.post(f"/projects/{project.pk}/level", {"level": "general", "reason": "项目范围缩小"})
    assert (changed.status_code, changed.json()["level"]) == (200, "general")
    project.refresh_from_db()
    assert project.level == "general"
    AdvisorAssignment.objects.filter(project=project).first().delete()
    back = api.post(f"/projects/{project.pk}/level", {"level": "key", "reason": "追加投入"})
    assert back.status_code == 422 and "技术顾问" in messages(back)[0]


def test_resources_of_a_key_project(api_as, world, bob_unit_admin):
    api = api_as(bob_unit_admin)
    project = world["accepted"]
    saved = api.put(f"/projects/{project.pk}/resources", {"funding": "3.5", "equipment": "三坐标测量仪"})
    assert saved.json() == {"funding": "3.50", "equipment": "三坐标测量仪"}
    assert KeyResources.objects.get(project=project).funding == Decimal("3.50")
    assert api.get(f"/projects/{project.pk}/resources").json()["equipment"] == "三坐标测量仪"


@pytest.mark.parametrize("who", ["carol_applicant", "advisor"])
def test_the_team_sees_but_may_not_manage(request, api_as, world, unit_a, advisors, who):
    api = api_as(advisors[0] if who == "advisor" else request.getfixturevalue(who))
    project = world["accepted"]
    before = snapshot()
    for response in (
        api.post(f"/projects/{project.pk}/level", {"level": "general", "reason": "范围缩小"}),
        api.put(f"/projects/{project.pk}/resources", {"funding": "1"}),
        api.get(f"/projects/{project.pk}/advisor-candidates"),
        api.post(f"/projects/{project.pk}/advisors", {"advisor": advisors[0].pk}),
        api.delete(f"/projects/{project.pk}/advisors/{advisors[0].pk}"),
        api.post(f"/projects/{project.pk}/urge", {"note": "请抓紧"}),
        api.post(f"/projects/{project.pk}/evaluate", {"self_grade": "A"}),
    ):
        assert (response.status_code, messages(response)) == (403, not_admin(unit_a))
    assert [a["user_id"] for a in api.get(f"/projects/{project.pk}/advisors").json()] == [a.pk for a in advisors]
    assert snapshot() == before


@pytest.mark.parametrize("who", ["eve_other_unit_admin", "mallory", "dave_expert"])
def test_outsiders_see_nothing(request, api_as, world, advisors, who):
    api = api_as(request.getfixturevalue(who))
    project = world["accepted"]
    before = snapshot()
    for response in (
        api.post(f"/projects/{project.pk}/level", {"level": "general", "reason": "范围缩小"}),
        api.put(f"/projects/{project.pk}/resources", {"funding": "1"}),
        api.get(f"/projects/{project.pk}/advisors"),
        api.post(f"/projects/{project.pk}/advisors", {"advisor": advisors[0].pk}),
        api.post(f"/projects/{project.pk}/urge", {}),
        api.post(f"/projects/{world['approved'].pk}/evaluate", {"self_grade": "A"}),
    ):
        assert response.status_code == 404
    assert snapshot() == before


# --- 技术顾问 --------------------------------------------------------------------------------


def test_advisors_assigned_from_the_units_advisors_and_never_below_two(
    api_as, world, unit_a, bob_unit_admin, carol_applicant, advisors
):
    api = api_as(bob_unit_admin)
    project = world["accepted"]
    third = make_advisor(unit_a, "蒙工")
    candidates = api.get(f"/projects/{project.pk}/advisor-candidates").json()
    assert [c["user_id"] for c in candidates] == [third.pk]
    not_an_advisor = api.post(f"/projects/{project.pk}/advisors", {"advisor": carol_applicant.pk})
    assert messages(not_an_advisor) == [f"{carol_applicant.display_name} 不是“{unit_a.name}”的技术顾问，请先邀请其加入"]
    added = api.post(f"/projects/{project.pk}/advisors", {"advisor": third.pk})
    assert added.status_code == 201
    assert [a["name"] for a in added.json()] == ["覃工", "韦工", "蒙工"]
    assert api.delete(f"/projects/{project.pk}/advisors/{third.pk}").status_code == 204
    refused = api.delete(f"/projects/{project.pk}/advisors/{advisors[0].pk}")
    assert refused.status_code == 422 and messages(refused)[0].startswith("不能移除：")
    assert AdvisorAssignment.objects.filter(project=project).count() == 2
    assert api.delete(f"/projects/{project.pk}/advisors/{third.pk}").status_code == 404


# --- 催办 and 内部评比 -----------------------------------------------------------------------


def test_urge_reaches_the_team(api_as, world, campaign, bob_unit_admin, carol_applicant):
    open_stage(campaign, "work")
    response = api_as(bob_unit_admin).post(f"/projects/{world['accepted'].pk}/urge", {"note": "请补记 8 月份的记录"})
    assert response.status_code == 204
    note = Notification.objects.filter(recipient=carol_applicant, kind="project.urged").get()
    assert "附言：请补记 8 月份的记录" in note.body
    done = api_as(bob_unit_admin).post(f"/projects/{world['approved'].pk}/urge", {})
    assert messages(done) == ["项目当前状态为“单位评审通过（待上报）”，无需催办"]


def test_internal_evaluation(api_as, world, campaign, bob_unit_admin):
    open_stage(campaign, "collection")
    api = api_as(bob_unit_admin)
    project = world["approved"]
    out_of_range = api.post(f"/projects/{project.pk}/evaluate", {"score": "120", "self_grade": "B"})
    assert messages(out_of_range) == ["内部评比得分 120 超出 0–100 的范围"]
    saved = api.post(f"/projects/{project.pk}/evaluate", {"score": "88.5", "self_grade": "B"})
    assert saved.status_code == 200
    assert (saved.json()["internal_score"], saved.json()["self_grade"]) == ("88.50", "B")
    project.refresh_from_db()
    assert (project.internal_score, project.self_grade) == (Decimal("88.50"), "B")
    not_yet = api.post(f"/projects/{world['accepted'].pk}/evaluate", {"self_grade": "A"})
    assert messages(not_yet) == ["项目当前状态为“已立项（攻关中）”，只有单位评审通过的项目参加内部评比"]


# --- the committee's send-back -----------------------------------------------------------


def test_committee_sends_a_forwarded_project_back(api_as, world, alice_committee, bob_unit_admin):
    project = world["forwarded"]
    refused = api_as(bob_unit_admin).post(f"/projects/{project.pk}/send-back", {"reason": "材料不全"})
    assert (refused.status_code, messages(refused)) == (403, ["仅组委会办公室可进行此操作"])
    api = api_as(alice_committee)
    assert messages(api.post(f"/projects/{project.pk}/send-back", {"reason": ""})) == ["退回必须填写原因"]
    assert api.post(f"/projects/{world['approved'].pk}/send-back", {"reason": "材料不全"}).status_code == 404
    sent = api.post(f"/projects/{project.pk}/send-back", {"reason": "经济效益缺少测算依据"})
    assert (sent.status_code, sent.json()["state"]) == (200, S.UNIT_APPROVED)
    project.refresh_from_db()
    assert (project.state, project.forwarded_at) == (S.UNIT_APPROVED, None)


# --- the applicant's 申报表 attachments, route and team accounts ------------------------------


def pdf(name="说明书.pdf", data=None):
    return SimpleUploadedFile(name, data if data is not None else pdf_bytes(), content_type="application/pdf")


def test_attachments_of_the_draft(api_as, world, carol_applicant, bob_unit_admin):
    api = api_as(carol_applicant)
    draft = world["draft"]
    path = f"/api/projects/{draft.pk}/attachments"
    added = api.client.post(path, {"file": pdf(), "version": draft.version}, **api.headers)
    assert added.status_code == 201, added.content
    assert (added.json()["name"], added.json()["content_type"]) == ("说明书.pdf", "application/pdf")
    attachment = Attachment.objects.get(project=draft)
    assert [a["id"] for a in api.get(f"/projects/{draft.pk}/attachments").json()] == [attachment.pk]
    assert api.get(f"/projects/{draft.pk}").json()["attachments"][0]["id"] == attachment.pk
    download = api.get(f"/projects/{draft.pk}/attachments/{attachment.pk}")
    assert (download.status_code, download["Content-Type"]) == (200, "application/pdf")

    fake = api.client.post(path, {"file": pdf("假.pdf", b"MZ not a pdf")}, **api.headers)
    assert fake.status_code == 422 and "假.pdf" in messages(fake)[0]
    stale = api.delete(f"/projects/{draft.pk}/attachments/{attachment.pk}?version={draft.version}")
    assert stale.status_code == 409
    draft.refresh_from_db()
    assert api.delete(f"/projects/{draft.pk}/attachments/{attachment.pk}?version={draft.version}").status_code == 204
    assert not Attachment.objects.exists()

    other = api_as(bob_unit_admin).client.post(path, {"file": pdf()}, **api_as(bob_unit_admin).headers)
    assert other.status_code == 404  # a draft is its team's alone


def test_attachments_of_a_submitted_project_are_read_only(api_as, world, carol_applicant):
    api = api_as(carol_applicant)
    submitted = world["submitted"]
    refused = api.client.post(f"/api/projects/{submitted.pk}/attachments", {"file": pdf()}, **api.headers)
    assert (refused.status_code, messages(refused)) == (403, ["只有项目负责人可以在草稿或退回修改状态下修改申报表"])


def test_entry_route_of_the_draft(api_as, world, campaign, carol_applicant):
    api = api_as(carol_applicant)
    draft = world["draft"]
    campaign.allow_direct_achievements = False
    campaign.save(update_fields=["allow_direct_achievements"])
    refused = api.post(f"/projects/{draft.pk}/route", {"entry_route": "direct"})
    assert messages(refused) == ["本届活动不允许在成果收集阶段直接申报，请在立项阶段申报项目"]
    campaign.allow_direct_achievements = True
    campaign.save(update_fields=["allow_direct_achievements"])
    stale = api.post(f"/projects/{draft.pk}/route", {"entry_route": "direct", "version": draft.version + 5})
    assert stale.status_code == 409
    moved = api.post(f"/projects/{draft.pk}/route", {"entry_route": "direct", "version": draft.version})
    assert (moved.status_code, moved.json()["entry_route"]) == (200, "direct")


def test_team_member_accounts(api_as, world, carol_applicant, grace_member):
    api = api_as(carol_applicant)
    draft = world["draft"]
    member = TeamMember.objects.create(
        project=draft, name="葛格", gender="F", birth_date=date(1997, 5, 1), education="college"
    )
    path = f"/projects/{draft.pk}/members/{member.pk}"
    unknown = api.post(f"{path}/account", {"mobile": "13977209999"})
    assert unknown.status_code == 422 and "没有手机号码为 13977209999 的注册用户" in messages(unknown)[0]
    linked = api.post(f"{path}/account", {"mobile": grace_member.mobile})
    assert (linked.status_code, linked.json()["has_account"]) == (200, True)
    member.refresh_from_db()
    assert member.user == grace_member
    nothing = api.post(f"{path}/invitation", {})
    assert messages(nothing) == ["请填写被邀请人的手机号码或电子邮箱"]
    invited = api.post(f"{path}/invitation", {"mobile": "13977201234"})
    assert invited.status_code == 201 and invited.json()["link"].startswith("http://testserver/")


# --- 项目方向 ------------------------------------------------------------------------------


def test_directions_added_published_and_deleted_as_on_the_console(
    api_as, world, campaign, unit_a, bob_unit_admin, carol_applicant
):
    api = api_as(bob_unit_admin)
    path = f"/organisations/{unit_a.pk}/directions"
    added = api.post(path, {"title": "数控加工工序的降本增效", "description": "减少换刀时间"})
    assert added.status_code == 201
    assert (added.json()["title"], added.json()["published"]) == ("数控加工工序的降本增效", False)
    twice = api.post(path, {"title": " 数控加工工序的降本增效 "})
    assert (twice.status_code, twice.json()["errors"]) == (
        422,
        [{"field": "title", "message": "本单位已有同名方向", "code": "invalid"}],
    )
    second = api.post(path, {"title": "焊装线节拍提升"}).json()
    assert api.delete(f"{path}/{second['id']}").status_code == 204

    published = api.post(f"{path}/publish")
    assert published.json() == {"count": 1}
    assert Notification.objects.filter(recipient=carol_applicant, kind="unit.directions").exists()
    assert [d["published"] for d in api.get(path).json()] == [True]
    kept = api.delete(f"{path}/{added.json()['id']}")
    assert (kept.status_code, messages(kept)) == (403, ["已发布的方向不能删除"])
    nothing = api.post(f"{path}/publish")
    assert messages(nothing) == ["没有待发布的项目方向"]


@pytest.mark.parametrize("who", ["carol_applicant", "eve_other_unit_admin", "mallory", "dave_expert"])
def test_directions_are_the_units_admins_alone(request, api_as, world, unit_a, bob_unit_admin, who):
    from wuxiao.projects.models import Direction

    direction = api_as(bob_unit_admin).post(f"/organisations/{unit_a.pk}/directions", {"title": "降本增效"}).json()
    api = api_as(request.getfixturevalue(who))
    path = f"/organisations/{unit_a.pk}/directions"
    for response in (
        api.get(path),
        api.post(path, {"title": "别人的方向"}),
        api.post(f"{path}/publish"),
        api.delete(f"{path}/{direction['id']}"),
    ):
        assert response.status_code == 404
    assert list(Direction.objects.values_list("title", "published")) == [("降本增效", False)]


def test_an_advisor_who_does_not_exist_is_named_in_the_refusal(api_as, world, bob_unit_admin):
    api = api_as(bob_unit_admin)
    before = snapshot()
    refused = api.post(f"/projects/{world['accepted'].pk}/advisors", {"advisor": 10**9})
    assert (refused.status_code, messages(refused)) == (422, [f"用户 #{10**9} 不存在"])
    assert snapshot() == before
