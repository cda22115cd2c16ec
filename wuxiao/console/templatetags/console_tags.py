from django import template

register = template.Library()


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
