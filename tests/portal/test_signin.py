"""Sign-in by username or mobile, the lockout of one (account, address) pair, sign-out."""

from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD, UserFactory

LOGIN = "/accounts/login/"
OFFICE = "10.0.0.1"
HOME = "10.0.0.2"
WRONG_PASSWORD_MESSAGE = "用户名/手机号或密码不正确。连续 5 次输错，该账号在本地址将被锁定 30 分钟。"
LOCKED_TITLE = "账号已暂时锁定"


@pytest.fixture
def weixm(db):
    return UserFactory(username="weixm", real_name="韦小敏", mobile="13877212345")


@pytest.fixture
def other(db):
    return UserFactory(username="liuyang", real_name="刘洋", mobile="13977200001")


def sign_in(client, login, password, address=OFFICE):
    return client.post(LOGIN, {"username": login, "password": password}, REMOTE_ADDR=address)


def signed_in_user_id(client):
    return client.session.get("_auth_user_id")


def test_sign_in_by_username_lands_on_the_dashboard(client, weixm):
    response = sign_in(client, "weixm", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:dashboard")
    assert signed_in_user_id(client) == str(weixm.pk)


def test_sign_in_by_username_ignores_case_and_spaces(client, weixm):
    response = sign_in(client, " WeiXM ", PASSWORD)
    assert response.status_code == 302
    assert signed_in_user_id(client) == str(weixm.pk)


def test_sign_in_by_mobile(client, weixm):
    response = sign_in(client, "13877212345", PASSWORD)
    assert response.status_code == 302
    assert signed_in_user_id(client) == str(weixm.pk)


def test_sign_in_follows_next(client, weixm):
    response = client.post(
        LOGIN, {"username": "weixm", "password": PASSWORD, "next": "/me/profile/"}, REMOTE_ADDR=OFFICE
    )
    assert response["Location"] == "/me/profile/"


def test_login_page_is_chinese(client, db):
    response = client.get(LOGIN)
    text = response.content.decode()
    assert response.status_code == 200
    assert "<title>登录 · 五小竞赛平台</title>" in text
    assert "用户名或手机号" in text
    assert 'lang="zh-CN"' in text


def test_wrong_password_is_refused_in_chinese(client, weixm):
    response = sign_in(client, "weixm", "Wrong@2024")
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [WRONG_PASSWORD_MESSAGE]
    assert WRONG_PASSWORD_MESSAGE in response.content.decode()
    assert signed_in_user_id(client) is None


def test_unknown_account_gets_the_same_message(client, weixm):
    response = sign_in(client, "nobody", PASSWORD)
    assert response.context["form"].non_field_errors() == [WRONG_PASSWORD_MESSAGE]


def test_empty_form_names_the_missing_fields_in_chinese(client, db):
    response = client.post(LOGIN, {}, REMOTE_ADDR=OFFICE)
    assert response.context["form"].errors == {"username": ["这个字段是必填项。"], "password": ["这个字段是必填项。"]}


def test_inactive_account_cannot_sign_in(client, weixm):
    weixm.is_active = False
    weixm.save()
    response = sign_in(client, "weixm", PASSWORD)
    assert response.status_code == 200
    assert signed_in_user_id(client) is None


def fail(client, login, times, address=OFFICE):
    responses = [sign_in(client, login, "Wrong@2024", address) for _ in range(times)]
    return responses[-1]


def test_four_failures_do_not_lock(client, weixm):
    assert fail(client, "weixm", 4).status_code == 200
    assert sign_in(client, "weixm", PASSWORD).status_code == 302


def test_fifth_failure_locks_the_account_from_that_address(client, weixm):
    assert fail(client, "weixm", 4).status_code == 200
    fifth = sign_in(client, "weixm", "Wrong@2024")
    assert fifth.status_code == 429
    assert "registration/locked_out.html" in [t.name for t in fifth.templates]
    text = fifth.content.decode()
    assert LOCKED_TITLE in text
    assert "该账号在本地址连续 5 次登录失败，已锁定 30 分钟。请 30 分钟后再试" in text

    # the right password no longer helps from this address
    locked = sign_in(client, "weixm", PASSWORD)
    assert locked.status_code == 429
    assert LOCKED_TITLE in locked.content.decode()
    assert signed_in_user_id(client) is None


def test_lock_holds_one_pair_only(client, weixm, other):
    fail(client, "weixm", 5)
    # the same account from another address still signs in
    assert sign_in(client, "weixm", PASSWORD, address=HOME).status_code == 302
    assert signed_in_user_id(client) == str(weixm.pk)
    client.post(reverse("logout"))
    # another account from the same (shared office) address still signs in
    assert sign_in(client, "liuyang", PASSWORD, address=OFFICE).status_code == 302
    assert signed_in_user_id(client) == str(other.pk)


def test_failures_by_username_and_by_mobile_add_up(client, weixm):
    fail(client, "weixm", 3)
    fail(client, "13877212345", 1)
    fifth = sign_in(client, "13877212345", "Wrong@2024")
    assert fifth.status_code == 429
    assert sign_in(client, "WEIXM", PASSWORD).status_code == 429
    assert sign_in(client, "13877212345", PASSWORD).status_code == 429
    assert AccessAttempt.objects.get().username == "weixm"


def test_lock_lifts_thirty_minutes_after_the_fifth_failure(client, weixm):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        fail(client, "weixm", 5)
        traveller.shift(timedelta(minutes=20))
        # a try during the lock is refused and does not restart the 30 minutes
        assert sign_in(client, "weixm", PASSWORD).status_code == 429
        traveller.shift(timedelta(minutes=9, seconds=59))
        assert sign_in(client, "weixm", "Wrong@2024").status_code == 429
        traveller.shift(timedelta(seconds=2))
        response = sign_in(client, "weixm", PASSWORD)
    assert response.status_code == 302
    assert signed_in_user_id(client) == str(weixm.pk)


def test_failures_older_than_thirty_minutes_are_forgotten(client, weixm):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        fail(client, "weixm", 4)
        traveller.shift(timedelta(minutes=30, seconds=1))
        assert fail(client, "weixm", 4).status_code == 200
        assert sign_in(client, "weixm", PASSWORD).status_code == 302


def test_success_resets_the_count(client, weixm):
    fail(client, "weixm", 4)
    assert sign_in(client, "weixm", PASSWORD).status_code == 302
    client.post(reverse("logout"))
    assert AccessAttempt.objects.count() == 0
    # four more failures are again only four
    assert fail(client, "weixm", 4).status_code == 200
    assert sign_in(client, "weixm", PASSWORD).status_code == 302


def test_sign_out_by_post(client, weixm):
    sign_in(client, "weixm", PASSWORD)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("showcase:home")
    assert signed_in_user_id(client) is None


def test_sign_out_by_get_is_refused(client, weixm):
    sign_in(client, "weixm", PASSWORD)
    response = client.get(reverse("logout"))
    assert response.status_code == 405
    assert signed_in_user_id(client) == str(weixm.pk)


def test_signed_in_user_visiting_login_is_sent_on(client, weixm):
    sign_in(client, "weixm", PASSWORD)
    response = client.get(LOGIN)
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:dashboard")


def test_behind_nginx_the_lock_follows_the_real_client(client, weixm, settings):
    settings.WUXIAO_TRUSTED_PROXIES = 1

    def via_proxy(password, client_address):
        return client.post(
            LOGIN,
            {"username": "weixm", "password": password},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=client_address,
        )

    for _ in range(5):
        via_proxy("Wrong@2024", OFFICE)
    assert via_proxy(PASSWORD, OFFICE).status_code == 429
    assert via_proxy(PASSWORD, HOME).status_code == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {OFFICE}


def test_without_a_configured_proxy_a_forged_header_does_not_dodge_the_lock(client, weixm):
    for n in range(5):
        client.post(
            LOGIN,
            {"username": "weixm", "password": "Wrong@2024"},
            REMOTE_ADDR=OFFICE,
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}",
        )
    assert sign_in(client, "weixm", PASSWORD).status_code == 429


def test_next_pointing_elsewhere_is_ignored(client, weixm):
    response = client.post(
        LOGIN, {"username": "weixm", "password": PASSWORD, "next": "https://evil.example.com/"}, REMOTE_ADDR=OFFICE
    )
    assert response["Location"] == reverse("portal:dashboard")
