"""Writing the audit log. Every service that changes data an admin owns calls `record`."""

from contextvars import ContextVar
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from django.db import models

from wuxiao.audit.models import AuditEntry

request_ip: ContextVar[str | None] = ContextVar("request_ip", default=None)


def _plain(value):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (Decimal, UUID)):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


def snapshot(obj: models.Model, fields=None) -> dict:
    """The concrete field values of a model instance, JSON-ready."""
    data = {}
    for field in obj._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        if field.name in {"password", "token_hash"}:
            continue
        data[field.name] = _plain(getattr(obj, field.attname))
    return data


def changes(before: dict, after: dict) -> tuple[dict, dict]:
    """Only the keys whose values differ."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def organisation_path(target: models.Model | None) -> str:
    """The organisation path an entry is filed under ("" = committee-only: campaigns, people)."""
    if target is None:
        return ""
    if target._meta.label_lower == "people.organisation":
        return target.path
    for name in ("unit", "organisation"):
        if any(f.name == name for f in target._meta.concrete_fields):
            org = getattr(target, name)
            return org.path if org is not None else ""
    return ""


def record(*, by, action: str, target: models.Model | None = None, before=None, after=None, note="") -> AuditEntry:
    return AuditEntry.objects.create(
        actor=by if getattr(by, "pk", None) else None,
        actor_name=(getattr(by, "display_name", "") or str(by or "系统"))[:100],
        ip_address=request_ip.get(),
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:200] if target is not None else "",
        before=before,
        after=after,
        note=note,
        organisation_path=organisation_path(target),
    )
