"""The audit log can be read in the Django admin but never added to, edited or deleted."""

import pytest

from tests.factories import UserFactory
from wuxiao.audit.models import AuditEntry
from wuxiao.audit.services import record

ADMIN = "/django-admin/audit/auditentry/"


@pytest.fixture
def superuser_client(client, db):
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(root, backend="wuxiao.people.backends.UsernameOrMobileBackend")
    return client


@pytest.fixture
def entry(db):
    target = UserFactory(username="weixm", real_name="韦小敏")
    return record(
        by=None, action="user.profile", target=target, before={"real_name": "韦小敏"}, after={"real_name": "韦晓敏"}
    )


def test_list_is_readable(superuser_client, entry):
    response = superuser_client.get(ADMIN)
    assert response.status_code == 200
    text = response.content.decode()
    assert "user.profile" in text
    assert "审计记录" in text


def test_nothing_can_be_added(superuser_client, entry):
    assert superuser_client.get(f"{ADMIN}add/").status_code == 403
    assert superuser_client.post(f"{ADMIN}add/", {"action": "forged"}).status_code == 403
    assert AuditEntry.objects.count() == 1


def test_an_entry_cannot_be_changed(superuser_client, entry):
    page = superuser_client.get(f"{ADMIN}{entry.pk}/change/")
    assert page.status_code == 200  # shown read-only
    assert 'name="action"' not in page.content.decode()
    assert not page.context["has_change_permission"]
    response = superuser_client.post(f"{ADMIN}{entry.pk}/change/", {"action": "forged", "note": "改过"})
    assert response.status_code == 403
    entry.refresh_from_db()
    assert (entry.action, entry.note) == ("user.profile", "")


def test_an_entry_cannot_be_deleted(superuser_client, entry):
    assert superuser_client.get(f"{ADMIN}{entry.pk}/delete/").status_code == 403
    assert superuser_client.post(f"{ADMIN}{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    response = superuser_client.post(
        ADMIN, {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"}
    )
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
    assert response.status_code == 200  # the list again: no such action here
    assert "delete_selected" not in superuser_client.get(ADMIN).content.decode()


def test_non_staff_cannot_open_the_admin(client_for, mallory, entry):
    response = client_for(mallory).get(ADMIN)
    assert response.status_code == 302
    assert response["Location"].startswith("/django-admin/login/")


def test_a_snapshot_is_plain_json_whatever_the_field_types(campaign):
    """Dates, decimals, ids of related rows and UUIDs (the campaign's stages_version) all
    become JSON values, so any model can be recorded."""
    import json

    from wuxiao.audit.services import snapshot

    data = snapshot(campaign)
    assert json.loads(json.dumps(data)) == data
    assert data["stages_version"] == str(campaign.stages_version)
    assert data["starts_on"] == campaign.starts_on.isoformat()
