"""优秀项目案例集 and the background jobs that build it."""

import io
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.documents.helpers import docx, drawn_images, pdf, pdf_text, row_texts, squash
from wuxiao.documents.models import ExportJob, JobStatus
from wuxiao.documents.registry import get_exporter
from wuxiao.documents.services import retry_export, run_export_job, start_export, sweep_stale_jobs

ISSUERS = [
    "共青团柳州市委员会",
    "柳州市发展和改革委员会",
    "柳州市工业和信息化局",
    "柳州市科学技术局",
    "柳州市科学技术协会",
]


def booklet(identifier, campaign, user, ids, **params):
    params = {"campaign": campaign.pk, "projects": ids, **params}
    return get_exporter(identifier).render(campaign, user=user, params=params)


def test_word_booklet_cover_contents_and_chapters(city_projects, campaign, alice_committee):
    ids = [city_projects["b"].pk, city_projects["known"].pk]
    rendered = booklet("booklet.docx", campaign, alice_committee, ids)
    assert rendered.filename == "优秀项目案例集-2024.docx"
    doc = docx(rendered.content)
    texts = [p.text for p in doc.paragraphs if p.text]
    assert texts[:3] == ["2024年柳州市青年岗位科技“五小”竞赛活动", "优秀项目案例集", "2024年"]
    assert texts[3:8] == ISSUERS
    assert texts[9] == "目　　录"
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["1. 反应釜温控优化", "2. 数控车床自动送料装置的改进"]
    facts = doc.tables[1]
    # No results are published yet: no 获奖情况 line that would read as "no award".
    assert [row_texts(facts, r) for r in range(len(facts.rows))] == [
        ["项目单位", "示例机械有限公司"],
        ["项目负责人", "蔡柔"],
        ["主要研究人员", "韦小敏、覃海"],
        ["项目类别", "其他（环保）"],
        ["成果形式", "小改造"],
        ["经济效益", "12.50万元"],
    ]
    parts = [p.text for p in doc.paragraphs if p.style.name == "Heading 2"]
    assert parts == ["立项理由", "立项内容", "立项措施", "立项效益"] * 2
    assert "原送料方式依靠人工，效率低且存在安全隐患。" in texts
    assert len(doc.inline_shapes) == 2  # the known project's two photos; the PDF attachment is not a picture
    assert "现场照片1" in texts and "现场照片2" in texts
    # 目录: one line per chapter with a PAGEREF to the chapter's bookmark (LibreOffice and WPS
    # print the numbers; Word refreshes them on opening); page numbers in the footer.
    body = doc.element.body.xml
    assert texts[10:12] == ["1. 反应釜温控优化\t", "2. 数控车床自动送料装置的改进\t"]
    assert "PAGEREF _Toc_chapter_1" in body and 'w:name="_Toc_chapter_2"' in body
    assert "w:updateFields" in doc.settings.element.xml
    assert "PAGE" in doc.sections[0].footer.paragraphs[0]._p.xml


def test_booklet_pictures_follow_the_choice(city_projects, campaign, alice_committee):
    known = city_projects["known"]
    doc = docx(booklet("booklet.docx", campaign, alice_committee, [known.pk], images_per_project=1).content)
    assert len(doc.inline_shapes) == 1
    second = known.attachments.order_by("id")[1]
    doc = docx(booklet("booklet.docx", campaign, alice_committee, [known.pk], attachments=[second.pk]).content)
    assert len(doc.inline_shapes) == 1
    assert "现场照片2" in [p.text for p in doc.paragraphs] and "现场照片1" not in [p.text for p in doc.paragraphs]


