"""The unit workflow services (issue 4): classification and the two-advisor rule, work
records and urging, the result's opinion chain, evaluation, forwarding within the quota."""

import threading
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from tests.factories import Role, UserFactory, grant, participation
from tests.unitflow import PDF, assign, make_advisor, make_project, open_stage, png
from wuxiao.audit.models import AuditEntry
from wuxiao.campaigns.models import Participation, StageKind
from wuxiao.campaigns.services import extend_stage
from wuxiao.notifications.models import Notification
from wuxiao.projects import rules, workflow
from wuxiao.projects.models import KeyResources, LevelChange, Opinion, Project, TeamMember
from wuxiao.projects.queries import projects_visible_to
from wuxiao.projects.states import ProjectState as S

pytestmark = pytest.mark.django_db


def messages_of(exc) -> list[str]:
    return exc.value.messages


# --- Pure rules ----------------------------------------------------------------------


def test_advisor_rule_names_the_numbers():
    assert rules.advisor_problem("key", 1) == "重点项目需配备至少 2 名技术顾问，当前 1 名"
    assert rules.advisor_problem("key", 0) == "重点项目需配备至少 2 名技术顾问，当前 0 名"
    assert rules.advisor_problem("key", 2) is None
    assert rules.advisor_problem("general", 0) is None


def test_quota_message_names_the_numbers():
    assert rules.quota_problem(5, 4, 2) == "超出剩余名额：剩余 1 项，本次选择 2 项（可报 5 项，已报 4 项）"
    assert rules.quota_problem(5, 5, 1) == "上报名额已满：可报 5 项，已报 5 项，本次选择 1 项"
    assert rules.quota_problem(5, 4, 1) is None


@pytest.mark.parametrize(
    ("state", "decision", "workshop", "expected"),
    [
        ("result_workshop", "approve", True, "result_tech"),
        ("result_workshop", "previous", True, "result_returned"),
        ("result_workshop", "applicant", True, "result_returned"),
        ("result_tech", "approve", True, "result_league"),
        ("result_tech", "previous", True, "result_workshop"),
        ("result_tech", "previous", False, "result_returned"),
        ("result_tech", "applicant", True, "result_returned"),
        ("result_league", "approve", True, "unit_approved"),
        ("result_league", "previous", False, "result_tech"),
        ("result_league", "applicant", True, "result_returned"),
    ],
)
def test_opinion_chain_map(state, decision, workshop, expected):
    assert rules.state_after_opinion(state, decision, workshop) == expected


def test_no_workshop_state_when_the_step_is_off():
    with pytest.raises(ValueError):
        rules.state_after_opinion("result_workshop", "approve", False)


@given(
    st.lists(st.dates(min_value=date(2024, 7, 1), max_value=date(2024, 12, 31)), max_size=30),
    st.integers(min_value=0, max_value=400),
)
def test_progress_overdue_means_more_than_30_quiet_days(dates, offset):
    since = date(2024, 7, 1)
    today = max([since, *dates]) + timedelta(days=offset)
    p = rules.progress(dates, since=since, today=today)
    assert p.records == len(dates)
    assert p.overdue == (p.days_quiet > 30)
    assert p.per_month >= 0
    assert p.last_record == (max(dates) if dates else None)


def test_progress_exact_values():
    p = rules.progress([date(2024, 8, 1), date(2024, 9, 1)], since=date(2024, 7, 2), today=date(2024, 10, 1))
    assert (p.last_record, p.records, p.per_month, p.days_quiet, p.overdue) == (date(2024, 9, 1), 2, 0.7, 30, False)
    p = rules.progress([], since=date(2024, 7, 1), today=date(2024, 8, 1))
    assert (p.records, p.days_quiet, p.overdue) == (0, 31, True)


# --- Classification and advisors -------------------------------------------------------


