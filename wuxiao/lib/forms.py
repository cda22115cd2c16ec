"""Form rendering: every Django form renders with Bootstrap markup and Chinese errors."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import Jinja2 as Jinja2Renderer
from django.forms.renderers import TemplatesSetting
from django.utils import timezone
from django.utils.functional import cached_property

from wuxiao.lib.dates import birth_date_problem, impossible_date_message


class BootstrapRenderer(TemplatesSetting):
    """Forms and fields render through the project's templates (includes/form.html,
    includes/field.html); Django's own widget templates (an <input>, a <select> and each of
    its <option>s) through Django's Jinja2 copies of them, which draw the same markup in
    about a third of the time: a 申报表 page has some forty widgets."""

    form_template_name = "includes/form.html"
    field_template_name = "includes/field.html"
    widget_prefix = "django/forms/widgets/"

    @cached_property
    def widget_engine(self):
        return Jinja2Renderer().engine

    def get_template(self, template_name):
        if template_name.startswith(self.widget_prefix):
            return self.widget_engine.get_template(template_name)
        return super().get_template(template_name)


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
