"""评审认定 in a real browser: the committee sets a round and assigns, an expert scores two
projects, the committee sees the raw and normalised rankings. Screenshots at 1366 px and
390 px go to $SHOTS_DIR (default /tmp/shots-review) for a person to look at."""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.db.models import Count
from django.utils import timezone

from tests.browsing import sign_in
from wuxiao.reviews.models import Assignment, Review

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("SHOTS_DIR", "/tmp/shots-review"))


def shots(browser, live_server, username, url, name):
    """The page at desktop and phone width."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1366, 390):
        context, page = sign_in(browser, live_server, username, width=width)
        page.goto(f"{live_server.url}{url}")
        page.screenshot(path=SHOTS / f"review-{name}-{width}.png", full_page=True)
        context.close()


def test_round_assignment_scoring_and_ranking(alice_committee, forwarded, experts, live_server, browser):
    today = timezone.localdate()
    context, page = sign_in(browser, live_server, "alice")
    page.goto(f"{live_server.url}/console/")
    page.click("text=评审认定")
    page.fill("#round-form input[name=name]", "初评")
    page.fill("#round-form input[name=opens_on]", (today - timedelta(days=1)).isoformat())
    page.fill("#round-form input[name=closes_on]", (today + timedelta(days=3)).isoformat())
    page.fill("#round-form input[name=experts_per_project]", "2")
    page.fill("#round-form input[name=max_per_expert]", "4")
    page.click("#round-form button[type=submit]")
    page.wait_for_load_state()
    assert "已创建评审轮次“初评”" in page.content()
    page.fill("#assign-form input[name=seed]", "7")
    page.click("#assign-form button[type=submit]")
    page.wait_for_load_state()
    assert "已自动分配：新增 8 个评审任务" in page.content()
    round_url = page.url.removeprefix(live_server.url)
    context.close()

    busiest = (
        Assignment.objects.values("expert__username").annotate(n=Count("*")).order_by("-n", "expert__username").first()
    )
    assert busiest["n"] >= 2
    username = busiest["expert__username"]
    context, page = sign_in(browser, live_server, username)
    page.click("#my-reviews")
    links = page.locator("a:has-text('评分')")
    for i, scores in enumerate([("9", "8", "9", "7", "8"), ("5", "6", "4", "6", "5")]):
        page.goto(f"{live_server.url}/me/reviews/")
        links.nth(i).click()
        page.wait_for_load_state()
        inputs = page.locator("#score-form input[type=number]")
        for j, value in enumerate(scores):
            inputs.nth(j).fill(value)
        page.fill("#score-form textarea[name=comment]", "创新点明确")
        page.click("#score-form button[name=submit]")
        page.wait_for_load_state()
        assert "评分已提交" in page.content()
    review_url = page.url.removeprefix(live_server.url)
    context.close()
    assert Review.objects.filter(submitted_at__isnull=False).count() == 2

    context, page = sign_in(browser, live_server, "alice")
    page.goto(f"{live_server.url}{round_url}")
    page.click("text=排名")
    page.wait_for_load_state()
    rows = page.locator("#ranking tbody tr")
    assert rows.count() == 2
    assert rows.nth(0).locator("td.raw").inner_text() == "83.50"  # 30×0.9 + 25×0.8 + 20×0.9 + 15×0.7 + 10×0.8
    assert rows.nth(1).locator("td.raw").inner_text() == "52.00"
    assert rows.nth(0).locator("td.normalised").inner_text() != ""
    assert "标准化得分" in page.content() and "原始平均分" in page.content()
    ranking_url = page.url.removeprefix(live_server.url)
    context.close()

    shots(browser, live_server, "alice", round_url, "round")
    shots(browser, live_server, "alice", ranking_url, "ranking")
    shots(browser, live_server, username, review_url, "expert-form")
    shots(browser, live_server, username, "/me/reviews/", "expert-list")
    shots(browser, live_server, "alice", "/console/reviews/", "home")


def test_the_committee_imports_the_expert_pool_from_excel(browser, live_server, alice_committee, unit_b, tmp_path):
    """Upload → the preview names each row's problem → fix → preview → confirm → the pool."""
    from openpyxl import Workbook

    from wuxiao.people.models import User
    from wuxiao.reviews.imports import COLUMNS
    from wuxiao.reviews.models import ExpertProfile

    def sheet(rows, name):
        wb = Workbook()
        wb.active.append(list(COLUMNS))
        for row in rows:
            wb.active.append(list(row))
        wb.save(tmp_path / name)
        return str(tmp_path / name)

    good = ("覃志明", "13877210001", "柳州职业技术学院", "高级工程师", "机械、电子", "示例化工有限公司团委", "", "是")
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1366, 390):
        User.objects.filter(mobile="13877210001").delete()  # each width imports afresh
        context, page = sign_in(browser, live_server, "alice", width=width)
        page.goto(f"{live_server.url}/console/reviews/experts/")
        page.click("#experts-import-link")
        page.set_input_files("input[name=file]", sheet([good, ("韦红", "1387720", "某单位", "", "机械")], "bad.xlsx"))
        page.click("button:has-text('上传并预览')")
        assert "第 3 行：手机号 1387720 不是 11 位" in page.inner_text("#import-errors")
        page.screenshot(path=SHOTS / f"review-experts-import-errors-{width}.png", full_page=True)
        page.set_input_files("input[name=file]", sheet([good], "good.xlsx"))
        page.click("button:has-text('上传并预览')")
        assert "将新建 1 位" in page.inner_text("#import-preview")
        page.screenshot(path=SHOTS / f"review-experts-import-preview-{width}.png", full_page=True)
        page.click("button:has-text('确认导入')")
        page.wait_for_url("**/console/reviews/experts/")
        assert "覃志明" in page.inner_text("#expert-pool")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), width
        context.close()
    assert ExpertProfile.objects.get().declared_organisations.get() == unit_b
