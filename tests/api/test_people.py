"""Invitations and a unit's headcount through the API: people.services and
campaigns.services decide, with the console's messages; who may not is refused."""

import pytest

from tests.api.conftest import messages
from wuxiao.campaigns.models import Participation
from wuxiao.people.models import Invitation, Membership

pytestmark = pytest.mark.django_db

REFUSED_EXPERT = "您无权邀请“评审专家”加入“{}”：县区/系统团组织管理员、评审专家和评审小组成员由组委会办公室邀请"


def test_a_unit_admin_invites_lists_and_revokes(api_as, unit_a, bob_unit_admin):
    api = api_as(bob_unit_admin)
    made = api.post(
        f"/organisations/{unit_a.pk}/invitations", {"role": "advisor", "real_name": "覃工", "mobile": "13877212345"}
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert (body["role_label"], body["status"], body["mobile"]) == ("技术顾问", "待接受", "138****2345")
    assert body["link"].startswith("http://testserver/me/invitations/")
    invitation = Invitation.objects.get()
    assert [i["id"] for i in api.get("/invitations").json()["items"]] == [invitation.pk]
    assert api.delete(f"/invitations/{invitation.pk}").status_code == 204
    again = api.delete(f"/invitations/{invitation.pk}")
    assert (again.status_code, messages(again)) == (422, ["该邀请已撤销，无法撤销"])  # the console's words


def test_invitation_rules_and_refusals(api_as, unit_a, unit_b, bob_unit_admin, carol_applicant):
    api = api_as(bob_unit_admin)
    expert = api.post(f"/organisations/{unit_a.pk}/invitations", {"role": "expert", "real_name": "周专家"})
    assert (expert.status_code, messages(expert)) == (403, [REFUSED_EXPERT.format(unit_a.name)])
    bad_mobile = api.post(
        f"/organisations/{unit_a.pk}/invitations", {"role": "applicant", "real_name": "韦", "mobile": "123"}
    )
    assert bad_mobile.status_code == 422 and bad_mobile.json()["errors"][0]["field"] == "mobile"
    assert (
        api.post(f"/organisations/{unit_b.pk}/invitations", {"role": "applicant", "real_name": "韦"}).status_code == 404
    )
    applicant = api_as(carol_applicant)
    assert (
        applicant.post(f"/organisations/{unit_a.pk}/invitations", {"role": "applicant", "real_name": "韦"}).status_code
        == 404
    )
    assert applicant.get("/invitations").json()["count"] == 0
    assert not Invitation.objects.exists()


def test_the_level_above_sets_a_units_headcount(api_as, campaign, unit_a, dan_district_admin, bob_unit_admin):
    refused = api_as(bob_unit_admin).put(
        f"/organisations/{unit_a.pk}/headcount", {"campaign": campaign.pk, "young_workers": 230}
    )
    assert (refused.status_code, messages(refused)) == (403, ["青工人数由上级组织的管理员填写"])
    saved = api_as(dan_district_admin).put(
        f"/organisations/{unit_a.pk}/headcount", {"campaign": campaign.pk, "young_workers": 230}
    )
    assert saved.json() == {"campaign_id": campaign.pk, "organisation_id": unit_a.pk, "young_workers": 230, "quota": 10}
    assert Participation.objects.get(organisation=unit_a, campaign=campaign).young_workers == 230


def test_roles_listed_and_revoked_as_on_the_console(api_as, unit_a, bob_unit_admin, carol_applicant):
    api = api_as(bob_unit_admin)
    listed = api.get("/memberships").json()["items"]
    carols = next(m for m in listed if m["user_id"] == carol_applicant.pk)
    own = next(m for m in listed if m["user_id"] == bob_unit_admin.pk)
    refused = api.delete(f"/memberships/{own['id']}")
    assert (refused.status_code, messages(refused)) == (403, ["不能撤销自己的管理员角色，请由上级组织管理员操作"])
    assert api.delete(f"/memberships/{carols['id']}").status_code == 204
    assert not Membership.objects.filter(user=carol_applicant, organisation=unit_a).exists()
    assert api_as(carol_applicant).get("/memberships").json()["count"] == 0


def test_switching_an_organisation_off_and_on(
    api_as, district, unit_a, unit_a2, dan_district_admin, bob_unit_admin, alice_committee
):
    own = api_as(bob_unit_admin).post(f"/organisations/{unit_a.pk}/active", {"active": False})
    assert (own.status_code, messages(own)) == (403, ["只有上级组织的管理员可以启用或停用该组织"])
    off = api_as(dan_district_admin).post(f"/organisations/{unit_a2.pk}/active", {"active": False})
    assert (off.status_code, off.json()["is_active"]) == (200, False)
    busy = api_as(alice_committee).post(f"/organisations/{district.pk}/active", {"active": False})
    assert (busy.status_code, messages(busy)) == (
        422,
        [f"“{district.name}”下还有 1 个启用的下级组织，请先停用或移走它们"],
    )
    on = api_as(dan_district_admin).post(f"/organisations/{unit_a2.pk}/active", {"active": True})
    assert on.json()["is_active"] is True
