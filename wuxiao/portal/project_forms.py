"""Forms of the 申报表 (附件2). They only parse what was typed; the rules live in
projects.services (a draft may be incomplete, submission checks everything)."""

from django import forms

from wuxiao.lib.forms import BirthDateField, DateField
from wuxiao.people.models import Education, Gender
from wuxiao.projects.models import EntryRoute

YES_NO = [("true", "是"), ("false", "否")]
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _yes_no(label, help_text=""):
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda v: v == "true",
        empty_value=None,
        required=False,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        help_text=help_text,
    )


class ProjectForm(forms.Form):
    """Every field of 附件2 a leader fills in, grouped like the printed form."""

    GROUPS = [
        ("基本信息", ["name", "economic_benefit", "start_date", "end_date", "patent_eligible"]),
        (
            "项目负责人",
            ["leader_name", "leader_gender", "leader_birth_date", "leader_education", "leader_phone"],
        ),
        ("项目类别与成果形式", ["category", "category_other", "achievement_form", "content_direction"]),
        ("专利", ["patent_filed", "patent_willing"]),
        ("项目内容", ["reason", "content", "measures", "benefits", "is_large_research_project"]),
        ("承诺", ["commitment_name"]),
    ]

    name = forms.CharField(label="项目名称", max_length=100, required=False, help_text="例如：焊装线夹具快换结构改进")
    economic_benefit = forms.DecimalField(
        label="经济效益（万元）",
        max_digits=12,
        decimal_places=2,
        required=False,
        help_text="创造的经济效益，单位万元，≥ 0，例如：12.50",
        error_messages={
            "invalid": "经济效益应为数字（单位万元），例如：12.50",
            "max_decimal_places": "经济效益最多保留 2 位小数",
        },
    )
    start_date = DateField(
        label="项目开始时间", required=False, widget=DATE, error_messages={"invalid": "日期格式应为 2024-06-01"}
    )
    end_date = DateField(
        label="项目结束时间", required=False, widget=DATE, error_messages={"invalid": "日期格式应为 2024-12-31"}
    )
    patent_eligible = _yes_no("是否符合专利申报")
    leader_name = forms.CharField(label="负责人姓名", max_length=50, required=False)
    leader_gender = forms.ChoiceField(label="负责人性别", choices=[("", "请选择"), *Gender.choices], required=False)
    leader_birth_date = BirthDateField(
        label="负责人出生日期",
        required=False,
        widget=DATE,
        help_text="年龄按活动基准日由出生日期计算",
        error_messages={"invalid": "日期格式应为 1996-08-15"},
    )
    leader_education = forms.ChoiceField(
        label="负责人文化程度", choices=[("", "请选择"), *Education.choices], required=False
    )
    leader_phone = forms.CharField(
        label="负责人联系方式", max_length=20, required=False, help_text="手机号码或带区号的固定电话，例如：13877212345"
    )
    category = forms.ChoiceField(label="项目类别", required=False, widget=forms.RadioSelect)
    category_other = forms.CharField(
        label="其他类别说明", max_length=50, required=False, help_text="项目类别选“其他”时填写，例如：环保"
    )
    achievement_form = forms.ChoiceField(label="成果形式", required=False, widget=forms.RadioSelect)
    content_direction = forms.TypedChoiceField(
        label="申报内容方向",
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        help_text="通知第五部分（二）所列五类内容之一",
    )
    patent_filed = _yes_no("是否已经申报专利")
    patent_willing = _yes_no("是否愿意申报专利")
    reason = forms.CharField(label="立项理由", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    content = forms.CharField(label="立项内容", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    measures = forms.CharField(label="立项措施", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    benefits = forms.CharField(label="立项效益", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    is_large_research_project = _yes_no(
        "是否已确立为单位大型科研攻关项目", help_text="已经确立为单位大型科研攻关项目的不作为“五小”项目，须选“否”"
    )
    commitment_name = forms.CharField(
        label="承诺人签名",
        max_length=50,
        required=False,
        help_text="阅读上述承诺后，输入项目负责人姓名以确认",
    )

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        from wuxiao.projects.services import REQUIRED_AT_SUBMIT

        for name, field in self.fields.items():
            # Deep-copied per form instance, so setting attrs here never leaks to other forms.
            if isinstance(field.widget, forms.RadioSelect):
                field.widget.attrs["class"] = "form-check-input"
            if name in REQUIRED_AT_SUBMIT:
                field.widget.attrs["required"] = True
        self.fields["category"].choices = [(c, c) for c in campaign.categories]
        self.fields["achievement_form"].choices = [(c, c) for c in campaign.achievement_forms]
        self.fields["content_direction"].choices = [
            (i, f"{'一二三四五六七八九'[i - 1]}是{text}") for i, text in enumerate(campaign.content_directions, start=1)
        ]

    @classmethod
    def initial_from(cls, project) -> dict:
        initial = {}
        for name in cls.base_fields:
            value = getattr(project, name)
            if isinstance(value, bool):
                value = "true" if value else "false"
            initial[name] = value
        return initial

    def groups(self):
        return [(title, [self[name] for name in names]) for title, names in self.GROUPS]


class MemberForm(forms.Form):
    """One row of 主要研究人员组成; prefixed so it can live inside the 申报表 page."""

    name = forms.CharField(label="姓名", max_length=50, required=False)
    gender = forms.ChoiceField(label="性别", choices=[("", "性别"), *Gender.choices], required=False)
    birth_date = BirthDateField(
        label="出生日期", required=False, widget=DATE, error_messages={"invalid": "出生日期格式应为 1998-03-12"}
    )
    education = forms.ChoiceField(label="文化程度", choices=[("", "文化程度"), *Education.choices], required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A table row has no room for <label>s: each input names itself for screen readers.
        for field in self.fields.values():
            field.widget.attrs["aria-label"] = f"研究人员{field.label}"


class CreateProjectForm(forms.Form):
    name = forms.CharField(
        label="项目名称", max_length=100, required=False, help_text="可稍后填写，例如：锅炉给水泵变频节能改造"
    )
    unit = forms.TypedChoiceField(label="单位名称", coerce=int)
    entry_route = forms.ChoiceField(label="申报途径", choices=EntryRoute.choices, initial=EntryRoute.REGISTRATION)

    def __init__(self, *args, units, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        # The applicant's units are already read: offer them as they are (a queryset here
        # would be read again for the page and once more to check the answer).
        self._units = {u.pk: u for u in units}
        self.fields["unit"].choices = [(u.pk, str(u)) for u in units]
        if hasattr(self.initial.get("unit"), "pk"):
            self.initial["unit"] = self.initial["unit"].pk
        if not campaign.allow_direct_achievements:
            self.fields["entry_route"].choices = [(EntryRoute.REGISTRATION, EntryRoute.REGISTRATION.label)]

    def clean_unit(self):
        return self._units[self.cleaned_data["unit"]]
