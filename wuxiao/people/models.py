"""People and the organisation tree they act in."""

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone

from wuxiao.lib.ids import validate_credit_code
from wuxiao.lib.phones import validate_mobile, validate_phone


class Gender(models.TextChoices):
    MALE = "M", "男"
    FEMALE = "F", "女"


class Education(models.TextChoices):
    JUNIOR = "junior", "初中及以下"
    SENIOR = "senior", "高中/中专/技校"
    COLLEGE = "college", "大专"
    BACHELOR = "bachelor", "本科"
    MASTER = "master", "硕士研究生"
    DOCTOR = "doctor", "博士研究生"


class User(AbstractUser):
    """A person. Signs in with username or mobile number; roles come from memberships."""

    real_name = models.CharField("姓名", max_length=50, blank=True, help_text="例如：韦小敏")
    gender = models.CharField("性别", max_length=1, choices=Gender.choices, blank=True)
    birth_date = models.DateField("出生日期", null=True, blank=True, help_text="例如：1996-08-15；年龄由此计算")
    education = models.CharField("文化程度", max_length=16, choices=Education.choices, blank=True)
    mobile = models.CharField(
        "手机号码",
        max_length=11,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_mobile],
        help_text="例如：13877212345",
    )

    objects = UserManager()

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self):
        return self.real_name or self.username

    @property
    def display_name(self):
        return self.real_name or self.username


class OrgKind(models.TextChoices):
    COMMITTEE = "committee", "组委会"
    DISTRICT = "district", "县区/系统团组织"
    ENTERPRISE = "enterprise", "企业"
    AGENCY = "agency", "机关/事业单位"
    TWO_NEW = "two_new", "“两企三新”组织"
    UNIVERSITY = "university", "在柳高校"


UNIT_KINDS = (OrgKind.ENTERPRISE, OrgKind.AGENCY, OrgKind.TWO_NEW, OrgKind.UNIVERSITY)
# How a unit's league organisation is named after its employer: "柳州市华鼎机械制造有限公司团委".
LEAGUE_SUFFIXES = ("团工委", "团总支", "团支部", "团委")


def employer_from_league_name(name: str) -> str:
    """The employer's name read off its league organisation's name ("…有限公司团委" →
    "…有限公司"); the name itself when it does not end like a league organisation."""
    name = name.strip()
    for suffix in LEAGUE_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name.removesuffix(suffix).strip()
    return name


class OrganisationQuerySet(models.QuerySet):
    def units(self):
        return self.filter(kind__in=UNIT_KINDS)

    def subtree(self, org):
        """The organisation and everything below it (materialised path prefix)."""
        return self.filter(path__startswith=org.path)


