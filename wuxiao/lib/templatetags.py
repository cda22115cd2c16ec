"""Template filters available in every template (registered as builtins in settings)."""

from django import forms, template
from django.utils.safestring import mark_safe

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
def form_field(field):
    """One 申报表 field — label, input, help and errors — drawn by the Jinja2 template
    portal/projects/_field.html through the form renderer's Jinja2 engine (which draws the
    widgets too): an `{% include %}` of a Django template per field cost the page ~5 ms."""
    from django.forms.renderers import get_default_renderer

    engine = get_default_renderer().widget_engine
    radio = getattr(field.field.widget, "input_type", "") == "radio"
    context = {"field": field, "widget": "" if radio else bs(field)}
    return mark_safe(engine.get_template("portal/projects/_field.html").render(context))


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
