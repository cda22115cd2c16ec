"""评审认定 (stage 5): the expert pool, review rounds with their rubric, assignments,
reviews and scores, 查重 flags, attachment flags of blind rounds and the 答辩 schedule.

The review status of a project lives here, not in ProjectState: a forwarded project stays
FORWARDED for the units and the quotas while the committee reviews it (docs/architecture.md)."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone


class ExpertProfile(models.Model):
    """A person of the expert pool (专家库). Signing in is by the EXPERT membership the
    committee's invitation gives; this row holds what the assignment needs."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="expert_profile", verbose_name="专家"
    )
    employer = models.CharField("工作单位", max_length=100, blank=True, help_text="例如：柳州职业技术学院机电工程学院")
    title = models.CharField("职称/职务", max_length=50, blank=True, help_text="例如：高级工程师")
    categories = models.JSONField("擅长类别", default=list, help_text='例如：["机械", "电子"]')
    is_active = models.BooleanField("可参加评审", default=True)
    declared_organisations = models.ManyToManyField(
        "people.Organisation",
        blank=True,
        related_name="+",
        verbose_name="声明回避的单位",
        help_text="专家声明存在利益关系的单位（含其下级）",
    )
    declared_people = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="+",
        verbose_name="声明回避的人员",
        help_text="专家声明存在利益关系的人员（如亲属、师徒）",
    )

    class Meta:
        verbose_name = "评审专家"
        verbose_name_plural = "专家库"

    def __str__(self):
        return str(self.user)


class RoundKind(models.TextChoices):
    INITIAL = "initial", "初评"
    SECOND = "second", "复评"
    DEFENCE = "defence", "答辩"


class RankingMethod(models.TextChoices):
    RAW = "raw", "原始平均分"
    NORMALISED = "normalised", "标准化得分"


class ReviewRound(models.Model):
    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="review_rounds", verbose_name="竞赛活动"
    )
    number = models.PositiveSmallIntegerField("轮次", default=1)
    name = models.CharField("名称", max_length=50, help_text="例如：初评")
    kind = models.CharField("类型", max_length=16, choices=RoundKind.choices, default=RoundKind.INITIAL)
    opens_on = models.DateField("评分开始日期")
    closes_on = models.DateField("评分截止日期")
    blind = models.BooleanField("盲评", default=True, help_text="盲评时专家看不到申报单位、人员姓名和联系方式")
    experts_per_project = models.PositiveSmallIntegerField(
        "每个项目评审专家数", default=3, validators=[MinValueValidator(1)]
    )
    max_per_expert = models.PositiveSmallIntegerField(
        "每位专家最多评审项目数", default=30, validators=[MinValueValidator(1)]
    )
    ranking = models.CharField(
        "排名依据", max_length=16, choices=RankingMethod.choices, default=RankingMethod.NORMALISED
    )
    previous = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="上一轮",
        help_text="复评/答辩：从上一轮排名靠前的项目中产生",
    )
    advance_count = models.PositiveIntegerField("进入本轮的项目数", null=True, blank=True, help_text="例如：30")
    assignment_seed = models.PositiveIntegerField("分配随机种子", null=True, blank=True)
    lot_seed = models.CharField(
        "抽签种子", max_length=64, blank=True, help_text="公开抽签时现场公布，例如：20241120-柳州"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "评审轮次"
        verbose_name_plural = "评审轮次"
        ordering = ["campaign_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "number"], name="review_round_unique_number"),
            models.CheckConstraint(condition=Q(closes_on__gte=models.F("opens_on")), name="review_round_dates_order"),
        ]

    def __str__(self):
        return f"{self.campaign.year}年 {self.name}"

    def is_open_on(self, day=None) -> bool:
        day = day or timezone.localdate()
        return self.opens_on <= day <= self.closes_on

    @property
    def is_closed(self) -> bool:
        return timezone.localdate() > self.closes_on


class Criterion(models.Model):
    """A line of the rubric: 创新性 30% on 0–10, …"""

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField("评分项", max_length=30, help_text="例如：创新性")
    weight = models.DecimalField(
        "权重（%）",
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text="例如：30",
    )
    max_score = models.DecimalField(
        "满分", max_digits=5, decimal_places=1, validators=[MinValueValidator(Decimal("1"))], help_text="例如：10"
    )
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "评分项"
        verbose_name_plural = "评分项"
        ordering = ["round_id", "order", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(weight__gt=0), name="criterion_weight_positive"),
            models.CheckConstraint(condition=Q(max_score__gt=0), name="criterion_max_positive"),
        ]

    def __str__(self):
        return self.name


