"""Award services: proposal under the caps, adjustments with reasons, lock, unlock, publish, patent
help, 优秀组织奖 — and every write refused for anyone but the committee."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories import UserFactory, grant
from wuxiao.audit.models import AuditEntry
from wuxiao.awards import services
from wuxiao.awards.models import Award, AwardChange, AwardSheet, OrganisationAward, PatentCase, ResultStatus
from wuxiao.awards.rules import FIRST, NONE, SECOND, SPECIAL, THIRD, Ranked
from wuxiao.notifications.models import Notification
from wuxiao.people.models import Role
from wuxiao.projects.models import Project
from wuxiao.projects.states import ProjectState


def forwarded(campaign, unit, n, *, start=0, willing=False):
    out = []
    for i in range(start, start + n):
        leader = UserFactory(username=f"leader{i}", real_name=f"负责人{i}")
        grant(leader, unit, Role.APPLICANT)
        out.append(
            Project.objects.create(
                campaign=campaign,
                unit=unit,
                leader=leader,
                created_by=leader,
                state=ProjectState.FORWARDED,
                name=f"项目{i:02d}",
                leader_name=f"负责人{i}",
                patent_willing=willing,
                self_grade="B",
            )
        )
    return out


@pytest.fixture
def ten(campaign, unit_a, unit_b):
    return forwarded(campaign, unit_a, 6, willing=True) + forwarded(campaign, unit_b, 4, start=6)


def ranking_of(projects, scores=None):
    scores = scores or [Decimal(90 - i) for i in range(len(projects))]
    return [Ranked(p.pk, s) for p, s in zip(projects, scores, strict=True)]


def propose(campaign, by, projects, **kw):
    return services.propose_awards(
        campaign=campaign, by=by, ranking=ranking_of(projects, kw.pop("scores", None)), basis="初评 · 标准化得分", **kw
    )


def levels(sheet):
    return list(sheet.awards.order_by("rank").values_list("level", flat=True))


def test_proposal_follows_the_ranking_under_the_caps(campaign, alice_committee, ten):
    sheet = propose(campaign, alice_committee, ten, specials=0)
    assert sheet.total == 10
    assert levels(sheet) == [FIRST, SECOND, SECOND, THIRD, THIRD, THIRD, THIRD, THIRD, NONE, NONE]
    assert AwardChange.objects.filter(award__sheet=sheet).count() == 10
    assert AuditEntry.objects.filter(action="awards.propose").count() == 1


def test_forwarded_projects_without_scores_rank_last_unscored(campaign, alice_committee, ten):
    sheet = services.propose_awards(
        campaign=campaign, by=alice_committee, ranking=ranking_of(ten[:3]), basis="初评", specials=1
    )
    assert sheet.total == 10
    rows = list(sheet.awards.order_by("rank"))
    assert [a.level for a in rows[:4]] == [SPECIAL, FIRST, SECOND, NONE]
    assert rows[3].score is None


def test_adjustment_needs_a_reason_and_respects_the_caps(campaign, alice_committee, ten):
    sheet = propose(campaign, alice_committee, ten, specials=0)
    second = sheet.awards.get(rank=2)
    with pytest.raises(ValidationError, match="一等奖最多 1 项（10 项上报项目），已定 1 项"):
        services.adjust_award(award=second, level=FIRST, reason="评审小组复议", by=alice_committee)
    with pytest.raises(ValidationError, match="必须填写理由"):
        services.adjust_award(award=second, level=THIRD, reason="  ", by=alice_committee)
    ninth = sheet.awards.get(rank=9)
    with pytest.raises(ValidationError, match="三等奖最多 5 项"):
        services.adjust_award(award=ninth, level=THIRD, reason="推广价值突出", by=alice_committee)
    services.adjust_award(award=second, level=NONE, reason="经济效益数据存疑", by=alice_committee)
    services.adjust_award(award=ninth, level=SECOND, reason="推广价值突出", by=alice_committee)
    ninth.refresh_from_db()
    assert (ninth.proposed_level, ninth.level, ninth.reason) == (NONE, SECOND, "推广价值突出")
    assert list(ninth.changes.values_list("from_level", "to_level", "reason")) == [
        ("", NONE, "按初评 · 标准化得分生成建议"),
        (NONE, SECOND, "推广价值突出"),
    ]


def test_locked_results_refuse_every_write_until_an_audited_unlock(campaign, alice_committee, ten):
    sheet = propose(campaign, alice_committee, ten, specials=0)
    services.choose_organisation_award(
        campaign=campaign, organisation=ten[0].unit, by=alice_committee, reason="参与率高"
    )
    assert OrganisationAward.objects.get().reason == "参与率高"
    services.lock_results(campaign=campaign, by=alice_committee)
    award = sheet.awards.get(rank=9)
    with pytest.raises(ValidationError, match="已锁定"):
        services.adjust_award(award=award, level=THIRD, reason="x", by=alice_committee)
    with pytest.raises(ValidationError, match="已锁定"):
        propose(campaign, alice_committee, ten, specials=2)
    with pytest.raises(ValidationError, match="已锁定"):
        services.choose_organisation_award(campaign=campaign, organisation=award.project.unit, by=alice_committee)
    with pytest.raises(ValidationError, match="必须填写理由"):
        services.unlock_results(campaign=campaign, by=alice_committee, reason="")
    services.unlock_results(campaign=campaign, by=alice_committee, reason="评审小组要求复核第 9 名")
    entry = AuditEntry.objects.get(action="awards.unlock")
    assert entry.note == "评审小组要求复核第 9 名"
    with pytest.raises(ValidationError, match="三等奖最多 5 项"):
        services.adjust_award(award=award, level=THIRD, reason="复核后", by=alice_committee)
    services.adjust_award(award=sheet.awards.get(rank=8), level=NONE, reason="复核：材料不全", by=alice_committee)
    services.adjust_award(award=award, level=THIRD, reason="复核后", by=alice_committee)
    assert levels(sheet)[7:] == [NONE, THIRD, NONE]


def test_publish_needs_a_lock_then_issues_certificates_and_tells_everyone(
    campaign,
    alice_committee,
    bob_unit_admin,
    dan_district_admin,
    eve_other_unit_admin,
    ten,
    django_capture_on_commit_callbacks,
):
    propose(campaign, alice_committee, ten, specials=0)
    with pytest.raises(ValidationError, match="请先锁定"):
        services.publish_results(campaign=campaign, by=alice_committee)
    services.lock_results(campaign=campaign, by=alice_committee)
    with django_capture_on_commit_callbacks(execute=True):
        sheet = services.publish_results(campaign=campaign, by=alice_committee)
    assert sheet.status == ResultStatus.PUBLISHED
    prizes = Award.objects.exclude(level=NONE)
    assert prizes.count() == 8
    assert all(a.certificate_number and a.certificate_number.startswith("WX2024-") for a in prizes)
    assert not Award.objects.filter(level=NONE).exclude(certificate_number=None).exists()
    first = prizes.get(rank=1)
    assert Notification.objects.filter(recipient=first.project.leader, title=f"“{first.project}”荣获一等奖").exists()
    assert Notification.objects.filter(recipient=bob_unit_admin, kind="awards.published").count() == 1
    assert "获奖项目 6 项" in Notification.objects.get(recipient=bob_unit_admin, kind="awards.published").body
    assert Notification.objects.filter(recipient=dan_district_admin, kind="awards.published").exists()
    assert Notification.objects.filter(recipient=eve_other_unit_admin, kind="awards.published").exists()
    # Patent help opens for awarded projects whose teams are willing (unit_a's six); all six won.
    assert PatentCase.objects.count() == 6
    with pytest.raises(ValidationError):
        services.unlock_results(campaign=campaign, by=alice_committee, reason="发布后不能改")


def test_patent_help_moves_forward_and_needs_the_number_when_granted(campaign, alice_committee, ten):
    propose(campaign, alice_committee, ten, specials=0)
    services.lock_results(campaign=campaign, by=alice_committee)
    services.publish_results(campaign=campaign, by=alice_committee)
    case = PatentCase.objects.first()
    with pytest.raises(ValidationError, match="不能变更为“已授权”"):
        services.advance_patent(case=case, to="granted", on=date(2025, 6, 1), note="", by=alice_committee)
    for step in ("coaching", "filed", "accepted"):
        case = services.advance_patent(case=case, to=step, on=date(2025, 6, 1), note=step, by=alice_committee)
    with pytest.raises(ValidationError, match="须填写专利号"):
        services.advance_patent(case=case, to="granted", on=date(2025, 9, 1), note="", by=alice_committee)
    case = services.advance_patent(
        case=case, to="granted", on=date(2025, 9, 1), note="", patent_number="ZL202510123456.7", by=alice_committee
    )
    assert (case.status, case.patent_number, case.events.count()) == ("granted", "ZL202510123456.7", 4)


def snapshot():
    return (
        list(AwardSheet.objects.values_list("status", "version", "specials")),
        list(Award.objects.order_by("pk").values_list("level", "reason")),
        OrganisationAward.objects.count(),
        list(PatentCase.objects.values_list("status")),
    )


@pytest.mark.parametrize("who", ["dan_district_admin", "bob_unit_admin", "carol_applicant", "dave_expert", "mallory"])
def test_only_the_committee_may_change_results(request, who, campaign, alice_committee, ten, unit_a):
    user = request.getfixturevalue(who)
    sheet = propose(campaign, alice_committee, ten, specials=0)
    award = sheet.awards.get(rank=2)
    before = snapshot()
    attempts = [
        lambda: propose(campaign, user, ten, specials=3),
        lambda: services.adjust_award(award=award, level=THIRD, reason="想改", by=user),
        lambda: services.lock_results(campaign=campaign, by=user),
        lambda: services.unlock_results(campaign=campaign, by=user, reason="想改"),
        lambda: services.publish_results(campaign=campaign, by=user),
        lambda: services.choose_organisation_award(campaign=campaign, organisation=unit_a, by=user),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied):
            attempt()
    services.lock_results(campaign=campaign, by=alice_committee)
    services.publish_results(campaign=campaign, by=alice_committee)
    case = PatentCase.objects.first()
    before = snapshot()
    with pytest.raises(PermissionDenied):
        services.advance_patent(case=case, to="coaching", on=date(2025, 6, 1), note="", by=user)
    assert snapshot() == before


def test_a_project_sent_back_leaves_the_results_when_proposed_again(campaign, alice_committee, ten):
    propose(campaign, alice_committee, ten, specials=0)
    Project.objects.filter(pk=ten[0].pk).update(state=ProjectState.UNIT_APPROVED)
    sheet = propose(campaign, alice_committee, ten[1:], specials=0)
    assert sheet.total == 9
    assert not Award.objects.filter(project=ten[0]).exists()
    assert levels(sheet)[:2] == [SECOND, SECOND]  # 9 projects: no 一等奖 (⌊0.9⌋ = 0)
