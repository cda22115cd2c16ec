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
    assert "<dt>名称</dt><dd>旧</dd>" in text and "<dt>名称</dt><dd>新名称</dd>" in text


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


@pytest.mark.parametrize(
    "who", ["dan_district_admin", "bob_unit_admin", "eve_other_unit_admin", "carol_applicant", "mallory"]
)
def test_only_the_committee_reads_the_log(client_for, request, log, who):
    assert client_for(request.getfixturevalue(who)).get(LOG).status_code == 403


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
