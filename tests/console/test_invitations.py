from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tests.factories import Role, UserFactory, make_org
from wuxiao.audit.models import AuditEntry
from wuxiao.people.models import Invitation, Membership, OrgKind, User
from wuxiao.people.services import invite

pytestmark = pytest.mark.django_db

LIST = reverse("console:invitations")
CREATE = reverse("console:invitation_create")


def revoke(invitation):
    return reverse("console:invitation_revoke", args=[invitation.pk])


def invite_via_console(client, org, role, **fields):
    data = {"organisation": org.pk, "role": role, "real_name": "韦小敏", "mobile": "13877212345", "email": ""}
    data.update(fields)
    return client.post(CREATE, data)


def register_data(**changes):
    data = {
        "username": "weixiaomin",
        "real_name": "韦小敏",
        "gender": "F",
        "birth_date": "1998-03-02",
        "education": "bachelor",
        "mobile": "13877212345",
        "email": "",
        "password1": "Liuzhou#2024x",
        "password2": "Liuzhou#2024x",
    }
    data.update(changes)
    return data


def test_invitation_flow_end_to_end(client_for, client, bob_unit_admin, unit_a):
    console = client_for(bob_unit_admin)
    response = invite_via_console(console, unit_a, Role.APPLICANT)
    invitation = Invitation.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("console:invitation_created", args=[invitation.pk])
    assert (invitation.organisation, invitation.role, invitation.invited_by) == (unit_a, Role.APPLICANT, bob_unit_admin)

    page = console.get(response.url)
    link = page.context["link"]
    assert link.startswith("http://testserver/me/invitations/")
    assert f'data-copy="{link}"' in page.content.decode()
    # Shown once: the database only has the hash, and the page forgets the link.
    again = console.get(response.url)
    assert again.context["link"] is None
    assert link not in again.content.decode()
    assert "邀请链接只显示一次" in again.content.decode()

    AuditEntry.objects.get(action="invitation.create", target_id=str(invitation.pk), actor=bob_unit_admin)
    path = link.removeprefix("http://testserver")
    console.logout()
    assert client.get(path).status_code == 200
    response = client.post(path, register_data())
    assert response.status_code == 302
    user = User.objects.get(username="weixiaomin")
    assert list(Membership.objects.filter(user=user).values_list("organisation", "role")) == [
        (unit_a.pk, Role.APPLICANT)
    ]

    # Used once: a second use is refused.
    client.logout()
    reuse = client.post(path, register_data(username="another", mobile="13877299999"))
    assert reuse.status_code == 410
    assert "该邀请链接已被使用，每个链接只能使用一次" in reuse.content.decode()
    assert not User.objects.filter(username="another").exists()

    listing = client_for(bob_unit_admin).get(LIST)
    assert [(i.real_name, i.status) for i in listing.context["page"]] == [("韦小敏", "已接受")]


def test_expired_invitation_is_refused(client, bob_unit_admin, unit_a):
    invitation, link = invite(by=bob_unit_admin, organisation=unit_a, role=Role.ADVISOR, real_name="覃工", base_url="")
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    response = client.post(link, register_data())
    assert response.status_code == 410
    assert "过期，请联系邀请人重新发送" in response.content.decode()
    assert not User.objects.filter(username="weixiaomin").exists()


def test_email_gets_the_link(client_for, bob_unit_admin, unit_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invite_via_console(client_for(bob_unit_admin), unit_a, Role.ADVISOR, email="qin@example.com")
    assert [m.to for m in mail.outbox] == [["qin@example.com"]]
    assert "http://testserver/me/invitations/" in mail.outbox[0].body


def test_unit_admin_invites_opinion_givers_but_not_experts_or_admins_of_districts(
    client_for, bob_unit_admin, unit_a, district
):
    client = client_for(bob_unit_admin)
    for role in (Role.WORKSHOP, Role.TECH_DEPT, Role.ADVISOR):
        assert invite_via_console(client, unit_a, role).status_code == 302
    response = invite_via_console(client, unit_a, Role.EXPERT)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "您无权邀请“评审专家”加入“示例机械有限公司团委”：县区/系统团组织管理员、评审专家和评审小组成员由组委会办公室邀请"
    ]
    response = invite_via_console(client, district, Role.ADMIN)
    assert "organisation" in response.context["form"].errors
    assert sorted(Invitation.objects.values_list("role", flat=True)) == sorted(
        [Role.WORKSHOP, Role.TECH_DEPT, Role.ADVISOR]
    )


