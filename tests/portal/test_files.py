"""The one stored-file model and its one permission-checked download: attachments,
work-record files and opinion stamps are all StoredFiles, downloaded under a safe display
name (no bidi or control characters, RFC 5987 header) by whoever may see the project."""

import re
from datetime import date

import pytest
from django.urls import reverse

from tests.factories import UserFactory
from tests.projects.files import pdf_bytes
from tests.unitflow import PNG, assign, make_advisor, make_project, open_stage, png
from wuxiao.projects import workflow
from wuxiao.projects.models import FilePurpose, Opinion, StoredFile
from wuxiao.projects.states import ProjectState as S

pytestmark = pytest.mark.django_db

RLO = "\u202e"


@pytest.fixture
def working(campaign, unit_a, carol_applicant):
    advisors = [make_advisor(unit_a, "覃工"), make_advisor(unit_a, "韦工")]
    project = make_project(campaign, unit_a, carol_applicant, state=S.ACCEPTED, level="key", name="送料装置改进")
    assign(project, *advisors)
    return project, advisors


def test_a_work_record_file_is_stored_with_a_safe_name_and_downloaded_by_the_people_of_the_project(
    client_for, working, carol_applicant, bob_unit_admin
):
    project, advisors = working
    open_stage(project.campaign, "work")
    work = workflow.add_work_record(
        project=project, by=carol_applicant, on=date.today(), done="装配", files=[png(f"照片{RLO}gnp.exe", PNG)]
    )
    stored = work.files.get().stored
    assert (stored.purpose, stored.name, stored.project_id) == (FilePurpose.WORK_RECORD, "照片gnp.exe", project.pk)
    url = reverse("portal:file_download", args=[stored.pk])

    page = client_for(carol_applicant).get(reverse("portal:work", args=[project.pk])).content.decode()
    assert f'href="{url}"' in page and "/media/" not in page
    for user in (carol_applicant, advisors[0], bob_unit_admin):
        response = client_for(user).get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PNG
        assert response["Content-Type"] == "image/png"
        assert response["Content-Disposition"] == "attachment; filename*=utf-8''%E7%85%A7%E7%89%87gnp.exe"
        assert RLO not in response["Content-Disposition"]
        assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("who", ["eve_other_unit_admin", "dave_expert", "mallory"])
def test_outsiders_cannot_download_any_kind_of_file(request, client_for, working, carol_applicant, who):
    project, _ = working
    files = [
        StoredFile.objects.create(
            project=project,
            purpose=purpose,
            file=f"x/{purpose}.pdf",
            name="a.pdf",
            content_type="application/pdf",
            size=1,
        )
        for purpose in FilePurpose.values
    ]
    client = client_for(request.getfixturevalue(who))
    for stored in files:
        assert client.get(reverse("portal:file_download", args=[stored.pk])).status_code == 404
        assert client.head(reverse("portal:file_download", args=[stored.pk])).status_code == 404


def test_a_stamp_is_linked_and_downloadable_from_the_opinion_pages(
    client_for, working, carol_applicant, bob_unit_admin
):
    project, _ = working
    open_stage(project.campaign, "collection")
    walt = UserFactory(real_name="吴车间")
    from tests.factories import Role, grant

    grant(walt, project.unit, Role.WORKSHOP)
    project = workflow.submit_result(project=project, by=carol_applicant)
    workflow.give_opinion(project=project, by=walt, decision="approve", text="同意", stamp=png("scan.pdf", pdf_bytes()))
    stamp = Opinion.objects.get(project=project).stamp
    assert (stamp.purpose, stamp.name, stamp.content_type) == (FilePurpose.STAMP, "盖章-吴车间.pdf", "application/pdf")
    url = reverse("portal:file_download", args=[stamp.pk])
    page = client_for(bob_unit_admin).get(reverse("console:project_detail", args=[project.pk]))
    assert f'href="{url}"' in page.content.decode()
    response = client_for(bob_unit_admin).get(url)
    with stamp.file.open("rb") as f:
        assert response.status_code == 200 and b"".join(response.streaming_content) == f.read()
    assert response["Content-Disposition"].startswith("attachment; filename*=utf-8''")


def test_no_page_links_to_media(client_for, working, carol_applicant):
    project, _ = working
    open_stage(project.campaign, "work")
    workflow.add_work_record(
        project=project, by=carol_applicant, on=date.today(), done="装配", files=[png("a.png", PNG)]
    )
    for url in (reverse("portal:work", args=[project.pk]), reverse("portal:project_detail", args=[project.pk])):
        text = client_for(carol_applicant).get(url).content.decode()
        assert not re.search(r'href="/media/', text), url
