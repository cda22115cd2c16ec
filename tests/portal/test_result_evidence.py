"""提交成果 with 成果说明 and 成果证明材料 (issue 9): stored as StoredFiles checked by content,
downloaded through the one permission-checked view, read by the opinion givers before they
sign and shown on the console's project page; not printed in the 申报表 (SPEC lists no such
field there)."""

import pytest
from django.urls import reverse

from tests.factories import Role, UserFactory, grant
from tests.projects.files import pdf_bytes
from tests.unitflow import PNG, make_project, open_stage, png
from wuxiao.projects import workflow
from wuxiao.projects.models import FilePurpose, StoredFile
from wuxiao.projects.states import ProjectState as S

pytestmark = pytest.mark.django_db

DESCRIPTION = "送料装置已在 3 号线使用半年，单班产量提高 15%，年节约成本 12.5 万元。"


@pytest.fixture
def project(campaign, unit_a, carol_applicant):
    open_stage(campaign, "collection")
    return make_project(campaign, unit_a, carol_applicant, state=S.ACCEPTED, level="key", name="送料装置改进")


@pytest.fixture
def walt(unit_a):
    user = UserFactory(real_name="吴车间")
    grant(user, unit_a, Role.WORKSHOP)
    return user


def submit_with_evidence(project, leader):
    """The result submitted through the service, with one 测试报告.pdf as evidence."""
    workflow.submit_result(
        project=project,
        by=leader,
        economic_benefit=12,
        result_description=DESCRIPTION,
        evidence=[png("测试报告.pdf", pdf_bytes())],
    )


def submit(client, project, **extra):
    data = {"economic_benefit": "12.5", "result_description": DESCRIPTION, **extra}
    return client.post(reverse("portal:work_result", args=[project.pk]), data)


def test_the_leader_submits_description_and_evidence(client_for, project, carol_applicant):
    client = client_for(carol_applicant)
    form = client.get(reverse("portal:work", args=[project.pk])).content.decode()
    assert "成果说明" in form and "成果证明材料" in form and 'enctype="multipart/form-data"' in form

    response = submit(client, project, evidence=[png("测试报告.pdf", pdf_bytes()), png("现场照片.png", PNG)])
    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.state, project.result_description) == (S.RESULT_WORKSHOP, DESCRIPTION)
    files = project.result_evidence
    assert [(f.name, f.purpose, f.content_type) for f in files] == [
        ("测试报告.pdf", FilePurpose.RESULT_EVIDENCE, "application/pdf"),
        ("现场照片.png", FilePurpose.RESULT_EVIDENCE, "image/png"),
    ]
    assert all(f.file.name.startswith("evidence/") and "测试" not in f.file.name for f in files)
    assert project.events.last().note == "提交成果（成果证明材料 2 个）"


def test_validation_messages(client_for, project, carol_applicant, settings):
    client = client_for(carol_applicant)
    fake = submit(client, project, evidence=[png("应用证明.pdf", b"MZ\x90\x00 not a pdf")])
    assert fake.status_code == 400
    text = fake.content.decode()
    assert "文件“应用证明.pdf”的内容不是允许的类型（按文件内容检查，而非文件名）" in text

    empty = submit(client, project, evidence=[png("空.pdf", b"")])
    assert empty.status_code == 400

    settings.WUXIAO_UPLOAD_MAX_BYTES = 1024
    big = submit(client, project, evidence=[png("大.png", PNG + b"\0" * 2048)])
    assert "超过单个附件的上限" in big.content.decode()

    long = submit(client, project, result_description="很" * 3001)
    assert long.status_code == 400 and "3000" in long.content.decode()

    too_many = submit(client, project, evidence=[png(f"照片{i}.png", PNG) for i in range(11)])
    assert "成果证明材料最多 10 个，已有 0 个，本次又选择了 11 个" in too_many.content.decode()

    project.refresh_from_db()
    assert project.state == S.ACCEPTED and project.result_description == ""
    assert not StoredFile.objects.filter(purpose=FilePurpose.RESULT_EVIDENCE).exists()


def test_description_and_evidence_are_optional_per_spec(project, carol_applicant):
    project = workflow.submit_result(project=project, by=carol_applicant, economic_benefit=3)
    assert project.state == S.RESULT_WORKSHOP and project.result_evidence == []


