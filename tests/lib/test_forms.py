"""Form widgets are drawn by Django's Jinja2 copies of its widget templates
(wuxiao.lib.forms.BootstrapRenderer, for speed): the markup is the one Django's own
templates draw, for every kind of widget the forms use."""

import re
from datetime import date

from django import forms
from django.forms.renderers import TemplatesSetting

from wuxiao.lib.forms import BootstrapRenderer


class Everything(forms.Form):
    unit = forms.ChoiceField(choices=[("", "全部单位"), (1, "甲<单位>"), (2, "乙&单位"), ("县区", [(3, "丙")])])
    route = forms.ChoiceField(choices=[("a", "立项阶段申报"), ("b", "成果收集阶段直接申报")], widget=forms.RadioSelect)
    name = forms.CharField(max_length=100, widget=forms.TextInput(attrs={"placeholder": '例如："快换"夹具'}))
    born = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    agree = forms.BooleanField(required=False)
    money = forms.DecimalField(max_digits=8, decimal_places=2)
    tags = forms.MultipleChoiceField(choices=[(1, "一"), (2, "二")], widget=forms.CheckboxSelectMultiple)
    file = forms.FileField(required=False)


def test_jinja2_widgets_draw_what_django_templates_draw():
    data = {"unit": "3", "route": "b", "name": "<焊装>", "born": date(1996, 8, 15), "text": "甲\n乙",
            "agree": "on", "money": "12.50", "tags": ["2"]}  # fmt: skip
    for bound in (Everything(), Everything(data)):
        for field in bound:
            attrs = {"class": "form-select is-invalid"}
            fast = field.field.widget.render(field.html_name, field.value(), attrs, renderer=BootstrapRenderer())
            slow = field.field.widget.render(field.html_name, field.value(), attrs, renderer=TemplatesSetting())
            assert same_html(fast) == same_html(slow), field.name


def same_html(html: str) -> str:
    """Whitespace aside, and a quote escaped as either entity (&#34; is &quot;)."""
    html = html.replace("&#34;", "&quot;").replace("&#39;", "&#x27;")
    return re.sub(r"\s+", "", html)