def test_key_project_needs_two_advisors(campaign, unit_a, bob_unit_admin, carol_applicant, advisors):
    open_stage(campaign, "registration")
    project = make_project(campaign, unit_a, carol_applicant)
    assign(project, advisors[0])
    with pytest.raises(ValidationError) as exc:
        workflow.classify(project=project, level="key", by=bob_unit_admin)
    assert messages_of(exc) == ["重点项目需配备至少 2 名技术顾问，当前 1 名"]
    project.refresh_from_db()
    assert (project.state, project.level) == (S.SUBMITTED, "")

    workflow.assign_advisor(project=project, advisor=advisors[1], by=bob_unit_admin)
    workflow.classify(project=project, level="key", by=bob_unit_admin, funding=Decimal("3.5"), equipment="三坐标测量仪")
    project.refresh_from_db()
    assert (project.state, project.level) == (S.ACCEPTED, "key")
    assert KeyResources.objects.get(project=project).funding == Decimal("3.50")
    assert list(LevelChange.objects.filter(project=project).values_list("from_level", "to_level")) == [("", "key")]
    assert Notification.objects.filter(recipient=carol_applicant, kind="project.accepted").count() == 1
    assert Notification.objects.filter(recipient=advisors[1], kind="project.advisor").count() == 1
    assert AuditEntry.objects.filter(action="project.accepted", target_id=str(project.pk)).count() == 1


def test_general_project_needs_no_advisor(campaign, unit_a, bob_unit_admin, carol_applicant):
    open_stage(campaign, "registration")
    project = make_project(campaign, unit_a, carol_applicant)
    workflow.classify(project=project, level="general", by=bob_unit_admin)
    project.refresh_from_db()
    assert (project.state, project.level) == (S.ACCEPTED, "general")


def test_refuse_needs_a_reason_and_tells_the_applicant(campaign, unit_a, bob_unit_admin, carol_applicant):
    open_stage(campaign, "registration")
    project = make_project(campaign, unit_a, carol_applicant)
    with pytest.raises(ValidationError) as exc:
        workflow.refuse(project=project, reason=" ", by=bob_unit_admin)
    assert messages_of(exc) == ["不予立项必须填写原因"]
    workflow.refuse(project=project, reason="属于单位大型科研攻关项目", by=bob_unit_admin)
    project.refresh_from_db()
    assert project.state == S.REFUSED
    assert project.events.last().note == "属于单位大型科研攻关项目"
    note = Notification.objects.get(recipient=carol_applicant, kind="project.refused")
    assert "属于单位大型科研攻关项目" in note.body


def test_another_units_admin_cannot_classify(campaign, unit_a, eve_other_unit_admin, carol_applicant):
    project = make_project(campaign, unit_a, carol_applicant)
    with pytest.raises(PermissionDenied):
        workflow.classify(project=project, level="general", by=eve_other_unit_admin)
    with pytest.raises(PermissionDenied):
        workflow.refuse(project=project, reason="x", by=carol_applicant)


def test_level_change_is_recorded_and_keeps_the_advisor_rule(
    campaign, unit_a, bob_unit_admin, carol_applicant, advisors
):
    open_stage(campaign, "work")
    project = make_project(campaign, unit_a, carol_applicant, state=S.ACCEPTED, level="general")
    assign(project, advisors[0])
    with pytest.raises(ValidationError) as exc:
        workflow.change_level(project=project, level="key", reason="效益突出", by=bob_unit_admin)
    assert messages_of(exc) == ["重点项目需配备至少 2 名技术顾问，当前 1 名"]
    with pytest.raises(ValidationError) as exc:
        workflow.change_level(project=project, level="key", reason="", by=bob_unit_admin)
    assign(project, advisors[1])
    workflow.change_level(project=project, level="key", reason="效益突出", by=bob_unit_admin)
    workflow.change_level(project=project, level="general", reason="范围缩小", by=bob_unit_admin)
    project.refresh_from_db()
    assert project.level == "general"
    assert list(LevelChange.objects.filter(project=project).values_list("from_level", "to_level", "reason")) == [
        ("general", "key", "效益突出"),
        ("key", "general", "范围缩小"),
    ]
    assert AuditEntry.objects.filter(action="project.level").count() == 2


def test_confirmed_key_project_keeps_two_advisors(campaign, unit_a, bob_unit_admin, carol_applicant, advisors):
    open_stage(campaign, "work")
    project = make_project(campaign, unit_a, carol_applicant, state=S.ACCEPTED, level="key")
    assign(project, *advisors)
    with pytest.raises(ValidationError) as exc:
        workflow.remove_advisor(project=project, advisor=advisors[0], by=bob_unit_admin)
    assert messages_of(exc) == ["不能移除：重点项目需配备至少 2 名技术顾问，移除后仅剩 1 名"]
    third = make_advisor(unit_a, "蓝工")
    workflow.assign_advisor(project=project, advisor=third, by=bob_unit_admin)
    workflow.remove_advisor(project=project, advisor=advisors[0], by=bob_unit_admin)
    assert project.advisor_assignments.count() == 2


