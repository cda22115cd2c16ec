"""案例集 online: the committee generates the 优秀项目案例集 from the public entries (a background
export), publishes it, and anyone downloads it from the results page — only once published, only
while current, and never with a draft, an unpublished project or an unpublished field in it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tests.awards.test_services import forwarded, propose
from tests.documents.helpers import docx, pdf_text, squash
from tests.factories import stored_file
from tests.showcase.test_public import PHONE, city, crawl  # noqa: F401  (city is a fixture)
from wuxiao.audit.models import AuditEntry
from wuxiao.awards import services
from wuxiao.documents.models import ExportJob, JobStatus
from wuxiao.documents.registry import get_exporter
from wuxiao.documents.services import start_export
from wuxiao.projects.models import Attachment, FilePurpose
from wuxiao.publication import services as publishing
from wuxiao.publication.models import PublicBooklet

SECRETS = (PHONE, "138****9999", "1995-03-12", "1995年3月12日", "1995.3.12", "1996-07-21", "1996.7.21")


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}


def png() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (320, 200), (40, 120, 200)).save(out, "PNG")
    return out.getvalue()


def docx_text(content: bytes) -> str:
    document = docx(content)
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return squash("\n".join([p.text for p in document.paragraphs] + cells))


def generate(client, campaign, fmt, capture):
    with capture(execute=True):
        response = client.post(
            reverse("console:publication_booklet"), {"campaign": campaign.pk, "action": "generate", "format": fmt}
        )
    job = ExportJob.objects.latest("pk")
    assert response.status_code == 302 and response.url == reverse("console:documents_job", args=[job.pk])
    assert job.status == JobStatus.DONE, job.error
    return job


def publish(client, campaign, job):
    return client.post(
        reverse("console:publication_booklet"), {"campaign": campaign.pk, "action": "publish", "job": job.pk}
    )


def download_url(campaign, fmt="docx"):
    return reverse("showcase:booklet", args=[campaign.slug, fmt])


@pytest.fixture
def curated(request, alice_committee):
    """The committee hides one prize, withholds one team's names and shows one project without a prize."""
    made = request.getfixturevalue("city")
    projects = made["projects"]
    entry = dict(by=alice_committee, summary="", show_team=True, show_benefit=False)
    publishing.save_entry(project=projects[1], **{**entry, "visible": False})
    publishing.save_entry(
        project=projects[2], **{**entry, "visible": True, "summary": "公开简介：送料装置改进。", "show_team": False}
    )
    photo = Attachment.objects.create(
        project=projects[9],
        stored=stored_file(
            projects[9], FilePurpose.ATTACHMENT, f"现场-{PHONE}.png", png(), "image/png", projects[9].leader
        ),
    )
    publishing.save_entry(
        project=projects[9], **{**entry, "visible": True, "summary": "虽未获奖，推广价值突出。"}, images=[photo]
    )
    return made


def test_the_public_downloads_the_published_booklet_with_public_content_only(
    client, client_for, curated, campaign, alice_committee, django_capture_on_commit_callbacks
):
    committee = client_for(alice_committee)
    job = generate(committee, campaign, "docx", django_capture_on_commit_callbacks)
    assert job.params["public"] is True
    assert client.get(download_url(campaign)).status_code == 404  # generated is not published
    with django_capture_on_commit_callbacks(execute=True):
        assert publish(committee, campaign, job).status_code == 302
    client.logout()
    response = client.get(download_url(campaign))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;") and "2024.docx" in response["Content-Disposition"]
    content = b"".join(response.streaming_content)
    text = docx_text(content)
    assert len(docx(content).inline_shapes) == 1  # the one chosen picture, printed without its file name
    for shown in (
        "项目00",
        "项目02",
        "项目07",
        "项目09",
        "负责人0",
        "韦一鸣",
        "公开简介：送料装置改进。",
        "虽未获奖，推广价值突出。",
        "项目简介",
    ):
        assert shown in text, shown
    for hidden in (
        "项目01",
        "项目08",
        "草稿里的秘密项目",
        "单位尚未上报的项目",
        "负责人2",
        "立项理由",
        "18.50",
        *SECRETS,
    ):
        assert hidden not in text, hidden
    entry = AuditEntry.objects.get(action="publication.booklet")
    assert (entry.actor, entry.target_id, entry.note) == (alice_committee, str(campaign.pk), "发布优秀项目案例集")
    # The results page and the gallery link it; a visitor finds it by clicking from the home page.
    pages = crawl(client)
    assert download_url(campaign) in pages[reverse("showcase:results", args=[campaign.slug])]
    assert download_url(campaign) in pages[reverse("showcase:gallery", args=[campaign.slug])]


