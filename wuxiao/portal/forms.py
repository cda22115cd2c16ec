from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from wuxiao.lib.forms import BirthDateField
from wuxiao.people.models import User


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label="用户名或手机号",
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label="密码", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    error_messages = {
        "invalid_login": "用户名/手机号或密码不正确。连续 5 次输错，该账号在本地址将被锁定 30 分钟。",
        "inactive": "该账号已停用，请联系所在单位团组织。",
    }


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """Django's form, with the password policy's reasons shown under the new password itself
    rather than under its confirmation."""

    def clean(self):
        self.validate_passwords("new_password1", "new_password2")
        self.validate_password_for_user(self.user, "new_password1")
        return super(auth_forms.SetPasswordForm, self).clean()


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["real_name", "gender", "birth_date", "education", "mobile", "email"]
        widgets = {"birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        field_classes = {"birth_date": BirthDateField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ["real_name", "gender", "birth_date", "education", "mobile"]:
            self.fields[name].required = True

    def clean_mobile(self):
        mobile = self.cleaned_data["mobile"] or None
        if mobile and User.objects.filter(mobile=mobile).exclude(pk=self.instance.pk).exists():
            raise ValidationError("该手机号码已被其他账号使用")
        return mobile


class RegisterForm(ProfileForm):
    """A new account created from an invitation."""

    username = forms.RegexField(
        label="用户名",
        max_length=30,
        regex=r"^[A-Za-z][A-Za-z0-9_.-]{2,29}$",
        help_text="3–30 位字母、数字或 _ . -，以字母开头，例如：weixiaomin",
        error_messages={"invalid": "用户名须为 3–30 位字母、数字或 _ . -，并以字母开头"},
    )
    password1 = forms.CharField(
        label="密码",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="至少 8 位，并包含大写字母、小写字母、数字、符号中的 3 类",
    )
    password2 = forms.CharField(
        label="确认密码", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    class Meta(ProfileForm.Meta):
        fields = ["username", *ProfileForm.Meta.fields]

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError("该用户名已被使用，请换一个")
        return username

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", "两次输入的密码不一致")
        if p1:
            probe = User(
                username=cleaned.get("username", ""),
                real_name=cleaned.get("real_name", ""),
                email=cleaned.get("email", ""),
                mobile=cleaned.get("mobile"),
            )
            try:
                password_validation.validate_password(p1, probe)
            except ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned

    def new_user_fields(self) -> dict:
        data = {k: self.cleaned_data[k] for k in ["username", *ProfileForm.Meta.fields]}
        data["password"] = self.cleaned_data["password1"]
        return data


class ApiTokenForm(forms.Form):
    name = forms.CharField(label="名称（用途）", max_length=50, help_text="例如：单位 OA 系统同步")
    scope = forms.ChoiceField(
        label="权限",
        choices=[("read", "只读：只能查询"), ("write", "读写：可以代我修改数据（提交、退回、上报等）")],
        initial="read",
    )