def test_only_the_units_advisors_can_be_assigned(campaign, unit_a, unit_b, bob_unit_admin, carol_applicant):
    open_stage(campaign, "registration")
    project = make_project(campaign, unit_a, carol_applicant)
    outsider = make_advisor(unit_b, "外单位顾问")
    with pytest.raises(ValidationError) as exc:
        workflow.assign_advisor(project=project, advisor=outsider, by=bob_unit_admin)
    assert messages_of(exc) == ["外单位顾问 不是“示例机械有限公司团委”的技术顾问，请先邀请其加入"]


def test_publish_directions_tells_applicants(campaign, unit_a, bob_unit_admin, carol_applicant):
    open_stage(campaign, "registration")
    from wuxiao.projects.models import Direction
    from wuxiao.projects.queries import published_directions

    Direction.objects.create(campaign=campaign, unit=unit_a, title="降本增效", created_by=bob_unit_admin)
    assert workflow.publish_directions(campaign=campaign, unit=unit_a, by=bob_unit_admin) == 1
    assert Direction.objects.get().published is True
    assert [d.title for d in published_directions(campaign, unit_a)] == ["降本增效"]
    assert "降本增效" in Notification.objects.get(recipient=carol_applicant, kind="unit.directions").body
    with pytest.raises(ValidationError):
        workflow.publish_directions(campaign=campaign, unit=unit_a, by=bob_unit_admin)


# --- Work records, comments, urging -----------------------------------------------------


def test_team_keeps_records_and_advisors_sign_off(campaign, unit_a, carol_applicant, advisors, mallory):
    open_stage(campaign, "work")
    project = make_project(campaign, unit_a, carol_applicant, state=S.ACCEPTED, level="key")
    assign(project, *advisors)
    work = workflow.add_work_record(
        project=project,
        by=carol_applicant,
        on=timezone.localdate(),
        done="样机装配",
        problems="误差 0.3 mm",
        files=[png("照片.png")],
    )
    assert work.files.get().original_name == "照片.png"
    assert work.files.get().file.name.endswith(".png") and "照片" not in work.files.get().file.name
    assert Notification.objects.filter(kind="workrecord.added").count() == 2
    with pytest.raises(PermissionDenied):
        workflow.add_work_record(project=project, by=mallory, on=timezone.localdate(), done="x")
    with pytest.raises(ValidationError) as exc:
        workflow.add_work_record(
            project=project, by=carol_applicant, on=timezone.localdate(), done="x", files=[png("a.png", b"MZ\x90")]
        )
    assert messages_of(exc) == ["附件“a.png”不是 PNG、JPG 图片或 PDF 文件（按文件内容检查），请重新上传"]

    comment = workflow.comment_work_record(work=work, by=advisors[0], text="注意复测", sign_off=True)
    assert comment.signed_off is True
    assert Notification.objects.filter(recipient=carol_applicant, kind="workrecord.comment").count() == 1
    with pytest.raises(PermissionDenied):
        workflow.comment_work_record(work=work, by=carol_applicant, text="自评", sign_off=True)


def test_urging_notifies_the_team(campaign, unit_a, bob_unit_admin, carol_applicant, eve_other_unit_admin):
    open_stage(campaign, "work")
    project = make_project(campaign, unit_a, carol_applicant, state=S.ACCEPTED, level="general")
    member = UserFactory(real_name="组员")
    TeamMember.objects.create(
        project=project, name="组员", gender="M", birth_date=date(1998, 1, 1), education="bachelor", user=member
    )
    workflow.urge(project=project, by=bob_unit_admin, note="请本周补记录")
    assert sorted(Notification.objects.filter(kind="project.urged").values_list("recipient__real_name", flat=True)) == [
        "组员",
        "蔡柔",
    ]
    assert "请本周补记录" in Notification.objects.filter(kind="project.urged").first().body
    assert AuditEntry.objects.filter(action="project.urge").count() == 1
    with pytest.raises(PermissionDenied):
        workflow.urge(project=project, by=eve_other_unit_admin)
    submitted = make_project(campaign, unit_a, carol_applicant)
    with pytest.raises(ValidationError):
        workflow.urge(project=submitted, by=bob_unit_admin)