def test_pdf_booklet_has_numbered_contents(city_projects, campaign, alice_committee):
    ids = [city_projects["b"].pk, city_projects["known"].pk]
    reader = pdf(booklet("booklet.pdf", campaign, alice_committee, ids).content)
    cover, contents = squash(reader.pages[0].extract_text()), squash(reader.pages[1].extract_text())
    assert cover.startswith(squash("2024年柳州市青年岗位科技“五小”竞赛活动 优秀项目案例集 2024年"))
    assert all(issuer in cover for issuer in ISSUERS)
    assert contents.startswith("目录")
    # Chapter 1 starts on page 3, chapter 2 on page 4 (chapter 1 has no pictures).
    assert "1.反应釜温控优化示例化工有限公司" in contents and contents.split("示例化工有限公司")[1].lstrip(
        "."
    ).startswith("3")
    assert squash(reader.pages[3].extract_text()).startswith("2.数控车床自动送料装置的改进")
    drawn = [drawn_images(page) for page in reader.pages]
    assert drawn[:3] == [0, 0, 0] and sum(drawn[3:]) == 2  # both photos in chapter 2
    text = squash(pdf_text(booklet("booklet.pdf", campaign, alice_committee, ids).content))
    assert "立项措施组建攻关小组，分三步试制与验证。" in text and "图2-1现场照片1" in text


def test_booklet_leaves_out_projects_the_user_cannot_see(city_projects, campaign, dan_district_admin):
    # (The exporter refuses a district admin anyway; its rows are still scoped.)
    ids = [city_projects["b"].pk, city_projects["known"].pk]
    doc = docx(booklet("booklet.docx", campaign, dan_district_admin, ids).content)
    assert [p.text for p in doc.paragraphs if p.style.name == "Heading 1"] == ["1. 数控车床自动送料装置的改进"]
    assert get_exporter("booklet.docx").may_export(dan_district_admin, campaign) is False


