"""Forms of the unit workflow pages (立项管理, 攻关进度, 成果审核, 内部评比, 成果上报)."""

from django import forms

from wuxiao.lib.phones import validate_phone
from wuxiao.projects import rules
from wuxiao.projects.models import Direction, ProjectLevel, SelfGrade


class DirectionForm(forms.ModelForm):
    class Meta:
        model = Direction
        fields = ["title", "description", "order"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class ClassifyForm(forms.Form):
    level = forms.ChoiceField(label="项目分类", choices=ProjectLevel.choices)
    funding = forms.DecimalField(
        label="配给经费（万元）",
        required=False,
        min_value=0,
        max_digits=10,
        decimal_places=2,
        help_text="重点项目填写，例如：3.50",
    )
    equipment = forms.CharField(
        label="配给设备",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="重点项目填写，例如：三坐标测量仪一台",
    )


class RefuseForm(forms.Form):
    reason = forms.CharField(label="不予立项原因", widget=forms.Textarea(attrs={"rows": 2}))


class LevelForm(forms.Form):
    level = forms.ChoiceField(label="变更为", choices=ProjectLevel.choices)
    reason = forms.CharField(
        label="变更原因", widget=forms.Textarea(attrs={"rows": 2}), help_text="例如：项目范围缩小，改为一般项目"
    )


class ResourcesForm(forms.Form):
    funding = forms.DecimalField(label="配给经费（万元）", min_value=0, max_digits=10, decimal_places=2)
    equipment = forms.CharField(label="配给设备", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AdvisorForm(forms.Form):
    advisor = forms.ModelChoiceField(label="技术顾问", queryset=None, empty_label="请选择本单位的技术顾问")

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["advisor"].queryset = candidates
        self.fields["advisor"].label_from_instance = lambda u: f"{u.display_name}（{u.username}）"


class InviteAdvisorForm(forms.Form):
    real_name = forms.CharField(label="姓名", max_length=50, help_text="例如：覃工")
    mobile = forms.CharField(label="手机号码", max_length=11, required=False)
    email = forms.EmailField(label="电子邮箱", required=False)


class UrgeForm(forms.Form):
    note = forms.CharField(label="附言", required=False, max_length=200)


class OpinionForm(forms.Form):
    decision = forms.ChoiceField(label="审核结果")
    text = forms.CharField(
        label="意见（退回时填写原因）",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="例如：该成果已在本车间试用三个月，情况属实，同意推荐",
    )
    stamp = forms.FileField(
        label="盖章（印章图片或签字页扫描件）", required=False, help_text="同意时必须上传；PNG、JPG 或 PDF，不超过 5 MB"
    )

    def __init__(self, *args, has_previous: bool, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(rules.APPROVE, "同意，送下一环节")]
        if has_previous:
            choices.append((rules.RETURN_PREVIOUS, "退回上一环节"))
        choices.append((rules.RETURN_APPLICANT, "退回申报人修改"))
        self.fields["decision"].choices = choices


class EvaluationForm(forms.Form):
    score = forms.DecimalField(label="内部评比得分", required=False, min_value=0, max_value=100, decimal_places=2)
    self_grade = forms.ChoiceField(label="自评等级", choices=SelfGrade.choices)


class ForwardForm(forms.Form):
    projects = forms.ModelMultipleChoiceField(
        label="上报项目",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "请选择要上报的项目"},
    )
    reporter_name = forms.CharField(label="填报人", max_length=50, help_text="例如：黄小军")
    reporter_phone = forms.CharField(
        label="联系电话", max_length=20, validators=[validate_phone], help_text="例如：0772-2827423"
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["projects"].queryset = candidates
        self.fields["projects"].label_from_instance = lambda p: p.name


class SendBackForm(forms.Form):
    reason = forms.CharField(label="退回原因", widget=forms.Textarea(attrs={"rows": 2}))
