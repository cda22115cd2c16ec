"""Every unit-workflow action is bound to its stage of the notice (SPEC.md "Stages"), with
the per-unit extension, through ONE check (campaigns.services.require_stage_open) whose
message names the window. The test campaign's dates are 2024–2025: all past today."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.factories import Role, UserFactory, grant
from tests.unitflow import assign, make_advisor, make_project, open_stage, png
from wuxiao.campaigns.models import StageKind
from wuxiao.campaigns.services import acting_on, extend_stage, require_stage_open, stage_window
from wuxiao.projects import uploads, workflow
from wuxiao.projects.models import Direction, EntryRoute, FilePurpose, WorkRecord
from wuxiao.projects.states import ProjectState as S

pytestmark = pytest.mark.django_db

REGISTRATION = "攻关项目立项阶段（2024-06-01 至 2024-06-30）"
UNIT_WORK = "攻关项目立项至成果收集阶段（2024-06-01 至 2025-02-28）"
TEAM_WORK = "项目攻关至成果收集阶段（2024-07-01 至 2025-02-28）"
COLLECTION = "成果收集阶段（2025-01-01 至 2025-02-28）"


@pytest.fixture
def people(unit_a, bob_unit_admin, carol_applicant):
    advisors = [make_advisor(unit_a, "覃工"), make_advisor(unit_a, "韦工")]
    walt = UserFactory(real_name="吴车间")
    grant(walt, unit_a, Role.WORKSHOP)
    return {"admin": bob_unit_admin, "leader": carol_applicant, "advisors": advisors, "walt": walt}


def _record(project, leader):
    return WorkRecord.objects.create(project=project, date=date(2024, 8, 1), done="装配", created_by=leader)


ACTIONS = {
    # action: (project state, stages, what the message says cannot be done, the call)
    "publish_directions": (S.SUBMITTED, REGISTRATION, "发布项目方向", None),
    "classify": (S.SUBMITTED, REGISTRATION, "立项", None),
    "refuse": (S.SUBMITTED, REGISTRATION, "不予立项", None),
    "change_level": (S.ACCEPTED, UNIT_WORK, "变更项目分类", None),
    "set_resources": (S.ACCEPTED, UNIT_WORK, "配给资源", None),
    "assign_advisor": (S.ACCEPTED, UNIT_WORK, "指派技术顾问", None),
    "remove_advisor": (S.ACCEPTED, UNIT_WORK, "移除技术顾问", None),
    "add_work_record": (S.ACCEPTED, TEAM_WORK, "填写工作记录", None),
    "comment_work_record": (S.ACCEPTED, TEAM_WORK, "填写指导意见", None),
    "urge": (S.ACCEPTED, TEAM_WORK, "催办", None),
    "submit_result": (S.ACCEPTED, COLLECTION, "提交成果", None),
    "remove_result_evidence": (S.ACCEPTED, COLLECTION, "删除成果证明材料", None),
    "give_opinion": (S.RESULT_WORKSHOP, COLLECTION, "填写审核意见", None),
    "evaluate": (S.UNIT_APPROVED, COLLECTION, "内部评比", None),
    "forward_projects": (S.UNIT_APPROVED, COLLECTION, "上报", None),
}


def act(action, project, p):
    admin, leader, advisors = p["admin"], p["leader"], p["advisors"]
    if action == "publish_directions":
        Direction.objects.create(campaign=project.campaign, unit=project.unit, title="降本增效", created_by=admin)
        return workflow.publish_directions(campaign=project.campaign, unit=project.unit, by=admin)
    if action == "classify":
        return workflow.classify(project=project, level="general", by=admin)
    if action == "refuse":
        return workflow.refuse(project=project, reason="与方向不符", by=admin)
    if action == "change_level":
        return workflow.change_level(project=project, level="general", reason="范围缩小", by=admin)
    if action == "set_resources":
        return workflow.set_resources(project=project, funding=Decimal("2"), equipment="示波器", by=admin)
    if action == "assign_advisor":
        return workflow.assign_advisor(project=project, advisor=advisors[1], by=admin)
    if action == "remove_advisor":
        return workflow.remove_advisor(project=project, advisor=advisors[0], by=admin)
    if action == "add_work_record":
        return workflow.add_work_record(project=project, by=leader, on=date(2024, 8, 1), done="装配")
    if action == "comment_work_record":
        return workflow.comment_work_record(
            work=_record(project, leader), by=advisors[0], text="注意复测", sign_off=True
        )
    if action == "urge":
        return workflow.urge(project=project, by=admin)
    if action == "submit_result":
        return workflow.submit_result(project=project, by=leader)
    if action == "remove_result_evidence":
        stored = uploads.store(
            project=project, upload=png(), purpose=FilePurpose.RESULT_EVIDENCE, by=leader, display_name="测试报告.png",
            extension="png", content_type="image/png",
        )  # fmt: skip
        return workflow.remove_result_evidence(project=project, by=leader, stored=stored)
    if action == "give_opinion":
        return workflow.give_opinion(project=project, by=p["walt"], decision="approve", text="同意", stamp=png())
    if action == "evaluate":
        return workflow.evaluate(project=project, by=admin, score=Decimal("90"), self_grade="A")
    if action == "forward_projects":
        return workflow.forward_projects(
            unit=project.unit, projects=[project], by=admin, reporter_name="黄小军", reporter_phone="0772-2827423"
        )
    raise AssertionError(action)


def setup(action, campaign, unit, p):
    state = ACTIONS[action][0]
    fields = {"level": "general"} if state != S.SUBMITTED else {}
    if action in ("forward_projects", "evaluate", "change_level"):
        fields = {"level": "key", "self_grade": "B"}
    project = make_project(campaign, unit, p["leader"], state=state, **fields)
    assign(project, p["advisors"][0])
    return project


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_every_action_is_refused_after_its_window_naming_it(action, campaign, unit_a, people):
    project = setup(action, campaign, unit_a, people)
    with pytest.raises(ValidationError) as refused:
        act(action, project, people)
    _, window, what, _ = ACTIONS[action]
    assert f"{window}已结束，不能{what}" in refused.value.messages
    project.refresh_from_db()
    assert project.state == ACTIONS[action][0]


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_every_action_works_inside_its_window(action, campaign, unit_a, people):
    kind = {REGISTRATION: "registration", UNIT_WORK: "work", TEAM_WORK: "work", COLLECTION: "collection"}
    open_stage(campaign, kind[ACTIONS[action][1]])
    project = setup(action, campaign, unit_a, people)
    act(action, project, people)  # no ValidationError


def test_an_extension_reopens_the_window_for_that_unit_only(
    campaign, unit_a, unit_b, people, alice_committee, eve_other_unit_admin
):
    stage = campaign.stages.get(kind=StageKind.REGISTRATION)
    extend_stage(by=alice_committee, stage=stage, organisation=unit_a, until=timezone.localdate(), reason="检修")
    project = make_project(campaign, unit_a, people["leader"])
    workflow.classify(project=project, level="general", by=people["admin"])
    elsewhere = make_project(campaign, unit_b, UserFactory())
    with pytest.raises(ValidationError) as refused:
        workflow.classify(project=elsewhere, level="general", by=eve_other_unit_admin)
    assert refused.value.messages == [f"{REGISTRATION}已结束，不能立项"]


def test_a_direct_entry_is_classified_in_the_collection_stage(campaign, unit_a, people):
    open_stage(campaign, "registration")
    open_stage(campaign, "collection", days_before=-30, days_after=60)  # later in the year
    direct = make_project(campaign, unit_a, people["leader"], entry_route=EntryRoute.DIRECT)
    with pytest.raises(ValidationError) as refused:
        workflow.classify(project=direct, level="general", by=people["admin"])
    assert refused.value.messages[0].startswith("成果收集阶段（") and "尚未开始，不能立项" in refused.value.messages[0]
    open_stage(campaign, "collection")
    workflow.classify(project=direct, level="general", by=people["admin"])


def test_before_the_window_the_message_says_not_yet_started(campaign, unit_a):
    with acting_on(date(2024, 5, 31)), pytest.raises(ValidationError) as refused:
        require_stage_open(campaign, StageKind.REGISTRATION, unit_a, action="立项")
    assert refused.value.messages == [f"{REGISTRATION}尚未开始，不能立项"]
    with acting_on(date(2024, 6, 30)):
        require_stage_open(campaign, StageKind.REGISTRATION, unit_a, action="立项")
    with acting_on(date(2024, 7, 1) + timedelta(days=0)), pytest.raises(ValidationError):
        require_stage_open(campaign, StageKind.REGISTRATION, unit_a, action="立项")


def test_an_extension_reaches_the_subtree_by_the_ids_in_its_path(campaign, district, unit_a, unit_b, alice_committee):
    """Granted to a district, an extension opens the stage for the district's units and no
    other (found through the ids in a unit's materialised path, with no join)."""
    stage = campaign.stages.get(kind=StageKind.REGISTRATION)
    until = max(stage.ends_on, timezone.localdate()) + timedelta(days=3)
    extend_stage(by=alice_committee, stage=stage, organisation=district, until=until, reason="汛期")
    assert stage_window(campaign, StageKind.REGISTRATION, unit_a) == (stage.starts_on, until)
    assert stage_window(campaign, StageKind.REGISTRATION, unit_b) == (stage.starts_on, stage.ends_on)
    assert stage_window(campaign, StageKind.REGISTRATION) == (stage.starts_on, stage.ends_on)
