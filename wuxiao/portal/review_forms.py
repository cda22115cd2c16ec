"""The expert's forms: scores per criterion, decline."""

from django import forms


class ScoreForm(forms.Form):
    """The expert's score form: one field per criterion of the round, and a comment."""

    comment = forms.CharField(label="评审意见", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, criteria=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for c in self.criteria:
            self.fields[f"c{c.pk}"] = forms.DecimalField(
                label=f"{c.name}（权重 {c.weight.normalize():f}%，0–{c.max_score.normalize():f} 分）",
                required=False,
                min_value=0,
                max_value=c.max_score,
                decimal_places=1,
                max_digits=5,
            )
        self.order_fields([f"c{c.pk}" for c in self.criteria] + ["comment", "version"])

    def scores(self) -> dict[int, object]:
        return {
            c.pk: self.cleaned_data.get(f"c{c.pk}")
            for c in self.criteria
            if self.cleaned_data.get(f"c{c.pk}") is not None
        }


class DeclineForm(forms.Form):
    reason = forms.CharField(label="回避/谢绝原因", max_length=200, help_text="例如：与项目负责人为同一科室同事")
