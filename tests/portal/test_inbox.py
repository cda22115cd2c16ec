"""The inbox: one's own notifications only, unread count in the header, marking read."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import UserFactory
from wuxiao.notifications.models import Notification
from wuxiao.notifications.services import deliver

INBOX = "/me/inbox/"
MARK = "/me/inbox/read/"


@pytest.fixture
def weixm(db):
    return UserFactory(username="weixm", real_name="韦小敏", email="")


def notify(user, n=1, url="/me/profile/"):
    for i in range(n):
        deliver(recipients=[user], kind="test.note", title=f"通知{i + 1}", body=f"第一行\n第二行{i + 1}", url=url)
    return list(Notification.objects.filter(recipient=user).order_by("pk"))


def header_badge(response):
    text = response.content.decode()
    start = text.find('id="unread-count">')
    return None if start < 0 else text[start + len('id="unread-count">') : text.find("</span>", start)]


def test_anonymous_is_sent_to_sign_in(client, db):
    assert client.get(INBOX)["Location"] == f"/accounts/login/?next={INBOX}"
    assert client.post(MARK)["Location"] == f"/accounts/login/?next={MARK}"


def test_inbox_lists_own_notifications_only(client_for, weixm, mallory):
    notify(weixm, 2)
    deliver(recipients=[mallory], kind="test.note", title="马洛的私信")
    response = client_for(weixm).get(INBOX)
    text = response.content.decode()
    assert response.status_code == 200
    assert [n.title for n in response.context["page"]] == ["通知2", "通知1"]
    assert "马洛的私信" not in text
    assert "第一行\n第二行2" in text


def test_header_shows_the_unread_count(client_for, weixm):
    notes = notify(weixm, 3)
    client = client_for(weixm)
    assert header_badge(client.get("/me/")) == "3"
    notes[0].read_at = notes[0].created_at
    notes[0].save()
    assert header_badge(client.get("/")) == "2"


def test_no_badge_when_all_read(client_for, weixm):
    assert header_badge(client_for(weixm).get("/me/")) is None


def test_mark_one_read(client_for, weixm):
    notes = notify(weixm, 3)
    response = client_for(weixm).post(MARK, {"id": notes[1].pk})
    assert response.status_code == 302
    assert response["Location"] == INBOX
    assert [n.read_at is not None for n in Notification.objects.order_by("pk")] == [False, True, False]


def test_mark_all_read(client_for, weixm):
    notify(weixm, 3)
    client_for(weixm).post(MARK)
    assert Notification.objects.filter(read_at__isnull=True).count() == 0


def test_cannot_mark_someone_elses_notification(client_for, weixm, mallory):
    theirs = notify(mallory, 1)[0]
    notify(weixm, 1)
    client_for(weixm).post(MARK, {"id": theirs.pk})
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert Notification.objects.get(recipient=weixm).read_at is None


def test_garbage_ids_mark_nothing(client_for, weixm):
    notify(weixm, 2)
    response = client_for(weixm).post(MARK, {"id": ["abc", "1 OR 1=1"]})
    assert response.status_code == 302
    assert Notification.objects.filter(read_at__isnull=True).count() == 2


def test_mark_read_needs_post(client_for, weixm):
    notify(weixm, 1)
    assert client_for(weixm).get(MARK).status_code == 405
    assert Notification.objects.get().read_at is None


def test_opening_a_notification_marks_it_read_and_follows_its_link(client_for, weixm):
    note = notify(weixm, 1, url="/me/profile/")[0]
    response = client_for(weixm).get(f"/me/inbox/{note.pk}/")
    assert response.status_code == 302
    assert response["Location"] == "/me/profile/"
    note.refresh_from_db()
    assert note.read_at is not None


def test_opening_someone_elses_notification_is_404(client_for, weixm, mallory):
    theirs = notify(mallory, 1)[0]
    assert client_for(weixm).get(f"/me/inbox/{theirs.pk}/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_a_foreign_link_is_not_followed(client_for, weixm):
    note = notify(weixm, 1, url="https://evil.example.com/")[0]
    assert client_for(weixm).get(f"/me/inbox/{note.pk}/")["Location"] == INBOX


def test_inbox_paginates_twenty_per_page(client_for, weixm):
    notify(weixm, 25)
    client = client_for(weixm)
    assert len(client.get(INBOX).context["page"]) == 20
    second = client.get(INBOX + "?page=2")
    assert [n.title for n in second.context["page"]] == ["通知5", "通知4", "通知3", "通知2", "通知1"]
    assert "第 2 / 2 页，共 25 条" in second.content.decode()


def test_inbox_query_count_does_not_grow_with_rows(client_for, weixm):
    client = client_for(weixm)
    notify(weixm, 2)
    with CaptureQueriesContext(connection) as few:
        client.get(INBOX)
    notify(weixm, 18)
    with CaptureQueriesContext(connection) as many:
        client.get(INBOX)
    assert len(many) == len(few)
