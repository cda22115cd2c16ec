"""评审管理 through the API: the committee office does what the console's 评审认定 pages do
(rounds, rubric, automatic and manual assignment, progress, 催办, blind check, ranking, the
opinion boxes, 答辩 by lot, 查重), through the same reviews.services functions and with their
messages; everyone else is refused with the console's message and nothing changes."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.api.conftest import ApiClient, messages
from tests.factories import UserFactory
from tests.reviews.conftest import make_expert
from tests.unitflow import make_project
from wuxiao.audit.models import AuditEntry
from wuxiao.notifications.models import Notification
from wuxiao.projects.models import Opinion
from wuxiao.projects.states import ProjectState
from wuxiao.reviews import rules, services
from wuxiao.reviews.models import Assignment, AssignmentStatus, Criterion, DuplicateFlag, ReviewRound, Slot

pytestmark = pytest.mark.django_db

COMMITTEE_ONLY = "仅组委会办公室可进行此操作"


def snapshot():
    return (
        sorted(ReviewRound.objects.values_list("pk", "name", "ranking", "assignment_seed", "lot_seed")),
        sorted(Criterion.objects.values_list("pk", "name", "weight")),
        sorted(Assignment.objects.values_list("pk", "project_id", "expert_id", "status")),
        sorted(DuplicateFlag.objects.values_list("pk", "decision")),
        Opinion.objects.count(),
        Slot.objects.count(),
        AuditEntry.objects.count(),
    )


def stage5(campaign):
    stage = campaign.stages.get(kind="review")
    return stage.starts_on, stage.ends_on


def operations(round, project, assignment, flag):
    """Every committee operation of 评审管理, with a body that parses."""
    today = timezone.localdate()
    c, r = round.campaign_id, round.pk
    return [
        ("get", f"/campaigns/{c}/review-rounds", None),
        ("post", f"/campaigns/{c}/review-rounds", {"name": "复评", "opens_on": today, "closes_on": today}),
        ("get", f"/review-rounds/{r}", None),
        ("put", f"/review-rounds/{r}/rubric", {"criteria": [{"name": "创新性", "weight": 100, "max_score": 10}]}),
        ("put", f"/review-rounds/{r}/ranking-method", {"method": "raw"}),
        ("get", "/review-experts", None),
        ("put", f"/review-experts/{assignment.expert_id}", {"categories": [], "is_active": False}),
        ("get", f"/review-rounds/{r}/projects", None),
        ("post", f"/review-rounds/{r}/assign", {"seed": 7}),
        ("post", f"/review-rounds/{r}/assignments", {"project": project.pk, "expert": assignment.expert_id}),
        ("delete", f"/review-rounds/{r}/assignments/{assignment.pk}", None),
        ("post", f"/review-rounds/{r}/urge", {}),
        ("post", f"/review-rounds/{r}/blind-check", {}),
        ("get", f"/review-rounds/{r}/ranking", None),
        ("post", f"/review-rounds/{r}/projects/{project.pk}/opinions", {"step": "panel", "text": "同意"}),
        ("get", f"/review-rounds/{r}/schedule", None),
        ("post", f"/review-rounds/{r}/schedule", {"seed": "1", "starts_at": timezone.now(), "minutes": 15}),
        ("get", f"/campaigns/{c}/duplicates", None),
        ("post", f"/campaigns/{c}/duplicates/scan", {}),
        ("post", f"/campaigns/{c}/duplicates/{flag.pk}/decision", {"decision": "duplicate", "note": "同一成果"}),
    ]


def call(api, method, path, body):
    return getattr(api, method)(path, body) if body is not None else getattr(api, method)(path)


@pytest.fixture
def flag(forwarded):
    return DuplicateFlag.objects.create(project=forwarded[0], other=forwarded[3], similarity="0.8")


@pytest.mark.parametrize(
    "who", ["bob_unit_admin", "dan_district_admin", "eve_other_unit_admin", "carol_applicant", "mallory"]
)
def test_everyone_but_the_committee_is_refused_everywhere(request, api_as, assigned, forwarded, experts, flag, who):
    api = api_as(request.getfixturevalue(who) if who != "dave" else experts["dave"])
    assignment = Assignment.objects.filter(round=assigned).first()
    before = snapshot()
    for method, path, body in operations(assigned, forwarded[0], assignment, flag):
        response = call(api, method, path, body)
        assert response.status_code == 403, (who, method, path)
        assert messages(response) == [COMMITTEE_ONLY], (who, method, path)
    assert snapshot() == before


def test_an_expert_is_refused_too(api_as, assigned, forwarded, experts, flag):
    api = api_as(experts["dave"])
    assignment = Assignment.objects.filter(round=assigned).first()
    before = snapshot()
    for method, path, body in operations(assigned, forwarded[0], assignment, flag):
        response = call(api, method, path, body)
        assert (response.status_code, messages(response)) == (403, [COMMITTEE_ONLY]), (method, path)
    assert snapshot() == before


def test_the_console_refuses_with_the_same_message(rf, bob_unit_admin, assigned):
    from wuxiao.console import reviews as console

    request = rf.post(reverse("console:review_urge", args=[assigned.pk]))
    request.user = bob_unit_admin
    with pytest.raises(PermissionDenied) as refused:
        console.round_urge(request, pk=assigned.pk)
    assert str(refused.value) == COMMITTEE_ONLY


def test_a_read_only_token_of_the_committee_reads_but_never_writes(api_as, alice_committee, assigned, forwarded, flag):
    api = api_as(alice_committee, scope="read")
    assignment = Assignment.objects.filter(round=assigned).first()
    before = snapshot()
    for method, path, body in operations(assigned, forwarded[0], assignment, flag):
        response = call(api, method, path, body)
        if method == "get":
            assert response.status_code == 200, path
        else:
            assert response.status_code == 403, (method, path)
            assert messages(response) == ["令牌“测试”只有只读权限，不能修改数据；请创建读写令牌"]
    assert snapshot() == before


# --- rounds and rubric ------------------------------------------------------------------


def test_committee_creates_a_round_inside_stage_5_with_the_default_rubric(api_as, alice_committee, review_open):
    api = api_as(alice_committee)
    start, end = stage5(review_open)
    response = api.post(
        f"/campaigns/{review_open.pk}/review-rounds",
        {"name": "初评", "opens_on": start, "closes_on": start + timedelta(days=9), "experts_per_project": 2},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    round = ReviewRound.objects.get()
    assert (round.name, round.opens_on, round.experts_per_project, round.created_by) == (
        "初评",
        start,
        2,
        alice_committee,
    )
    assert body["id"] == round.pk and body["kind_label"] == "初评" and body["rubric_locked"] is False
    assert [c["name"] for c in body["criteria"]] == ["创新性", "实用性", "经济效益", "社会效益", "推广价值"]
    assert body["review_stage"] == {"starts_on": start.isoformat(), "ends_on": end.isoformat()}
    assert api.get(f"/campaigns/{review_open.pk}/review-rounds").json()[0]["id"] == round.pk


def test_round_dates_outside_stage_5_are_refused_with_the_services_message(api_as, alice_committee, review_open):
    api = api_as(alice_committee)
    start, end = stage5(review_open)
    late = end + timedelta(days=1)
    response = api.post(
        f"/campaigns/{review_open.pk}/review-rounds", {"name": "复评", "opens_on": start, "closes_on": late}
    )
    assert response.status_code == 422
    assert messages(response) == [
        f"评审轮次的日期必须在第五阶段（评审认定）{start} 至 {end} 之内，当前为 {start} 至 {late}"
    ]
    backwards = api.post(
        f"/campaigns/{review_open.pk}/review-rounds", {"name": "复评", "opens_on": end, "closes_on": start}
    )
    assert messages(backwards) == [f"评分截止日期 {start} 早于开始日期 {end}"]
    second = api.post(
        f"/campaigns/{review_open.pk}/review-rounds",
        {"name": "复评", "kind": "second", "opens_on": start, "closes_on": end, "previous": 999},
    )
    assert (second.status_code, second.json()["errors"][0]["field"]) == (422, "previous")
    assert not ReviewRound.objects.exists()


def test_a_second_round_needs_the_number_advancing(api_as, alice_committee, round1):
    api = api_as(alice_committee)
    start, end = stage5(round1.campaign)
    body = {"name": "复评", "kind": "second", "opens_on": start, "closes_on": end, "previous": round1.pk}
    refused = api.post(f"/campaigns/{round1.campaign_id}/review-rounds", body)
    assert messages(refused) == ["复评/答辩轮次必须填写从上一轮进入本轮的项目数"]
    created = api.post(f"/campaigns/{round1.campaign_id}/review-rounds", {**body, "advance_count": 2})
    assert created.status_code == 201
    assert (created.json()["previous_id"], created.json()["advance_count"]) == (round1.pk, 2)


def test_rubric_is_replaced_until_a_score_exists(api_as, alice_committee, assigned):
    api = api_as(alice_committee)
    rubric = {
        "criteria": [
            {"name": "创新性", "weight": "60", "max_score": "10"},
            {"name": "实用性", "weight": "40", "max_score": "5"},
        ]
    }
    response = api.put(f"/review-rounds/{assigned.pk}/rubric", rubric)
    assert response.status_code == 200
    assert [(c["name"], c["weight"], c["max_score"]) for c in response.json()] == [
        ("创新性", "60.00", "10.0"),
        ("实用性", "40.00", "5.0"),
    ]
    assert list(assigned.criteria.values_list("name", flat=True)) == ["创新性", "实用性"]
    twice = api.put(f"/review-rounds/{assigned.pk}/rubric", {"criteria": [rubric["criteria"][0]] * 2})
    assert (twice.status_code, messages(twice)) == (422, ["评分项名称不能重复"])
    empty = api.put(f"/review-rounds/{assigned.pk}/rubric", {"criteria": []})
    assert messages(empty) == ["评分项至少需要一项"]

    a = Assignment.objects.filter(round=assigned).first()
    services.save_review(
        by=a.expert, assignment=a, scores={assigned.criteria.first().pk: "8"}, comment="", submit=False
    )
    locked = api.put(f"/review-rounds/{assigned.pk}/rubric", rubric)
    assert (locked.status_code, messages(locked)) == (422, ["已有专家评分，评分项和权重不能再修改"])
    assert api.get(f"/review-rounds/{assigned.pk}").json()["rubric_locked"] is True


# --- assignment -------------------------------------------------------------------------


def test_automatic_assignment_as_the_console(api_as, alice_committee, round1, forwarded, experts):
    api = api_as(alice_committee)
    response = api.post(f"/review-rounds/{round1.pk}/assign", {"seed": 1})
    assert response.status_code == 200
    assert response.json()["count"] == Assignment.objects.filter(round=round1).count() == 8  # 4 projects × 2
    assert response.json()["seed"] == 1
    pairs = set(Assignment.objects.filter(round=round1).values_list("project_id", "expert_id"))
    assert (forwarded[0].pk, experts["zoe"].pk) not in pairs  # zoe's district is above unit_a
    again = api.post(f"/review-rounds/{round1.pk}/assign", {})
    assert again.json() == {"count": 0, "category_fit": 0, "seed": 1}  # everyone has their experts

    rows = api.get(f"/review-rounds/{round1.pk}/projects").json()
    assert rows["count"] == 4
    assert all(len(row["assignments"]) == 2 for row in rows["items"])
    assert {a["review_status"] for row in rows["items"] for a in row["assignments"]} == {"not_started"}
    progress = api.get(f"/review-rounds/{round1.pk}").json()["progress"]
    assert sum(p["assigned"] for p in progress) == 8 and all(p["behind"] == p["assigned"] for p in progress)


def test_manual_assignment_refused_with_the_conflict_reason(api_as, alice_committee, round1, forwarded, experts):
    api = api_as(alice_committee)
    path = f"/review-rounds/{round1.pk}/assignments"
    refused = api.post(path, {"project": forwarded[0].pk, "expert": experts["zoe"].pk})
    assert refused.status_code == 422
    assert messages(refused) == [f"不能把项目“{forwarded[0]}”分配给周舟：专家所在组织是项目申报单位的上级组织"]
    outsider = UserFactory(real_name="路人甲")
    assert messages(api.post(path, {"project": forwarded[0].pk, "expert": outsider.pk})) == ["路人甲 不在专家库中"]
    assert api.post(path, {"project": 999999, "expert": experts["xena"].pk}).status_code == 404
    assert Assignment.objects.count() == 0

    made = api.post(path, {"project": forwarded[0].pk, "expert": experts["xena"].pk})
    assert made.status_code == 201
    body = made.json()
    assert (body["expert_name"], body["manual"], body["status"]) == ("徐娜", True, "active")
    twice = api.post(path, {"project": forwarded[0].pk, "expert": experts["xena"].pk})
    assert messages(twice) == ["徐娜 已是该项目的评审专家"]


def test_removing_an_assignment_until_the_expert_starts(api_as, alice_committee, assigned):
    api = api_as(alice_committee)
    a, b = Assignment.objects.filter(round=assigned)[:2]
    assert api.delete(f"/review-rounds/{assigned.pk}/assignments/{a.pk}").status_code == 204
    assert not Assignment.objects.filter(pk=a.pk).exists()
    services.save_review(by=b.expert, assignment=b, scores={}, comment="初看", submit=False)
    refused = api.delete(f"/review-rounds/{assigned.pk}/assignments/{b.pk}")
    assert (refused.status_code, messages(refused)) == (422, ["该专家已开始评审，不能移除；请由专家回避或保留"])
    assert api.delete(f"/review-rounds/{assigned.pk}/assignments/{a.pk}").status_code == 404


def test_urge_and_blind_check(api_as, alice_committee, assigned):
    api = api_as(alice_committee)
    experts_behind = Assignment.objects.filter(round=assigned).values("expert_id").distinct().count()
    urged = api.post(f"/review-rounds/{assigned.pk}/urge")
    assert urged.json() == {"count": experts_behind}
    assert Notification.objects.filter(kind="review.urged").count() == experts_behind
    checked = api.post(f"/review-rounds/{assigned.pk}/blind-check")
    assert checked.status_code == 200
    assert checked.json()["count"] == len(checked.json()["flags"])


# --- ranking, opinions, schedule, 查重 -----------------------------------------------------


def test_ranking_method_and_the_panels_opinion(api_as, alice_committee, assigned, forwarded):
    api = api_as(alice_committee)
    for a in Assignment.objects.filter(round=assigned):
        services.save_review(
            by=a.expert,
            assignment=a,
            scores={c.pk: "8" for c in assigned.criteria.all()},
            comment="",
            submit=True,
        )
    changed = api.put(f"/review-rounds/{assigned.pk}/ranking-method", {"method": "raw"})
    assert (changed.status_code, changed.json()["ranking"], changed.json()["ranking_label"]) == (
        200,
        "raw",
        "原始平均分",
    )
    assigned.refresh_from_db()
    assert assigned.ranking == "raw"

    opinion = api.post(
        f"/review-rounds/{assigned.pk}/projects/{forwarded[0].pk}/opinions", {"step": "panel", "text": "同意评为一等奖"}
    )
    assert opinion.status_code == 201
    assert (opinion.json()["step_label"], opinion.json()["signer_name"]) == (
        "竞赛评审小组意见",
        alice_committee.display_name,
    )
    empty = api.post(
        f"/review-rounds/{assigned.pk}/projects/{forwarded[0].pk}/opinions", {"step": "committee", "text": " "}
    )
    assert messages(empty) == ["意见必须填写"]

    ranking = api.get(f"/review-rounds/{assigned.pk}/ranking").json()
    assert ranking["ranking"] == "raw" and len(ranking["rows"]) == 4
    row = next(r for r in ranking["rows"] if r["project_id"] == forwarded[0].pk)
    assert (row["raw"], row["panel_opinion"], row["committee_opinion"]) == ("80.00", "同意评为一等奖", None)


def test_opinion_for_a_project_outside_the_round_is_not_found(
    api_as, alice_committee, assigned, campaign, unit_a, carol_applicant
):
    outside = make_project(campaign, unit_a, carol_applicant, state=ProjectState.ACCEPTED, name="不在评审中")
    response = api_as(alice_committee).post(
        f"/review-rounds/{assigned.pk}/projects/{outside.pk}/opinions", {"step": "panel", "text": "同意"}
    )
    assert response.status_code == 404
    assert not Opinion.objects.exists()


def test_defence_order_by_lot(api_as, alice_committee, review_open, round1, forwarded):
    api = api_as(alice_committee)
    start = timezone.now().replace(microsecond=0)
    body = {"seed": "20250415", "starts_at": start.isoformat(), "minutes": 15}
    refused = api.post(f"/review-rounds/{round1.pk}/schedule", body)
    assert (refused.status_code, messages(refused)) == (422, ["只有答辩轮次需要抽签排定答辩顺序"])
    today = timezone.localdate()
    defence = services.create_round(
        by=alice_committee, campaign=review_open, name="答辩", kind="defence", opens_on=today, closes_on=today
    )
    drawn = api.post(f"/review-rounds/{defence.pk}/schedule", body)
    assert drawn.status_code == 200
    assert drawn.json()["seed"] == "20250415"
    assert [s["project_id"] for s in drawn.json()["slots"]] == rules.draw_order("20250415", [p.pk for p in forwarded])
    assert api.get(f"/review-rounds/{defence.pk}/schedule").json() == drawn.json()
    too_long = api.post(f"/review-rounds/{defence.pk}/schedule", {**body, "minutes": 241})
    assert too_long.status_code == 422


def test_duplicates_scanned_and_decided(api_as, alice_committee, review_open, forwarded, unit_b):
    make_project(
        review_open,
        unit_b,
        UserFactory(),
        state=ProjectState.FORWARDED,
        name="数控车床自动送料装置",
        category="机械",
        reason="针对生产中存在的问题进行改进，提高效率。",
    )
    api = api_as(alice_committee)
    scanned = api.post(f"/campaigns/{review_open.pk}/duplicates/scan")
    assert scanned.status_code == 200 and scanned.json()["count"] >= 1
    listed = api.get(f"/campaigns/{review_open.pk}/duplicates").json()
    assert listed["count"] == DuplicateFlag.objects.count()
    flag = listed["items"][0]
    decided = api.post(
        f"/campaigns/{review_open.pk}/duplicates/{flag['id']}/decision", {"decision": "distinct", "note": "改进点不同"}
    )
    assert decided.status_code == 200
    assert (decided.json()["decision_label"], decided.json()["decided_by"]) == ("不重复", alice_committee.display_name)
    row = DuplicateFlag.objects.get(pk=flag["id"])
    assert (row.decision, row.note, row.decided_by) == ("distinct", "改进点不同", alice_committee)


def test_session_writes_need_the_csrf_token(alice_committee, round1):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice_committee)
    api = ApiClient(client=client)
    refused = api.post(f"/review-rounds/{round1.pk}/assign", {"seed": 1})
    assert refused.status_code == 403 and "CSRF 校验失败" in messages(refused)[0]
    assert not Assignment.objects.exists()
    client.get("/me/profile/")
    done = api.post(
        f"/review-rounds/{round1.pk}/assign", {"seed": 1}, HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value
    )
    assert done.status_code == 200 and Assignment.objects.filter(round=round1, status=AssignmentStatus.ACTIVE).exists()


def test_the_experts_of_the_pool(api_as, alice_committee, experts):
    listed = api_as(alice_committee).get("/review-experts").json()
    assert {e["name"] for e in listed} == {"徐娜", "于锐", "周舟", experts["dave"].display_name}
    make_expert(experts["xena"].memberships.first().organisation, "ann", "安妮", ["机械"])
    assert len(api_as(alice_committee).get("/review-experts").json()) == 5


def test_the_committee_keeps_the_expert_pool(api_as, alice_committee, experts, unit_a, district, campaign):
    from wuxiao.reviews.models import ExpertProfile

    api = api_as(alice_committee)
    path = f"/review-experts/{experts['xena'].pk}"
    saved = api.put(
        path,
        {
            "employer": "柳州职业技术学院",
            "title": "教授",
            "categories": ["机械", "电子"],
            "is_active": False,
            "declared_organisations": [unit_a.pk],
        },
    )
    assert saved.status_code == 200, saved.content
    assert (saved.json()["categories"], saved.json()["is_active"], saved.json()["declared_organisations"]) == (
        ["机械", "电子"],
        False,
        [unit_a.pk],
    )
    profile = ExpertProfile.objects.get(user=experts["xena"])
    assert (profile.employer, profile.is_active) == ("柳州职业技术学院", False)
    unknown = api.put(path, {"categories": ["航天"]})
    assert (unknown.status_code, unknown.json()["errors"][0]["field"]) == (422, "categories")
    assert messages(unknown) == ["擅长类别“航天”不是本届活动的项目类别"]
    not_a_unit = api.put(path, {"declared_organisations": [district.pk]})
    assert messages(not_a_unit) == [f"只能声明回避单位，“{district.name}”不是单位"]
    assert api.put(f"/review-experts/{alice_committee.pk}", {}).status_code == 404  # not an expert
    profile.refresh_from_db()
    assert profile.categories == ["机械", "电子"]
