import pytest
from django.urls import reverse

from tests.factories import Role, UserFactory, grant
from wuxiao.people.services import invite

pytestmark = pytest.mark.django_db

HOME = reverse("console:home")
NAV_COMMITTEE_ONLY = (reverse("console:extensions"),)
AUDIT = reverse("console:audit_log")  # the committee's and the districts' (their subtree's)


def test_home_counts_the_admins_subtree(
    client_for, dan_district_admin, bob_unit_admin, carol_applicant, unit_a, unit_a2, unit_b, eve_other_unit_admin
):
    grant(UserFactory(), unit_b, Role.APPLICANT)
    invite(by=dan_district_admin, organisation=unit_a2, role=Role.ADMIN, real_name="甲")
    invite(by=eve_other_unit_admin, organisation=unit_b, role=Role.APPLICANT, real_name="乙")
    response = client_for(dan_district_admin).get(HOME)
    assert response.status_code == 200
    assert response.context["counts"] == {"organisations": 3, "units": 2, "people": 3, "invitations": 1}


def test_unit_admin_home_counts_only_the_unit(client_for, bob_unit_admin, carol_applicant, eve_other_unit_admin):
    response = client_for(bob_unit_admin).get(HOME)
    assert response.context["counts"] == {"organisations": 1, "units": 1, "people": 2, "invitations": 0}


def test_committee_only_nav_items(client_for, alice_committee, dan_district_admin, bob_unit_admin):
    text = client_for(alice_committee).get(HOME).content.decode()
    assert all(url in text for url in NAV_COMMITTEE_ONLY)
    assert reverse("console:import_units") in text and AUDIT in text
    text = client_for(dan_district_admin).get(HOME).content.decode()
    assert not any(url in text for url in NAV_COMMITTEE_ONLY)
    assert reverse("console:import_units") in text and AUDIT in text
    text = client_for(bob_unit_admin).get(HOME).content.decode()
    assert not any(url in text for url in NAV_COMMITTEE_ONLY) and AUDIT not in text
    assert reverse("console:import_units") not in text
    assert reverse("console:invitations") in text and reverse("console:members") in text


@pytest.mark.parametrize("who", ["carol_applicant", "mallory", "dave_expert"])
def test_non_admins_are_refused(client_for, request, who):
    assert client_for(request.getfixturevalue(who)).get(HOME).status_code == 403