def test_a_draft_or_unpublished_project_never_enters_the_public_booklet_even_when_named(
    curated, campaign, alice_committee
):
    """Asked for by id, a draft, a project the unit has not forwarded, a project without a prize
    that was not made public and a hidden prize are all left out: the public booklet is drawn from
    publication.queries alone."""
    projects = curated["projects"]
    named = [curated["draft"].pk, curated["waiting"].pk, projects[8].pk, projects[1].pk, projects[0].pk]
    params = {"campaign": campaign.pk, "public": True, "projects": named}
    text = squash(pdf_text(get_exporter("booklet.pdf").render(campaign, user=alice_committee, params=params).content))
    assert "项目00" in text and "负责人0" in text
    for hidden in ("草稿里的秘密项目", "单位尚未上报的项目", "项目08", "项目01", "立项内容", *SECRETS):
        assert hidden not in text, hidden


def test_nothing_is_public_before_the_results_are(
    client_for, client, campaign, alice_committee, unit_a, django_capture_on_commit_callbacks
):
    projects = forwarded(campaign, unit_a, 4)
    propose(campaign, alice_committee, projects, specials=0)
    services.lock_results(campaign=campaign, by=alice_committee)
    committee = client_for(alice_committee)
    response = committee.post(
        reverse("console:publication_booklet"), {"campaign": campaign.pk, "action": "generate", "format": "pdf"}
    )
    assert response.status_code == 302 and not ExportJob.objects.exists()
    page = committee.get(response.url).content.decode()
    assert "评审结果发布后才能生成公开的优秀项目案例集" in page
    # Even a public-mode job started by hand has no chapters and cannot be published.
    with django_capture_on_commit_callbacks(execute=True):
        job = start_export(
            by=alice_committee, exporter="booklet.docx", params={"campaign": campaign.pk, "public": True}
        )
    job.refresh_from_db()
    assert "项目00" not in docx_text(job.result.read())
    with pytest.raises(ValidationError) as exc:
        publishing.publish_booklet(job=job, by=alice_committee)
    assert exc.value.messages == ["评审结果发布后才能发布优秀项目案例集"]
    assert client.get(download_url(campaign)).status_code == 404


