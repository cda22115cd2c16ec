"""奖项评定 through the API: the committee proposes from a round's ranking, adjusts with a
reason (kept in the award's history), locks, unlocks with a reason (audited) and publishes,
through the same awards.services functions and with their messages; a stale sheet version is
409; 优秀组织奖, patent help and the certificate's design as on the console. Everyone else is
refused with the console's message and nothing changes."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.api.conftest import messages
from tests.awards.test_certificate_design import SEAL
from wuxiao.audit.models import AuditEntry
from wuxiao.awards.models import Award, AwardChange, AwardSheet, OrganisationAward, PatentCase
from wuxiao.reviews import services as reviews
from wuxiao.reviews.models import Assignment

pytestmark = pytest.mark.django_db

COMMITTEE_ONLY = "仅组委会办公室可进行此操作"


@pytest.fixture
def scored(assigned, forwarded):
    """Every assignment of the round submitted: forwarded[i] scores 9 - i on every criterion."""
    for a in Assignment.objects.filter(round=assigned).select_related("project"):
        value = str(9 - forwarded.index(a.project))
        reviews.save_review(
            by=a.expert, assignment=a, scores={c.pk: value for c in assigned.criteria.all()}, comment="", submit=True
        )
    return assigned


def snapshot():
    return (
        list(AwardSheet.objects.values_list("pk", "status", "version", "specials")),
        sorted(Award.objects.values_list("pk", "level", "reason")),
        AwardChange.objects.count(),
        OrganisationAward.objects.count(),
        sorted(PatentCase.objects.values_list("pk", "status")),
        AuditEntry.objects.count(),
    )


def sheet_path(campaign, tail=""):
    return f"/campaigns/{campaign.pk}/award-sheet{tail}"


def propose(api, campaign, **body):
    return api.post(sheet_path(campaign, "/propose"), body)


def award_of(project) -> Award:
    return Award.objects.get(project=project)


def operations(campaign, award, unit):
    c = campaign.pk
    return [
        ("post", sheet_path(campaign, "/propose"), {"specials": 1}),
        ("post", sheet_path(campaign, f"/awards/{award.pk}/adjust"), {"level": "third", "reason": "复议"}),
        ("get", sheet_path(campaign, f"/awards/{award.pk}/history"), None),
        ("post", sheet_path(campaign, "/lock"), {}),
        ("post", sheet_path(campaign, "/unlock"), {"reason": "复核"}),
        ("post", sheet_path(campaign, "/publish"), {}),
        ("get", f"/campaigns/{c}/organisation-awards", None),
        ("post", f"/campaigns/{c}/organisation-awards", {"organisation": unit.pk, "reason": "参与率高"}),
        ("delete", f"/campaigns/{c}/organisation-awards/{unit.pk}", None),
        ("get", f"/campaigns/{c}/patents", None),
        ("post", f"/campaigns/{c}/patents/1/advance", {"to": "coaching", "on": timezone.localdate()}),
    ]


def call(api, method, path, body):
    return getattr(api, method)(path, body) if body is not None else getattr(api, method)(path)


@pytest.mark.parametrize(
    "who", ["bob_unit_admin", "dan_district_admin", "eve_other_unit_admin", "carol_applicant", "mallory", "expert"]
)
def test_everyone_but_the_committee_is_refused_everywhere(
    request, api_as, alice_committee, scored, forwarded, experts, unit_a, who
):
    propose(api_as(alice_committee), scored.campaign, specials=1)
    api = api_as(experts["dave"] if who == "expert" else request.getfixturevalue(who))
    before = snapshot()
    for method, path, body in operations(scored.campaign, award_of(forwarded[0]), unit_a):
        response = call(api, method, path, body)
        assert (response.status_code, messages(response)) == (403, [COMMITTEE_ONLY]), (who, method, path)
    design = api.client.post(
        f"/api{sheet_path(scored.campaign, '/certificate-design')}", {"wording": "特发此证"}, **api.headers
    )
    assert (design.status_code, messages(design)) == (403, [COMMITTEE_ONLY])
    assert snapshot() == before


def test_a_read_only_token_reads_but_never_writes(api_as, alice_committee, scored, forwarded, unit_a):
    propose(api_as(alice_committee), scored.campaign, specials=1)
    api = api_as(alice_committee, scope="read")
    before = snapshot()
    for method, path, body in operations(scored.campaign, award_of(forwarded[0]), unit_a):
        response = call(api, method, path, body)
        assert response.status_code == (200 if method == "get" else 403), (method, path)
    assert snapshot() == before


def test_proposal_from_the_rounds_ranking(api_as, alice_committee, scored, forwarded):
    api = api_as(alice_committee)
    response = propose(api, scored.campaign, specials=1)
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["basis"], body["total"], body["specials"]) == ("draft", "初评 · 标准化得分", 4, 1)
    assert body["caps"] == {"special": 1, "first": 0, "second": 1, "third": 2}
    assert body["level_counts"] == {"special": 1, "first": 0, "second": 1, "third": 2, "none": 0}
    by_rank = Award.objects.order_by("rank")
    assert [a.level for a in by_rank] == ["special", "second", "third", "third"]
    rows = api.get(sheet_path(scored.campaign)).json()
    assert [(r["id"], r["project_id"]) for r in rows["items"]] == [(a.pk, a.project_id) for a in by_rank]

    negative = propose(api, scored.campaign, specials=-1)
    assert (negative.status_code, messages(negative)) == (422, ["特等奖数量不能为负数"])
    other = propose(api, scored.campaign, round=999999)
    assert (other.status_code, other.json()["errors"][0]["field"]) == (422, "round")


def test_proposal_without_a_round_is_refused_as_on_the_console(api_as, alice_committee, review_open):
    response = propose(api_as(alice_committee), review_open)
    assert (response.status_code, messages(response)) == (
        422,
        ["尚无评审轮次：请先在“评审认定”中设置评审轮次并完成评分"],
    )
    assert not AwardSheet.objects.exists()


def test_adjustments_need_a_reason_respect_the_caps_and_are_kept(api_as, alice_committee, scored, forwarded):
    api = api_as(alice_committee)
    propose(api, scored.campaign, specials=1)
    last = Award.objects.order_by("rank").last()
    path = sheet_path(scored.campaign, f"/awards/{last.pk}/adjust")
    no_reason = api.post(path, {"level": "none", "reason": "  "})
    assert (no_reason.status_code, messages(no_reason)) == (422, ["调整奖项必须填写理由"])
    over_cap = api.post(path, {"level": "second", "reason": "推广价值突出"})
    assert (over_cap.status_code, messages(over_cap)) == (422, ["二等奖最多 1 项（4 项上报项目），已定 1 项"])
    last.refresh_from_db()
    assert last.level == "third"

    done = api.post(path, {"level": "none", "reason": "经济效益数据存疑"})
    assert done.status_code == 200
    assert (done.json()["level"], done.json()["adjusted"], done.json()["reason"]) == ("none", True, "经济效益数据存疑")
    history = api.get(sheet_path(scored.campaign, f"/awards/{last.pk}/history")).json()
    assert [(h["from_level"], h["to_level"], h["reason"]) for h in history][-1] == ("third", "none", "经济效益数据存疑")
    assert history[-1]["by"] == alice_committee.display_name


def test_lock_unlock_with_a_reason_and_publish(api_as, alice_committee, scored, forwarded, anonymous):
    api = api_as(alice_committee)
    propose(api, scored.campaign, specials=1)
    campaign = scored.campaign
    early = api.post(sheet_path(campaign, "/publish"), {})
    assert (early.status_code, messages(early)) == (422, ["请先锁定奖项结果，再发布"])

    locked = api.post(sheet_path(campaign, "/lock"), {})
    assert (locked.status_code, locked.json()["status"], locked.json()["status_label"]) == (200, "locked", "已锁定")
    adjust = api.post(
        sheet_path(campaign, f"/awards/{award_of(forwarded[3]).pk}/adjust"), {"level": "none", "reason": "复议"}
    )
    assert messages(adjust) == ["奖项结果已锁定，不能修改；如确需修改，请先解除锁定并说明理由"]

    no_reason = api.post(sheet_path(campaign, "/unlock"), {"reason": ""})
    assert messages(no_reason) == ["解除锁定必须填写理由"]
    unlocked = api.post(sheet_path(campaign, "/unlock"), {"reason": "评审小组复议特等奖"})
    assert unlocked.json()["status"] == "draft"
    assert AuditEntry.objects.filter(action="awards.unlock").get().note == "评审小组复议特等奖"

    api.post(sheet_path(campaign, "/lock"), {})
    published = api.post(sheet_path(campaign, "/publish"), {})
    assert (published.status_code, published.json()["status"]) == (200, "published")
    assert all(a.certificate_number for a in Award.objects.exclude(level="none"))
    assert anonymous.get(f"/results/{campaign.pk}").json()["count"] == 4
    again = api.post(sheet_path(campaign, "/unlock"), {"reason": "再改"})
    assert messages(again) == ["奖项结果已发布，不能解除锁定"]


def test_a_stale_sheet_version_is_refused_and_nothing_changes(api_as, alice_committee, scored, forwarded):
    api = api_as(alice_committee)
    seen = propose(api, scored.campaign, specials=1).json()["version"]
    # someone else adjusts meanwhile: the sheet's version moves
    other = api.post(
        sheet_path(scored.campaign, f"/awards/{award_of(forwarded[3]).pk}/adjust"),
        {"level": "none", "reason": "复议", "version": seen},
    )
    assert other.status_code == 200
    before = snapshot()
    stale = api.post(sheet_path(scored.campaign, "/lock"), {"version": seen})
    assert stale.status_code == 409
    assert stale.json()["errors"][0]["code"] == "stale"
    assert messages(stale) == [
        f"奖项评定表已被他人修改（您看到的是第 {seen} 版，当前为第 {seen + 1} 版），请刷新后再操作"
    ]
    assert snapshot() == before
    fresh = api.get(sheet_path(scored.campaign)).json()["version"]
    assert api.post(sheet_path(scored.campaign, "/lock"), {"version": fresh}).json()["status"] == "locked"


def test_organisation_awards_until_the_lock(api_as, alice_committee, scored, unit_a):
    api = api_as(alice_committee)
    propose(api, scored.campaign, specials=1)
    path = f"/campaigns/{scored.campaign.pk}/organisation-awards"
    chosen = api.post(path, {"organisation": unit_a.pk, "reason": "参与率全市第一"})
    assert chosen.status_code == 201
    assert (chosen.json()["organisation"], chosen.json()["reason"]) == (unit_a.name, "参与率全市第一")
    assert [o["organisation_id"] for o in api.get(path).json()] == [unit_a.pk]
    api.post(sheet_path(scored.campaign, "/lock"), {})
    refused = api.delete(f"{path}/{unit_a.pk}")
    assert messages(refused) == ["奖项结果已锁定，不能修改；如确需修改，请先解除锁定并说明理由"]
    api.post(sheet_path(scored.campaign, "/unlock"), {"reason": "补评"})
    assert api.delete(f"{path}/{unit_a.pk}").status_code == 204
    assert not OrganisationAward.objects.exists()


def test_patent_help_moves_one_step_at_a_time(api_as, alice_committee, scored, forwarded):
    api = api_as(alice_committee)
    type(forwarded[0]).objects.filter(pk=forwarded[0].pk).update(patent_willing=True)
    propose(api, scored.campaign, specials=1)
    api.post(sheet_path(scored.campaign, "/lock"), {})
    api.post(sheet_path(scored.campaign, "/publish"), {})
    cases = api.get(f"/campaigns/{scored.campaign.pk}/patents").json()
    assert [c["project_id"] for c in cases["items"]] == [forwarded[0].pk]
    case = cases["items"][0]
    path = f"/campaigns/{scored.campaign.pk}/patents/{case['id']}/advance"
    today = timezone.localdate()
    future = api.post(path, {"to": "coaching", "on": today + timedelta(days=1)})
    assert messages(future) == [f"日期 {today + timedelta(days=1)} 应在 2000-01-01 至今天（{today}）之间，请检查年份"]
    skip = api.post(path, {"to": "granted", "on": today})
    assert messages(skip) == ["专利申报当前为“待评估”，不能变更为“已授权”"]
    moved = api.post(path, {"to": "coaching", "on": today, "note": "已安排代理机构"})
    assert (moved.status_code, moved.json()["status_label"]) == (200, "辅导中")
    assert moved.json()["events"][-1]["note"] == "已安排代理机构"


def test_certificate_design_checks_the_seal_by_content(api_as, alice_committee, scored):
    api = api_as(alice_committee)
    path = f"/api{sheet_path(scored.campaign, '/certificate-design')}"
    fake = SimpleUploadedFile("印章.png", b"not a picture", content_type="image/png")
    refused = api.client.post(path, {"wording": "特发此证。", "seal": fake}, **api.headers)
    assert refused.status_code == 422
    assert messages(refused) == ["印章图片“印章.png”不是 PNG 或 JPG 图片（按文件内容检查，而非文件名），请重新上传"]
    seal = SimpleUploadedFile("印章.png", SEAL, content_type="image/png")
    saved = api.client.post(path, {"wording": "  特发此证，以资鼓励。 ", "seal": seal}, **api.headers)
    assert saved.status_code == 200, saved.content
    assert saved.json() == {"campaign_id": scored.campaign.pk, "wording": "特发此证，以资鼓励。", "has_seal": True}
    removed = api.client.post(path, {"wording": "特发此证。", "remove_seal": "true"}, **api.headers)
    assert removed.json()["has_seal"] is False