# --- Result and opinion chain -----------------------------------------------------------


def test_result_only_in_the_collection_window_or_an_extension(campaign, unit_a, carol_applicant, alice_committee):
    project = make_project(campaign, unit_a, carol_applicant, state=S.ACCEPTED, level="general")
    with pytest.raises(ValidationError) as exc:
        workflow.submit_result(project=project, by=carol_applicant)
    assert messages_of(exc) == ["成果收集阶段（2025-01-01 至 2025-02-28）已结束，不能提交成果"]
    stage = campaign.stages.get(kind=StageKind.COLLECTION)
    extend_stage(by=alice_committee, stage=stage, organisation=unit_a, until=timezone.localdate(), reason="检修")
    project = workflow.submit_result(project=project, by=carol_applicant)
    assert project.state == S.RESULT_WORKSHOP


def test_extension_is_for_one_unit_only(campaign, unit_a, unit_a2, alice_committee):
    leader = UserFactory()
    other = make_project(campaign, unit_a2, leader, state=S.ACCEPTED, level="general")
    stage = campaign.stages.get(kind=StageKind.COLLECTION)
    extend_stage(by=alice_committee, stage=stage, organisation=unit_a, until=timezone.localdate(), reason="检修")
    with pytest.raises(ValidationError):
        workflow.submit_result(project=other, by=leader)


def _result(campaign, unit, leader, state=S.RESULT_WORKSHOP):
    return make_project(campaign, unit, leader, state=state, level="key")


def test_full_chain_to_unit_approved(campaign, unit_a, carol_applicant, bob_unit_admin, walt_workshop, tina_tech):
    open_stage(campaign, "collection")
    project = make_project(campaign, unit_a, carol_applicant, state=S.ACCEPTED, level="key")
    workflow.submit_result(project=project, by=carol_applicant, economic_benefit=Decimal("20"))
    assert Notification.objects.filter(recipient=walt_workshop, kind="result.awaiting").count() == 1
    workflow.give_opinion(project=project, by=walt_workshop, decision="approve", text="情况属实", stamp=png())
    assert Project.objects.get(pk=project.pk).state == S.RESULT_TECH
    assert Notification.objects.filter(recipient=tina_tech, kind="result.awaiting").count() == 1
    workflow.give_opinion(
        project=project, by=tina_tech, decision="approve", text="技术可行", stamp=png("scan.pdf", PDF)
    )
    assert Project.objects.get(pk=project.pk).state == S.RESULT_LEAGUE
    assert Notification.objects.filter(recipient=bob_unit_admin, kind="result.awaiting").count() == 1
    workflow.give_opinion(project=project, by=bob_unit_admin, decision="approve", text="同意推荐", stamp=png())
    project.refresh_from_db()
    assert project.state == S.UNIT_APPROVED
    assert project.economic_benefit == Decimal("20.00")
    assert list(project.opinions.values_list("step", "approved", "signer_name")) == [
        ("workshop", True, "吴车间"),
        ("tech_dept", True, "唐技术"),
        ("league", True, "卜波"),
    ]
    assert all(o.stamp.file.name.startswith("stamps/") for o in project.opinions.all())
    assert [o.stamp.name for o in project.opinions.all()] == ["盖章-吴车间.png", "盖章-唐技术.pdf", "盖章-卜波.png"]


