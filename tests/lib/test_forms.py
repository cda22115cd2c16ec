"""QuickSelect writes the same <select> as Django's template-rendered one."""

import re

from django import forms

from wuxiao.lib.forms import QuickSelect


def test_quick_select_renders_what_django_renders():
    choices = [("", "全部单位"), (1, "甲<单位>"), (2, "乙&单位"), ("县区", [(3, "丙")])]
    attrs = {"class": "form-select is-invalid", "id": "id_unit"}
    for value in ("2", "3", None):
        expected = forms.Select(choices=choices, attrs=attrs).render("unit", value)
        quick = QuickSelect(choices=choices, attrs=attrs).render("unit", value)
        assert re.sub(r"\s+", "", quick) == re.sub(r"\s+", "", expected)
