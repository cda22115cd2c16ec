import json

from django import template
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist

register = template.Library()


def _label(model, key: str) -> str:
    if model is None:
        return key
    try:
        return str(model._meta.get_field(key).verbose_name)
    except FieldDoesNotExist:
        return key


@register.filter
def audit_lines(entry, which: str) -> list[tuple[str, str]]:
    """An audit entry's before/after as (field label, value) pairs, labelled with the target
    model's Chinese verbose names where there are any."""
    data = getattr(entry, which)
    if data is None:
        return []
    if not isinstance(data, dict):
        return [("", json.dumps(data, ensure_ascii=False))]
    try:
        model = apps.get_model(entry.target_type) if entry.target_type else None
    except (LookupError, ValueError):
        model = None
    return [
        (_label(model, key), value if isinstance(value, str) else json.dumps(value, ensure_ascii=False))
        for key, value in data.items()
    ]


@register.filter
def action_label(action: str) -> str:
    from wuxiao.console.labels import action_label as label

    return label(action)


@register.simple_tag(takes_context=True)
def console_nav(context) -> dict:
    """What the console navigation shows the signed-in admin, whichever view renders the
    page (admin organisations are cached on the user for the request)."""
    from wuxiao.people.permissions import can_import_units, is_committee_admin

    user = context["request"].user
    return {"is_committee": is_committee_admin(user), "can_import": can_import_units(user)}