@pytest.mark.parametrize(
    ("state", "giver", "decision", "expected"),
    [
        (S.RESULT_WORKSHOP, "walt", "applicant", S.RESULT_RETURNED),
        (S.RESULT_TECH, "tina", "previous", S.RESULT_WORKSHOP),
        (S.RESULT_TECH, "tina", "applicant", S.RESULT_RETURNED),
        (S.RESULT_LEAGUE, "bob", "previous", S.RESULT_TECH),
        (S.RESULT_LEAGUE, "bob", "applicant", S.RESULT_RETURNED),
    ],
)
def test_returns_at_each_step(
    campaign, unit_a, carol_applicant, bob_unit_admin, walt_workshop, tina_tech, state, giver, decision, expected
):
    open_stage(campaign, "collection")
    by = {"walt": walt_workshop, "tina": tina_tech, "bob": bob_unit_admin}[giver]
    project = _result(campaign, unit_a, carol_applicant, state)
    opinion = workflow.give_opinion(project=project, by=by, decision=decision, text="数据不全，请补充测试报告")
    project.refresh_from_db()
    assert project.state == expected
    assert (opinion.approved, opinion.text) == (False, "数据不全，请补充测试报告")
    if expected == S.RESULT_RETURNED:
        note = Notification.objects.get(recipient=carol_applicant, kind="result.returned")
        assert note.body == "退回原因：数据不全，请补充测试报告"


def test_return_needs_a_reason_and_approval_needs_a_stamp(campaign, unit_a, carol_applicant, walt_workshop):
    open_stage(campaign, "collection")
    project = _result(campaign, unit_a, carol_applicant)
    with pytest.raises(ValidationError) as exc:
        workflow.give_opinion(project=project, by=walt_workshop, decision="applicant", text="")
    assert messages_of(exc) == ["退回必须填写原因"]
    with pytest.raises(ValidationError) as exc:
        workflow.give_opinion(project=project, by=walt_workshop, decision="approve", text="同意")
    assert messages_of(exc) == ["同意时必须上传盖章（印章图片或签字页扫描件，PNG/JPG/PDF）"]
    with pytest.raises(ValidationError) as exc:
        workflow.give_opinion(
            project=project,
            by=walt_workshop,
            decision="approve",
            text="同意",
            stamp=png("seal.png", b"MZ\x90\x00 renamed exe"),
        )
    assert messages_of(exc) == ["盖章文件“seal.png”不是 PNG、JPG 图片或 PDF 文件（按文件内容检查），请重新上传"]
    assert Opinion.objects.count() == 0


def test_only_the_steps_person_gives_its_opinion(campaign, unit_a, carol_applicant, tina_tech, dave_expert):
    open_stage(campaign, "collection")
    project = _result(campaign, unit_a, carol_applicant)
    for who in (tina_tech, carol_applicant, dave_expert):
        with pytest.raises(PermissionDenied):
            workflow.give_opinion(project=project, by=who, decision="approve", text="同意", stamp=png())
    assert Project.objects.get(pk=project.pk).state == S.RESULT_WORKSHOP


def test_workshop_step_switched_off(campaign, unit_a, carol_applicant, tina_tech, part_a):
    part_a.workshop_step_enabled = False
    part_a.save()
    open_stage(campaign, "collection")
    project = make_project(campaign, unit_a, carol_applicant, state=S.ACCEPTED, level="key")
    project = workflow.submit_result(project=project, by=carol_applicant)
    assert project.state == S.RESULT_TECH
    workflow.give_opinion(project=project, by=tina_tech, decision="previous", text="请补充")
    assert Project.objects.get(pk=project.pk).state == S.RESULT_RETURNED
    project = workflow.submit_result(project=project, by=carol_applicant)
    assert project.state == S.RESULT_TECH


def test_opinion_givers_and_advisors_see_their_projects(
    campaign, unit_a, carol_applicant, walt_workshop, advisors, dave_expert
):
    working = make_project(campaign, unit_a, carol_applicant, state=S.ACCEPTED, level="key")
    result = _result(campaign, unit_a, carol_applicant)
    assign(working, advisors[0])
    assert list(projects_visible_to(walt_workshop)) == [result]
    assert list(projects_visible_to(advisors[0])) == [working]
    assert list(projects_visible_to(advisors[1])) == []
    assert list(projects_visible_to(dave_expert)) == []


# --- Evaluation and forwarding ---------------------------------------------------------


