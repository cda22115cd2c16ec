import json

from django import template

register = template.Library()


@register.filter
def audit_values(data) -> str:
    """An audit entry's before/after as "field: value" lines, Chinese left readable."""
    if not isinstance(data, dict):
        return json.dumps(data, ensure_ascii=False)
    return "\n".join(f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in data.items())