def test_only_a_public_finished_booklet_can_be_published(
    curated, campaign, alice_committee, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        full = start_export(
            by=alice_committee, exporter="booklet.docx",
            params={"campaign": campaign.pk, "projects": [p.pk for p in curated["projects"]]},
        )  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        publishing.publish_booklet(job=ExportJob.objects.get(pk=full.pk), by=alice_committee)
    assert exc.value.messages == ["只能发布按公开内容生成的优秀项目案例集"]
    queued = ExportJob.objects.create(
        created_by=alice_committee, exporter="booklet.pdf", params={"campaign": campaign.pk, "public": True}
    )
    with pytest.raises(ValidationError) as exc:
        publishing.publish_booklet(job=queued, by=alice_committee)
    assert exc.value.messages == ["案例集尚未生成完成，不能发布"]
    assert not PublicBooklet.objects.exists()


def test_a_change_to_the_public_content_pauses_the_download_until_republished(
    client, client_for, curated, campaign, alice_committee, django_capture_on_commit_callbacks
):
    committee = client_for(alice_committee)
    first = generate(committee, campaign, "pdf", django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        publish(committee, campaign, first)
    old_file = PublicBooklet.objects.get().file
    storage, old_name = old_file.storage, old_file.name
    assert client.get(download_url(campaign, "pdf")).status_code == 200
    # The committee hides a project: the booklet that holds it stops being offered at once.
    with django_capture_on_commit_callbacks(execute=True):
        publishing.save_entry(
            project=curated["projects"][0],
            by=alice_committee,
            visible=False,
            summary="",
            show_team=True,
            show_benefit=False,
        )
    client.logout()
    assert client.get(download_url(campaign, "pdf")).status_code == 404
    assert (
        download_url(campaign, "pdf")
        not in client.get(reverse("showcase:results", args=[campaign.slug])).content.decode()
    )
    committee = client_for(alice_committee)
    page = committee.get(f"{reverse('console:publication')}?campaign={campaign.pk}").content.decode()
    assert "已暂停：生成后公开内容有修改" in page
    second = generate(committee, campaign, "pdf", django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        publish(committee, campaign, second)
    assert PublicBooklet.objects.count() == 1 and not storage.exists(old_name)
    client.logout()
    response = client.get(download_url(campaign, "pdf"))
    assert response.status_code == 200
    assert "项目00" not in squash(pdf_text(b"".join(response.streaming_content)))
    committee = client_for(alice_committee)
    booklet = PublicBooklet.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        committee.post(
            reverse("console:publication_booklet"),
            {"campaign": campaign.pk, "action": "withdraw", "booklet": booklet.pk},
        )
    assert not PublicBooklet.objects.exists() and not storage.exists(booklet.file.name)
    client.logout()
    assert client.get(download_url(campaign, "pdf")).status_code == 404


@pytest.mark.parametrize("who", ["bob_unit_admin", "dan_district_admin", "dave_expert", "carol_applicant", "mallory"])
def test_only_the_committee_generates_publishes_or_withdraws(
    request, client_for, curated, campaign, alice_committee, who, django_capture_on_commit_callbacks
):
    committee = client_for(alice_committee)
    job = generate(committee, campaign, "docx", django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        publish(committee, campaign, job)
    booklet = PublicBooklet.objects.get()
    before = (
        ExportJob.objects.count(),
        booklet.file.name,
        AuditEntry.objects.filter(action="publication.booklet").count(),
    )
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        publishing.publish_booklet(job=job, by=user)
    with pytest.raises(PermissionDenied):
        publishing.withdraw_booklet(booklet=booklet, by=user)
    client = client_for(user)
    url = reverse("console:publication_booklet")
    for data in (
        {"action": "generate", "format": "pdf"},
        {"action": "publish", "job": job.pk},
        {"action": "withdraw", "booklet": booklet.pk},
    ):
        assert client.post(url, {"campaign": campaign.pk, **data}).status_code == 403
    booklet.refresh_from_db()
    assert before == (
        ExportJob.objects.count(),
        booklet.file.name,
        AuditEntry.objects.filter(action="publication.booklet").count(),
    )


def test_anonymous_is_sent_to_sign_in(client, curated, campaign):
    response = client.post(
        reverse("console:publication_booklet"), {"campaign": campaign.pk, "action": "generate", "format": "pdf"}
    )
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not ExportJob.objects.exists()


def test_publication_page_queries_do_not_grow_with_booklet_jobs(client_for, curated, campaign, alice_committee):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(alice_committee)
    url = f"{reverse('console:publication')}?campaign={campaign.pk}"

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    ExportJob.objects.create(
        created_by=alice_committee, exporter="booklet.pdf", params={"campaign": campaign.pk, "public": True}
    )
    few = count()
    for _ in range(4):
        ExportJob.objects.create(
            created_by=alice_committee, exporter="booklet.docx", params={"campaign": campaign.pk, "public": True}
        )
    assert count() == few


def test_a_damaged_picture_is_left_out_not_fatal(curated, campaign, alice_committee):
    damaged = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR" + b"garbage!" * 20  # a PNG by its first bytes only
    project = curated["projects"][9]
    broken = Attachment.objects.create(
        project=project,
        stored=stored_file(project, FilePurpose.ATTACHMENT, "坏图.png", damaged, "image/png", project.leader),
    )
    publishing.save_entry(
        project=project, by=alice_committee, visible=True, summary="", show_team=True, show_benefit=False,
        images=[broken, *project.public_entry.images.all()],
    )  # fmt: skip
    params = {"campaign": campaign.pk, "public": True}
    content = get_exporter("booklet.docx").render(campaign, user=alice_committee, params=params).content
    assert "项目09" in docx_text(content) and len(docx(content).inline_shapes) == 1


def test_a_lost_file_answers_not_found(
    client, client_for, curated, campaign, alice_committee, django_capture_on_commit_callbacks
):
    committee = client_for(alice_committee)
    job = generate(committee, campaign, "pdf", django_capture_on_commit_callbacks)
    publish(committee, campaign, job)
    booklet = PublicBooklet.objects.get()
    booklet.file.storage.delete(booklet.file.name)
    client.logout()
    assert client.get(download_url(campaign, "pdf")).status_code == 404
