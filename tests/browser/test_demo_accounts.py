"""The six demo accounts of the README sign in through the real login form and land on
their dashboard; screenshots go to var/screenshots/ for a person to look at."""

from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
# account → (real name, organisation, role as the dashboard names it)
ACCOUNTS = {
    "committee": ("覃雅琴", "柳州市青年岗位科技“五小”竞赛活动组委会办公室", "团组织管理员"),
    "district": ("蓝海燕", "城中区团委", "团组织管理员"),
    "unit": ("覃志强", "柳州市华鼎机械制造有限公司团委", "团组织管理员"),
    "applicant": ("韦晓明", "柳州市华鼎机械制造有限公司团委", "申报人"),
    "advisor": ("梁建国", "柳州市华鼎机械制造有限公司团委", "技术顾问"),
    "expert": ("潘立新", "鱼峰区团委", "评审专家"),
}


@pytest.fixture
def demo(transactional_db):
    call_command("demo_data", "--scale", "0.25", stdout=StringIO())


# `demo` before `live_server`: the test database is then set up before the session-wide live
# server and torn down after it; the other way round, PostgreSQL refuses to drop the test
# database while the server still holds a connection to it.
def test_demo_accounts_sign_in_and_land_on_their_dashboard(demo, live_server, browser):
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    assert page.locator("h1").inner_text().endswith("年柳州市青年岗位科技“五小”竞赛活动（演示）")
    assert page.locator("#stage-timeline li.current .stage-name").inner_text().startswith("第二阶段")
    page.screenshot(path=SHOTS / "demo-home.png", full_page=True)
    context.close()
    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True)
    page = phone.new_page()
    page.goto(f"{live_server.url}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing sticks out sideways
    page.screenshot(path=SHOTS / "demo-home-phone.png", full_page=True)
    phone.close()

    for username, (real_name, org_name, role) in ACCOUNTS.items():
        context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
        page = context.new_page()
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("用户名或手机号").press_sequentially(username)
        page.get_by_label("密码").press_sequentially(settings.WUXIAO_DEMO_PASSWORD)
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(f"{live_server.url}/me/")

        assert real_name in page.locator("h1").inner_text()
        assert real_name in page.locator("nav").inner_text()
        roles = page.locator("#my-roles li")
        texts = [roles.nth(i).inner_text() for i in range(roles.count())]
        assert any(org_name in t and role in t for t in texts), (username, texts)
        assert "第二阶段 · 攻关项目立项" in page.locator("#current-campaign").inner_text()
        page.screenshot(path=SHOTS / f"demo-{username}.png", full_page=True)
        if username == "applicant":  # leads a draft and two submitted projects, in a colleague's team
            page.goto(f"{live_server.url}/me/projects/")
            rows = page.locator("main table tbody tr")
            texts = [rows.nth(i).inner_text() for i in range(rows.count())]
            roles = [t.split("\t")[1].strip() for t in texts]  # 我的身份 (the next step may name the leader too)
            assert sum(r == "项目负责人" and "草稿" in t for r, t in zip(roles, texts, strict=True)) == 1, texts
            assert sum(r == "项目负责人" and "已提交" in t for r, t in zip(roles, texts, strict=True)) == 2, texts
            assert roles.count("主要研究人员") == 1, texts
            assert any("等待单位立项" in t for t in texts), texts  # each row says the next step
            page.screenshot(path=SHOTS / "demo-applicant-projects.png", full_page=True)
        context.close()
