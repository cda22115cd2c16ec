"""Services of 评审认定: rounds, rubric, assignment with the organisation tree, decline and
re-assign, scoring, 查重, blind checks, the lot, the opinion boxes; refused users."""

import io
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.factories import UserFactory, attachment
from tests.reviews.conftest import make_expert
from tests.unitflow import make_project
from wuxiao.notifications.models import Notification
from wuxiao.projects.models import Opinion, TeamMember
from wuxiao.projects.states import ProjectState
from wuxiao.reviews import rules, services
from wuxiao.reviews.models import Assignment, AssignmentStatus, BlindFlag, DuplicateFlag, ExpertProfile, Score, Slot


def active(round):
    return Assignment.objects.filter(round=round, status=AssignmentStatus.ACTIVE)


def scores_for(round, **overrides):
    values = {c.pk: Decimal(8) for c in round.criteria.all()}
    values.update(overrides)
    return values


# --- rounds and rubric -------------------------------------------------------------------


def test_round_takes_the_campaigns_rubric_and_stage_5_dates(round1, review_open, alice_committee):
    assert [(c.name, c.weight, c.max_score) for c in round1.criteria.all()] == [
        ("创新性", Decimal(30), Decimal(10)),
        ("实用性", Decimal(25), Decimal(10)),
        ("经济效益", Decimal(20), Decimal(10)),
        ("社会效益", Decimal(15), Decimal(10)),
        ("推广价值", Decimal(10), Decimal(10)),
    ]
    start, end = review_open.stages.get(kind="review").starts_on, review_open.stages.get(kind="review").ends_on
    with pytest.raises(ValidationError, match="必须在第五阶段（评审认定）"):
        services.create_round(
            by=alice_committee, campaign=review_open, name="复评", opens_on=start, closes_on=end + timedelta(days=1)
        )


def test_rubric_editable_until_scoring_starts(assigned, alice_committee, experts):
    services.set_rubric(
        by=alice_committee,
        round=assigned,
        criteria=[
            {"name": "创新性", "weight": "60", "max_score": "10"},
            {"name": "实用性", "weight": "40", "max_score": "5"},
        ],
    )
    assert assigned.criteria.count() == 2
    a = active(assigned).first()
    services.save_review(
        by=a.expert, assignment=a, scores={c.pk: Decimal(4) for c in assigned.criteria.all()}, comment="", submit=False
    )
    with pytest.raises(ValidationError, match="已有专家评分"):
        services.set_rubric(
            by=alice_committee, round=assigned, criteria=[{"name": "x", "weight": "1", "max_score": "1"}]
        )


