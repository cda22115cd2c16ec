"""Forms of the committee's 评审认定 pages."""

from django import forms

from wuxiao.lib.forms import DateField, DateTimeField
from wuxiao.reviews.models import Decision, ExpertProfile, RankingMethod, ReviewRound, RoundKind


class RoundForm(forms.Form):
    name = forms.CharField(label="名称", max_length=50, help_text="例如：初评")
    kind = forms.ChoiceField(label="类型", choices=RoundKind.choices)
    opens_on = DateField(label="评分开始日期", widget=forms.DateInput(attrs={"type": "date"}))
    closes_on = DateField(label="评分截止日期", widget=forms.DateInput(attrs={"type": "date"}))
    blind = forms.BooleanField(label="盲评（专家看不到单位、姓名和联系方式）", required=False, initial=True)
    experts_per_project = forms.IntegerField(label="每个项目评审专家数", min_value=1, max_value=15, initial=3)
    max_per_expert = forms.IntegerField(label="每位专家最多评审项目数", min_value=1, max_value=1000, initial=30)
    previous = forms.ModelChoiceField(
        label="上一轮（复评/答辩）",
        queryset=ReviewRound.objects.none(),
        required=False,
        empty_label="无（评审全部上报项目）",
    )
    advance_count = forms.IntegerField(
        label="从上一轮进入本轮的项目数", min_value=1, required=False, help_text="例如：30"
    )

    def __init__(self, *args, campaign=None, **kwargs):
        super().__init__(*args, **kwargs)
        if campaign is not None:
            self.fields["previous"].queryset = campaign.review_rounds.all()


class CriterionForm(forms.Form):
    name = forms.CharField(label="评分项", max_length=30)
    weight = forms.DecimalField(label="权重（%）", min_value=0, max_digits=5, decimal_places=2)
    max_score = forms.DecimalField(label="满分", min_value=1, max_digits=5, decimal_places=1)


CriterionFormSet = forms.formset_factory(CriterionForm, extra=1, can_delete=True)


class AssignForm(forms.Form):
    seed = forms.IntegerField(
        label="随机种子", min_value=0, required=False, help_text="相同种子得到相同分配；留空沿用上次"
    )


class ManualAssignForm(forms.Form):
    project = forms.IntegerField(label="项目编号", min_value=1)
    expert = forms.ModelChoiceField(label="专家", queryset=ExpertProfile.objects.none())

    def __init__(self, *args, experts=None, **kwargs):
        super().__init__(*args, **kwargs)
        if experts is not None:
            self.fields["expert"].queryset = experts


class RankingForm(forms.Form):
    method = forms.ChoiceField(label="排名依据", choices=RankingMethod.choices)


class OpinionForm(forms.Form):
    step = forms.ChoiceField(label="意见栏", choices=[("panel", "竞赛评审小组意见"), ("committee", "竞赛组委会意见")])
    text = forms.CharField(label="意见", widget=forms.Textarea(attrs={"rows": 2}), help_text="例如：同意评为一等奖")


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="认定", choices=[(Decision.DUPLICATE, "认定重复"), (Decision.DISTINCT, "不重复")]
    )
    note = forms.CharField(label="说明", max_length=200, required=False)


class ScheduleForm(forms.Form):
    seed = forms.CharField(label="抽签种子", max_length=64, help_text="公开抽签时现场公布，例如：20250415")
    starts_at = DateTimeField(label="第一个答辩开始时间", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    minutes = forms.IntegerField(label="每个项目时长（分钟）", min_value=1, max_value=240, initial=15)


class ExpertProfileForm(forms.ModelForm):
    categories = forms.MultipleChoiceField(label="擅长类别", widget=forms.CheckboxSelectMultiple, required=False)

    class Meta:
        model = ExpertProfile
        fields = ["employer", "title", "categories", "is_active", "declared_organisations"]
        widgets = {"declared_organisations": forms.SelectMultiple(attrs={"size": 6})}

    def __init__(self, *args, campaign=None, **kwargs):
        super().__init__(*args, **kwargs)
        cats = list(campaign.categories) if campaign else []
        extra = [c for c in (self.instance.categories or []) if c not in cats]
        self.fields["categories"].choices = [(c, c) for c in cats + extra]
        from wuxiao.people.models import UNIT_KINDS, Organisation

        self.fields["declared_organisations"].queryset = Organisation.objects.filter(kind__in=UNIT_KINDS).order_by(
            "path"
        )
        self.fields["declared_organisations"].required = False


class ExpertImportForm(forms.Form):
    file = forms.FileField(
        label="Excel 文件（.xlsx）",
        help_text="不超过 5 MB、1000 行；请使用专家库导入模板填写",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )
