"""The audit log's one filter definition (page and API)."""

import django_filters as df
from django import forms
from django.core.exceptions import ValidationError

from wuxiao.audit.models import AuditEntry


class AuditFilterForm(forms.Form):
    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise ValidationError(f"开始日期 {start} 晚于结束日期 {end}")
        return data


class AuditFilter(df.FilterSet):
    action = df.ChoiceFilter(label="操作", choices=(), empty_label="全部操作")
    actor = df.CharFilter(label="操作人", field_name="actor_name", lookup_expr="icontains", max_length=100)
    date_from = df.DateFilter(
        label="开始日期",
        field_name="created_at",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = df.DateFilter(
        label="结束日期",
        field_name="created_at",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = AuditEntry
        fields = ()
        form = AuditFilterForm

    def __init__(self, data=None, queryset=None, *, actions: list[tuple[str, str]], **kwargs):
        """`actions`: (action, label) pairs to choose from (the labels belong to the page)."""
        super().__init__(data, queryset, **kwargs)
        self.filters["action"].extra["choices"] = actions