def test_evaluation_only_on_unit_approved(campaign, unit_a, carol_applicant, bob_unit_admin):
    open_stage(campaign, "collection")
    approved = make_project(campaign, unit_a, carol_applicant, state=S.UNIT_APPROVED, level="key")
    workflow.evaluate(project=approved, by=bob_unit_admin, score=Decimal("91.5"), self_grade="A")
    approved.refresh_from_db()
    assert (approved.internal_score, approved.self_grade) == (Decimal("91.50"), "A")
    working = make_project(campaign, unit_a, carol_applicant, state=S.ACCEPTED, level="key")
    with pytest.raises(ValidationError):
        workflow.evaluate(project=working, by=bob_unit_admin, score=None, self_grade="B")
    with pytest.raises(ValidationError) as exc:
        workflow.evaluate(project=approved, by=bob_unit_admin, score=Decimal("101"), self_grade="B")
    assert messages_of(exc) == ["内部评比得分 101 超出 0–100 的范围"]


def _ready(campaign, unit, n, **fields):
    leader = UserFactory()
    return [
        make_project(campaign, unit, leader, state=S.UNIT_APPROVED, level="key", self_grade="B", **fields)
        for _ in range(n)
    ]


def test_forwarding_within_quota(campaign, unit_a, bob_unit_admin, part_a):
    open_stage(campaign, "collection")
    for _ in range(4):
        make_project(campaign, unit_a, UserFactory(), state=S.FORWARDED, level="key", self_grade="A")
    chosen = _ready(campaign, unit_a, 2)
    with pytest.raises(ValidationError) as exc:
        workflow.forward_projects(
            unit=unit_a, projects=chosen, by=bob_unit_admin, reporter_name="黄小军", reporter_phone="0772-2827423"
        )
    assert messages_of(exc) == ["超出剩余名额：剩余 1 项，本次选择 2 项（可报 5 项，已报 4 项）"]
    assert Project.objects.filter(state=S.FORWARDED).count() == 4

    done = workflow.forward_projects(
        unit=unit_a, projects=chosen[:1], by=bob_unit_admin, reporter_name="黄小军", reporter_phone="0772-2827423"
    )
    project = Project.objects.get(pk=done[0].pk)
    assert (project.state, project.forwarded_by) == (S.FORWARDED, bob_unit_admin)
    assert project.forwarded_at is not None
    part_a.refresh_from_db()
    assert (part_a.reporter_name, part_a.reporter_phone) == ("黄小军", "0772-2827423")
    assert workflow.quota_status(campaign, unit_a).text == "可报 5 项，已报 5 项"


def test_forwarding_refuses_general_ungraded_and_outside_window(
    campaign, unit_a, bob_unit_admin, part_a, alice_committee
):
    general = make_project(
        campaign, unit_a, UserFactory(), state=S.UNIT_APPROVED, level="general", self_grade="B", name="一般项目甲"
    )
    ungraded = make_project(campaign, unit_a, UserFactory(), state=S.UNIT_APPROVED, level="key", name="未评项目乙")
    with pytest.raises(ValidationError) as exc:
        workflow.forward_projects(
            unit=unit_a, projects=[general], by=bob_unit_admin, reporter_name="黄小军", reporter_phone="0772-2827423"
        )
    assert messages_of(exc) == ["成果收集阶段（2025-01-01 至 2025-02-28）已结束，不能上报"]
    stage = campaign.stages.get(kind=StageKind.COLLECTION)
    extend_stage(by=alice_committee, stage=stage, organisation=unit_a, until=timezone.localdate(), reason="延期")
    with pytest.raises(ValidationError) as exc:
        workflow.forward_projects(
            unit=unit_a, projects=[general, ungraded], by=bob_unit_admin, reporter_name="黄小军", reporter_phone="12345"
        )
    assert messages_of(exc)[0].startswith("汇总表的联系电话：")
    with pytest.raises(ValidationError) as exc:
        workflow.forward_projects(
            unit=unit_a,
            projects=[general, ungraded],
            by=bob_unit_admin,
            reporter_name="黄小军",
            reporter_phone="0772-2827423",
        )
    assert messages_of(exc) == [
        "“一般项目甲”是一般项目，只有重点项目的成果可以上报",
        "“未评项目乙”尚未填写自评等级（内部评比）",
    ]
    assert Project.objects.filter(state=S.FORWARDED).count() == 0


