"""Work records, advisors' comments and the opinion chain through the API."""

import pytest

from tests.api.conftest import messages
from tests.unitflow import PNG, open_stage
from wuxiao.projects.models import Opinion, WorkRecord, WorkRecordComment
from wuxiao.projects.states import ProjectState as S

pytestmark = pytest.mark.django_db


def record_body(**overrides):
    return {"date": "2024-08-15", "done": "完成送料机构样机装配并试运行 2 小时", **overrides}


@pytest.fixture(autouse=True)
def _collection_open(world, campaign):
    """Work records, advisors' comments and opinions are acts of stages 3–4: today is in 成果收集."""
    open_stage(campaign, "collection")


def test_team_writes_work_records(api_as, world, carol_applicant, bob_unit_admin, mallory):
    path = f"/projects/{world['accepted'].pk}/work-records"
    created = api_as(carol_applicant).post(path, record_body())
    assert created.status_code == 201
    assert created.json()["created_by"] == "蔡柔"
    assert api_as(bob_unit_admin).get(path).json()["count"] == 1  # the unit's admin reads them
    refused = api_as(bob_unit_admin).post(path, record_body())
    assert refused.status_code == 403 and messages(refused) == ["只有项目组成员可以填写工作记录"]
    assert api_as(mallory).get(path).status_code == 404
    assert api_as(mallory).post(path, record_body()).status_code == 404
    assert WorkRecord.objects.count() == 1


def test_work_record_rules(api_as, world, carol_applicant):
    api = api_as(carol_applicant)
    future = api.post(f"/projects/{world['accepted'].pk}/work-records", record_body(date="2999-01-01"))
    assert messages(future) == ["工作记录日期 2999-01-01 晚于今天"]
    impossible = api.post(f"/projects/{world['accepted'].pk}/work-records", record_body(date="2023-02-30"))
    assert messages(impossible) == ["date：不存在的日期：2023-02-30（2023 年 2 月只有 28 天）"]
    year_one = api.post(f"/projects/{world['accepted'].pk}/work-records", record_body(date="0001-01-01"))
    starts = world["accepted"].campaign.starts_on.isoformat()
    assert messages(year_one) == [f"工作记录日期 0001-01-01 早于本届活动开始日期 {starts}，请检查年份"]
    blank = api.post(f"/projects/{world['accepted'].pk}/work-records", record_body(done="  "))
    assert messages(blank) == ["工作内容必须填写"]
    # no records before the project is accepted
    assert api.get(f"/projects/{world['submitted'].pk}/work-records").status_code == 404


def admin_reads(api, path) -> int:
    return api.get(path).status_code


def test_work_records_with_files_checked_as_on_the_page(api_as, world, carol_applicant, bob_unit_admin):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.projects.files import pdf_bytes

    api = api_as(carol_applicant)
    path = f"/api/projects/{world['accepted'].pk}/work-records/with-files"
    photo = SimpleUploadedFile("现场照片.png", PNG, content_type="image/png")
    report = SimpleUploadedFile("试运行记录.pdf", pdf_bytes(), content_type="application/pdf")
    created = api.client.post(path, {**record_body(), "files": [photo, report]}, **api.headers)
    assert created.status_code == 201, created.content
    assert created.json()["files"] == ["现场照片.png", "试运行记录.pdf"]
    assert WorkRecord.objects.get().files.count() == 2
    record_id, first = created.json()["id"], created.json()["attachments"][0]
    assert (first["name"], first["content_type"]) == ("现场照片.png", "image/png")
    files = f"/projects/{world['accepted'].pk}/work-records/{record_id}/files"
    download = api.get(f"{files}/{first['id']}")
    assert (download.status_code, b"".join(download.streaming_content)) == (200, PNG)
    assert admin_reads(api_as(bob_unit_admin), f"{files}/{first['id']}") == 200  # the unit's admin reads them
    assert api.get(f"{files}/999999").status_code == 404

    fake = SimpleUploadedFile("记录.pdf", b"MZ not a pdf", content_type="application/pdf")
    refused = api.client.post(path, {**record_body(), "files": [fake]}, **api.headers)
    assert messages(refused) == ["附件“记录.pdf”不是 PNG、JPG 图片或 PDF 文件（按文件内容检查），请重新上传"]
    admin = api_as(bob_unit_admin)
    photo.seek(0)
    not_team = admin.client.post(path, {**record_body(), "files": [photo]}, **admin.headers)
    assert (not_team.status_code, messages(not_team)) == (403, ["只有项目组成员可以填写工作记录"])
    assert WorkRecord.objects.count() == 1


