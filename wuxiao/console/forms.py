"""Forms of the console. Choices are limited to what the signed-in admin may touch, so a
forged POST naming another subtree fails validation like any bad value."""

from django import forms
from django.core.exceptions import ValidationError

from wuxiao.campaigns.imports import MAX_BYTES
from wuxiao.campaigns.models import Campaign, Stage
from wuxiao.lib.forms import DateField
from wuxiao.people.models import UNIT_KINDS, Invitation, Organisation, OrgKind
from wuxiao.people.permissions import (
    can_restructure_organisation,
    is_committee_admin,
)
from wuxiao.people.queries import organisations_visible_to
from wuxiao.people.services import check_parent, invite_problem

BODY_KINDS = (OrgKind.COMMITTEE, OrgKind.DISTRICT)


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{'　' * (obj.depth - 1)}{obj.name}"


def _parent_choices(user):
    return organisations_visible_to(user).filter(kind__in=BODY_KINDS, is_active=True).order_by("path")


class OrganisationForm(forms.ModelForm):
    """Create or edit an organisation. Kind and parent are editable only by an admin of the
    level above (can_restructure_organisation); a new district only by the committee."""

    parent = OrganisationChoiceField(label="上级组织", queryset=Organisation.objects.none())

    class Meta:
        model = Organisation
        fields = ["name", "kind", "parent", "credit_code", "contact_name", "contact_phone", "allow_parent_forwarding"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        creating = self.instance.pk is None
        kinds = list(UNIT_KINDS)
        if is_committee_admin(user) and (creating or self.instance.kind == OrgKind.DISTRICT):
            kinds.insert(0, OrgKind.DISTRICT)
        if not creating and self.instance.kind not in kinds:
            kinds = [self.instance.kind]
        self.fields["kind"].choices = [(k, OrgKind(k).label) for k in kinds]
        parents = _parent_choices(user)
        if not creating:
            parents = parents.exclude(path__startswith=self.instance.path)
        self.fields["parent"].queryset = parents
        if not creating and not can_restructure_organisation(user, self.instance):
            for name in ("kind", "parent"):
                self.fields[name].disabled = True
                self.fields[name].required = False
                self.fields[name].help_text = "由上级组织管理员调整"
            self.fields["parent"].queryset = Organisation.objects.filter(pk=self.instance.parent_id)
        if not creating and self.instance.kind == OrgKind.DISTRICT:
            self.fields["kind"].disabled = True  # a district with units below cannot become a unit
        self.fields["credit_code"].required = False

    def clean_credit_code(self):
        code = (self.cleaned_data.get("credit_code") or "").strip().upper()
        if code:
            other = Organisation.objects.filter(credit_code=code).exclude(pk=self.instance.pk).first()
            if other:
                raise ValidationError(f"统一社会信用代码“{code}”已被“{other.name}”使用")
        return code

    def clean(self):
        data = super().clean()
        kind, parent, name = data.get("kind"), data.get("parent"), data.get("name")
        if kind and parent:
            # Who may create or move it is the service's check (people.services).
            try:
                check_parent(kind, parent)
            except ValidationError as exc:
                self.add_error("parent", exc)
            if name and Organisation.objects.filter(parent=parent, name=name).exclude(pk=self.instance.pk).exists():
                self.add_error("name", f"“{parent.name}”下已有名为“{name}”的组织")
        return data


class HeadcountForm(forms.Form):
    campaign = forms.ModelChoiceField(label="竞赛活动", queryset=Campaign.objects.all(), empty_label=None)
    young_workers = forms.IntegerField(
        label="35岁以下青工人数", min_value=0, max_value=10_000_000, help_text="例如：230；上报名额按此计算"
    )


class ImportForm(forms.Form):
    campaign = forms.ModelChoiceField(
        label="竞赛活动",
        queryset=Campaign.objects.all(),
        empty_label=None,
        help_text="青工人数记入该活动（人数每年可能变化）",
    )
    file = forms.FileField(
        label="Excel 文件（.xlsx）",
        help_text="不超过 5 MB；请使用导入模板填写",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        if not file.name.lower().endswith(".xlsx"):
            raise ValidationError(
                f"只能导入 Excel .xlsx 文件，“{file.name}”不是 .xlsx 文件（旧版 .xls 请另存为 .xlsx）"
            )
        if file.size > MAX_BYTES:
            raise ValidationError(f"文件大小 {file.size / 1024 / 1024:.1f} MB，超过 5 MB 上限，请分批导入")
        return file


class InvitationForm(forms.ModelForm):
    organisation = OrganisationChoiceField(label="加入组织", queryset=Organisation.objects.none())

    class Meta:
        model = Invitation
        fields = ["organisation", "role", "real_name", "mobile", "email"]
        help_texts = {"email": "选填；填写后系统会把邀请链接发到该邮箱", "mobile": "选填；例如：13877212345"}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["organisation"].queryset = organisations_visible_to(user).filter(is_active=True).order_by("path")

    def clean(self):
        data = super().clean()
        org, role = data.get("organisation"), data.get("role")
        problem = invite_problem(self.user, org, role) if org and role else None
        if problem:
            raise ValidationError(problem)
        return data


class StageExtensionForm(forms.Form):
    stage = forms.ModelChoiceField(label="阶段", queryset=Stage.objects.none(), empty_label=None)
    organisation = OrganisationChoiceField(
        label="组织", queryset=Organisation.objects.none(), help_text="延期对该组织及其下级组织有效"
    )
    until = DateField(
        label="延长至", widget=forms.DateInput(attrs={"type": "date"}), help_text="必须晚于该阶段原定结束日期"
    )
    reason = forms.CharField(
        label="原因",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text="例如：该单位因生产检修，申请延长一周",
    )

    def __init__(self, *args, user, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].queryset = campaign.stages.order_by("number") if campaign else Stage.objects.none()
        self.fields["organisation"].queryset = (
            organisations_visible_to(user).filter(is_active=True).exclude(kind=OrgKind.COMMITTEE).order_by("path")
        )


class CertificateDesignForm(forms.Form):
    """获奖证书的用语和印章; the service checks the seal's content (awards.services.check_seal)."""

    wording = forms.CharField(
        label="证书用语",
        max_length=200,
        help_text="印在奖项等级之后，例如：特发此证，以资鼓励。",
        widget=forms.TextInput(),
    )
    seal = forms.FileField(
        label="组委会印章图片",
        required=False,
        help_text="PNG 或 JPG，不超过 5 MB；白底扫描件印刷时自动去除底色，透明底 PNG 效果最好。",
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg"}),
    )
    remove_seal = forms.BooleanField(label="删除现有印章（证书不再盖章）", required=False)
