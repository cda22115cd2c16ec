"""The account pages in a real browser: sign-in, lockout, password change, registration."""

from pathlib import Path

import pytest

from tests.factories import PASSWORD, UserFactory
from wuxiao.people.models import Role, User
from wuxiao.people.services import invite

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


@pytest.fixture
def page(browser_page):
    SHOTS.mkdir(parents=True, exist_ok=True)
    return browser_page


def fill_login(page, login, password):
    page.fill("#id_username", login)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")


def test_sign_in_by_mobile_and_sign_out(page, live_server, db):
    UserFactory(username="weixm", real_name="韦小敏", mobile="13877212345")
    page.goto(f"{live_server.url}/accounts/login/")
    page.screenshot(path=SHOTS / "auth-login.png", full_page=True)
    assert page.title() == "登录 · 五小竞赛平台"
    fill_login(page, "13877212345", PASSWORD)
    page.wait_for_url(f"{live_server.url}/me/")
    assert page.locator("h1").inner_text() == "您好，韦小敏"
    page.click("text=韦小敏")
    page.click("text=退出登录")
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator("a.btn", has_text="登录").count() == 1


def test_wrong_password_then_lockout(page, live_server, db):
    UserFactory(username="weixm")
    page.goto(f"{live_server.url}/accounts/login/")
    fill_login(page, "weixm", "Wrong@2024")
    wrong = "用户名/手机号或密码不正确。连续 5 次输错，该账号在本地址将被锁定 30 分钟。"
    assert wrong in page.inner_text(".alert-danger")
    page.screenshot(path=SHOTS / "auth-login-wrong.png", full_page=True)
    for _ in range(4):
        fill_login(page, "weixm", "Wrong@2024")
    assert page.title() == "账号已暂时锁定 · 五小竞赛平台"
    assert "该账号在本地址连续 5 次登录失败，已锁定 30 分钟" in page.inner_text("main")
    page.screenshot(path=SHOTS / "auth-locked-out.png", full_page=True)


def test_password_change_shows_the_reasons(page, live_server, db):
    UserFactory(username="weixm", real_name="韦小敏")
    page.goto(f"{live_server.url}/accounts/login/?next=/accounts/password/")
    fill_login(page, "weixm", PASSWORD)
    page.wait_for_url(f"{live_server.url}/accounts/password/")
    page.fill("#id_old_password", "Wrong@2024")
    page.fill("#id_new_password1", "abc")
    page.fill("#id_new_password2", "abc")
    page.click("main button[type=submit]")
    text = page.inner_text("main form")
    assert "你的旧密码不正确。请重新输入。" in text
    assert "密码太短：至少需要 8 个字符，当前只有 3 个" in text
    page.screenshot(path=SHOTS / "auth-password-change-errors.png", full_page=True)
    page.fill("#id_old_password", PASSWORD)
    page.fill("#id_new_password1", "Xk9#mq2Lp")
    page.fill("#id_new_password2", "Xk9#mq2Lp")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/accounts/password/done/")
    assert User.objects.get(username="weixm").check_password("Xk9#mq2Lp")


def test_register_from_an_invitation(page, live_server, bob_unit_admin, unit_a):
    _, link = invite(
        by=bob_unit_admin, organisation=unit_a, role=Role.APPLICANT, real_name="韦小敏", mobile="13877212345"
    )
    path = link.removeprefix("http://127.0.0.1:8000")
    page.goto(f"{live_server.url}{path}")
    assert page.title() == "注册账号 · 五小竞赛平台"
    page.screenshot(path=SHOTS / "auth-register.png", full_page=True)
    page.fill("#id_username", "weixm")
    page.select_option("#id_gender", "F")
    page.fill("#id_birth_date", "1996-08-15")
    page.select_option("#id_education", "college")
    page.fill("#id_password1", "password")
    page.fill("#id_password2", "password")
    page.click("main button[type=submit]")
    assert "这个密码太常见了。" in page.inner_text("main form")
    page.screenshot(path=SHOTS / "auth-register-errors.png", full_page=True)
    page.fill("#id_password1", "Xk9#mq2Lp")
    page.fill("#id_password2", "Xk9#mq2Lp")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/me/")
    assert "注册成功，欢迎加入“示例机械有限公司团委”" in page.inner_text(".messages")
    assert "示例机械有限公司团委" in page.inner_text("#my-roles")
    page.screenshot(path=SHOTS / "auth-registered-dashboard.png", full_page=True)
    page.click("#unread-count")
    page.wait_for_url(f"{live_server.url}/me/inbox/")
    page.screenshot(path=SHOTS / "auth-inbox.png", full_page=True)
    page.click("#inbox a")
    page.wait_for_url(f"{live_server.url}/me/")
    assert page.locator("#unread-count").count() == 0


def test_login_page_fits_a_phone(page, live_server, db):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/accounts/login/")
    page.screenshot(path=SHOTS / "auth-login-phone.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    box = page.locator("#id_username").bounding_box()
    assert box["width"] > 300
