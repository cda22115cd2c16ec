"""The 申报 services: drafts, the version check, submission with every rule, return, withdraw."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.factories import UserFactory, grant, open_stage
from tests.projects.conftest import VALID, close_stage, fill
from wuxiao.audit.models import AuditEntry
from wuxiao.campaigns.models import StageExtension, StageKind
from wuxiao.notifications.models import Notification
from wuxiao.people.models import Role
from wuxiao.projects import services
from wuxiao.projects.models import EntryRoute, Project, ProjectEvent, ProjectVersion, TeamMember
from wuxiao.projects.states import ProjectState
from wuxiao.projects.transitions import StaleVersion

pytestmark = pytest.mark.django_db


def errors_of(exc_info) -> dict:
    return exc_info.value.message_dict


def submit(project, **kw):
    project.refresh_from_db()
    return services.submit_project(project=project, by=project.leader, expected_version=project.version, **kw)


# --- creating ---------------------------------------------------------------------------


def test_create_presets_unit_and_leader_fields_from_profile(campaign, carol_applicant, unit_a):
    carol_applicant.gender, carol_applicant.education, carol_applicant.mobile = "F", "college", "13877200009"
    carol_applicant.save()
    project = services.create_project(campaign=campaign, leader=carol_applicant)
    assert project.unit == unit_a
    assert project.state == ProjectState.DRAFT
    assert (project.leader_name, project.leader_gender, project.leader_birth_date) == ("蔡柔", "F", date(1995, 6, 1))
    assert (project.leader_education, project.leader_phone) == ("college", "13877200009")
    assert project.version == 1
    assert list(project.events.values_list("to_state", flat=True)) == [ProjectState.DRAFT]
    assert AuditEntry.objects.filter(action="project.create", target_id=str(project.pk)).count() == 1


def test_create_refused_without_applicant_membership(campaign, mallory, bob_unit_admin):
    for user in (mallory, bob_unit_admin):
        with pytest.raises(ValidationError) as exc:
            services.create_project(campaign=campaign, leader=user)
        assert exc.value.messages == ["您还不是任何单位的申报人，请向所在单位团组织索取邀请链接后再申报项目"]


def test_create_refused_for_a_unit_that_is_not_the_leaders(campaign, carol_applicant, unit_b):
    with pytest.raises(PermissionDenied):
        services.create_project(campaign=campaign, leader=carol_applicant, unit=unit_b)


def test_direct_entry_refused_when_campaign_forbids_it(campaign, carol_applicant):
    campaign.allow_direct_achievements = False
    campaign.save()
    with pytest.raises(ValidationError):
        services.create_project(campaign=campaign, leader=carol_applicant, entry_route=EntryRoute.DIRECT)


# --- drafts -----------------------------------------------------------------------------


def test_incomplete_draft_is_saved_and_versioned(draft):
    saved = services.save_draft(project=draft, data={"name": "半成品"}, by=draft.leader, expected_version=1)
    saved.refresh_from_db()
    assert (saved.name, saved.version, saved.state) == ("半成品", 2, ProjectState.DRAFT)
    entry = AuditEntry.objects.get(action="project.save_draft", target_id=str(draft.pk))
    assert (entry.before, entry.after) == ({"name": ""}, {"name": "半成品"})


def test_saving_nothing_new_keeps_the_version(draft):
    saved = services.save_draft(project=draft, data={"name": ""}, by=draft.leader, expected_version=1)
    assert saved.version == 1


def test_stale_save_is_refused_and_nothing_changes(draft):
    services.save_draft(project=draft, data={"name": "第一个标签页"}, by=draft.leader, expected_version=1)
    with pytest.raises(StaleVersion) as exc:
        services.save_draft(project=draft, data={"name": "第二个标签页"}, by=draft.leader, expected_version=1)
    assert exc.value.messages == ["该项目已被他人修改（您看到的是第 1 版，当前为第 2 版），请刷新后再操作"]
    draft.refresh_from_db()
    assert (draft.name, draft.version) == ("第一个标签页", 2)
    assert services.changed_fields(draft, {"name": "第二个标签页"}) == [("项目名称", "第二个标签页", "第一个标签页")]


def test_draft_refuses_negative_benefit_and_reversed_dates(draft):
    with pytest.raises(ValidationError) as exc:
        services.save_draft(
            project=draft,
            data={"economic_benefit": Decimal("-1"), "start_date": date(2024, 7, 1), "end_date": date(2024, 6, 1)},
            by=draft.leader,
            expected_version=1,
        )
    assert errors_of(exc) == {
        "economic_benefit": ["经济效益不能为负数（填写的是 -1 万元），应 ≥ 0"],
        "end_date": ["项目结束时间 2024-06-01 早于开始时间 2024-07-01，结束时间应不早于开始时间"],
    }


def test_only_the_leader_saves(draft, bob_unit_admin, grace_member):
    for user in (bob_unit_admin, grace_member):
        with pytest.raises(PermissionDenied):
            services.save_draft(project=draft, data={"name": "x"}, by=user, expected_version=1)


def test_submitted_project_cannot_be_edited(submitted):
    with pytest.raises(ValidationError) as exc:
        services.save_draft(
            project=submitted, data={"name": "x"}, by=submitted.leader, expected_version=submitted.version
        )
    assert exc.value.code == "not_editable"


# --- team -------------------------------------------------------------------------------


def test_members_add_update_remove_bump_the_version(draft):
    member = services.add_member(
        project=draft,
        by=draft.leader,
        expected_version=1,
        name="李明",
        gender="M",
        birth_date=date(1996, 3, 12),
        education="bachelor",
    )
    assert member.order == 1
    services.update_member(member=member, by=draft.leader, expected_version=2, education="master")
    member.refresh_from_db()
    assert member.education == "master"
    services.remove_member(member=member, by=draft.leader, expected_version=3)
    draft.refresh_from_db()
    assert draft.version == 4
    assert TeamMember.objects.filter(project=draft).count() == 0
    assert list(
        AuditEntry.objects.filter(target_id=str(draft.pk), action__startswith="project.member").values_list(
            "action", flat=True
        )
    ) == ["project.member_remove", "project.member_update", "project.member_add"]


def test_incomplete_member_refused_naming_the_missing_fields(draft):
    with pytest.raises(ValidationError) as exc:
        services.add_member(project=draft, by=draft.leader, name="李明", gender="", birth_date=None, education="")
    assert exc.value.messages == ["主要研究人员（李明）信息不完整：请填写性别、出生日期、文化程度"]


def test_member_refused_to_non_leader(draft, grace_member):
    with pytest.raises(PermissionDenied):
        services.add_member(
            project=draft, by=grace_member, name="李明", gender="M", birth_date=date(1996, 3, 12), education="bachelor"
        )


def test_link_member_by_mobile_in_the_unit(draft, grace_member, eve_other_unit_admin):
    member = services.add_member(
        project=draft, by=draft.leader, name="葛格", gender="F", birth_date=date(1997, 1, 1), education="bachelor"
    )
    services.link_member(member=member, by=draft.leader, mobile="139 7720 0002")
    member.refresh_from_db()
    assert member.user == grace_member
    eve_other_unit_admin.mobile = "13977200003"
    eve_other_unit_admin.save()
    with pytest.raises(ValidationError) as exc:
        services.link_member(member=member, by=draft.leader, mobile="13977200003")
    assert exc.value.code == "no_user"


def test_invited_member_is_linked_after_accepting(draft):
    member = services.add_member(
        project=draft, by=draft.leader, name="韦新", gender="M", birth_date=date(1999, 1, 1), education="college"
    )
    invitation, link = services.invite_member(member=member, by=draft.leader, mobile="13677200001")
    assert invitation.role == Role.APPLICANT and invitation.organisation == draft.unit
    assert link.startswith("http://127.0.0.1:8000/me/invitations/")
    newcomer = UserFactory(username="weixin", mobile="13677200001")
    # accepting (people.services.accept_invitation) marks the invitation as accepted by the newcomer
    invitation.accepted_at, invitation.accepted_by = timezone.now(), newcomer
    invitation.save()
    assert services.link_accepted_invitations(newcomer) == 1
    member.refresh_from_db()
    assert member.user == newcomer


# --- submission -------------------------------------------------------------------------


def test_complete_project_submits_keeps_a_version_and_notifies_the_unit(complete, bob_unit_admin):
    services.add_member(
        project=complete,
        by=complete.leader,
        name="李明",
        gender="M",
        birth_date=date(1996, 3, 12),
        education="bachelor",
    )
    project = submit(complete)
    assert project.state == ProjectState.SUBMITTED
    assert project.submitted_at is not None and project.commitment_at is not None
    version = ProjectVersion.objects.get(project=project)
    assert version.number == 1
    assert version.data["fields"]["name"] == "焊装线夹具快换结构改进"
    assert version.data["fields"]["economic_benefit"] == "12.50"
    assert version.data["members"] == [
        {
            "name": "李明",
            "gender": "M",
            "gender_display": "男",
            "birth_date": "1996-03-12",
            "age": 28,
            "education": "bachelor",
            "education_display": "本科",
        }
    ]
    assert version.data["leader_age"] == 28
    assert version.data["unit"] == "示例机械有限公司团委"
    event = ProjectEvent.objects.filter(project=project).last()
    assert (event.from_state, event.to_state, event.actor, event.note) == (
        "draft",
        "submitted",
        project.leader,
        "提交申报表",
    )
    assert Notification.objects.filter(recipient=bob_unit_admin, kind="project.submitted").count() == 1


def test_empty_project_gets_every_message_at_once(draft):
    services.save_draft(
        project=draft,
        data={
            "leader_name": "",
            "leader_phone": "",
            "leader_gender": "",
            "leader_education": "",
            "leader_birth_date": None,
        },
        by=draft.leader,
        expected_version=1,
    )
    with pytest.raises(ValidationError) as exc:
        submit(draft)
    errors = errors_of(exc)
    assert set(errors) == {
        "name",
        "economic_benefit",
        "start_date",
        "end_date",
        "patent_eligible",
        "patent_filed",
        "patent_willing",
        "leader_name",
        "leader_gender",
        "leader_birth_date",
        "leader_education",
        "leader_phone",
        "category",
        "achievement_form",
        "content_direction",
        "reason",
        "content",
        "measures",
        "benefits",
        "is_large_research_project",
        "commitment_name",
    }
    assert errors["name"] == ["请填写项目名称"]
    assert errors["economic_benefit"] == ["请填写经济效益（万元）"]
    assert errors["reason"] == ["请填写立项理由"]
    assert errors["patent_filed"] == ["请选择“是否已经申报专利”：是或否"]
    assert errors["category"] == ["请选择项目类别（机械、化工、电子、通信、建设、医药、仪器、其他）"]
    assert errors["achievement_form"] == ["请选择成果形式（小发明、小革新、小改造、小设计、小建议）"]
    assert errors["commitment_name"] == ["请阅读项目负责人承诺，并输入负责人姓名以确认"]
    draft.refresh_from_db()
    assert draft.state == ProjectState.DRAFT
    assert ProjectVersion.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"name": "  "}, "name", "请填写项目名称"),
        ({"economic_benefit": None}, "economic_benefit", "请填写经济效益（万元）"),
        ({"start_date": None}, "start_date", "请填写项目开始时间"),
        ({"end_date": None}, "end_date", "请填写项目结束时间"),
        ({"patent_eligible": None}, "patent_eligible", "请选择“是否符合专利申报”：是或否"),
        ({"patent_willing": None}, "patent_willing", "请选择“是否愿意申报专利”：是或否"),
        ({"category": "冶金"}, "category", "项目类别“冶金”无效，应为：机械、化工、电子、通信、建设、医药、仪器、其他"),
        (
            {"category": "其他", "category_other": ""},
            "category_other",
            "项目类别选“其他”时，请填写具体类别（例如：环保）",
        ),
        (
            {"achievement_form": "大发明"},
            "achievement_form",
            "成果形式“大发明”无效，应为：小发明、小革新、小改造、小设计、小建议",
        ),
        ({"content_direction": None}, "content_direction", "请填写申报内容方向"),
        ({"content_direction": 6}, "content_direction", "申报内容方向应为第 1–5 类，填写的是第 6 类"),
        ({"content_direction": 0}, "content_direction", "申报内容方向应为第 1–5 类，填写的是第 0 类"),
        ({"content": ""}, "content", "请填写立项内容"),
        ({"measures": ""}, "measures", "请填写立项措施"),
        ({"benefits": ""}, "benefits", "请填写立项效益"),
        (
            {"leader_phone": "12345"},
            "leader_phone",
            "负责人联系方式：联系电话“12345”格式不正确：应为 11 位手机号码或带区号的固定电话，例如 0772-2827423",
        ),
        ({"leader_gender": ""}, "leader_gender", "请选择负责人性别"),
        ({"leader_education": ""}, "leader_education", "请选择负责人文化程度"),
        (
            {"is_large_research_project": None},
            "is_large_research_project",
            "请声明本项目是否已确立为单位大型科研攻关项目",
        ),
        (
            {"is_large_research_project": True},
            "is_large_research_project",
            "已经确立为单位大型科研攻关项目的不作为“五小”项目（通知五(二)），不能申报",
        ),
        (
            {"commitment_name": "蔡 柔"},
            "commitment_name",
            "承诺签名“蔡 柔”与项目负责人姓名“蔡柔”不一致，请输入负责人姓名以确认承诺",
        ),
    ],
)
def test_each_field_rule(draft, overrides, field, message):
    fill(draft, **overrides)
    with pytest.raises(ValidationError) as exc:
        submit(draft)
    assert errors_of(exc) == {field: [message]}


@pytest.mark.parametrize("phone", ["13877212345", "0772-2827423", "0772—2827423"])
def test_valid_phones_pass(draft, phone):
    fill(draft, leader_phone=phone)
    assert submit(draft).state == ProjectState.SUBMITTED


def test_zero_benefit_and_same_day_dates_pass(draft):
    fill(draft, economic_benefit=Decimal("0"), start_date=date(2024, 6, 1), end_date=date(2024, 6, 1))
    assert submit(draft).state == ProjectState.SUBMITTED


def test_category_other_with_text_passes(draft):
    fill(draft, category="其他", category_other="环保")
    assert submit(draft).category_display == "其他（环保）"


def test_incomplete_member_is_reported_with_position(complete):
    member = services.add_member(
        project=complete,
        by=complete.leader,
        name="李明",
        gender="M",
        birth_date=date(1996, 3, 12),
        education="bachelor",
    )
    TeamMember.objects.filter(pk=member.pk).update(education="")
    with pytest.raises(ValidationError) as exc:
        submit(complete)
    assert errors_of(exc) == {"members": ["第 1 位主要研究人员（李明）信息不完整：请填写文化程度"]}


# --- eligibility at submission (reference date 2024-05-01, max 35) ---------------------


def test_leader_exactly_35_passes(draft):
    fill(draft, leader_birth_date=date(1989, 5, 1))
    assert submit(draft).state == ProjectState.SUBMITTED


def test_leader_turning_36_on_the_reference_date_is_refused(draft):
    fill(draft, leader_birth_date=date(1988, 5, 1))
    with pytest.raises(ValidationError) as exc:
        submit(draft)
    assert errors_of(exc) == {
        "__all__": [
            "申报人蔡柔（个人申报） 2024-05-01 时年满 36 周岁，超过 35 周岁上限（参加资格：35周岁以下，含 35 周岁）"
        ]
    }


def test_team_mean_over_35_refused_and_exactly_35_passes(draft):
    fill(draft, leader_birth_date=date(1994, 5, 1))  # 30
    member = services.add_member(
        project=draft, by=draft.leader, name="老周", gender="M", birth_date=date(1982, 5, 1), education="college"
    )  # 42 → mean 36.0
    with pytest.raises(ValidationError) as exc:
        submit(draft)
    assert errors_of(exc) == {"__all__": ["团队平均年龄 36.0 岁（2 人，含项目负责人），超过 35 岁上限"]}
    draft.refresh_from_db()
    services.update_member(member=member, by=draft.leader, expected_version=draft.version, birth_date=date(1984, 5, 1))
    assert submit(draft).state == ProjectState.SUBMITTED  # 30 + 40 → 35.0


def test_reference_date_setting_is_used(draft, campaign):
    campaign.age_reference_date = date(2025, 5, 1)
    campaign.save()
    fill(draft, leader_birth_date=date(1989, 5, 1))  # 35 in 2024, 36 on 2025-05-01
    with pytest.raises(ValidationError) as exc:
        submit(draft)
    assert "2025-05-01 时年满 36 周岁" in errors_of(exc)["__all__"][0]


# --- stage windows ----------------------------------------------------------------------


def test_submission_refused_outside_the_registration_stage(complete, campaign):
    close_stage(campaign)
    today = timezone.localdate()
    with pytest.raises(ValidationError) as exc:
        submit(complete)
    assert errors_of(exc) == {
        "__all__": [
            f"攻关项目立项阶段（{today - timedelta(days=30)} 至 {today - timedelta(days=1)}）已结束，不能提交申报"
        ]
    }


def test_unit_extension_reopens_the_stage_for_that_unit_only(
    complete, campaign, alice_committee, unit_a2, unit_b, carol_applicant
):
    from wuxiao.campaigns.services import extend_stage

    close_stage(campaign)
    stage = campaign.stages.get(kind=StageKind.REGISTRATION)
    extend_stage(by=alice_committee, stage=stage, organisation=complete.unit, until=timezone.localdate(), reason="检修")
    assert submit(complete).state == ProjectState.SUBMITTED

    other = UserFactory(username="olga")
    grant(other, unit_b, Role.APPLICANT)
    elsewhere = services.create_project(campaign=campaign, leader=other)
    fill(elsewhere)
    with pytest.raises(ValidationError) as exc:
        submit(elsewhere)
    assert (
        "攻关项目立项阶段（" in errors_of(exc)["__all__"][0]
        and "）已结束，不能提交申报" in errors_of(exc)["__all__"][0]
    )
    assert StageExtension.objects.count() == 1


def test_direct_entry_uses_the_collection_stage(campaign, carol_applicant):
    close_stage(campaign)
    project = services.create_project(campaign=campaign, leader=carol_applicant, entry_route=EntryRoute.DIRECT)
    fill(project)
    with pytest.raises(ValidationError) as exc:
        submit(project)
    assert errors_of(exc)["__all__"][0].startswith("成果收集阶段（2025-01-01 至 2025-02-28）")
    open_stage(campaign, StageKind.COLLECTION)
    assert submit(project).state == ProjectState.SUBMITTED


def test_direct_entry_refused_when_switched_off_after_creation(campaign, carol_applicant):
    open_stage(campaign, StageKind.COLLECTION)
    project = services.create_project(campaign=campaign, leader=carol_applicant, entry_route=EntryRoute.DIRECT)
    fill(project)
    campaign.allow_direct_achievements = False
    campaign.save()
    with pytest.raises(ValidationError) as exc:
        submit(project)
    assert errors_of(exc) == {"__all__": ["本届活动不允许在成果收集阶段直接申报成果"]}


# --- double submit, return, withdraw, versions -----------------------------------------


def test_double_click_submit_creates_exactly_one_submission(complete):
    version = complete.version
    services.submit_project(project=complete, by=complete.leader, expected_version=version)
    with pytest.raises(StaleVersion):
        services.submit_project(project=complete, by=complete.leader, expected_version=version)
    assert ProjectVersion.objects.filter(project=complete).count() == 1
    assert ProjectEvent.objects.filter(project=complete, to_state=ProjectState.SUBMITTED).count() == 1


def test_only_the_leader_submits(complete, bob_unit_admin):
    with pytest.raises(PermissionDenied):
        services.submit_project(project=complete, by=bob_unit_admin, expected_version=complete.version)


def test_return_needs_a_reason_and_notifies_the_leader(submitted, bob_unit_admin):
    with pytest.raises(ValidationError) as exc:
        services.return_project(project=submitted, by=bob_unit_admin, reason="  ")
    assert errors_of(exc) == {"reason": ["退回修改必须填写原因，以便申报人修改"]}
    project = services.return_project(project=submitted, by=bob_unit_admin, reason="经济效益测算依据不足")
    assert project.state == ProjectState.RETURNED
    note = Notification.objects.get(recipient=submitted.leader, kind="project.returned")
    assert note.title == "项目“焊装线夹具快换结构改进”被退回修改"
    assert "经济效益测算依据不足" in note.body
    event = ProjectEvent.objects.filter(project=project).last()
    assert (event.actor, event.to_state, event.note) == (bob_unit_admin, "returned", "经济效益测算依据不足")


def test_return_refused_to_others(submitted, eve_other_unit_admin, carol_applicant, dan_district_admin):
    for user in (eve_other_unit_admin, carol_applicant):
        with pytest.raises(PermissionDenied):
            services.return_project(project=submitted, by=user, reason="x")
    # the district above the unit manages it, so it may return too
    assert services.return_project(project=submitted, by=dan_district_admin, reason="补充材料").state == "returned"


def test_returned_project_is_edited_and_resubmitted_keeping_both_versions(submitted, bob_unit_admin):
    services.return_project(project=submitted, by=bob_unit_admin, reason="补充效益数据")
    submitted.refresh_from_db()
    fill(submitted, economic_benefit=Decimal("20.00"))
    project = submit(submitted)
    assert project.state == ProjectState.SUBMITTED
    versions = list(ProjectVersion.objects.filter(project=project).order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert [v.data["fields"]["economic_benefit"] for v in versions] == ["12.50", "20.00"]
    assert list(project.events.values_list("to_state", flat=True)) == ["draft", "submitted", "returned", "submitted"]
    assert project.events.last().note == "第 2 次提交申报表"


def test_withdraw_before_the_unit_acts_then_resubmit(submitted, bob_unit_admin):
    with pytest.raises(PermissionDenied):
        services.withdraw_project(project=submitted, by=bob_unit_admin)
    project = services.withdraw_project(project=submitted, by=submitted.leader)
    assert project.state == ProjectState.WITHDRAWN
    with pytest.raises(ValidationError):
        services.withdraw_project(project=project, by=project.leader)
    assert submit(project).state == ProjectState.SUBMITTED


def test_withdraw_refused_once_returned(submitted, bob_unit_admin):
    services.return_project(project=submitted, by=bob_unit_admin, reason="补充")
    with pytest.raises(ValidationError) as exc:
        services.withdraw_project(project=submitted, by=submitted.leader)
    assert exc.value.messages == ["项目当前状态为“退回修改”，不能变更为“已撤回”"]


def test_valid_fixture_has_every_draft_field():
    assert set(VALID) | {
        "commitment_name",
        "leader_name",
        "leader_gender",
        "leader_birth_date",
        "leader_education",
    } == set(services.DRAFT_FIELDS)
    assert Project._meta.get_field("name").max_length == 100
