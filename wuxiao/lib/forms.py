"""Form rendering: every Django form renders with Bootstrap markup and Chinese errors."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting
from django.utils import timezone

from wuxiao.lib.dates import birth_date_problem, impossible_date_message


class BootstrapRenderer(TemplatesSetting):
    form_template_name = "includes/form.html"
    field_template_name = "includes/field.html"


class DateField(forms.DateField):
    """A date field that tells a wrong format ("日期格式应为 …") from a date that does not
    exist ("不存在的日期：2023-02-30（2023 年 2 月只有 28 天）")."""

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError:
            message = impossible_date_message(str(value)) if isinstance(value, str) else None
            if message:
                raise ValidationError(message, code="impossible") from None
            raise


class BirthDateField(DateField):
    """A birth date between 1900-01-01 and today, also in a draft."""

    def validate(self, value):
        super().validate(value)
        problem = birth_date_problem(value, today=timezone.localdate(), what=str(self.label or "出生日期"))
        if problem:
            raise ValidationError(problem, code="birth_range")


# An event the platform schedules or records (a salon, a 答辩) falls in this century: a year-1
# date is a typing slip, and one so far out overflows the time-zone conversion on saving.
EVENT_YEARS = (2000, 2099)


class DateTimeField(forms.DateTimeField):
    """A date and time that tells a wrong format from a day that does not exist
    ("不存在的日期：2023-02-30 …"), and refuses a year outside 2000–2099."""

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError:
            day = str(value).replace("T", " ").strip().split(" ")[0] if isinstance(value, str) else ""
            message = impossible_date_message(day)
            if message:
                raise ValidationError(message, code="impossible") from None
            raise

    def validate(self, value):
        super().validate(value)
        if value is not None and not EVENT_YEARS[0] <= value.year <= EVENT_YEARS[1]:
            raise ValidationError(
                f"{self.label or '时间'} {value.date().isoformat()} 不在 {EVENT_YEARS[0]}–{EVENT_YEARS[1]} 年之间，请检查年份",
                code="year_range",
            )


class QuickSelect(forms.Select):
    """A <select> whose options are written in Python: Django renders every <option> through a
    template, which for a city's ~350 units was most of a project list page's time."""

    def render(self, name, value, attrs=None, renderer=None):
        from django.forms.utils import flatatt
        from django.utils.html import format_html
        from django.utils.safestring import mark_safe

        widget = self.get_context(name, value, attrs)["widget"]
        html = [format_html('<select name="{}"{}>', widget["name"], flatatt(widget["attrs"]))]
        for group, options, _index in widget["optgroups"]:
            if group:
                html.append(format_html('<optgroup label="{}">', group))
            for option in options:
                html.append(
                    format_html(
                        '<option value="{}"{}>{}</option>', option["value"], flatatt(option["attrs"]), option["label"]
                    )
                )
            if group:
                html.append("</optgroup>")
        html.append("</select>")
        return mark_safe("".join(html))  # every value above went through format_html