@pytest.mark.parametrize("who", ["carol_applicant", "bob_unit_admin", "dave_expert", "dan_district_admin", "mallory"])
def test_committee_services_refuse_everyone_else(who, request, round1, forwarded, experts):
    user = request.getfixturevalue(who)
    before = (Assignment.objects.count(), round1.criteria.count(), DuplicateFlag.objects.count(), Slot.objects.count())
    calls = [
        lambda: services.assign_round(by=user, round=round1),
        lambda: services.add_assignment(by=user, round=round1, project=forwarded[3], expert=experts["xena"]),
        lambda: services.set_rubric(by=user, round=round1, criteria=[{"name": "x", "weight": "1", "max_score": "1"}]),
        lambda: services.scan_duplicates(by=user, campaign=round1.campaign),
        lambda: services.check_blind(by=user, round=round1),
        lambda: services.urge_experts(by=user, round=round1),
        lambda: services.record_opinion(by=user, project=forwarded[0], step="panel", text="同意"),
        lambda: services.set_ranking_method(by=user, round=round1, method="raw"),
        lambda: services.draw_schedule(by=user, round=round1, seed="1", starts_at=timezone.now(), minutes=10),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    after = (Assignment.objects.count(), round1.criteria.count(), DuplicateFlag.objects.count(), Slot.objects.count())
    assert after == before


# --- assignment ---------------------------------------------------------------------------


def test_assignment_k_per_project_balanced_and_free_of_tree_conflicts(assigned, forwarded, experts):
    pairs = {(a.project_id, a.expert_id) for a in active(assigned)}
    assert len(pairs) == 8
    for p in forwarded:
        assert sum(1 for pid, _ in pairs if pid == p.pk) == 2
    # zoe (城中区团委) is above unit_a and unit_a2; dave (鱼峰区团委) is above unit_b
    zoe, dave = experts["zoe"].pk, experts["dave"].pk
    assert not {(forwarded[0].pk, zoe), (forwarded[1].pk, zoe), (forwarded[2].pk, zoe)} & pairs
    assert (forwarded[3].pk, dave) not in pairs
    loads = {k: sum(1 for _, e in pairs if e == x.pk) for k, x in experts.items()}
    # zoe can take only unit_b's project; the other seven tasks spread 3/2/2
    assert loads["zoe"] == 1
    assert sorted(loads[k] for k in ("dave", "xena", "yuri")) == [2, 2, 3]


def test_assignment_is_deterministic_for_a_seed(round1, alice_committee, forwarded):
    services.assign_round(by=alice_committee, round=round1, seed=5)
    first = sorted(active(round1).values_list("project_id", "expert_id"))
    Assignment.objects.all().delete()
    services.assign_round(by=alice_committee, round=round1, seed=5)
    assert sorted(active(round1).values_list("project_id", "expert_id")) == first


def test_declared_conflicts_are_excluded(round1, alice_committee, forwarded, experts, unit_a, carol_applicant):
    xena = ExpertProfile.objects.get(user=experts["xena"])
    xena.declared_organisations.add(unit_a)
    yuri = ExpertProfile.objects.get(user=experts["yuri"])
    yuri.declared_people.add(carol_applicant)
    for project in forwarded[:2]:  # unit_a's projects, led by carol
        for expert, reason in [(experts["xena"], "声明与该单位"), (experts["yuri"], "声明与项目团队成员")]:
            with pytest.raises(ValidationError, match=reason):
                services.add_assignment(by=alice_committee, round=round1, project=project, expert=expert)
    # only dave is left for unit_a's projects, so k=2 cannot be met
    with pytest.raises(ValidationError, match="只能分配"):
        services.assign_round(by=alice_committee, round=round1)
    assert Assignment.objects.count() == 0


def test_hand_made_assignment_refused_with_the_tree_reason(round1, alice_committee, forwarded, experts):
    with pytest.raises(ValidationError, match="专家所在组织是项目申报单位的上级组织"):
        services.add_assignment(by=alice_committee, round=round1, project=forwarded[0], expert=experts["zoe"])
    same_unit = make_expert(forwarded[0].unit, "sam", "沈默", ["机械"])
    with pytest.raises(ValidationError, match="专家所在组织即项目申报单位"):
        services.add_assignment(by=alice_committee, round=round1, project=forwarded[0], expert=same_unit)
    a = services.add_assignment(by=alice_committee, round=round1, project=forwarded[0], expert=experts["xena"])
    assert a.manual and a.status == AssignmentStatus.ACTIVE


def test_decline_reassigns_to_another_free_expert(assigned, forwarded, experts):
    a = active(assigned).filter(project=forwarded[3]).first()
    new = services.decline_assignment(by=a.expert, assignment=a, reason="与负责人为亲属")
    a.refresh_from_db()
    assert a.status == AssignmentStatus.DECLINED and a.decline_reason == "与负责人为亲属"
    assert new is not None and new.project_id == forwarded[3].pk and new.expert_id != a.expert_id
    assert new.expert_id != experts["dave"].pk  # dave conflicts with unit_b
    assert active(assigned).filter(project=forwarded[3]).count() == 2


def test_decline_refused_for_another_expert_and_without_reason(assigned, experts):
    a = active(assigned).first()
    other = next(e for e in experts.values() if e.pk != a.expert_id)
    with pytest.raises(PermissionDenied):
        services.decline_assignment(by=other, assignment=a, reason="x")
    with pytest.raises(ValidationError, match="必须填写原因"):
        services.decline_assignment(by=a.expert, assignment=a, reason=" ")
    a.refresh_from_db()
    assert a.status == AssignmentStatus.ACTIVE


# --- scoring ------------------------------------------------------------------------------


def test_save_draft_then_submit_with_exact_total(assigned):
    a = active(assigned).first()
    c = list(assigned.criteria.all())
    draft = services.save_review(by=a.expert, assignment=a, scores={c[0].pk: "8.5"}, comment="草稿", submit=False)
    assert draft.submitted_at is None and draft.total is None
    with pytest.raises(ValidationError, match="尚缺：实用性、经济效益、社会效益、推广价值"):
        services.save_review(by=a.expert, assignment=a, scores={c[0].pk: "8.5"}, comment="", submit=True)
    values = dict(zip([x.pk for x in c], ["8.5", "7", "9", "6.5", "10"], strict=True))
    review = services.save_review(by=a.expert, assignment=a, scores=values, comment="创新明显", submit=True)
    assert review.total == Decimal("80.75") and review.submitted_at is not None
    assert Score.objects.get(review=review, criterion=c[0]).value == Decimal("8.5")


def test_scores_checked_against_the_rubric(assigned):
    a = active(assigned).first()
    c = assigned.criteria.first()
    for bad, message in [
        ("11", "必须在 0 至 10 之间，当前为 11"),
        ("-1", "必须在 0 至 10"),
        ("abc", "不是数字"),
        ("8.25", "一位小数"),
    ]:
        with pytest.raises(ValidationError, match=message):
            services.save_review(by=a.expert, assignment=a, scores={c.pk: bad}, comment="", submit=False)
    assert not Score.objects.exists()


def test_scoring_refused_to_others_and_outside_the_window(assigned, experts, carol_applicant, alice_committee):
    a = active(assigned).first()
    other = next(e for e in experts.values() if e.pk != a.expert_id)
    for user in (other, carol_applicant, alice_committee):
        with pytest.raises(PermissionDenied):
            services.save_review(by=user, assignment=a, scores=scores_for(assigned), comment="", submit=True)
    type(assigned).objects.filter(pk=assigned.pk).update(closes_on=timezone.localdate() - timedelta(days=1))
    with pytest.raises(ValidationError, match=r"今天（.*）不能评分"):
        services.save_review(by=a.expert, assignment=a, scores=scores_for(assigned), comment="", submit=True)
    assert not Score.objects.exists()


def test_submitted_review_editable_until_close_and_stale_version_refused(assigned):
    a = active(assigned).first()
    r = services.save_review(by=a.expert, assignment=a, scores=scores_for(assigned), comment="", submit=True)
    c = assigned.criteria.first()
    r2 = services.save_review(
        by=a.expert,
        assignment=a,
        scores=scores_for(assigned, **{}) | {c.pk: Decimal(10)},
        comment="改",
        submit=True,
        expected_version=r.version,
    )
    assert r2.total > r.total and r2.submitted_at == r.submitted_at
    with pytest.raises(ValidationError, match="已在其他窗口修改"):
        services.save_review(
            by=a.expert, assignment=a, scores=scores_for(assigned), comment="", submit=True, expected_version=r.version
        )


def test_urge_notifies_experts_behind(assigned):
    a = active(assigned).first()
    services.save_review(by=a.expert, assignment=a, scores=scores_for(assigned), comment="", submit=True)
    from wuxiao.reviews import queries

    behind = {e.pk for e, _ in queries.experts_behind(assigned)}
    count = services.urge_experts(by=assigned.created_by, round=assigned)
    assert count == len(behind)
    assert set(Notification.objects.filter(kind="review.urged").values_list("recipient_id", flat=True)) == behind


# --- 查重 ---------------------------------------------------------------------------------


def test_duplicates_across_units_and_earlier_campaigns(review_open, alice_committee, forwarded, unit_b, unit_a):
    from wuxiao.campaigns.models import Campaign

    copy = make_project(
        review_open,
        unit_b,
        UserFactory(),
        state=ProjectState.FORWARDED,
        name="数控车床自动送料装置",
        category="机械",
        reason="针对生产中存在的问题进行改进，提高效率。",
    )
    old = Campaign.objects.create(
        slug="old",
        title="2023年",
        year=2023,
        starts_on=review_open.starts_on - timedelta(days=400),
        ends_on=review_open.starts_on - timedelta(days=40),
    )
    earlier = make_project(
        old,
        unit_a,
        UserFactory(),
        state=ProjectState.FORWARDED,
        name="反应釜温度控制优化",
        reason="针对生产中存在的问题进行改进，提高效率。",
    )
    assert services.scan_duplicates(by=alice_committee, campaign=review_open) >= 2
    flags = {(f.project_id, f.other_id) for f in DuplicateFlag.objects.all()}
    assert (forwarded[0].pk, copy.pk) in flags or (copy.pk, forwarded[0].pk) in flags
    assert (forwarded[3].pk, earlier.pk) in flags
    # within one unit the same idea twice is the unit's business, not a cross-unit duplicate
    assert (forwarded[0].pk, forwarded[1].pk) not in flags and (forwarded[1].pk, forwarded[0].pk) not in flags
    assert services.scan_duplicates(by=alice_committee, campaign=review_open) == 0  # idempotent
    flag = DuplicateFlag.objects.get(project=forwarded[3], other=earlier)
    services.decide_duplicate(by=alice_committee, flag=flag, decision="duplicate", note="与2023年项目相同")
    flag.refresh_from_db()
    assert flag.decision == "duplicate" and flag.decided_by == alice_committee
    # a flag never blocks: the flagged project is still a candidate of the round
    from wuxiao.reviews import queries

    first = services.create_round(
        by=alice_committee,
        campaign=review_open,
        name="初评",
        opens_on=timezone.localdate(),
        closes_on=timezone.localdate(),
    )
    assert queries.round_candidates(first).filter(pk=forwarded[3].pk).exists()


# --- blind checks -------------------------------------------------------------------------


def _docx(text, author=""):
    import docx

    d = docx.Document()
    d.add_paragraph(text)
    d.core_properties.author = author
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _xlsx(value, creator="openpyxl"):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active["A1"] = value
    wb.properties.creator = creator
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _pdf(author):
    from pypdf import PdfWriter

    w = PdfWriter()
    w.add_blank_page(width=200, height=200)
    w.add_metadata({"/Author": author})
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


def attach(project, name, data, content_type):
    return attachment(project, name, data, content_type)


def test_blind_check_flags_names_in_files_properties_and_text(round1, alice_committee, forwarded, carol_applicant):
    p = forwarded[0]
    TeamMember.objects.create(project=p, name="黎明亮", gender="M", birth_date="1998-01-01", education="bachelor")
    attach(p, "示例机械有限公司说明.pdf", _pdf(author="x"), "application/pdf")
    attach(
        p,
        "说明书.docx",
        _docx("本装置由黎明亮设计"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    attach(
        p,
        "数据.xlsx",
        _xlsx("测试数据", creator=carol_applicant.real_name),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    attach(p, "图纸.pdf", _pdf(author=carol_applicant.real_name), "application/pdf")
    attach(
        forwarded[1],
        "干净.docx",
        _docx("本装置结构简单"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    services.check_blind(by=alice_committee, round=round1)
    found = sorted((f.where, f.found) for f in BlindFlag.objects.filter(round=round1))
    assert found == sorted(
        [
            ("附件“示例机械有限公司说明.pdf”的文件名", "单位名称“示例机械有限公司”"),
            ("附件“说明书.docx”的正文", "人员姓名“黎明亮”"),
            ("附件“数据.xlsx”的文档属性", f"人员姓名“{carol_applicant.real_name}”"),
            ("附件“图纸.pdf”的文档属性", f"人员姓名“{carol_applicant.real_name}”"),
        ]
    )


# --- lot and opinions ---------------------------------------------------------------------


def test_defence_schedule_drawn_by_lot_is_reproducible_and_sent(review_open, alice_committee, forwarded, experts):
    today = timezone.localdate()
    defence = services.create_round(
        by=alice_committee, campaign=review_open, name="答辩", kind="defence", opens_on=today, closes_on=today
    )
    start = timezone.make_aware(datetime(today.year, today.month, today.day, 9, 0))
    slots = services.draw_schedule(by=alice_committee, round=defence, seed="20250415", starts_at=start, minutes=15)
    order = [s.project_id for s in slots]
    assert order == rules.draw_order("20250415", [p.pk for p in forwarded])
    assert [s.starts_at for s in slots] == [start + timedelta(minutes=15 * i) for i in range(4)]
    assert Notification.objects.filter(kind="review.defence_scheduled").count() == 4
    defence.refresh_from_db()
    assert defence.lot_seed == "20250415"
    initial = services.create_round(
        by=alice_committee, campaign=review_open, name="初评", opens_on=today, closes_on=today
    )
    with pytest.raises(ValidationError, match="只有答辩轮次"):
        services.draw_schedule(by=alice_committee, round=initial, seed="1", starts_at=start, minutes=15)


def test_panel_and_committee_opinions_print_in_the_application_form(assigned, alice_committee, forwarded):
    services.record_opinion(by=alice_committee, project=forwarded[0], step="panel", text="建议评为一等奖")
    services.record_opinion(by=alice_committee, project=forwarded[0], step="committee", text="同意评为一等奖")
    assert list(Opinion.objects.filter(project=forwarded[0]).values_list("step", "text")) == [
        ("panel", "建议评为一等奖"),
        ("committee", "同意评为一等奖"),
    ]
    from wuxiao.documents.queries import form_project
    from wuxiao.documents.registry import get_exporter

    _, _, content = get_exporter("project_form.docx").render(form_project(forwarded[0].pk), user=alice_committee)
    import docx

    text = "\n".join(
        cell.text for t in docx.Document(io.BytesIO(content)).tables for row in t.rows for cell in row.cells
    )
    assert "建议评为一等奖" in text and "同意评为一等奖" in text


def test_opinion_refused_before_review_and_for_unit_steps(round1, alice_committee, forwarded):
    with pytest.raises(ValidationError, match="尚未进入评审"):
        services.record_opinion(by=alice_committee, project=forwarded[0], step="panel", text="同意")
    with pytest.raises(ValidationError, match="只填写"):
        services.record_opinion(by=alice_committee, project=forwarded[0], step="league", text="同意")


def test_second_round_reviews_the_top_of_the_first(assigned, alice_committee, review_open, forwarded):
    for a in Assignment.objects.filter(round=assigned, status=AssignmentStatus.ACTIVE):
        quality = {forwarded[0].pk: 9, forwarded[1].pk: 5, forwarded[2].pk: 8, forwarded[3].pk: 3}[a.project_id]
        services.save_review(
            by=a.expert,
            assignment=a,
            scores={c.pk: Decimal(quality) for c in assigned.criteria.all()},
            comment="",
            submit=True,
        )
    from wuxiao.reviews import queries

    second = services.create_round(
        by=alice_committee,
        campaign=review_open,
        name="复评",
        kind="second",
        opens_on=assigned.opens_on,
        closes_on=assigned.closes_on,
        previous=assigned,
        advance_count=2,
    )
    assert set(queries.round_candidates(second).values_list("pk", flat=True)) == {forwarded[0].pk, forwarded[2].pk}
    with pytest.raises(ValidationError, match="必须填写从上一轮进入本轮的项目数"):
        services.create_round(
            by=alice_committee,
            campaign=review_open,
            name="复评",
            opens_on=assigned.opens_on,
            closes_on=assigned.closes_on,
            previous=assigned,
        )


def test_a_word_file_too_large_to_parse_is_left_to_a_person_not_parsed(round1, alice_committee, forwarded, monkeypatch):
    """A .docx within the upload limits can hold a 100 MB document.xml; parsed whole in the
    committee's request it took 320 MB for 60 MB. Over 10 MB of XML it is flagged for a person."""
    from wuxiao.reviews import blind

    monkeypatch.setattr(blind, "MAX_XML_PART_BYTES", 1024, raising=False)
    text = "本装置结构简单，" * 200  # a document.xml of a few kB: over the lowered limit
    attach(
        forwarded[0], "长文.docx", _docx(text),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )  # fmt: skip
    parsed = []
    monkeypatch.setattr("docx.Document", lambda *a, **k: parsed.append(1))
    services.check_blind(by=alice_committee, round=round1)
    found = [(f.where, f.found) for f in BlindFlag.objects.filter(round=round1)]
    assert ("附件“长文.docx”", "无法读取文件内容，请人工检查") in found
    assert parsed == []
