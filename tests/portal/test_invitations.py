"""Opening an invitation link: a new person registers, a signed-in person accepts; each link
works once, and not after it expired or was revoked."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import resolve, reverse
from django.utils import timezone

from tests.factories import PASSWORD, UserFactory
from wuxiao.audit.models import AuditEntry
from wuxiao.notifications.models import Notification
from wuxiao.people.models import Invitation, Membership, Role, User
from wuxiao.people.services import invite, revoke_invitation


@pytest.fixture
def invitation(bob_unit_admin, unit_a, django_capture_on_commit_callbacks):
    bob_unit_admin.email = "bob@example.com"
    bob_unit_admin.save()
    with django_capture_on_commit_callbacks(execute=True):
        inv, link = invite(
            by=bob_unit_admin,
            organisation=unit_a,
            role=Role.APPLICANT,
            real_name="韦小敏",
            mobile="13877212345",
            email="weixm@example.com",
        )
    return inv, link.removeprefix("http://127.0.0.1:8000")


def registration(**overrides):
    data = {
        "username": "weixm",
        "real_name": "韦小敏",
        "gender": "F",
        "birth_date": "1996-08-15",
        "education": "college",
        "mobile": "13877212345",
        "email": "weixm@example.com",
        "password1": "Xk9#mq2Lp",
        "password2": "Xk9#mq2Lp",
    }
    data.update(overrides)
    return data


def test_invitation_email_carries_the_link(invitation):
    inv, path = invitation
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["weixm@example.com"]
    assert message.subject == "【五小竞赛】邀请您加入五小竞赛平台"
    assert f"http://127.0.0.1:8000{path}" in message.body
    assert "以“申报人”身份加入“示例机械有限公司团委”" in message.body
    # the deadline in Beijing time, as the reader's clock shows it
    deadline = inv.expires_at.astimezone(ZoneInfo("Asia/Shanghai"))
    assert f"请在 {deadline:%Y-%m-%d %H:%M} 前打开以下链接完成注册（链接只能使用一次）" in message.body


def test_no_email_when_no_address(bob_unit_admin, unit_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invite(by=bob_unit_admin, organisation=unit_a, role=Role.APPLICANT, real_name="刘洋")
    assert mail.outbox == []


def test_register_page_is_prefilled_and_chinese(client, invitation):
    _, path = invitation
    response = client.get(path)
    text = response.content.decode()
    assert response.status_code == 200
    assert "<title>注册账号 · 五小竞赛平台</title>" in text
    assert "卜波 邀请您以“申报人”身份加入“示例机械有限公司团委”" in text
    form = response.context["form"]
    assert (form["real_name"].value(), form["mobile"].value(), form["email"].value()) == (
        "韦小敏",
        "13877212345",
        "weixm@example.com",
    )


def test_register_creates_the_account_in_the_right_place(
    client, invitation, unit_a, bob_unit_admin, django_capture_on_commit_callbacks
):
    inv, path = invitation
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(path, registration())
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:dashboard")

    user = User.objects.get(username="weixm")
    assert user.check_password("Xk9#mq2Lp")
    assert (user.real_name, user.mobile, user.email) == ("韦小敏", "13877212345", "weixm@example.com")
    assert [(m.organisation, m.role) for m in Membership.objects.filter(user=user)] == [(unit_a, Role.APPLICANT)]
    assert client.session["_auth_user_id"] == str(user.pk)

    inv.refresh_from_db()
    assert inv.accepted_by == user
    assert inv.accepted_at is not None

    # the inviter is told, in the inbox and by mail; the newcomer is welcomed
    told = Notification.objects.get(recipient=bob_unit_admin)
    assert told.title == "韦小敏 已接受邀请"
    assert told.body == "韦小敏 已以“申报人”身份加入“示例机械有限公司团委”。"
    assert resolve(told.url).namespace == "console"  # the invitations page, or the console home until it exists
    assert Notification.objects.get(recipient=user).title == "您已加入示例机械有限公司团委"
    assert sorted((m.to[0], m.subject) for m in mail.outbox) == [
        ("bob@example.com", "【五小竞赛】韦小敏 已接受邀请"),
        ("weixm@example.com", "【五小竞赛】您已加入示例机械有限公司团委"),
    ]
    assert set(AuditEntry.objects.filter(actor=user).values_list("action", flat=True)) == {
        "user.register",
        "invitation.accept",
    }


def test_the_new_account_signs_in(client, invitation):
    _, path = invitation
    client.post(path, registration())
    client.post(reverse("logout"))
    assert client.post(reverse("login"), {"username": "13877212345", "password": "Xk9#mq2Lp"}).status_code == 302


@pytest.mark.parametrize(
    ("password", "reasons"),
    [
        ("Xk9#mq", ["密码太短：至少需要 8 个字符，当前只有 6 个"]),
        ("xkqmzplwv", ["密码需至少包含大写字母、小写字母、数字、符号中的 3 类，当前只有 1 类"]),
        ("Password1", ["这个密码太常见了。"]),
        ("Weixm20#", ["密码跟 用户名 太相似了。"]),
    ],
)
def test_weak_password_is_refused_with_chinese_reasons(client, invitation, password, reasons):
    inv, path = invitation
    response = client.post(path, registration(password1=password, password2=password))
    assert response.status_code == 200
    assert response.context["form"].errors == {"password1": reasons}
    for reason in reasons:
        assert reason in response.content.decode()
    assert not User.objects.filter(username="weixm").exists()
    inv.refresh_from_db()
    assert inv.accepted_at is None


def test_password_mismatch_is_refused(client, invitation):
    _, path = invitation
    response = client.post(path, registration(password2="Xk9#mq2Lq"))
    assert response.context["form"].errors == {"password2": ["两次输入的密码不一致"]}


def test_username_taken_is_refused(client, invitation):
    UserFactory(username="WeiXM")
    _, path = invitation
    response = client.post(path, registration())
    assert response.context["form"].errors == {"username": ["该用户名已被使用，请换一个"]}


def test_bad_username_is_refused_with_the_rule(client, invitation):
    _, path = invitation
    response = client.post(path, registration(username="9魏"))
    assert response.context["form"].errors == {"username": ["用户名须为 3–30 位字母、数字或 _ . -，并以字母开头"]}


def test_mobile_taken_is_refused(client, invitation):
    UserFactory(username="other", mobile="13877212345")
    _, path = invitation
    response = client.post(path, registration())
    assert response.context["form"].errors == {"mobile": ["该手机号码已被其他账号使用"]}


def test_link_works_once(client, invitation):
    _, path = invitation
    client.post(path, registration())
    client.post(reverse("logout"))
    again = client.get(path)
    assert again.status_code == 410
    assert "该邀请链接已被使用，每个链接只能使用一次" in again.content.decode()
    second = client.post(path, registration(username="another", mobile="13977200001"))
    assert second.status_code == 410
    assert not User.objects.filter(username="another").exists()


def test_expired_link_is_refused(client, invitation):
    inv, path = invitation
    inv.expires_at = timezone.now() - timedelta(minutes=1)
    inv.save()
    response = client.get(path)
    assert response.status_code == 410
    expired = timezone.localtime(inv.expires_at)
    assert f"该邀请链接已于 {expired:%Y-%m-%d %H:%M} 过期，请联系邀请人重新发送" in response.content.decode()
    assert client.post(path, registration()).status_code == 410
    assert not User.objects.filter(username="weixm").exists()


def test_links_expire_after_the_configured_days(invitation):
    inv, _ = invitation
    assert inv.expires_at - inv.created_at == pytest.approx(timedelta(days=14), abs=timedelta(seconds=5))


def test_revoked_link_is_refused(client, invitation, bob_unit_admin):
    inv, path = invitation
    revoke_invitation(by=bob_unit_admin, invitation=inv)
    response = client.get(path)
    assert response.status_code == 410
    assert "该邀请已被撤销" in response.content.decode()
    assert client.post(path, registration()).status_code == 410


def test_unknown_token_is_refused(client, invitation):
    response = client.get(reverse("portal:accept_invitation", args=["not-a-token"]))
    assert response.status_code == 410
    assert "邀请链接无效，请向邀请人确认链接是否完整" in response.content.decode()


def test_signed_in_person_accepts_and_gains_the_role(
    client_for, invitation, carol_applicant, unit_a, django_capture_on_commit_callbacks
):
    inv, path = invitation
    client = client_for(carol_applicant)
    page = client.get(path)
    assert page.status_code == 200
    assert "接受后，您当前的账号（carol）将增加该角色" in page.content.decode()

    inv.role = Role.ADVISOR
    inv.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(path)
    assert response["Location"] == reverse("portal:dashboard")
    assert set(Membership.objects.filter(user=carol_applicant).values_list("organisation", "role")) == {
        (unit_a.pk, Role.APPLICANT),
        (unit_a.pk, Role.ADVISOR),
    }
    inv.refresh_from_db()
    assert inv.accepted_by == carol_applicant
    assert not User.objects.filter(username="weixm").exists()
    assert client.post(path).status_code == 410


def test_signed_in_person_cannot_use_a_used_link(client_for, invitation, mallory, carol_applicant):
    _, path = invitation
    client_for(carol_applicant).post(path)
    response = client_for(mallory).post(path)
    assert response.status_code == 410
    assert not Membership.objects.filter(user=mallory).exists()


def test_registration_page_links_to_sign_in_with_next(client, invitation):
    _, path = invitation
    text = client.get(path).content.decode()
    assert f'href="/accounts/login/?next={path}"' in text


def test_demo_password_passes_the_policy(db):
    from django.contrib.auth import password_validation

    assert password_validation.validate_password(PASSWORD) is None


def test_invitations_store_only_a_hash(invitation):
    _, path = invitation
    token = path.rstrip("/").rsplit("/", 1)[1]
    assert token not in Invitation.objects.values_list("token_hash", flat=True)
