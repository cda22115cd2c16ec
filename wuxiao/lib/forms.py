"""Form rendering: every Django form renders with Bootstrap markup and Chinese errors."""

from django.forms.renderers import TemplatesSetting


class BootstrapRenderer(TemplatesSetting):
    form_template_name = "includes/form.html"
    field_template_name = "includes/field.html"