def test_job_runs_and_file_downloads(
    city_projects, campaign, alice_committee, client_for, django_capture_on_commit_callbacks
):
    client = client_for(alice_committee)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("console:documents_booklet"),
            {"project": [city_projects["known"].pk, city_projects["b"].pk], "format": "pdf", "images": "1"},
        )
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("console:documents_job", args=[job.pk])
    assert (job.status, job.progress, job.exporter, job.filename) == (
        JobStatus.DONE,
        100,
        "booklet.pdf",
        "优秀项目案例集-2024.pdf",
    )
    assert job.params == {
        "campaign": campaign.pk,
        "projects": [city_projects["known"].pk, city_projects["b"].pk],
        "images_per_project": 1,
    }
    assert job.task_id
    page = client.get(reverse("console:documents_job", args=[job.pk])).content.decode()
    assert (
        "已完成" in page
        and reverse("console:documents_job_download", args=[job.pk]) in page
        and "hx-trigger" not in page
    )
    download = client.get(reverse("console:documents_job_download", args=[job.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert "attachment" in download["Content-Disposition"]
    assert "1.数控车床自动送料装置的改进" in squash(pdf_text(download.content))


def test_unfinished_job_is_polled_by_htmx(alice_committee, campaign, client_for):
    job = ExportJob.objects.create(
        created_by=alice_committee,
        exporter="booklet.pdf",
        params={"campaign": campaign.pk},
        progress=40,
        status=JobStatus.RUNNING,
    )
    fragment = client_for(alice_committee).get(reverse("console:documents_job", args=[job.pk]), HTTP_HX_REQUEST="true")
    html = fragment.content.decode()
    assert 'hx-trigger="every 2s"' in html and 'value="40"' in html and "生成中" in html and "<nav" not in html
    assert client_for(alice_committee).get(reverse("console:documents_job_download", args=[job.pk])).status_code == 404


def test_job_fails_with_a_message_when_permission_is_gone(campaign, dan_district_admin, city_projects):
    job = ExportJob.objects.create(
        created_by=dan_district_admin, exporter="booklet.pdf", params={"campaign": campaign.pk, "projects": []}
    )
    job = run_export_job(job_id=job.pk)
    assert job.status == JobStatus.FAILED and job.error == "PermissionDenied: 无权导出该文件：权限已变更"
    assert not job.result


@pytest.mark.django_db(transaction=True)
def test_database_queue_keeps_the_job_until_a_worker_runs_it(settings, tmp_path):
    """The database backend stores the task; a worker started later (after a restart) runs it."""
    from tests.factories import UserFactory, campaign_2024, grant
    from wuxiao.campaigns.services import committee_organisation

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    campaign = campaign_2024()
    user = UserFactory(username="office")
    grant(user, committee_organisation())
    job = start_export(by=user, exporter="booklet.docx", params={"campaign": campaign.pk, "projects": []})
    from django_tasks_db.models import DBTaskResult

    assert DBTaskResult.objects.filter(status="READY").count() == 1
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED and job.task_id
    call_command("db_worker", max_tasks=1, startup_delay=False, reload=False, interval=0.1, verbosity=0)
    job.refresh_from_db()
    assert (job.status, job.progress, job.filename) == (JobStatus.DONE, 100, "优秀项目案例集-2024.docx")
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_award_line_appears_once_results_exist():
    from wuxiao.documents.exporters.booklet import Chapter, with_awards

    def chapter(award):
        return Chapter(1, "p-1", "项目", "单位", "负责人", "", award, "机械", "小革新", "", [])

    before = with_awards([chapter(""), chapter("")])
    assert all("获奖情况" not in dict(c.facts) for c in before)
    after = with_awards([chapter("一等奖"), chapter("")])
    assert [dict(c.facts).get("获奖情况") for c in after] == ["一等奖", ""]


def running_job(user, campaign, *, minutes_ago):
    return ExportJob.objects.create(
        created_by=user,
        exporter="booklet.docx",
        params={"campaign": campaign.pk, "projects": []},
        status=JobStatus.RUNNING,
        progress=35,
        started_at=timezone.now() - timedelta(minutes=minutes_ago),
    )


def test_a_job_whose_worker_died_is_marked_failed_and_can_be_retried(
    alice_committee, campaign, client_for, django_capture_on_commit_callbacks
):
    stale = running_job(alice_committee, campaign, minutes_ago=31)
    fresh = running_job(alice_committee, campaign, minutes_ago=5)
    client = client_for(alice_committee)
    page = client.get(reverse("console:documents_job", args=[stale.pk])).content.decode()
    stale.refresh_from_db()
    assert stale.status == JobStatus.FAILED and stale.finished_at is not None
    assert stale.error == "生成超时：开始后 30 分钟仍未完成，后台任务进程可能已停止。请点击“重新生成”。"
    assert "hx-trigger" not in page and "重新生成" in page
    assert reverse("console:documents_job_retry", args=[stale.pk]) in page
    # A job still within its time keeps running and polling.
    assert "hx-trigger" in client.get(reverse("console:documents_job", args=[fresh.pk])).content.decode()
    fresh.refresh_from_db()
    assert fresh.status == JobStatus.RUNNING

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("console:documents_job_retry", args=[stale.pk]))
    new = ExportJob.objects.exclude(pk__in=[stale.pk, fresh.pk]).get()
    assert response.status_code == 302 and response.url == reverse("console:documents_job", args=[new.pk])
    assert (new.exporter, new.params, new.status) == ("booklet.docx", stale.params, JobStatus.DONE)
    # Only a failed job is retried.
    assert client.post(reverse("console:documents_job_retry", args=[fresh.pk])).status_code == 403


def test_only_who_started_a_job_may_retry_it(alice_committee, dan_district_admin, campaign, client_for):
    stale = running_job(alice_committee, campaign, minutes_ago=90)
    assert sweep_stale_jobs() == 1
    before = ExportJob.objects.count()
    assert (
        client_for(dan_district_admin).post(reverse("console:documents_job_retry", args=[stale.pk])).status_code == 404
    )
    assert client_for(alice_committee).get(reverse("console:documents_job_retry", args=[stale.pk])).status_code == 405
    with pytest.raises(PermissionDenied):
        retry_export(job=stale, by=dan_district_admin)
    assert ExportJob.objects.count() == before


def test_the_sweep_command_and_every_worker_run_sweep_stale_jobs(alice_committee, campaign, settings):
    settings.WUXIAO_EXPORT_TIMEOUT_MINUTES = 10
    first = running_job(alice_committee, campaign, minutes_ago=11)
    second = running_job(alice_committee, campaign, minutes_ago=9)
    out = io.StringIO()
    call_command("sweep_export_jobs", stdout=out)
    assert out.getvalue().strip() == "已将 1 个超过 10 分钟未完成的导出任务标记为失败"
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (JobStatus.FAILED, JobStatus.RUNNING)
    ExportJob.objects.filter(pk=second.pk).update(started_at=timezone.now() - timedelta(minutes=20))
    queued = ExportJob.objects.create(
        created_by=alice_committee, exporter="booklet.docx", params={"campaign": campaign.pk, "projects": []}
    )
    assert run_export_job(job_id=queued.pk).status == JobStatus.DONE
    second.refresh_from_db()
    assert second.status == JobStatus.FAILED


def test_pdf_booklet_drawn_in_parts_numbers_pages_across_them(city_projects, campaign, alice_committee, monkeypatch):
    """The booklet is laid out a few chapters at a time (memory); the contents and the page
    numbers still run across the parts."""
    from wuxiao.documents.exporters import booklet as module

    monkeypatch.setattr(module, "BATCH", 1)
    ids = [city_projects["known"].pk, city_projects["b"].pk, city_projects["a2"].pk]
    reader = pdf(booklet("booklet.pdf", campaign, alice_committee, ids, images_per_project=2).content)
    pages = [squash(page.extract_text()) for page in reader.pages]
    contents = reader.pages[1].extract_text().splitlines()
    starts = [int(squash(line).rsplit(".", 1)[1]) for line in contents if "示例" in line]
    assert len(starts) == 3 and starts[0] == 3 and starts[0] < starts[1] < starts[2] <= len(pages)
    for number, name in zip(
        starts, ["1.数控车床自动送料装置的改进", "2.反应釜温控优化", "3.电路板检测工装"], strict=True
    ):
        assert name in pages[number - 1]
    for number in range(2, len(pages) + 1):
        assert pages[number - 1].endswith(str(number)) or pages[number - 1].split(str(number))[-1] == ""
    assert sum(drawn_images(page) for page in reader.pages) == 2


def test_the_committee_s_booklet_prints_each_award_once_the_results_are_published(
    campaign, alice_committee, unit_a, unit_b
):
    """Before the results are published the 获奖情况 line is left out (an empty one would read
    as "no award"); once published, each chapter prints its project's published award."""
    from tests.awards.test_services import forwarded, propose
    from wuxiao.awards import services as awards
    from wuxiao.awards.models import Award, AwardLevel

    projects = forwarded(campaign, unit_a, 6) + forwarded(campaign, unit_b, 4, start=6)
    ids = [p.pk for p in projects]

    def awards_printed():
        """The 获奖情况 of each chapter's facts table, in booklet order (None: no such line)."""
        content = (
            get_exporter("booklet.docx")
            .render(
                campaign,
                user=alice_committee,
                params={"campaign": campaign.pk, "projects": ids, "images_per_project": 0},
            )
            .content
        )
        printed = []
        for table in docx(content).tables:
            cells = [c.text for row in table.rows for c in row.cells]
            if "项目负责人" in cells:
                printed.append(cells[cells.index("获奖情况") + 1] if "获奖情况" in cells else None)
        return printed

    propose(campaign, alice_committee, projects, specials=0)
    awards.lock_results(campaign=campaign, by=alice_committee)
    assert awards_printed() == [None] * 10  # decided, not yet published
    awards.publish_results(campaign=campaign, by=alice_committee)
    won = dict(Award.objects.exclude(level=AwardLevel.NONE).values_list("project_id", "level"))
    assert len(won) == 8
    assert awards_printed() == [AwardLevel(won[i]).label if i in won else "" for i in ids]