def test_district_forwards_only_when_the_unit_allows(campaign, unit_a, dan_district_admin, part_a):
    open_stage(campaign, "collection")
    chosen = _ready(campaign, unit_a, 1)
    with pytest.raises(PermissionDenied) as exc:
        workflow.forward_projects(
            unit=unit_a, projects=chosen, by=dan_district_admin, reporter_name="邓丹", reporter_phone="0772-2827423"
        )
    assert str(exc.value) == "“示例机械有限公司团委”未允许上级团组织代为上报"
    unit_a.allow_parent_forwarding = True
    unit_a.save()
    workflow.forward_projects(
        unit=unit_a, projects=chosen, by=dan_district_admin, reporter_name="邓丹", reporter_phone="0772-2827423"
    )
    assert Project.objects.get(pk=chosen[0].pk).forwarded_by == dan_district_admin


def test_other_units_admin_cannot_forward(campaign, unit_a, eve_other_unit_admin, part_a):
    open_stage(campaign, "collection")
    unit_a.allow_parent_forwarding = True
    unit_a.save()
    with pytest.raises(PermissionDenied):
        workflow.forward_projects(
            unit=unit_a,
            projects=_ready(campaign, unit_a, 1),
            by=eve_other_unit_admin,
            reporter_name="叶伊",
            reporter_phone="0772-2827423",
        )


def test_forwarded_is_frozen_until_the_committee_sends_it_back(
    campaign, unit_a, bob_unit_admin, carol_applicant, alice_committee
):
    project = make_project(
        campaign,
        unit_a,
        carol_applicant,
        state=S.FORWARDED,
        level="key",
        self_grade="A",
        forwarded_at=timezone.now(),
        forwarded_by=bob_unit_admin,
    )
    for call in (
        lambda: workflow.evaluate(project=project, by=bob_unit_admin, score=None, self_grade="C"),
        lambda: workflow.change_level(project=project, level="general", reason="x", by=bob_unit_admin),
        lambda: workflow.add_work_record(project=project, by=carol_applicant, on=timezone.localdate(), done="x"),
    ):
        with pytest.raises(ValidationError) as exc:
            call()
        assert messages_of(exc) == ["该项目已上报组委会，内容已冻结；如需修改请联系组委会退回"]
    with pytest.raises(PermissionDenied):
        workflow.send_back(project=project, by=bob_unit_admin, reason="自行撤回")
    workflow.send_back(project=project, by=alice_committee, reason="附件缺少盖章页")
    project.refresh_from_db()
    assert (project.state, project.forwarded_at, project.forwarded_by) == (S.UNIT_APPROVED, None, None)
    assert Notification.objects.filter(recipient=bob_unit_admin, kind="project.sent_back").count() == 1


# --- Concurrency (PostgreSQL) ----------------------------------------------------------


def _race(calls):
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, call):
        from django.db import connection as conn

        try:
            barrier.wait()
            call()
            results[i] = "ok"
        except ValidationError as exc:
            results[i] = exc.messages[0]
        except Exception as exc:  # pragma: no cover - reported by the assertion
            results[i] = repr(exc)
        finally:
            conn.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


@pytest.mark.django_db(transaction=True)
def test_twenty_admins_forwarding_at_once_never_exceed_the_quota(on_postgres, campaign, unit_a, bob_unit_admin):
    open_stage(campaign, "collection")
    participation(campaign, unit_a, young_workers=150)
    projects = _ready(campaign, unit_a, 20)

    def forward(p):
        return lambda: workflow.forward_projects(
            unit=unit_a, projects=[p], by=bob_unit_admin, reporter_name="黄小军", reporter_phone="0772-2827423"
        )

    results = _race([forward(p) for p in projects])
    assert results.count("ok") == 5
    assert sorted(set(results) - {"ok"}) == [
        "上报名额已满：可报 5 项，已报 5 项，本次选择 1 项",
    ]
    assert Project.objects.filter(state=S.FORWARDED).count() == 5
    assert connection.vendor == "postgresql"


