import pytest
from django.urls import reverse

from tests.factories import OrgKind, Role, UserFactory, grant, make_org
from wuxiao.audit.models import AuditEntry
from wuxiao.people.models import Membership

pytestmark = pytest.mark.django_db

LIST = reverse("console:members")


def revoke(membership):
    return reverse("console:member_revoke", args=[membership.pk])


def rows(response):
    return [(m.user.username, m.organisation.name, m.role) for m in response.context["page"]]


def test_unit_admin_sees_only_own_units_people_with_masked_phones(
    client_for, bob_unit_admin, carol_applicant, eve_other_unit_admin, unit_a2
):
    grant(UserFactory(username="frank"), unit_a2, Role.APPLICANT)
    response = client_for(bob_unit_admin).get(LIST)
    assert response.status_code == 200
    assert sorted(rows(response)) == [
        ("bob", "示例机械有限公司团委", Role.ADMIN),
        ("carol", "示例机械有限公司团委", Role.APPLICANT),
    ]
    text = response.content.decode()
    assert f"{carol_applicant.mobile[:3]}****{carol_applicant.mobile[-4:]}" in text
    assert carol_applicant.mobile not in text
    assert "叶伊" not in text and "frank" not in text


def test_other_units_admin_does_not_see_unit_a_people(
    client_for, eve_other_unit_admin, bob_unit_admin, carol_applicant
):
    response = client_for(eve_other_unit_admin).get(LIST)
    assert rows(response) == [("eve", "示例化工有限公司团委", Role.ADMIN)]
    assert "蔡柔" not in response.content.decode()


def test_district_admin_filters_by_organisation_and_role(
    client_for, dan_district_admin, bob_unit_admin, carol_applicant, eve_other_unit_admin, unit_a, district
):
    client = client_for(dan_district_admin)
    assert sorted(rows(client.get(LIST))) == [
        ("bob", "示例机械有限公司团委", Role.ADMIN),
        ("carol", "示例机械有限公司团委", Role.APPLICANT),
        ("dan", "城中区团委", Role.ADMIN),
    ]
    assert rows(client.get(LIST, {"organisation": unit_a.pk, "role": Role.APPLICANT})) == [
        ("carol", "示例机械有限公司团委", Role.APPLICANT)
    ]
    assert sorted(rows(client.get(LIST, {"role": Role.ADMIN}))) == [
        ("bob", "示例机械有限公司团委", Role.ADMIN),
        ("dan", "城中区团委", Role.ADMIN),
    ]
    assert rows(client.get(LIST, {"q": "蔡"})) == [("carol", "示例机械有限公司团委", Role.APPLICANT)]


def test_filtering_by_an_organisation_outside_the_subtree_shows_nothing_of_it(
    client_for, dan_district_admin, eve_other_unit_admin, unit_b
):
    response = client_for(dan_district_admin).get(LIST, {"organisation": unit_b.pk})
    assert "organisation" in response.context["filters"].errors
    assert "eve" not in [row[0] for row in rows(response)]


def test_unit_admin_revokes_a_role(client_for, bob_unit_admin, carol_applicant):
    membership = carol_applicant.memberships.get()
    response = client_for(bob_unit_admin).post(revoke(membership), follow=True)
    assert "已撤销 蔡柔 在“示例机械有限公司团委”的“申报人”角色" in response.content.decode()
    assert not Membership.objects.filter(pk=membership.pk).exists()
    entry = AuditEntry.objects.get(action="membership.revoke")
    assert entry.actor == bob_unit_admin
    assert entry.before["role"] == Role.APPLICANT and entry.before["user"] == carol_applicant.pk


def test_other_units_admin_cannot_revoke_in_unit_a(client_for, eve_other_unit_admin, carol_applicant):
    membership = carol_applicant.memberships.get()
    assert client_for(eve_other_unit_admin).post(revoke(membership)).status_code == 404
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_district_admin_cannot_revoke_in_the_other_district(client_for, dan_district_admin, eve_other_unit_admin):
    membership = eve_other_unit_admin.memberships.get()
    assert client_for(dan_district_admin).post(revoke(membership)).status_code == 404
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_admin_cannot_revoke_own_admin_role(client_for, bob_unit_admin):
    membership = bob_unit_admin.memberships.get()
    assert client_for(bob_unit_admin).post(revoke(membership)).status_code == 403
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_revoke_needs_post(client_for, bob_unit_admin, carol_applicant):
    membership = carol_applicant.memberships.get()
    assert client_for(bob_unit_admin).get(revoke(membership)).status_code == 405
    assert Membership.objects.filter(pk=membership.pk).exists()


@pytest.mark.parametrize("who", ["carol_applicant", "mallory", "dave_expert"])
def test_non_admins_are_refused(client_for, request, bob_unit_admin, who):
    client = client_for(request.getfixturevalue(who))
    assert client.get(LIST).status_code == 403
    assert client.post(revoke(bob_unit_admin.memberships.get())).status_code == 403
    assert Membership.objects.filter(user=bob_unit_admin).count() == 1


def test_members_list_query_count_does_not_grow(client_for, alice_committee, district, count_queries):
    client = client_for(alice_committee)

    def add(n):
        org = make_org(f"成员单位{n}", OrgKind.ENTERPRISE, district)
        for _ in range(n):
            grant(UserFactory(), org, Role.APPLICANT)

    add(2)
    few = count_queries(lambda: client.get(LIST))
    add(20)
    many = count_queries(lambda: client.get(LIST))
    assert many == few