def test_advisor_comments_and_signs_off(api_as, world, carol_applicant, advisors):
    project = world["accepted"]
    record_id = api_as(carol_applicant).post(f"/projects/{project.pk}/work-records", record_body()).json()["id"]
    path = f"/projects/{project.pk}/work-records/{record_id}/comments"
    refused = api_as(carol_applicant).post(path, {"text": "自己签字"})
    assert refused.status_code == 403 and messages(refused) == ["只有该项目的技术顾问可以填写指导意见"]
    done = api_as(advisors[0]).post(path, {"text": "定位销改用淬火钢", "sign_off": True})
    assert done.status_code == 201
    assert done.json()["signed_off"] is True
    comment = WorkRecordComment.objects.get()
    assert (comment.advisor, comment.text) == (advisors[0], "定位销改用淬火钢")


def test_work_record_list_query_count_does_not_grow(api_as, world, carol_applicant):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    api = api_as(carol_applicant)
    path = f"/projects/{world['accepted'].pk}/work-records"
    api.post(path, record_body())

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert api.get(path).status_code == 200
        return len(ctx)

    few = count()
    for _ in range(8):
        api.post(path, record_body())
    assert count() == few


def stamp():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("seal.png", PNG, content_type="image/png")


def test_workshop_gives_its_opinion(api_as, world, walt_workshop, carol_applicant, mallory):
    project = world["workshop"]
    path = f"/api/projects/{project.pk}/opinions"

    def post(user, data):
        client = api_as(user)
        return client.client.post(path, data, **client.headers)

    refused = post(carol_applicant, {"decision": "approve", "text": "同意", "stamp": stamp()})
    assert refused.status_code == 403
    assert messages(refused) == ["该项目当前待（车间/分厂/科室/子公司）意见，不是您负责的审核环节"]
    assert post(mallory, {"decision": "approve", "text": "同意", "stamp": stamp()}).status_code == 404
    no_stamp = post(walt_workshop, {"decision": "approve", "text": "同意"})
    assert messages(no_stamp) == ["同意时必须上传盖章（印章图片或签字页扫描件，PNG/JPG/PDF）"]
    done = post(walt_workshop, {"decision": "approve", "text": "情况属实，同意推荐", "stamp": stamp()})
    assert done.status_code == 201
    assert done.json()["has_stamp"] is True and done.json()["step"] == "workshop"
    project.refresh_from_db()
    assert project.state == S.RESULT_TECH
    listed = api_as(carol_applicant).get(f"/projects/{project.pk}/opinions").json()
    assert [o["text"] for o in listed] == ["情况属实，同意推荐"]
    assert api_as(mallory).get(f"/projects/{project.pk}/opinions").status_code == 404
    assert Opinion.objects.count() == 1


def test_opinion_stamp_is_checked_by_content(api_as, world, walt_workshop):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = api_as(walt_workshop)
    fake = SimpleUploadedFile("seal.png", b"not an image at all", content_type="image/png")
    response = client.client.post(
        f"/api/projects/{world['workshop'].pk}/opinions",
        {"decision": "approve", "text": "同意", "stamp": fake},
        **client.headers,
    )
    assert response.status_code == 422
    assert messages(response) == ["盖章文件“seal.png”不是 PNG、JPG 图片或 PDF 文件（按文件内容检查），请重新上传"]
    assert not Opinion.objects.exists()
