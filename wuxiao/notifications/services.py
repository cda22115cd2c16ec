"""Delivering notifications: the in-app inbox and e-mail."""

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from wuxiao.notifications.models import Notification


def deliver(*, recipients: Iterable, kind: str, title: str, body: str = "", url: str = "") -> list[Notification]:
    """Put a message in each recipient's inbox, and e-mail those who gave an address once
    the surrounding transaction commits (a rolled-back change sends nothing)."""
    recipients = [r for r in recipients if r is not None]
    notes = Notification.objects.bulk_create(
        [Notification(recipient=r, kind=kind, title=title, body=body, url=url) for r in recipients]
    )
    emails = [r.email for r in recipients if r.email]
    if emails:
        link = f"\n\n{settings.SITE_URL}{url}" if url else ""
        transaction.on_commit(
            lambda: send_mail(f"【五小竞赛】{title}", f"{body}{link}", None, emails, fail_silently=True)
        )
    return notes


def send_email_only(*, to: str, title: str, body: str) -> None:
    """For people who have no account yet (an invitation)."""
    transaction.on_commit(lambda: send_mail(f"【五小竞赛】{title}", body, None, [to], fail_silently=True))


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def mark_read(*, user, notification_ids=None) -> int:
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=notification_ids)
    return qs.update(read_at=timezone.now())
