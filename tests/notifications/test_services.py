"""deliver(): one inbox row per person, e-mail only once the change is committed."""

import pytest
from django.core import mail
from django.db import transaction

from tests.factories import UserFactory
from wuxiao.notifications import messages
from wuxiao.notifications.models import Notification
from wuxiao.notifications.services import deliver, mark_read, send_email_only, unread_count


@pytest.fixture
def people(db):
    return [
        UserFactory(username="a", email="a@example.com"),
        UserFactory(username="b", email=""),
        UserFactory(username="c", email="c@example.com"),
    ]


def test_one_inbox_row_per_recipient(people, django_capture_on_commit_callbacks):
    a, b, c = people
    with django_capture_on_commit_callbacks(execute=True):
        notes = deliver(
            recipients=[a, b, c, a, None],
            kind="project.returned",
            title="项目已退回",
            body="请修改后重新提交。",
            url="/me/",
        )
    assert len(notes) == 3
    rows = Notification.objects.order_by("recipient__username")
    assert [(n.recipient.username, n.kind, n.title, n.body, n.url, n.read_at) for n in rows] == [
        (u, "project.returned", "项目已退回", "请修改后重新提交。", "/me/", None) for u in ["a", "b", "c"]
    ]


def test_email_goes_out_only_on_commit(people, django_capture_on_commit_callbacks):
    a, b, c = people
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        deliver(recipients=[a, b, c], kind="x", title="项目已退回", body="请修改。", url="/me/")
    assert mail.outbox == []
    assert len(callbacks) == 1
    callbacks[0]()
    # one message per address, so nobody sees the others' addresses; b gave none
    assert [(m.to, m.subject, m.body, m.from_email) for m in mail.outbox] == [
        (["a@example.com"], "【五小竞赛】项目已退回", "请修改。\n\nhttp://127.0.0.1:8000/me/", "wuxiao@localhost"),
        (["c@example.com"], "【五小竞赛】项目已退回", "请修改。\n\nhttp://127.0.0.1:8000/me/", "wuxiao@localhost"),
    ]


def test_without_a_link_the_mail_is_the_body(people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        deliver(recipients=[people[0]], kind="x", title="通知", body="正文")
    assert mail.outbox[0].body == "正文"


def test_rolled_back_change_sends_nothing(people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            deliver(recipients=people, kind="x", title="不会发出")
            raise RuntimeError("the change failed")
    assert mail.outbox == []
    assert Notification.objects.count() == 0


def test_nobody_with_an_address_schedules_no_mail(people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        deliver(recipients=[people[1]], kind="x", title="站内通知")
    assert callbacks == []
    assert Notification.objects.count() == 1


def test_send_email_only_waits_for_commit(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        send_email_only(to="new@example.com", title="邀请您加入五小竞赛平台", body="链接")
    assert mail.outbox == []
    callbacks[0]()
    assert [(m.to, m.subject) for m in mail.outbox] == [(["new@example.com"], "【五小竞赛】邀请您加入五小竞赛平台")]


def test_unread_count_and_mark_read(people):
    a, b, _ = people
    notes = deliver(recipients=[a], kind="x", title="1") + deliver(recipients=[a], kind="x", title="2")
    deliver(recipients=[b], kind="x", title="b 的")
    assert unread_count(a) == 2
    assert mark_read(user=a, notification_ids=[notes[0].pk]) == 1
    assert unread_count(a) == 1
    assert mark_read(user=b, notification_ids=[notes[1].pk]) == 0  # not b's
    assert mark_read(user=a) == 1
    assert (unread_count(a), unread_count(b)) == (0, 1)


def test_welcome_message(carol_applicant):
    membership = carol_applicant.memberships.get()
    messages.welcome(membership)
    note = Notification.objects.get(recipient=carol_applicant)
    assert (note.kind, note.title, note.body, note.url) == (
        "people.welcome",
        "您已加入示例机械有限公司团委",
        "您在“示例机械有限公司团委”的角色：申报人。",
        "/me/",
    )
