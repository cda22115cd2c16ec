"""评审认定 through the API: an expert lists and reads exactly their assignments (404 for any
other, 403 for someone outside the expert pool), a blind round leaks no unit, name or phone,
and scores go through reviews.services.save_review with its messages and its version check."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.api.conftest import messages
from tests.factories import attachment
from wuxiao.projects.models import TeamMember
from wuxiao.reviews import services
from wuxiao.reviews.models import Assignment, AssignmentStatus, Review, ReviewRound, Score

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        sorted(Assignment.objects.values_list("pk", "status", "expert_id")),
        sorted(Score.objects.values_list("pk", "value")),
        sorted(Review.objects.values_list("pk", "version", "comment")),
    )


def endpoints(assignment_id):
    return [
        ("get", "/reviews/assignments", None),
        ("get", f"/reviews/assignments/{assignment_id}", None),
        ("put", f"/reviews/assignments/{assignment_id}/review", {"scores": [], "comment": "很好"}),
        ("get", f"/reviews/assignments/{assignment_id}/attachments/1", None),
        ("post", f"/reviews/assignments/{assignment_id}/decline", {"reason": "与负责人同一科室"}),
    ]


def call(api, method, path, body):
    return getattr(api, method)(path, body) if body is not None else getattr(api, method)(path)


def full_marks(round, value="9"):
    return [{"criterion": c.pk, "value": value} for c in round.criteria.all()]


# --- who may ---------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["carol_applicant", "bob_unit_admin", "alice_committee", "mallory"])
def test_everyone_outside_the_expert_pool_is_refused_everywhere(request, api_as, assigned, who):
    api = api_as(request.getfixturevalue(who))
    a = Assignment.objects.filter(round=assigned).first()
    before = snapshot()
    for method, path, body in endpoints(a.pk):
        response = call(api, method, path, body)
        assert response.status_code == 403, (who, method, path)
        assert messages(response) == ["只有评审专家可以查看和评审分配的项目"]
    assert snapshot() == before


def test_another_expert_gets_404_for_an_assignment_not_theirs(api_as, assigned, experts):
    a = Assignment.objects.filter(round=assigned).first()
    attachment(a.project, "说明.pdf")
    mine = set(Assignment.objects.filter(round=assigned, project=a.project).values_list("expert_id", flat=True))
    other = next(e for e in experts.values() if e.pk not in mine)
    api = api_as(other)
    before = snapshot()
    for method, path, body in endpoints(a.pk)[1:]:
        response = call(api, method, path, body)
        assert response.status_code == 404, (method, path)
        assert response.json()["errors"][0]["code"] == "not_found"
    assert snapshot() == before
    listed = {row["id"] for row in api.get("/reviews/assignments", {"rounds": "all"}).json()["items"]}
    assert listed == set(Assignment.objects.filter(expert=other).values_list("pk", flat=True))
    assert a.pk not in listed


def test_the_anonymous_get_401(anonymous, assigned):
    a = Assignment.objects.filter(round=assigned).first()
    for method, path, body in endpoints(a.pk):
        assert call(anonymous, method, path, body).status_code == 401, (method, path)


def test_a_read_only_token_cannot_score(api_as, assigned):
    a = Assignment.objects.filter(round=assigned).first()
    api = api_as(a.expert, scope="read")
    assert api.get(f"/reviews/assignments/{a.pk}").status_code == 200
    response = api.put(f"/reviews/assignments/{a.pk}/review", {"scores": full_marks(assigned)})
    assert response.status_code == 403
    assert not Review.objects.filter(assignment=a).exists()


# --- the list --------------------------------------------------------------------------


def test_the_list_holds_open_rounds_unless_all_are_asked(api_as, assigned):
    a = Assignment.objects.filter(round=assigned).first()
    api = api_as(a.expert)
    mine = set(Assignment.objects.filter(expert=a.expert, status=AssignmentStatus.ACTIVE).values_list("pk", flat=True))
    page = api.get("/reviews/assignments").json()
    assert {row["id"] for row in page["items"]} == mine and page["count"] == len(mine)
    row = next(r for r in page["items"] if r["id"] == a.pk)
    assert row["status"] == "not_started" and row["can_score"] is True and row["round"]["blind"] is True
    ReviewRound.objects.filter(pk=assigned.pk).update(
        opens_on=timezone.localdate() - timedelta(days=5), closes_on=timezone.localdate() - timedelta(days=1)
    )
    assert api.get("/reviews/assignments").json()["count"] == 0
    closed = api.get("/reviews/assignments", {"rounds": "all"}).json()
    assert {row["id"] for row in closed["items"]} == mine
    assert all(row["can_score"] is False for row in closed["items"])


def test_the_list_costs_the_same_queries_for_more_rows(api_as, assigned, experts):
    expert = experts["xena"]
    api = api_as(expert)
    mine = Assignment.objects.filter(expert=expert, status=AssignmentStatus.ACTIVE)
    assert mine.count() >= 2
    keep = mine.first()
    api.get("/me")  # the token's first use is written once; not part of the list's cost
    with CaptureQueriesContext(connection) as many:
        assert api.get("/reviews/assignments").status_code == 200
    Assignment.objects.filter(expert=expert).exclude(pk=keep.pk).delete()
    with CaptureQueriesContext(connection) as one:
        assert api.get("/reviews/assignments").json()["count"] == 1
    assert len(many) == len(one)


# --- blind rounds ----------------------------------------------------------------------


def test_a_blind_round_leaks_no_name_unit_or_phone(api_as, assigned, carol_applicant):
    a = Assignment.objects.filter(round=assigned, project__unit__name="示例机械有限公司团委").first()
    project = a.project
    TeamMember.objects.create(project=project, name="黎明亮", gender="M", birth_date="1998-01-01", education="bachelor")
    attachment(project, "示例机械有限公司-蔡柔-说明.pdf", b"%PDF-1.4\n%test\n")
    # applicants write their unit and names into the texts: a blind answer takes them out
    project.name = "示例机械有限公司送料装置"
    project.reason = f"{carol_applicant.real_name}与黎明亮在示例机械有限公司团委车间发现问题"
    project.content = "由蔡柔牵头，示例机械有限公司团委支持"
    project.save()
    secrets = [
        project.unit.name,
        "示例机械",
        carol_applicant.real_name,
        "黎明亮",
        project.leader_phone,
        "13877212345",
        "1998-01-01",
    ]
    api = api_as(a.expert)
    listing = api.get("/reviews/assignments")
    detail = api.get(f"/reviews/assignments/{a.pk}")
    assert listing.status_code == 200 and detail.status_code == 200
    for response in (listing, detail):
        text = json.dumps(response.json(), ensure_ascii=False)  # the body escapes non-ASCII
        assert "〔已隐去〕送料装置" in text
        for secret in secrets:
            assert secret and secret not in text, secret
    body = detail.json()
    shown = body["project"]
    assert shown["unit"] is None and shown["leader_name"] is None
    assert shown["leader_phone"] is None and shown["members"] is None
    assert shown["attachments"][0]["name"] == "附件1.pdf"
    assert shown["reason"] == "〔已隐去〕与〔已隐去〕在〔已隐去〕车间发现问题"
    assert body["round"]["blind"] is True
    assert [c["name"] for c in body["criteria"]] == [c.name for c in assigned.criteria.all()]
    download = api.get(f"/reviews/assignments/{a.pk}/attachments/1")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    disposition = download["Content-Disposition"]
    assert "%E9%99%84%E4%BB%B61.pdf" in disposition or "附件1.pdf" in disposition  # 附件1.pdf
    assert b"".join(download.streaming_content) == b"%PDF-1.4\n%test\n"
    for secret in secrets:
        assert secret not in disposition
    assert api.get(f"/reviews/assignments/{a.pk}/attachments/2").status_code == 404


def test_an_open_round_shows_the_unit_and_a_masked_phone(api_as, assigned, carol_applicant):
    ReviewRound.objects.filter(pk=assigned.pk).update(blind=False)
    a = Assignment.objects.filter(round=assigned, project__unit__name="示例机械有限公司团委").first()
    TeamMember.objects.create(
        project=a.project, name="黎明亮", gender="M", birth_date="1998-01-01", education="bachelor"
    )
    attachment(a.project, "送料装置说明.pdf")
    api = api_as(a.expert)
    body = api.get(f"/reviews/assignments/{a.pk}").json()
    shown = body["project"]
    assert shown["unit"] == "示例机械有限公司团委" and shown["leader_name"] == carol_applicant.real_name
    assert shown["members"] == ["黎明亮"]
    assert shown["leader_phone"] == "138****2345"
    assert "13877212345" not in str(body) and "1998-01-01" not in str(body)  # str() of the parsed body
    assert shown["attachments"][0]["name"] == "送料装置说明.pdf"
    download = api.get(f"/reviews/assignments/{a.pk}/attachments/1")
    assert download.status_code == 200
    assert "%E8%AF%B4%E6%98%8E.pdf" in download["Content-Disposition"]  # the original name (…说明.pdf)


# --- scoring ---------------------------------------------------------------------------


def test_the_expert_saves_a_draft_then_submits(api_as, assigned):
    a = Assignment.objects.filter(round=assigned).first()
    api = api_as(a.expert)
    criteria = list(assigned.criteria.all())
    path = f"/reviews/assignments/{a.pk}/review"
    draft = api.put(path, {"scores": [{"criterion": criteria[0].pk, "value": 8.5}], "comment": "思路清晰"})
    assert draft.status_code == 200, draft.content
    body = draft.json()
    assert body["status"] == "draft" and body["review"]["comment"] == "思路清晰"
    assert body["review"]["scores"] == [{"criterion": criteria[0].pk, "value": "8.5"}]
    assert body["review"]["total"] is None
    version = body["review"]["version"]
    submitted = api.put(path, {"scores": full_marks(assigned), "comment": "很好", "submit": True, "version": version})
    assert submitted.status_code == 200, submitted.content
    body = submitted.json()
    assert body["status"] == "submitted" and Decimal(body["total"]) == Decimal("90.00")
    review = Review.objects.get(assignment=a)
    assert review.total == Decimal("90.00") and review.submitted_at is not None and review.comment == "很好"
    # the list shows it submitted with its total
    row = next(r for r in api.get("/reviews/assignments").json()["items"] if r["id"] == a.pk)
    assert row["status"] == "submitted" and Decimal(row["total"]) == Decimal("90.00")


def test_the_services_messages_come_back_as_json_errors(api_as, assigned):
    a = Assignment.objects.filter(round=assigned).first()
    api = api_as(a.expert)
    criteria = list(assigned.criteria.all())
    first = criteria[0]
    path = f"/reviews/assignments/{a.pk}/review"
    top = f"{first.max_score.normalize():f}"

    too_high = api.put(path, {"scores": [{"criterion": first.pk, "value": 11}]})
    assert too_high.status_code == 422
    assert too_high.json() == {
        "errors": [
            {"field": None, "message": f"“{first.name}”的得分必须在 0 至 {top} 之间，当前为 11", "code": "invalid"}
        ]
    }
    places = api.put(path, {"scores": [{"criterion": first.pk, "value": "7.25"}]})
    assert messages(places) == [f"“{first.name}”的得分最多保留一位小数，当前为 7.25"]
    negative = api.put(path, {"scores": [{"criterion": first.pk, "value": -1}]})
    assert messages(negative) == [f"“{first.name}”的得分必须在 0 至 {top} 之间，当前为 -1"]

    incomplete = api.put(path, {"scores": [{"criterion": first.pk, "value": 8}], "submit": True})
    assert incomplete.status_code == 422
    missing = "、".join(c.name for c in criteria[1:])
    assert messages(incomplete) == [f"提交前请为全部 {len(criteria)} 个评分项打分，尚缺：{missing}"]

    foreign = api.put(path, {"scores": [{"criterion": 999999, "value": 8}]})
    assert foreign.status_code == 422
    assert foreign.json()["errors"] == [
        {"field": "scores", "message": "评分项 #999999 不是本轮的评分项", "code": "invalid"}
    ]
    twice = api.put(path, {"scores": [{"criterion": first.pk, "value": 8}, {"criterion": first.pk, "value": 9}]})
    assert messages(twice) == [f"评分项“{first.name}”重复打分"]

    not_a_number = api.put(path, {"scores": [{"criterion": first.pk, "value": "九"}]})
    assert not_a_number.status_code == 422
    assert not_a_number.json()["errors"][0]["field"] == "scores.0.value"
    assert not Review.objects.filter(assignment=a).exists()


def test_a_stale_version_is_409_and_saves_nothing(api_as, assigned):
    a = Assignment.objects.filter(round=assigned).first()
    api = api_as(a.expert)
    path = f"/reviews/assignments/{a.pk}/review"
    version = api.put(path, {"scores": full_marks(assigned, "7")}).json()["review"]["version"]
    assert api.put(path, {"scores": full_marks(assigned, "8"), "version": version}).status_code == 200  # other tab
    stale = api.put(path, {"scores": full_marks(assigned, "9"), "version": version})
    assert stale.status_code == 409
    assert stale.json()["errors"] == [
        {"field": None, "message": "该评审已在其他窗口修改，请刷新页面后再保存", "code": "stale"}
    ]
    assert set(Score.objects.filter(review__assignment=a).values_list("value", flat=True)) == {Decimal("8")}


def test_a_closed_round_is_read_only(api_as, assigned):
    a = Assignment.objects.filter(round=assigned).first()
    services.save_review(
        by=a.expert, assignment=a, scores={c.pk: 7 for c in assigned.criteria.all()}, comment="", submit=True
    )
    ReviewRound.objects.filter(pk=assigned.pk).update(
        opens_on=timezone.localdate() - timedelta(days=5), closes_on=timezone.localdate() - timedelta(days=1)
    )
    api = api_as(a.expert)
    body = api.get(f"/reviews/assignments/{a.pk}").json()
    assert body["can_score"] is False and Decimal(body["review"]["total"]) == Decimal("70.00")
    response = api.put(f"/reviews/assignments/{a.pk}/review", {"scores": full_marks(assigned), "submit": True})
    assert response.status_code == 403
    assert "现在不能评分" in messages(response)[0]
    assert Review.objects.get(assignment=a).total == Decimal("70.00")


def test_decline_reassigns_and_the_assignment_is_gone(api_as, assigned):
    a = Assignment.objects.filter(round=assigned).first()
    api = api_as(a.expert)
    empty = api.post(f"/reviews/assignments/{a.pk}/decline", {"reason": "  "})
    assert empty.status_code == 422 and messages(empty) == ["回避或谢绝必须填写原因"]
    response = api.post(f"/reviews/assignments/{a.pk}/decline", {"reason": "与负责人同一科室"})
    assert response.status_code == 204
    a.refresh_from_db()
    assert a.status == AssignmentStatus.DECLINED and a.decline_reason == "与负责人同一科室"
    assert Assignment.objects.filter(round=assigned, project=a.project, status=AssignmentStatus.ACTIVE).count() == 2
    assert api.get(f"/reviews/assignments/{a.pk}").status_code == 404


def test_scoring_is_rate_limited_like_every_write(settings, api_as, assigned):
    settings.WUXIAO_API_WRITE_RATE = "2/min"
    a = Assignment.objects.filter(round=assigned).first()
    api = api_as(a.expert)
    path = f"/reviews/assignments/{a.pk}/review"
    assert [api.put(path, {"scores": full_marks(assigned, "7")}).status_code for _ in range(2)] == [200, 200]
    limited = api.put(path, {"scores": full_marks(assigned, "9")})
    assert limited.status_code == 429 and limited.json()["errors"][0]["code"] == "throttled"
    assert set(Score.objects.filter(review__assignment=a).values_list("value", flat=True)) == {Decimal("7")}
    assert api.get(f"/reviews/assignments/{a.pk}").status_code == 200  # reads go on


def test_the_detail_costs_the_same_queries_with_more_team_and_files(api_as, assigned):
    a = Assignment.objects.filter(round=assigned).first()
    api = api_as(a.expert)
    api.get("/me")  # the token's first use is written once
    with CaptureQueriesContext(connection) as few:
        assert api.get(f"/reviews/assignments/{a.pk}").status_code == 200
    for i in range(3):
        TeamMember.objects.create(
            project=a.project, name=f"成员{i}", gender="M", birth_date="1998-01-01", education="bachelor"
        )
        attachment(a.project, f"附件说明{i}.pdf")
    with CaptureQueriesContext(connection) as many:
        body = api.get(f"/reviews/assignments/{a.pk}").json()
    assert len(body["project"]["attachments"]) == 3
    assert len(many) == len(few)
