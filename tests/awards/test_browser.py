"""奖项 in a real browser: the committee builds the proposal from the review round's ranking, adjusts
one award with a reason, locks and publishes; the leader sees the award and the public the prize.
Screenshots go to var/screenshots/awards-*.png (desktop and a 390 px phone) for a person to look at."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests import browsing
from tests.browsing import sign_in
from tests.reviews.conftest import assigned, experts, forwarded, review_open, round1  # noqa: F401
from wuxiao.awards.models import Award
from wuxiao.reviews import services as reviews
from wuxiao.reviews.models import Assignment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"


@pytest.fixture
def scored(assigned):  # noqa: F811 — the fixture of tests/reviews/conftest.py
    """Every expert submits: the four projects rank in the order they were forwarded."""
    quality = {}
    for a in Assignment.objects.filter(round=assigned).select_related("project", "expert").order_by("pk"):
        rank = quality.setdefault(a.project_id, len(quality))
        criteria = list(assigned.criteria.all())
        scores = {c.pk: min(c.max_score, Decimal(c.max_score) * Decimal(9 - rank) / 10) for c in criteria}
        reviews.save_review(by=a.expert, assignment=a, scores=scores, comment="", submit=True)
    return assigned


def shot(page, name):
    browsing.shot(page, SHOTS, f"awards-{name}")


def no_page_overflow(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_committee_allocates_adjusts_locks_publishes_and_the_leader_sees_it(
    live_server,
    browser,
    scored,
    forwarded,  # noqa: F811
    alice_committee,
    carol_applicant,
):
    context, page = sign_in(browser, live_server, "alice")
    page.goto(f"{live_server.url}/console/")
    page.click("text=奖项评定")
    page.fill("input[name=specials]", "0")
    page.click("button:has-text('生成奖项建议')")
    page.wait_for_selector("text=已按")
    # Four forwarded projects: no 一等奖 (⌊0.4⌋), one 二等奖 (⌊1⌋), two 三等奖 (⌊2⌋).
    rows = page.locator("table.awards-table tbody tr")
    assert rows.count() == 4
    shot(page, "proposal")
    # Adjusting the 4th (no prize) up to 三等奖 breaks the cap: refused with the numbers.
    last = rows.nth(3)
    last.locator("select[name=level]").select_option("third")
    last.locator("input[name=reason]").fill("推广价值突出")
    last.locator("button:has-text('调整')").click()
    page.wait_for_selector("text=三等奖最多 2 项（4 项上报项目），已定 2 项")
    # Down one 三等奖 with a reason, then the 4th up.
    third = page.locator("table.awards-table tbody tr").nth(2)
    third.locator("select[name=level]").select_option("none")
    third.locator("input[name=reason]").fill("经济效益测算依据不足")
    third.locator("button:has-text('调整')").click()
    page.wait_for_selector("text=调整为未获奖")
    last = page.locator("table.awards-table tbody tr").nth(3)
    last.locator("select[name=level]").select_option("third")
    last.locator("input[name=reason]").fill("推广价值突出")
    last.locator("button:has-text('调整')").click()
    page.wait_for_selector("text=调整为三等奖")
    page.click("button:has-text('锁定结果')")
    page.wait_for_selector("text=奖项结果已锁定")
    page.click("button:has-text('发布评审结果')")
    page.wait_for_selector("text=评审结果已发布")
    shot(page, "published")
    context.close()

    awarded = Award.objects.get(project=forwarded[0])
    assert awarded.get_level_display() == "二等奖" and awarded.certificate_number

    context, page = sign_in(browser, live_server, carol_applicant.username, width=390)
    page.goto(live_server.url + reverse("portal:project_detail", args=[forwarded[0].pk]))
    page.wait_for_selector("text=本项目荣获")
    assert "二等奖" in page.inner_text(".alert-success")
    assert no_page_overflow(page)
    shot(page, "leader-phone")
    with page.expect_download() as download:
        page.click("text=下载获奖证书")
    assert download.value.suggested_filename.endswith(".pdf")
    context.close()

    public = browser.new_context(viewport={"width": 390, "height": 800}, locale="zh-CN").new_page()
    public.goto(f"{live_server.url}/")
    public.click("text=优秀成果展示")
    public.wait_for_selector(f"text={forwarded[0].name}")
    assert no_page_overflow(public)
    shot(public, "gallery-phone")
    public.goto(f"{live_server.url}/certificates/{awarded.certificate_number}/")
    public.wait_for_selector("text=证书有效")


def test_committee_uploads_the_seal_and_sees_it(live_server, browser, alice_committee, tmp_path):
    """证书设置 at desktop and phone width: a refused file says why, a seal shows as a preview."""
    from wuxiao.awards.models import AwardSheet
    from wuxiao.demo.workflow import _seal_png

    seal, fake = tmp_path / "组委会印章.png", tmp_path / "印章.png"
    seal.write_bytes(_seal_png("共青团柳州市委员会"))
    fake.write_bytes(b"MZ\x90\x00 not a picture")
    for width in (1366, 390):
        context, page = sign_in(browser, live_server, "alice", width=width)
        page.goto(f"{live_server.url}/console/awards/")
        page.click("text=证书设置")
        page.set_input_files("input[name=seal]", str(fake))
        page.click("button:has-text('保存')")
        page.wait_for_selector("text=不是 PNG 或 JPG 图片")
        page.fill("input[name=wording]", "特发此证，以资鼓励。")
        page.set_input_files("input[name=seal]", str(seal))
        page.click("button:has-text('保存')")
        page.wait_for_selector("text=证书设置已保存")
        # The preview is served by its own request: wait for it to arrive and decode.
        page.wait_for_function(
            "() => { const i = document.querySelector('img.seal-preview'); return i && i.complete && i.naturalWidth > 0 }"
        )
        assert no_page_overflow(page)
        shot(page, f"certificate-design-{width}")
        context.close()
    assert AwardSheet.objects.get().seal.name.endswith(".png")


def test_committee_publishes_the_booklet_and_the_public_downloads_it(
    live_server, browser, settings, campaign, alice_committee, unit_a
):
    """案例集 online: 成果发布 → 生成案例集 Word (a background job) → 发布; the public finds the download
    on the results page at phone width."""
    from tests.awards.test_services import forwarded as make_forwarded
    from tests.awards.test_services import propose
    from wuxiao.awards import services

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}
    projects = make_forwarded(campaign, unit_a, 6)
    propose(campaign, alice_committee, projects, specials=1)
    services.lock_results(campaign=campaign, by=alice_committee)
    services.publish_results(campaign=campaign, by=alice_committee)

    context, page = sign_in(browser, live_server, "alice")
    page.goto(f"{live_server.url}/console/awards/")
    page.click("text=成果发布")
    page.click("button:has-text('生成案例集 Word')")
    page.wait_for_selector("text=已完成")
    page.click("text=返回成果发布")
    page.click("#booklet button:has-text('发布')")
    page.wait_for_selector("text=公开下载中")
    shot(page, "booklet-published")
    context.close()

    public = browser.new_context(viewport={"width": 390, "height": 800}, locale="zh-CN").new_page()
    public.goto(f"{live_server.url}/campaigns/{campaign.slug}/results/")
    public.wait_for_selector("text=优秀项目案例集")
    assert no_page_overflow(public)
    shot(public, "booklet-results-phone")
    with public.expect_download() as download:
        public.click("text=下载 Word")
    assert download.value.suggested_filename == "优秀项目案例集-2024.docx"