@pytest.mark.django_db(transaction=True)
def test_district_and_unit_forwarding_at_the_same_moment(
    on_postgres, campaign, unit_a, bob_unit_admin, dan_district_admin
):
    open_stage(campaign, "collection")
    unit_a.allow_parent_forwarding = True
    unit_a.save()
    participation(campaign, unit_a, young_workers=150)
    for _ in range(3):
        make_project(campaign, unit_a, UserFactory(), state=S.FORWARDED, level="key", self_grade="A")
    projects = _ready(campaign, unit_a, 4)
    results = _race(
        [
            lambda: workflow.forward_projects(
                unit=unit_a,
                projects=projects[:2],
                by=bob_unit_admin,
                reporter_name="黄小军",
                reporter_phone="0772-2827423",
            ),
            lambda: workflow.forward_projects(
                unit=unit_a,
                projects=projects[2:],
                by=dan_district_admin,
                reporter_name="邓丹",
                reporter_phone="0772-2827423",
            ),
        ]
    )
    assert sorted(results) == ["ok", "上报名额已满：可报 5 项，已报 5 项，本次选择 2 项"]
    assert Project.objects.filter(state=S.FORWARDED).count() == 5


def test_forwarding_creates_the_participation_row_when_missing(campaign, unit_a2):
    admin = UserFactory()
    grant(admin, unit_a2, Role.ADMIN)
    open_stage(campaign, "collection")
    workflow.forward_projects(
        unit=unit_a2,
        projects=_ready(campaign, unit_a2, 1),
        by=admin,
        reporter_name="张三",
        reporter_phone="13877212345",
    )
    assert Participation.objects.get(organisation=unit_a2).quota == 5


def test_visible_project_agrees_with_the_visibility_rule(
    campaign, unit_a, carol_applicant, bob_unit_admin, eve_other_unit_admin, dan_district_admin, mallory
):
    """The portal's one-project read answers the leader from the row and everyone else with
    projects_visible_to: for each user and project, both say the same."""
    from django.contrib.auth.models import AnonymousUser
    from django.http import Http404

    from wuxiao.projects.queries import ProjectShows, visible_project

    member = UserFactory()
    draft = make_project(campaign, unit_a, carol_applicant, state=S.DRAFT)
    submitted = make_project(campaign, unit_a, carol_applicant, state=S.SUBMITTED)
    TeamMember.objects.create(project=draft, name="成员", user=member, birth_date="1998-01-01")
    users = [
        carol_applicant,
        member,
        bob_unit_admin,
        eve_other_unit_admin,
        dan_district_admin,
        mallory,
        AnonymousUser(),
    ]
    for user in users:
        for project in (draft, submitted):
            expected = projects_visible_to(user).filter(pk=project.pk).exists()
            try:
                seen = visible_project(user, project.pk, shows=ProjectShows.page)
            except Http404:
                seen = None
            assert (seen is not None) == expected, (user, project.state)
    assert not projects_visible_to(bob_unit_admin).filter(pk=draft.pk).exists()  # a draft stays private
    assert projects_visible_to(member).filter(pk=draft.pk).exists()
    with pytest.raises(Http404):
        visible_project(carol_applicant, 10**9)


def test_visible_project_takes_the_leader_from_the_signed_in_user(
    campaign, unit_a, carol_applicant, bob_unit_admin, django_assert_num_queries
):
    """The leader reading their own project is not read again with it (no join to the users
    table); anyone else sees the project's real leader."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from wuxiao.projects.queries import visible_project

    project = make_project(campaign, unit_a, carol_applicant, state=S.SUBMITTED)
    with CaptureQueriesContext(connection) as captured:
        seen = visible_project(carol_applicant, project.pk)
        assert seen.leader is carol_applicant
    [read] = captured.captured_queries
    assert "people_user" not in read["sql"]

    seen = visible_project(bob_unit_admin, project.pk)
    with django_assert_num_queries(1):
        assert seen.leader == carol_applicant
        assert seen.leader.display_name == carol_applicant.display_name


def test_days_without_a_record_count_local_days(campaign, unit_a, carol_applicant):
    """逾期 N 天 counts days in Asia/Shanghai: a project submitted at 01:00 local time (17:00
    UTC the day before) has been quiet one day on the next local day, not two."""
    from datetime import date, datetime
    from zoneinfo import ZoneInfo

    from wuxiao.projects.queries import progress_of

    at = datetime(2026, 3, 1, 1, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    project = make_project(campaign, unit_a, carol_applicant, state=S.SUBMITTED, submitted_at=at)
    [(_, progress)] = progress_of([project], today=date(2026, 3, 2))
    assert progress.days_quiet == 1
