"""Every service that changes data refuses a user who may not make the change, at the
service level (the API calls services directly), and a refused call changes nothing."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from tests.factories import ProjectFactory, Role, UserFactory, grant, make_org, open_stage, participation
from wuxiao.audit.models import AuditEntry
from wuxiao.campaigns import services as campaigns
from wuxiao.campaigns.models import Participation, StageExtension
from wuxiao.people import services as people
from wuxiao.people.models import Invitation, Membership, Organisation, OrgKind
from wuxiao.projects import services, workflow
from wuxiao.projects.models import AdvisorAssignment, Project, TeamMember
from wuxiao.projects.states import ProjectState

pytestmark = pytest.mark.django_db


def snapshot_state():
    return (
        list(Organisation.objects.order_by("pk").values_list("pk", "name", "kind", "parent_id", "path", "is_active")),
        list(Participation.objects.order_by("pk").values_list("pk", "young_workers")),
        list(StageExtension.objects.values_list("pk")),
        list(Membership.objects.order_by("pk").values_list("pk", "user_id", "organisation_id", "role")),
        list(Invitation.objects.values_list("pk")),
        list(Project.objects.order_by("pk").values_list("pk", "state", "level", "version", "self_grade")),
        list(TeamMember.objects.order_by("pk").values_list("pk", "invitation_id", "user_id")),
        list(AdvisorAssignment.objects.values_list("pk")),
        AuditEntry.objects.count(),
    )


@pytest.fixture
def world(campaign, committee, district, unit_a, unit_b, carol_applicant, bob_unit_admin, eve_other_unit_admin):
    open_stage(campaign, "collection")
    participation(campaign, unit_a, young_workers=150)
    submitted = ProjectFactory(campaign=campaign, unit=unit_a, leader=carol_applicant, submitted=True)
    approved = ProjectFactory(campaign=campaign, unit=unit_a, leader=carol_applicant, unit_approved=True)
    member = TeamMember.objects.create(
        project=submitted, order=1, name="葛格", gender="F", birth_date=date(1997, 3, 1), education="bachelor"
    )
    advisor = UserFactory(real_name="覃工")
    grant(advisor, unit_a, Role.ADVISOR)
    return {
        "campaign": campaign,
        "committee": committee,
        "district": district,
        "unit_a": unit_a,
        "unit_b": unit_b,
        "submitted": submitted,
        "approved": approved,
        "member": member,
        "advisor": advisor,
        "stage": campaign.stages.get(kind="collection"),
    }


# (name, who is refused, the call). Each refused user is someone a view would also refuse:
# a unit admin for committee/district work, another unit's admin, an applicant, mallory.
CALLS = {
    "create_district by a unit admin": (
        "bob",
        lambda w, by: people.create_organisation(by=by, name="新区团委", kind=OrgKind.DISTRICT, parent=w["committee"]),
    ),
    "create_unit under another district": (
        "bob",
        lambda w, by: people.create_organisation(
            by=by, name="新单位团委", kind=OrgKind.ENTERPRISE, parent=w["unit_b"].parent
        ),
    ),
    "update another unit": (
        "eve",
        lambda w, by: people.update_organisation(by=by, org=_renamed(w["unit_a"]), before={"kind": "enterprise"}),
    ),
    "move own unit to another district": (
        "bob",
        lambda w, by: people.update_organisation(by=by, **_moved(w["unit_a"], w["unit_b"].parent)),
    ),
    "grant admin of a district": (
        "bob",
        lambda w, by: people.grant_role(by=by, user=UserFactory(), organisation=w["district"], role=Role.ADMIN),
    ),
    "invite into another unit": (
        "eve",
        lambda w, by: people.invite(by=by, organisation=w["unit_a"], role=Role.APPLICANT, real_name="某人"),
    ),
    "revoke one's own admin role": (
        "bob",
        lambda w, by: people.revoke_role(by=by, membership=Membership.objects.get(user=by, role=Role.ADMIN)),
    ),
    "revoke a role in another unit": (
        "eve",
        lambda w, by: people.revoke_role(by=by, membership=Membership.objects.get(user=w["advisor"])),
    ),
    "set own unit's headcount": (
        "bob",
        lambda w, by: campaigns.set_headcount(by=by, campaign=w["campaign"], organisation=w["unit_a"], young_workers=9),
    ),
    "set headcount by mallory": (
        "mallory",
        lambda w, by: campaigns.set_headcount(by=by, campaign=w["campaign"], organisation=w["unit_a"], young_workers=9),
    ),
    "extend a stage as a unit admin": (
        "bob",
        lambda w, by: campaigns.extend_stage(
            by=by, stage=w["stage"], organisation=w["unit_a"], until=date(2099, 1, 1), reason="检修"
        ),
    ),
    "extend a stage as a district admin": (
        "dan",
        lambda w, by: campaigns.extend_stage(
            by=by, stage=w["stage"], organisation=w["unit_a"], until=date(2099, 1, 1), reason="检修"
        ),
    ),
    "invite a team member, not the leader": (
        "bob",
        lambda w, by: services.invite_member(member=w["member"], by=by, mobile="13677200001"),
    ),
    "return another unit's project": (
        "eve",
        lambda w, by: services.return_project(project=w["submitted"], by=by, reason="请补充"),
    ),
    "withdraw, not the leader": ("bob", lambda w, by: services.withdraw_project(project=w["submitted"], by=by)),
    "classify by the applicant": (
        "carol",
        lambda w, by: workflow.classify(project=w["submitted"], level="general", by=by),
    ),
    "refuse another unit's project": (
        "eve",
        lambda w, by: workflow.refuse(project=w["submitted"], reason="不符", by=by),
    ),
    "assign an advisor by mallory": (
        "mallory",
        lambda w, by: workflow.assign_advisor(project=w["submitted"], advisor=w["advisor"], by=by),
    ),
    "evaluate another unit's project": (
        "eve",
        lambda w, by: workflow.evaluate(project=w["approved"], by=by, score=Decimal("90"), self_grade="A"),
    ),
    "forward another unit's projects": (
        "eve",
        lambda w, by: workflow.forward_projects(
            unit=w["unit_a"], projects=[w["approved"]], by=by, reporter_name="叶伊", reporter_phone="13877200001"
        ),
    ),
    "send back by a unit admin": (
        "bob",
        lambda w, by: workflow.send_back(project=_forwarded(w["approved"]), by=by, reason="材料不全"),
    ),
}


def _renamed(org):
    org.name = "改名团委"
    return org


def _moved(org, parent):
    before = {"kind": org.kind, "parent": org.parent_id, "path": org.path}
    org.parent = parent
    return {"org": org, "before": before}


def _forwarded(project):
    Project.objects.filter(pk=project.pk).update(state=ProjectState.FORWARDED)
    project.refresh_from_db()
    return project


@pytest.mark.parametrize("name", list(CALLS))
def test_a_refused_user_is_refused_by_the_service(
    name, world, carol_applicant, bob_unit_admin, dan_district_admin, eve_other_unit_admin, mallory
):
    who, call = CALLS[name]
    by = {
        "carol": carol_applicant,
        "bob": bob_unit_admin,
        "dan": dan_district_admin,
        "eve": eve_other_unit_admin,
        "mallory": mallory,
    }[who]
    if name == "send back by a unit admin":
        _forwarded(world["approved"])
    before = snapshot_state()
    with pytest.raises(PermissionDenied):
        call(world, by)
    assert snapshot_state() == before


def test_the_allowed_users_pass_the_same_checks(world, alice_committee, dan_district_admin, bob_unit_admin):
    """The other side of the matrix: the same services accept the people who may act."""
    unit = people.create_organisation(
        by=dan_district_admin, name="新单位团委", kind=OrgKind.ENTERPRISE, parent=world["district"]
    )
    assert unit.parent == world["district"]
    p = campaigns.set_headcount(
        by=dan_district_admin, campaign=world["campaign"], organisation=world["unit_a"], young_workers=300
    )
    assert p.young_workers == 300
    ext = campaigns.extend_stage(
        by=alice_committee, stage=world["stage"], organisation=world["unit_a"], until=date(2099, 1, 1), reason="检修"
    )
    assert ext.granted_by == alice_committee
    membership = people.grant_role(by=bob_unit_admin, user=UserFactory(), organisation=world["unit_a"], role="advisor")
    assert membership.organisation == world["unit_a"]
    invitation, _ = services.invite_member(member=world["member"], by=world["submitted"].leader, mobile="13677200001")
    world["member"].refresh_from_db()
    assert (invitation.organisation, invitation.role, world["member"].invitation) == (
        world["unit_a"],
        Role.APPLICANT,
        invitation,
    )


def test_the_platform_itself_creates_the_tree(committee):
    """by=None is the campaign data file or a command, never a request."""
    org = make_org("平台新建单位团委", OrgKind.ENTERPRISE, committee)
    assert org.parent == committee
