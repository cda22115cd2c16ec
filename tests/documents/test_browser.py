"""The booklet builder and a job's progress in a real browser (htmx polling)."""

from pathlib import Path

import pytest
from django.conf import settings

from tests.factories import PASSWORD
from wuxiao.documents.models import ExportJob, JobStatus
from wuxiao.documents.services import run_export_job

SHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"


@pytest.fixture
def page(transactional_db, live_server, browser):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    yield context.new_page()
    context.close()


@pytest.mark.browser
def test_booklet_job_progress_is_polled_until_the_download_appears(
    page, live_server, city_projects, alice_committee, campaign
):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "alice")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()

    page.goto(f"{live_server.url}/console/documents/")
    assert page.get_by_role("link", name="全市汇总表").is_visible()
    page.screenshot(path=str(SHOTS / "docs-console-index.png"), full_page=True)

    page.goto(f"{live_server.url}/console/documents/booklet/")
    assert page.locator("input[name=project]").count() == 4  # forwarded projects only
    page.screenshot(path=str(SHOTS / "docs-console-booklet.png"), full_page=True)

    # A job the worker has started: the page polls it, then shows the download.
    ids = [city_projects["known"].pk, city_projects["b"].pk]
    job = ExportJob.objects.create(
        created_by=alice_committee, exporter="booklet.pdf", params={"campaign": campaign.pk, "projects": ids},
        status=JobStatus.RUNNING, progress=35,
    )  # fmt: skip
    page.goto(f"{live_server.url}/console/documents/jobs/{job.pk}/")
    assert page.get_by_text("状态：生成中（35%）").is_visible()
    page.screenshot(path=str(SHOTS / "docs-console-job-running.png"), full_page=True)
    run_export_job(job_id=job.pk)
    page.get_by_text("下载 优秀项目案例集-2024.pdf").wait_for(timeout=10_000)
    assert page.get_by_text("状态：已完成（100%）").is_visible()
    page.screenshot(path=str(SHOTS / "docs-console-job-done.png"), full_page=True)
    with page.expect_download() as download:
        page.click("text=下载 优秀项目案例集-2024.pdf")
    assert download.value.suggested_filename == "优秀项目案例集-2024.pdf"