def test_the_opinion_giver_reads_them_and_downloads_the_evidence(client_for, project, carol_applicant, walt):
    submit_with_evidence(project, carol_applicant)
    evidence = StoredFile.objects.get(purpose=FilePurpose.RESULT_EVIDENCE)
    url = reverse("portal:file_download", args=[evidence.pk])
    client = client_for(walt)
    page = client.get(reverse("console:unit_opinion", args=[project.unit_id, project.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert DESCRIPTION in html and f'href="{url}"' in html and "测试报告.pdf" in html
    assert 'id="no-result-evidence"' not in html
    download = client.get(url)
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"


def test_the_opinion_page_flags_a_result_without_description_or_evidence(client_for, project, carol_applicant, walt):
    workflow.submit_result(project=project, by=carol_applicant, economic_benefit=12)
    html = client_for(walt).get(reverse("console:unit_opinion", args=[project.unit_id, project.pk])).content.decode()
    assert 'id="no-result-evidence"' in html and 'id="result-evidence"' not in html


def test_the_console_project_page_shows_them(client_for, project, carol_applicant, bob_unit_admin, alice_committee):
    workflow.submit_result(
        project=project,
        by=carol_applicant,
        economic_benefit=12,
        result_description=DESCRIPTION,
        evidence=[png("应用证明.png", PNG)],
    )
    url = reverse("portal:file_download", args=[StoredFile.objects.get(purpose=FilePurpose.RESULT_EVIDENCE).pk])
    for user in (bob_unit_admin, alice_committee):
        html = client_for(user).get(reverse("console:project_detail", args=[project.pk])).content.decode()
        assert DESCRIPTION in html and f'href="{url}"' in html, user


@pytest.mark.parametrize("who", ["other_applicant", "eve_other_unit_admin", "dave_expert", "mallory"])
def test_outsiders_cannot_download_the_evidence(request, client, client_for, project, carol_applicant, unit_a, who):
    workflow.submit_result(
        project=project, by=carol_applicant, economic_benefit=12, evidence=[png("测试报告.pdf", pdf_bytes())]
    )
    evidence = StoredFile.objects.get(purpose=FilePurpose.RESULT_EVIDENCE)
    if who == "other_applicant":  # an applicant of the same unit, leading another project
        user = UserFactory(real_name="另一申报人")
        grant(user, unit_a, Role.APPLICANT)
        make_project(project.campaign, unit_a, user, state=S.ACCEPTED, name="另一个项目")
    else:
        user = request.getfixturevalue(who)
    url = reverse("portal:file_download", args=[evidence.pk])
    assert client_for(user).get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # anonymous: to the sign-in page


def test_only_the_leader_submits_evidence(project, carol_applicant, unit_a):
    from django.core.exceptions import PermissionDenied

    member = UserFactory(real_name="组员")
    grant(member, unit_a, Role.APPLICANT)
    with pytest.raises(PermissionDenied):
        workflow.submit_result(project=project, by=member, evidence=[png("x.png", PNG)])
    assert not StoredFile.objects.exists()


def test_the_leader_removes_evidence_only_while_the_result_is_theirs(client_for, project, carol_applicant, walt):
    client = client_for(carol_applicant)
    submit(client, project, evidence=[png("错的照片.png", PNG)])
    evidence = StoredFile.objects.get(purpose=FilePurpose.RESULT_EVIDENCE)
    url = reverse("portal:work_evidence_remove", args=[project.pk, evidence.pk])
    # Submitted: the opinion givers are reading it, it stays.
    client.post(url)
    assert StoredFile.objects.filter(pk=evidence.pk).exists()
    workflow.give_opinion(project=project, by=walt, decision="applicant", text="请补充应用证明")
    # Returned to the leader: others may not remove it, the leader may.
    assert client_for(walt).post(url).status_code == 403
    client = client_for(carol_applicant)
    page = client.get(reverse("portal:work", args=[project.pk])).content.decode()
    assert url in page
    assert client.post(url).status_code == 302
    assert not StoredFile.objects.filter(pk=evidence.pk).exists()
    from wuxiao.audit.models import AuditEntry

    assert AuditEntry.objects.filter(action="project.evidence_remove", target_id=str(project.pk)).exists()


def test_the_leaders_project_page_lists_the_evidence_once_the_result_is_in(client_for, project, carol_applicant):
    """The project page reads result evidence only for a project past 立项 (queries.ProjectShows.page):
    here it is, and listed."""
    submit_with_evidence(project, carol_applicant)
    evidence = StoredFile.objects.get(purpose=FilePurpose.RESULT_EVIDENCE)
    html = client_for(carol_applicant).get(reverse("portal:project_detail", args=[project.pk])).content.decode()
    assert DESCRIPTION in html and "测试报告.pdf" in html
    assert f'href="{reverse("portal:file_download", args=[evidence.pk])}"' in html