def test_committee_invites_district_admins_and_experts(client_for, alice_committee, district, other_district):
    client = client_for(alice_committee)
    assert invite_via_console(client, district, Role.ADMIN).status_code == 302
    assert invite_via_console(client, other_district, Role.EXPERT, mobile="13877200002").status_code == 302
    assert sorted(Invitation.objects.values_list("organisation__name", "role")) == [
        ("城中区团委", Role.ADMIN),
        ("鱼峰区团委", Role.EXPERT),
    ]


def test_district_admin_invites_unit_admins_but_not_district_admins(
    client_for, dan_district_admin, district, unit_a, unit_b
):
    client = client_for(dan_district_admin)
    assert invite_via_console(client, unit_a, Role.ADMIN).status_code == 302
    assert invite_via_console(client, district, Role.ADMIN).status_code == 200
    response = invite_via_console(client, unit_b, Role.APPLICANT)
    assert "organisation" in response.context["form"].errors
    assert list(Invitation.objects.values_list("organisation__name", "role")) == [("示例机械有限公司团委", Role.ADMIN)]


def test_list_is_scoped_and_eve_cannot_see_or_revoke_unit_a_invitations(
    client_for, bob_unit_admin, eve_other_unit_admin, unit_a, unit_b
):
    mine, _ = invite(by=bob_unit_admin, organisation=unit_a, role=Role.APPLICANT, real_name="甲")
    theirs, _ = invite(by=eve_other_unit_admin, organisation=unit_b, role=Role.APPLICANT, real_name="乙")
    eve = client_for(eve_other_unit_admin)
    assert [i.real_name for i in eve.get(LIST).context["page"]] == ["乙"]
    assert eve.post(revoke(mine)).status_code == 404
    assert eve.get(reverse("console:invitation_created", args=[mine.pk])).status_code == 404
    mine.refresh_from_db()
    assert mine.revoked_at is None
    assert theirs.status == "待接受"


def test_revoke_and_status_filter(client_for, bob_unit_admin, unit_a):
    invite(by=bob_unit_admin, organisation=unit_a, role=Role.APPLICANT, real_name="待")
    expired, _ = invite(by=bob_unit_admin, organisation=unit_a, role=Role.APPLICANT, real_name="过")
    Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(days=1))
    gone, _ = invite(by=bob_unit_admin, organisation=unit_a, role=Role.APPLICANT, real_name="撤")
    client = client_for(bob_unit_admin)

    response = client.post(revoke(gone), follow=True)
    assert "已撤销对 撤 的邀请" in response.content.decode()
    gone.refresh_from_db()
    assert gone.status == "已撤销"
    AuditEntry.objects.get(action="invitation.revoke", target_id=str(gone.pk), actor=bob_unit_admin)
    again = client.post(revoke(gone), follow=True)
    assert "该邀请已撤销，无法撤销" in again.content.decode()
    assert AuditEntry.objects.filter(action="invitation.revoke").count() == 1

    def names(status):
        return [i.real_name for i in client.get(LIST, {"status": status}).context["page"]]

    assert names("pending") == ["待"]
    assert names("expired") == ["过"]
    assert names("revoked") == ["撤"]
    assert names("accepted") == []
    assert names("") == ["撤", "过", "待"]


@pytest.mark.parametrize("who", ["carol_applicant", "mallory"])
def test_non_admins_are_refused(client_for, request, unit_a, who):
    client = client_for(request.getfixturevalue(who))
    assert client.get(LIST).status_code == 403
    assert client.get(CREATE).status_code == 403
    assert invite_via_console(client, unit_a, Role.APPLICANT).status_code == 403
    assert not Invitation.objects.exists()


def test_invitations_list_query_count_does_not_grow(client_for, alice_committee, district, count_queries):
    client = client_for(alice_committee)
    inviters = [UserFactory() for _ in range(3)]

    def add(n):
        for i in range(n):
            org = make_org(f"邀请单位{Invitation.objects.count()}", OrgKind.ENTERPRISE, district)
            invitation, _ = invite(by=alice_committee, organisation=org, role=Role.ADMIN, real_name=f"人{i}")
            Invitation.objects.filter(pk=invitation.pk).update(invited_by=inviters[i % 3])

    add(2)
    few = count_queries(lambda: client.get(LIST))
    add(20)
    many = count_queries(lambda: client.get(LIST))
    assert many == few


def test_create_page_preselects_a_visible_organisation_only(client_for, bob_unit_admin, unit_a, unit_b):
    client = client_for(bob_unit_admin)
    assert client.get(CREATE, {"organisation": unit_a.pk}).context["form"].initial["organisation"] == unit_a
    assert client.get(CREATE, {"organisation": unit_b.pk}).context["form"].initial["organisation"] is None
    assert client.get(CREATE, {"organisation": "abc"}).context["form"].initial["organisation"] is None
