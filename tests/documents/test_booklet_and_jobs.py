"""优秀项目案例集 and the background jobs that build it."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.documents.helpers import docx, drawn_images, pdf, pdf_text, row_texts, squash
from wuxiao.documents.models import ExportJob, JobStatus
from wuxiao.documents.registry import get_exporter
from wuxiao.documents.services import run_export_job, start_export

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
    assert [row_texts(facts, r) for r in range(7)] == [
        ["项目单位", "示例机械有限公司团委"],
        ["项目负责人", "蔡柔"],
        ["主要研究人员", "韦小敏、覃海"],
        ["获奖情况", ""],
        ["项目类别", "其他（环保）"],
        ["成果形式", "小改造"],
        ["经济效益", "12.50万元"],
    ]
    parts = [p.text for p in doc.paragraphs if p.style.name == "Heading 2"]
    assert parts == ["立项理由", "立项内容", "立项措施", "立项效益"] * 2
    assert "原送料方式依靠人工，效率低且存在安全隐患。" in texts
    assert len(doc.inline_shapes) == 2  # the known project's two photos; the PDF attachment is not a picture
    assert "现场照片1" in texts and "现场照片2" in texts
    assert "TOC" in doc.element.body.xml and "w:updateFields" in doc.settings.element.xml


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
    assert "1.反应釜温控优化示例化工有限公司团委" in contents and contents.split("示例化工有限公司团委")[1].lstrip(
        "."
    ).startswith("3")
    assert squash(reader.pages[3].extract_text()).startswith("2.数控车床自动送料装置的改进")
    assert [drawn_images(page) for page in reader.pages] == [0, 0, 0, 0, 2]
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
