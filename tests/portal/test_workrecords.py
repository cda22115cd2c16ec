"""Portal pages of 项目攻关: the team's work records, advisors' comments, the result."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory
from tests.unitflow import assign, make_advisor, make_project, open_stage, png
from wuxiao.projects.models import Project, TeamMember, WorkRecord, WorkRecordComment
from wuxiao.projects.states import ProjectState as S

pytestmark = pytest.mark.django_db


@pytest.fixture
def leader(unit_a):
    return UserFactory(username="lena", real_name="黎娜")


@pytest.fixture
def project(campaign, unit_a, leader, advisors):
    p = make_project(campaign, unit_a, leader, state=S.ACCEPTED, level="key", name="送料装置改进")
    assign(p, *advisors)
    return p


@pytest.fixture
def record(project, leader):
    return WorkRecord.objects.create(project=project, date=date(2024, 8, 1), done="样机装配", created_by=leader)


def urls(project, record):
    return [
        ("get", reverse("portal:work", args=[project.pk])),
        ("post", reverse("portal:work", args=[project.pk])),
        ("post", reverse("portal:work_comment", args=[project.pk, record.pk])),
        ("post", reverse("portal:work_result", args=[project.pk])),
    ]


DATA = {"date": "2024-08-02", "done": "x", "text": "好", "sign_off": "on", "economic_benefit": "3"}


@pytest.mark.parametrize("who", ["eve_other_unit_admin", "carol_applicant", "dave_expert", "mallory"])
def test_outsiders_see_nothing(request, client_for, project, record, who):
    client = client_for(request.getfixturevalue(who))
    for method, url in urls(project, record):
        response = getattr(client, method)(url, DATA if method == "post" else None)
        assert response.status_code == 404, url
    assert client.get(reverse("portal:my_work")).content.decode().count("送料装置改进") == 0
    assert WorkRecord.objects.count() == 1 and WorkRecordComment.objects.count() == 0
    assert Project.objects.get(pk=project.pk).state == S.ACCEPTED


def test_unit_admin_reads_but_does_not_write(client_for, project, record, bob_unit_admin):
    client = client_for(bob_unit_admin)
    assert client.get(reverse("portal:work", args=[project.pk])).status_code == 200
    for _method, url in urls(project, record)[1:]:
        assert client.post(url, DATA).status_code == 403, url
    assert WorkRecord.objects.count() == 1


def test_team_member_keeps_a_record_with_a_file(client_for, project, leader, advisors):
    open_stage(project.campaign, "work")
    member = UserFactory(real_name="组员甲")
    TeamMember.objects.create(
        project=project, name="组员甲", gender="M", birth_date=date(1998, 1, 1), education="bachelor", user=member
    )
    client = client_for(member)
    today = timezone.localdate()
    response = client.post(
        reverse("portal:work", args=[project.pk]),
        {
            "date": today.isoformat(),
            "done": "完成送料定位测试",
            "problems": "误差偏大",
            "next_steps": "换定位销",
            "files": [png("测试照片.png")],
        },
    )
    assert response.status_code == 302
    work = WorkRecord.objects.get(done="完成送料定位测试")
    assert (work.date, work.created_by, work.files.get().original_name) == (today, member, "测试照片.png")
    text = client.get(reverse("portal:work", args=[project.pk])).content.decode()
    assert "完成送料定位测试" in text and "测试照片.png" in text


def test_future_dates_and_bad_files_are_refused(client_for, project, leader):
    open_stage(project.campaign, "work")
    client = client_for(leader)
    url = reverse("portal:work", args=[project.pk])
    tomorrow = timezone.localdate() + timezone.timedelta(days=1)
    response = client.post(url, {"date": tomorrow.isoformat(), "done": "x"})
    assert response.status_code == 400
    assert f"工作记录日期 {tomorrow:%Y-%m-%d} 晚于今天" in response.content.decode()
    response = client.post(url, {"date": "2024-08-02", "done": "x", "files": [png("a.pdf", b"MZ\x90\x00")]})
    assert response.status_code == 400
    assert "不是 PNG、JPG 图片或 PDF 文件" in response.content.decode()
    assert WorkRecord.objects.count() == 0


def test_advisor_comments_and_signs_off(client_for, project, record, advisors, leader):
    open_stage(project.campaign, "work")
    client = client_for(advisors[0])
    response = client.post(
        reverse("portal:work_comment", args=[project.pk, record.pk]), {"text": "注意记录复测数据", "sign_off": "on"}
    )
    assert response.status_code == 302
    comment = WorkRecordComment.objects.get()
    assert (comment.advisor, comment.text, comment.signed_off) == (advisors[0], "注意记录复测数据", True)
    assert "已签字确认" in client.get(reverse("portal:work", args=[project.pk])).content.decode()
    # advisors don't write the team's records; the leader doesn't sign their own
    assert client.post(reverse("portal:work", args=[project.pk]), DATA).status_code == 403
    leader_client = client_for(leader)
    assert leader_client.post(reverse("portal:work_comment", args=[project.pk, record.pk]), DATA).status_code == 403


def test_result_submission_respects_the_stage(client_for, project, leader, campaign):
    client = client_for(leader)
    url = reverse("portal:work_result", args=[project.pk])
    response = client.post(url, {"economic_benefit": "15.5"})
    assert response.status_code == 400
    assert "成果收集阶段（2025-01-01 至 2025-02-28）已结束，不能提交成果" in response.content.decode()
    open_stage(campaign, "collection")
    assert client.post(url, {"economic_benefit": "15.5"}).status_code == 302
    project.refresh_from_db()
    assert (project.state, str(project.economic_benefit)) == (S.RESULT_WORKSHOP, "15.50")


def test_my_work_lists_led_and_advised_projects(client_for, project, leader, advisors):
    assert "送料装置改进" in client_for(leader).get(reverse("portal:my_work")).content.decode()
    text = client_for(advisors[1]).get(reverse("portal:my_work")).content.decode()
    assert "送料装置改进" in text and "我是技术顾问" in text


def count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_query_counts_do_not_grow(client_for, campaign, unit_a, leader, project, advisors):
    client = client_for(leader)

    def add(n):
        for _ in range(n):
            p = make_project(campaign, unit_a, leader, state=S.ACCEPTED, level="key")
            assign(p, make_advisor(unit_a))
            w = WorkRecord.objects.create(project=project, date=date(2024, 8, 1), done="记", created_by=leader)
            WorkRecordComment.objects.create(record=w, advisor=advisors[0], text="好")

    add(2)
    few = (count(client, reverse("portal:my_work")), count(client, reverse("portal:work", args=[project.pk])))
    add(16)
    assert (count(client, reverse("portal:my_work")), count(client, reverse("portal:work", args=[project.pk]))) == few
