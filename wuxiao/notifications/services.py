"""Delivering notifications: the in-app inbox and e-mail."""

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db import connection, transaction
from django.utils import timezone

from wuxiao.notifications.models import Notification
from wuxiao.people.permissions import forget

SUBJECT_PREFIX = "【五小竞赛】"


def _send_each(subject: str, body: str, addresses: list[str]) -> None:
    """One message per address, so recipients never see each other's addresses."""
    send_mass_mail([(f"{SUBJECT_PREFIX}{subject}", body, None, [address]) for address in addresses], fail_silently=True)


def deliver(*, recipients: Iterable, kind: str, title: str, body: str = "", url: str = "") -> list[Notification]:
    """Put a message in each recipient's inbox (once per person, however often they are
    named), and e-mail those who gave an address once the surrounding transaction commits
    (a rolled-back change sends nothing)."""
    people = list({r.pk: r for r in recipients if r is not None}.values())
    for person in people:
        _forget_unread(person)
    notes = Notification.objects.bulk_create(
        [Notification(recipient=r, kind=kind, title=title, body=body, url=url) for r in people]
    )
    emails = list(dict.fromkeys(r.email for r in people if r.email))
    if emails:
        link = f"\n\n{settings.SITE_URL}{url}" if url else ""
        transaction.on_commit(lambda: _send_each(title, f"{body}{link}", emails))
    return notes


def send_email_only(*, to: str, title: str, body: str) -> None:
    """For people who have no account yet (an invitation)."""
    transaction.on_commit(lambda: _send_each(title, body, [to]))


# The signed-in user is read with their unread count (people.backends.USER_ANNOTATIONS,
# registered in NotificationsConfig.ready): the navigation shows it on every page.
UNREAD_ATTRIBUTE = "unread_notifications"


def unread_count_expression():
    """The user's unread count as a column of the user's own query (one query, not two);
    raw SQL, like people.permissions.administers_expression, for its compile cost."""
    from django.db.models import IntegerField
    from django.db.models.expressions import RawSQL

    quote = connection.ops.quote_name
    table, user_table = quote(Notification._meta.db_table), quote(get_user_model()._meta.db_table)
    return RawSQL(
        f"SELECT COUNT(*) FROM {table} WHERE {table}.{quote('recipient_id')} = {user_table}.{quote('id')}"
        f" AND {table}.{quote('read_at')} IS NULL",
        (),
        output_field=IntegerField(),
    )


def unread_count(user) -> int:
    known = getattr(user, UNREAD_ATTRIBUTE, None)
    if known is not None:
        return known
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def _forget_unread(user) -> None:
    """After a change to the user's unread notifications within the request."""
    forget(user, UNREAD_ATTRIBUTE)


def mark_read(*, user, notification_ids=None) -> int:
    """Mark the user's own unread notifications read: all of them, or those listed."""
    _forget_unread(user)
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=notification_ids)
    return qs.update(read_at=timezone.now())
