from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from wuxiao.audit.models import AuditEntry
from wuxiao.audit.services import record
from wuxiao.console import urls as console_urls

pytestmark = pytest.mark.django_db

LOG = reverse("console:audit_log")


def entries(response):
    return [(e.actor_name, e.action) for e in response.context["page"]]


def at(day: str):
    return timezone.make_aware(datetime.fromisoformat(day + " 10:00"))


@pytest.fixture
def log(alice_committee, bob_unit_admin, unit_a):
    AuditEntry.objects.all().delete()  # the fixtures' own set-up entries
    made = [
        record(
            by=alice_committee,
            action="organisation.update",
            target=unit_a,
            before={"name": "旧"},
            after={"name": "新名称"},
        ),
        record(by=bob_unit_admin, action="invitation.create", target=unit_a),
        record(by=bob_unit_admin, action="membership.revoke", target=unit_a),
    ]
    for entry, day in zip(made, ("2026-03-01", "2026-03-05", "2026-03-09"), strict=True):
        AuditEntry.objects.filter(pk=entry.pk).update(created_at=at(day))
    return made


def test_committee_reads_the_log_with_before_and_after(client_for, alice_committee, log):
    response = client_for(alice_committee).get(LOG)
    assert response.status_code == 200
    assert entries(response) == [
        ("卜波", "membership.revoke"),
        ("卜波", "invitation.create"),
        ("艾丽", "organisation.update"),
    ]
    text = response.content.decode()
    assert "<dt>名称</dt><dd>旧 → 新名称</dd>" in text


def test_the_log_speaks_chinese_names_states_and_yes_no(client_for, alice_committee, campaign, unit_a, carol_applicant):
    from tests.unitflow import make_advisor, make_project
    from wuxiao.projects.states import ProjectState

    AuditEntry.objects.all().delete()
    project = make_project(campaign, unit_a, carol_applicant)
    advisor = make_advisor(unit_a, "覃工")
    record(
        by=alice_committee,
        action=f"project.{ProjectState.RETURNED}",
        target=project,
        before={"state": "submitted"},
        after={"state": "returned"},
    )
    record(by=alice_committee, action="project.advisor_add", target=project, after={"advisor": advisor.pk})
    record(
        by=alice_committee,
        action="project.save_draft",
        target=project,
        before={"patent_filed": None, "leader_gender": ""},
        after={"patent_filed": True, "leader_gender": "F"},
    )
    response = client_for(alice_committee).get(LOG)
    text = response.content.decode()
    assert "退回修改</td>" in text
    assert "<dt>状态</dt><dd>已提交（待单位审核） → 退回修改</dd>" in text
    assert "<dt>技术顾问</dt><dd>覃工</dd>" in text and f"advisor: {advisor.pk}" not in text
    assert "<dt>是否已经申报专利</dt><dd>（空） → 是</dd>" in text
    assert "<dt>负责人性别</dt><dd>（空） → 女</dd>" in text
    assert "true" not in text.split('id="audit"')[1] and "null" not in text.split('id="audit"')[1]
    choices = dict(response.context["filters"].fields["action"].choices)
    assert choices["project.returned"] == "退回修改" and choices["project.advisor_add"] == "指派技术顾问"
    assert all(not label.isascii() for label in choices.values())  # every action has a Chinese name


def test_filters_by_action_actor_and_dates(client_for, alice_committee, log):
    client = client_for(alice_committee)
    assert entries(client.get(LOG, {"action": "invitation.create"})) == [("卜波", "invitation.create")]
    assert entries(client.get(LOG, {"actor": "艾"})) == [("艾丽", "organisation.update")]
    assert entries(client.get(LOG, {"date_from": "2026-03-02", "date_to": "2026-03-08"})) == [
        ("卜波", "invitation.create")
    ]
    assert entries(client.get(LOG, {"date_from": "2026-03-05"})) == [
        ("卜波", "membership.revoke"),
        ("卜波", "invitation.create"),
    ]
    response = client.get(LOG, {"date_from": "2026-03-09", "date_to": "2026-03-01"})
    assert "开始日期 2026-03-09 晚于结束日期 2026-03-01" in response.content.decode()


@pytest.mark.parametrize("who", ["bob_unit_admin", "eve_other_unit_admin", "carol_applicant", "mallory"])
def test_only_the_committee_and_districts_read_the_log(client_for, request, log, who):
    assert client_for(request.getfixturevalue(who)).get(LOG).status_code == 403


def test_a_district_reads_the_log_of_its_own_subtree(
    client_for, dan_district_admin, alice_committee, log, unit_a, unit_b, district, campaign
):
    from tests.factories import UserFactory
    from tests.unitflow import make_project

    theirs = record(by=alice_committee, action="organisation.update", target=unit_b)
    project = make_project(campaign, unit_a, UserFactory())
    ours = record(by=alice_committee, action="project.return", target=project)
    record(by=alice_committee, action="campaign.load", target=campaign)  # the committee's own
    assert (ours.organisation_path, theirs.organisation_path) == (unit_a.path, unit_b.path)
    client = client_for(dan_district_admin)
    response = client.get(LOG)
    assert entries(response) == [
        ("艾丽", "project.return"),
        ("卜波", "membership.revoke"),
        ("卜波", "invitation.create"),
        ("艾丽", "organisation.update"),
    ]
    assert "campaign.load" not in response.content.decode()
    assert reverse("console:audit_log") in client.get(reverse("console:home")).content.decode()
    assert len(entries(client_for(alice_committee).get(LOG))) == 7  # with unit_b's creation


def test_the_log_cannot_be_changed_from_the_console(client_for, alice_committee, log):
    client = client_for(alice_committee)
    for method in (client.post, client.put, client.delete):
        assert method(LOG, {"action": "x"}).status_code == 405
    assert AuditEntry.objects.count() == 3
    assert [str(p.pattern) for p in console_urls.urlpatterns if "audit" in str(p.pattern)] == ["audit/"]


def test_audit_list_is_paginated_and_query_count_does_not_grow(client_for, alice_committee, unit_a, count_queries):
    client = client_for(alice_committee)
    AuditEntry.objects.all().delete()
    for _ in range(2):
        record(by=alice_committee, action="organisation.update", target=unit_a, before={"a": 1}, after={"a": 2})
    few = count_queries(lambda: client.get(LOG))
    for _ in range(60):
        record(by=alice_committee, action="organisation.update", target=unit_a, before={"a": 1}, after={"a": 2})
    many = count_queries(lambda: client.get(LOG))
    assert many == few
    page = client.get(LOG).context["page"]
    assert (len(page.object_list), page.paginator.count) == (50, 62)