class AssignmentStatus(models.TextChoices):
    ACTIVE = "active", "评审中"
    DECLINED = "declined", "已回避/谢绝"


class Assignment(models.Model):
    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="assignments")
    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="review_assignments")
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_assignments")
    status = models.CharField("状态", max_length=16, choices=AssignmentStatus.choices, default=AssignmentStatus.ACTIVE)
    manual = models.BooleanField("人工调整", default=False)
    decline_reason = models.CharField("回避/谢绝原因", max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "评审分配"
        verbose_name_plural = "评审分配"
        ordering = ["round_id", "project_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "project", "expert"], name="assignment_unique_pair"),
        ]
        indexes = [models.Index(fields=["expert", "status"])]

    def __str__(self):
        return f"{self.round} · {self.project_id} · {self.expert}"


class Review(models.Model):
    """One expert's review of one project in a round: a draft until submitted; editable
    until the round closes. Written only by services.save_review."""

    assignment = models.OneToOneField(Assignment, on_delete=models.CASCADE, related_name="review")
    comment = models.TextField("评审意见", blank=True)
    total = models.DecimalField("加权总分", max_digits=6, decimal_places=2, null=True, blank=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    version = models.PositiveIntegerField("版本号", default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "评审"
        verbose_name_plural = "评审"

    def __str__(self):
        return f"评审 #{self.assignment_id}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class Score(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    # CASCADE only when the round goes: set_rubric refuses once a score exists.
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    value = models.DecimalField("得分", max_digits=5, decimal_places=1)

    class Meta:
        verbose_name = "评分"
        verbose_name_plural = "评分"
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="score_unique_criterion"),
            models.CheckConstraint(condition=Q(value__gte=0), name="score_nonnegative"),
        ]

    def __str__(self):
        return f"{self.criterion_id}: {self.value}"


class Decision(models.TextChoices):
    PENDING = "", "待认定"
    DUPLICATE = "duplicate", "认定重复"
    DISTINCT = "distinct", "不重复"


class DuplicateFlag(models.Model):
    """查重: a project of the campaign that looks like another (same campaign, another unit,
    or an earlier campaign). Never blocks; the committee records a decision."""

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="duplicate_flags")
    other = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="+")
    similarity = models.DecimalField("相似度", max_digits=5, decimal_places=4)
    decision = models.CharField("认定", max_length=16, choices=Decision.choices, blank=True, default="")
    note = models.CharField("说明", max_length=200, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "查重提示"
        verbose_name_plural = "查重提示"
        ordering = ["-similarity", "id"]
        constraints = [models.UniqueConstraint(fields=["project", "other"], name="duplicate_unique_pair")]

    def __str__(self):
        return f"#{self.project_id} ≈ #{self.other_id}（{self.similarity}）"


class BlindFlag(models.Model):
    """An attachment (or a text field) of a project in a blind round that names the unit or
    a team member: shown to the committee, never to the experts."""

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="blind_flags")
    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="+")
    attachment = models.ForeignKey(
        "projects.Attachment", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    where = models.CharField("位置", max_length=100, help_text="例如：附件“说明书.pdf”的正文")
    found = models.CharField("发现的信息", max_length=200, help_text="例如：单位名称“示例机械有限公司”")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "盲评泄露提示"
        verbose_name_plural = "盲评泄露提示"
        ordering = ["project_id", "id"]

    def __str__(self):
        return f"#{self.project_id} {self.where}"


class Slot(models.Model):
    """A 答辩 presentation slot, in the order drawn by lot."""

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="slots")
    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="+")
    order = models.PositiveIntegerField("顺序")
    starts_at = models.DateTimeField("开始时间")
    minutes = models.PositiveSmallIntegerField("时长（分钟）")

    class Meta:
        verbose_name = "答辩安排"
        verbose_name_plural = "答辩安排"
        ordering = ["round_id", "order"]
        constraints = [
            models.UniqueConstraint(fields=["round", "order"], name="slot_unique_order"),
            models.UniqueConstraint(fields=["round", "project"], name="slot_unique_project"),
        ]

    def __str__(self):
        return f"{self.order}. #{self.project_id}"