class Organisation(models.Model):
    """A node of the tree committee → district/system league committees → units.

    `path` is a materialised path ("0001.0007.0042.") so a whole subtree is one indexed
    prefix query; it is set by people.services, never edited by hand.
    """

    name = models.CharField("名称", max_length=100, help_text="例如：柳州示例机械有限公司团委")
    employer_name = models.CharField(
        "单位全称",
        max_length=100,
        blank=True,
        help_text="团组织所在的用人单位，申报表和汇总表的“单位名称”，例如：柳州示例机械有限公司；留空时由团组织名称推出",
    )
    kind = models.CharField("类型", max_length=16, choices=OrgKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name="上级组织", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField("路径", max_length=255, db_index=True, editable=False, default="")
    credit_code = models.CharField(
        "统一社会信用代码",
        max_length=18,
        blank=True,
        validators=[validate_credit_code],
        help_text="18 位，例如：91450200MA5L7XXXX0；可不填",
    )
    contact_name = models.CharField("联系人", max_length=50, blank=True, help_text="例如：莫飘")
    contact_phone = models.CharField(
        "联系电话", max_length=20, blank=True, validators=[validate_phone], help_text="例如：0772-2827423"
    )
    allow_parent_forwarding = models.BooleanField(
        "允许上级团组织代为上报", default=False, help_text="勾选后，县区/系统团组织可代本单位向组委会上报成果"
    )
    is_active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = "组织"
        verbose_name_plural = "组织"
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="org_unique_name_under_parent"),
            models.UniqueConstraint(
                fields=["credit_code"], condition=~models.Q(credit_code=""), name="org_unique_credit_code"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def depth(self):
        return self.path.count(".")

    @property
    def is_unit(self):
        return self.kind in UNIT_KINDS

    @property
    def is_committee(self):
        return self.kind == OrgKind.COMMITTEE

    @property
    def employer(self) -> str:
        """单位名称 as the notice's forms mean it: the employer, not its league organisation."""
        if not self.is_unit:
            return self.name
        return self.employer_name or employer_from_league_name(self.name)

    def is_within(self, other: "Organisation") -> bool:
        return self.path.startswith(other.path)


class Role(models.TextChoices):
    ADMIN = "admin", "团组织管理员"
    APPLICANT = "applicant", "申报人"
    ADVISOR = "advisor", "技术顾问"
    WORKSHOP = "workshop", "车间/分厂/科室/子公司负责人"
    TECH_DEPT = "tech_dept", "本单位技术部门"
    EXPERT = "expert", "评审专家"
    PANEL = "panel", "竞赛评审小组成员"


class Membership(models.Model):
    """A role a person holds in an organisation; a person may hold several."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField("角色", max_length=16, choices=Role.choices)
    created_at = models.DateTimeField("加入时间", auto_now_add=True)

    class Meta:
        verbose_name = "成员角色"
        verbose_name_plural = "成员角色"
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "role"], name="membership_unique_role"),
        ]
        indexes = [models.Index(fields=["organisation", "role"])]

    def __str__(self):
        return f"{self.user} · {self.organisation} · {self.get_role_display()}"


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())

    def by_token(self, token: str):
        return self.filter(token_hash=_hash_token(token))


class Invitation(models.Model):
    """A single-use, expiring link that puts a person into an organisation with a role.

    Only the hash of the token is stored; the link itself exists only in the message sent.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    role = models.CharField("角色", max_length=16, choices=Role.choices)
    real_name = models.CharField("姓名", max_length=50, help_text="例如：韦小敏")
    mobile = models.CharField("手机号码", max_length=11, blank=True, validators=[validate_mobile])
    email = models.EmailField("电子邮箱", blank=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="invitations_sent", verbose_name="邀请人"
    )
    created_at = models.DateTimeField("邀请时间", auto_now_add=True)
    expires_at = models.DateTimeField("有效期至")
    accepted_at = models.DateTimeField("接受时间", null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="invitations_accepted"
    )
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = "邀请"
        verbose_name_plural = "邀请"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.real_name} → {self.organisation}（{self.get_role_display()}）"

    @staticmethod
    def new_token() -> tuple[str, str]:
        token = secrets.token_urlsafe(32)
        return token, _hash_token(token)

    @property
    def status(self) -> str:
        if self.accepted_at:
            return "已接受"
        if self.revoked_at:
            return "已撤销"
        if self.expires_at <= timezone.now():
            return "已过期"
        return "待接受"


class ApiTokenScope(models.TextChoices):
    READ = "read", "只读"
    WRITE = "write", "读写"


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """A personal token for the JSON API (/api/). Only the sha256 of the token is stored;
    the token itself is shown once, when it is created."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name="用户"
    )
    name = models.CharField("名称", max_length=50, help_text="用途，例如：单位 OA 系统同步")
    scope = models.CharField("权限", max_length=8, choices=ApiTokenScope.choices, default=ApiTokenScope.READ)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField("令牌开头", max_length=12, editable=False, help_text="用于辨认令牌，例如：wx_3fA9c")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "API 令牌"
        verbose_name_plural = "API 令牌"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.name}（{self.prefix}…）"

    PREFIX = "wx_"

    @classmethod
    def new_token(cls) -> tuple[str, str]:
        token = cls.PREFIX + secrets.token_urlsafe(32)
        return token, _hash_token(token)

    @staticmethod
    def hash(token: str) -> str:
        return _hash_token(token)

    @property
    def can_write(self) -> bool:
        return self.scope == ApiTokenScope.WRITE and self.revoked_at is None
