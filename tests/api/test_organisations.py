"""新建、编辑组织 through the API: the console's form checks the fields and people.services
who may; refused people get the console's words and nothing changes."""

import pytest

from tests.api.conftest import messages
from tests.factories import OrgKind, Role, UserFactory, grant
from wuxiao.audit.models import AuditEntry
from wuxiao.people.models import Organisation

pytestmark = pytest.mark.django_db

CREATE_REFUSED = "仅组委会办公室和县区/系统团组织管理员可以新建组织"


def new_unit(parent, **extra):
    return {
        "name": "示例纺织有限公司团委",
        "kind": OrgKind.ENTERPRISE,
        "parent": parent.pk,
        "contact_name": "莫飘",
        "contact_phone": "0772-2827423",
        **extra,
    }


@pytest.fixture
def olga_other_district_admin(other_district):
    user = UserFactory(username="olga", real_name="欧佳")
    grant(user, other_district, Role.ADMIN)
    return user


def state():
    return sorted(Organisation.objects.values_list("pk", "name", "kind", "parent_id", "contact_name")), (
        AuditEntry.objects.filter(action__startswith="organisation").count()
    )


def test_a_district_admin_creates_a_unit_below_it(api_as, district, dan_district_admin):
    made = api_as(dan_district_admin).post("/organisations", new_unit(district, allow_parent_forwarding=True))
    assert made.status_code == 201, made.content
    org = Organisation.objects.get(name="示例纺织有限公司团委")
    assert (org.parent, org.kind, org.allow_parent_forwarding) == (district, OrgKind.ENTERPRISE, True)
    assert org.path.startswith(district.path)
    body = made.json()
    assert (body["id"], body["parent"], body["contact_phone"]) == (org.pk, district.name, "0772-***7423")
    assert AuditEntry.objects.filter(action="organisation.create", target_id=str(org.pk)).exists()


def test_the_committee_creates_a_district_and_a_district_admin_may_not(
    api_as, committee, alice_committee, dan_district_admin
):
    district = {"name": "示例新区团委", "kind": OrgKind.DISTRICT, "parent": committee.pk}
    before = state()
    refused = api_as(dan_district_admin).post("/organisations", district)
    assert refused.status_code == 422  # not a kind the console's form offers a district admin
    assert refused.json()["errors"][0]["field"] == "kind"
    assert state() == before
    made = api_as(alice_committee).post("/organisations", district)
    assert made.status_code == 201, made.content
    assert Organisation.objects.get(name="示例新区团委").parent == committee


def test_the_forms_rules_and_messages(api_as, district, unit_a, unit_b, dan_district_admin):
    api = api_as(dan_district_admin)
    before = state()
    twice = api.post("/organisations", new_unit(district, name=unit_a.name))
    assert (twice.status_code, messages(twice)) == (422, [f"“{district.name}”下已有名为“{unit_a.name}”的组织"])
    under_unit = api.post("/organisations", new_unit(unit_a))
    assert under_unit.status_code == 422 and under_unit.json()["errors"][0]["field"] == "parent"
    other_subtree = api.post("/organisations", new_unit(unit_b.parent))
    assert other_subtree.status_code == 422 and other_subtree.json()["errors"][0]["field"] == "parent"
    bad_phone = api.post("/organisations", new_unit(district, contact_phone="12"))
    assert bad_phone.status_code == 422 and bad_phone.json()["errors"][0]["field"] == "contact_phone"
    missing = api.post("/organisations", {"kind": OrgKind.ENTERPRISE, "parent": district.pk})
    assert missing.status_code == 422
    assert state() == before


@pytest.mark.parametrize("who", ["bob_unit_admin", "carol_applicant", "dave_expert", "mallory"])
def test_others_may_not_create(request, api_as, district, who):
    api = api_as(request.getfixturevalue(who))
    before = state()
    refused = api.post("/organisations", new_unit(district))
    assert (refused.status_code, messages(refused)) == (403, [CREATE_REFUSED])
    assert state() == before


def test_another_districts_admin_may_not_create_here(api_as, district, olga_other_district_admin):
    before = state()
    refused = api_as(olga_other_district_admin).post("/organisations", new_unit(district))
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "parent"  # as the console's form
    assert state() == before


def test_a_read_only_token_may_not_create_or_edit(api_as, district, unit_a, dan_district_admin):
    api = api_as(dan_district_admin, scope="read")
    before = state()
    assert api.post("/organisations", new_unit(district)).status_code == 403
    assert api.patch(f"/organisations/{unit_a.pk}", {"contact_name": "莫飘"}).status_code == 403
    assert state() == before


def test_editing_changes_only_the_fields_given(api_as, unit_a, dan_district_admin):
    saved = api_as(dan_district_admin).patch(f"/organisations/{unit_a.pk}", {"contact_name": "莫飘"})
    assert saved.status_code == 200, saved.content
    unit_a.refresh_from_db()
    assert (unit_a.contact_name, unit_a.contact_phone, unit_a.name) == ("莫飘", "13877200001", "示例机械有限公司团委")
    assert saved.json()["contact_name"] == "莫飘"
    assert AuditEntry.objects.filter(action="organisation.update", target_id=str(unit_a.pk)).exists()


def test_the_level_above_moves_a_unit(api_as, district, other_district, unit_a, alice_committee):
    moved = api_as(alice_committee).patch(f"/organisations/{unit_a.pk}", {"parent": other_district.pk})
    assert moved.status_code == 200, moved.content
    unit_a.refresh_from_db()
    assert unit_a.parent == other_district and unit_a.path.startswith(other_district.path)


def test_a_unit_admin_edits_its_details_but_not_its_place(api_as, unit_a, other_district, bob_unit_admin):
    api = api_as(bob_unit_admin)
    before = state()
    moved = api.patch(f"/organisations/{unit_a.pk}", {"parent": other_district.pk})
    assert (moved.status_code, messages(moved)) == (403, [f"“{unit_a.name}”的类型和上级组织由上级组织的管理员调整"])
    assert state() == before
    assert api.patch(f"/organisations/{unit_a.pk}", {"contact_name": "韦工"}).status_code == 200
    unit_a.refresh_from_db()
    assert unit_a.contact_name == "韦工"


@pytest.mark.parametrize(
    "who", ["olga_other_district_admin", "eve_other_unit_admin", "carol_applicant", "dave_expert", "mallory"]
)
def test_outsiders_may_not_edit(request, api_as, unit_a, who):
    api = api_as(request.getfixturevalue(who))
    before = state()
    refused = api.patch(f"/organisations/{unit_a.pk}", {"name": "马洛改的"})
    assert refused.status_code == 404  # not theirs to see, as the console's page
    assert state() == before


def test_editing_keeps_the_forms_rules(api_as, unit_a, unit_a2, dan_district_admin):
    before = state()
    clash = api_as(dan_district_admin).patch(f"/organisations/{unit_a.pk}", {"name": unit_a2.name})
    assert (clash.status_code, messages(clash)) == (422, [f"“{unit_a.parent.name}”下已有名为“{unit_a2.name}”的组织"])
    assert state() == before
