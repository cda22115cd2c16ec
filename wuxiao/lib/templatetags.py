"""Template filters available in every template (registered as builtins in settings)."""

from django import forms, template

from wuxiao.lib.phones import mask_phone

register = template.Library()


@register.filter
def bs(field):
    """Render a bound field's widget with the Bootstrap class it needs."""
    widget = field.field.widget
    if isinstance(widget, (forms.CheckboxInput, forms.RadioSelect, forms.CheckboxSelectMultiple)):
        css = "form-check-input"
    elif isinstance(widget, forms.Select):
        css = "form-select"
    else:
        css = "form-control"
    if field.errors:
        css += " is-invalid"
    existing = widget.attrs.get("class", "")
    return field.as_widget(attrs={"class": f"{existing} {css}".strip()})


@register.filter
def is_checkbox(field):
    return isinstance(field.field.widget, forms.CheckboxInput)


@register.filter
def masked(phone):
    return mask_phone(phone or "")


@register.filter
def get_item(mapping, key):
    """`rows|get_item:project.pk`: a dict lookup in a template (None when absent)."""
    return mapping.get(key) if mapping else None
