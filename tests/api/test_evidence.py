"""成果证明材料 through the API: the leader uploads (multipart), lists, downloads and deletes the
result's evidence files in 成果收集 before submitting, with the checks of the web's 提交成果
(workflow._store_evidence: kind by content, size, at most 10 files) and its stage binding;
the team, advisors and unit admins read them; everyone else is refused as on the web."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.api.conftest import messages
from tests.projects.files import pdf_bytes
from tests.unitflow import PNG, open_stage
from wuxiao.audit.models import AuditEntry
from wuxiao.projects import uploads, workflow
from wuxiao.projects.models import FilePurpose, StoredFile, TeamMember
from wuxiao.projects.states import ProjectState as S

pytestmark = pytest.mark.django_db


def pdf(name="测试报告.pdf", data=None):
    return SimpleUploadedFile(name, data if data is not None else pdf_bytes(), content_type="application/pdf")


def image(name="现场照片.png"):
    return SimpleUploadedFile(name, PNG, content_type="image/png")


@pytest.fixture
def project(world, campaign):
    open_stage(campaign, "collection")
    return world["accepted"]


def path(project, tail=""):
    return f"/projects/{project.pk}/result/evidence{tail}"


def upload(api, project, *files):
    return api.client.post(f"/api{path(project)}", {"files": list(files)}, **api.headers)


def evidence(project):
    return list(StoredFile.objects.filter(project=project, purpose=FilePurpose.RESULT_EVIDENCE).order_by("id"))


def test_the_leader_uploads_lists_downloads_and_deletes(api_as, project, carol_applicant):
    api = api_as(carol_applicant)
    response = upload(api, project, pdf(), image())
    assert response.status_code == 201, response.content
    assert [(f["name"], f["content_type"]) for f in response.json()] == [
        ("测试报告.pdf", "application/pdf"),
        ("现场照片.png", "image/png"),
    ]
    stored = evidence(project)
    assert [f.pk for f in stored] == [f["id"] for f in response.json()]
    assert all(f.file.name.startswith("evidence/") and f.uploaded_by == carol_applicant for f in stored)
    assert AuditEntry.objects.filter(action="project.evidence_add").count() == 1

    assert [f["name"] for f in api.get(path(project)).json()] == ["测试报告.pdf", "现场照片.png"]
    download = api.get(path(project, f"/{stored[1].pk}"))
    assert (download.status_code, download["Content-Type"]) == (200, "image/png")
    assert b"".join(download.streaming_content) == PNG

    assert api.delete(path(project, f"/{stored[0].pk}")).status_code == 204
    assert [f.name for f in evidence(project)] == ["现场照片.png"]

    submitted = api.post(f"/projects/{project.pk}/result", {"economic_benefit": "12.5"})
    assert submitted.status_code == 200
    assert [f["name"] for f in submitted.json()["result_evidence"]] == ["现场照片.png"]


def test_the_same_checks_as_the_webs_submission(api_as, project, carol_applicant):
    api = api_as(carol_applicant)
    fake = pdf("应用证明.pdf", b"MZ\x90\x00 not a pdf")
    with pytest.raises(ValidationError) as web:
        uploads.check_upload(pdf("应用证明.pdf", b"MZ\x90\x00 not a pdf"))
    refused = upload(api, project, fake)
    assert (refused.status_code, messages(refused)) == (422, web.value.messages)

    eleven = upload(api, project, *[pdf(f"报告{i}.pdf") for i in range(11)])
    assert messages(eleven) == ["成果证明材料最多 10 个，已有 0 个，本次又选择了 11 个"]
    one_bad = upload(api, project, pdf(), pdf("空.pdf", b""))
    assert one_bad.status_code == 422 and "空.pdf" in messages(one_bad)[0]
    assert evidence(project) == []  # a refused file stores none of the others

    nothing = api.client.post(f"/api{path(project)}", {}, **api.headers)
    assert nothing.status_code == 422


def test_bound_to_the_collection_stage_and_to_a_result_not_yet_submitted(api_as, world, campaign, carol_applicant):
    project = world["accepted"]  # the world is in stage 2 (立项)
    api = api_as(carol_applicant)
    early = upload(api, project, pdf())
    assert early.status_code == 422
    assert messages(early)[0].startswith("成果收集阶段（") and messages(early)[0].endswith("，不能上传成果证明材料")

    open_stage(campaign, "collection")
    stored = upload(api, project, pdf()).json()[0]
    api.post(f"/projects/{project.pk}/result", {"economic_benefit": "3"})
    project.refresh_from_db()
    assert project.state == S.RESULT_WORKSHOP
    late = upload(api, project, image())
    assert messages(late) == ["项目当前状态为“待（车间/分厂/科室/子公司）意见”，成果已提交审核，不能再上传成果证明材料"]
    kept = api.delete(path(project, f"/{stored['id']}"))
    assert messages(kept) == ["项目当前状态为“待（车间/分厂/科室/子公司）意见”，成果证明材料已提交审核，不能删除"]
    assert len(evidence(project)) == 1


@pytest.mark.parametrize("who", ["bob_unit_admin", "grace_member", "advisor"])
def test_only_the_leader_writes_others_who_see_the_work_read(request, api_as, project, carol_applicant, advisors, who):
    TeamMember.objects.create(
        project=project,
        name="葛格",
        gender="F",
        birth_date=date(1997, 5, 1),
        education="college",
        user=request.getfixturevalue("grace_member"),
    )
    stored = workflow.add_result_evidence(project=project, by=carol_applicant, files=[pdf()])[0]
    user = advisors[0] if who == "advisor" else request.getfixturevalue(who)
    api = api_as(user)
    assert [f["id"] for f in api.get(path(project)).json()] == [stored.pk]
    assert api.get(path(project, f"/{stored.pk}")).status_code == 200
    refused = upload(api, project, image())
    assert (refused.status_code, messages(refused)) == (403, ["只有项目负责人可以上传成果证明材料"])
    gone = api.delete(path(project, f"/{stored.pk}"))
    assert (gone.status_code, messages(gone)) == (403, ["只有项目负责人可以删除成果证明材料"])  # the web's words
    assert evidence(project) == [stored]


@pytest.mark.parametrize("who", ["mallory", "eve_other_unit_admin", "dave_expert"])
def test_outsiders_see_nothing(request, api_as, project, carol_applicant, who):
    stored = workflow.add_result_evidence(project=project, by=carol_applicant, files=[pdf()])[0]
    api = api_as(request.getfixturevalue(who))
    for response in (
        api.get(path(project)),
        api.get(path(project, f"/{stored.pk}")),
        upload(api, project, image()),
        api.delete(path(project, f"/{stored.pk}")),
    ):
        assert response.status_code == 404
    assert evidence(project) == [stored]


def test_a_read_only_token_reads_only(api_as, project, carol_applicant):
    stored = workflow.add_result_evidence(project=project, by=carol_applicant, files=[pdf()])[0]
    api = api_as(carol_applicant, scope="read")
    assert api.get(path(project)).status_code == 200
    assert upload(api, project, image()).status_code == 403
    assert api.delete(path(project, f"/{stored.pk}")).status_code == 403
    assert evidence(project) == [stored]


def test_another_projects_file_is_not_found(api_as, world, project, carol_applicant):
    other = world["workshop"]
    stored = StoredFile.objects.create(
        project=other, purpose=FilePurpose.RESULT_EVIDENCE, name="x.pdf", content_type="application/pdf", size=1
    )
    api = api_as(carol_applicant)
    assert api.get(path(project, f"/{stored.pk}")).status_code == 404
    assert api.delete(path(project, f"/{stored.pk}")).status_code == 404
    assert StoredFile.objects.filter(pk=stored.pk).exists()
