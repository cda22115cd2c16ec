"""A campaign (one edition of the competition), its stages and its rule settings."""

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone

from wuxiao.campaigns import rules
from wuxiao.lib.compiled import Compiled
from wuxiao.lib.phones import validate_phone


class CampaignManager(models.Manager):
    def current(self):
        """The campaign marked current, else the one that started last. Nearly every page
        asks: the first read is compiled once per process (lib.compiled)."""
        return _CURRENT.first() or self.order_by("-starts_on").first()


_CURRENT = Compiled(lambda: Campaign.objects.filter(is_current=True)[:1])  # in the default order, as first()


class AwardCapMode(models.TextChoices):
    SEPARATE = "separate", "各等级分别计算（字面理解）"
    CUMULATIVE = "cumulative", "逐级累计计算"


class Campaign(models.Model):
    slug = models.SlugField("标识", unique=True, help_text="例如：liuzhou-2024")
    title = models.CharField("活动名称", max_length=200, help_text="例如：2024年柳州市青年岗位科技“五小”竞赛活动")
    year = models.PositiveIntegerField("年度", help_text="例如：2024")
    city = models.CharField("城市", max_length=50, default="柳州市")
    theme = models.CharField("活动主题", max_length=100, blank=True, help_text="例如：勇于求变、敢于求新、善于求质")
    document_number = models.CharField("文号", max_length=50, blank=True, help_text="例如：柳青联发〔2024〕13号")
    issuers = models.TextField("发文单位", blank=True, help_text="每行一个，例如：共青团柳州市委员会")
    participants = models.TextField("参加对象", blank=True)
    eligibility_text = models.TextField("参加资格", blank=True)
    office = models.CharField("组委会办公室", max_length=100, blank=True, help_text="例如：团市委青年发展部")
    contact_name = models.CharField("联系人", max_length=50, blank=True)
    contact_phone = models.CharField("联系电话", max_length=20, blank=True, validators=[validate_phone])
    contact_email = models.EmailField("联系邮箱", blank=True)
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    is_current = models.BooleanField("当前活动", default=False)

    # Eligibility
    max_age = models.PositiveSmallIntegerField("年龄上限（周岁，含）", default=35)
    age_reference_date = models.DateField("年龄计算基准日", null=True, blank=True, help_text="留空则以活动开始日期为准")
    # Quota (上报名额)
    quota_block_size = models.PositiveIntegerField("名额计算人数单位", default=100)
    quota_per_block = models.PositiveIntegerField("每单位人数可报项目数", default=5)
    quota_minimum = models.PositiveIntegerField("最少可报项目数", default=5)
    quota_cap = models.PositiveIntegerField("最多可报项目数", default=500)
    # Awards (奖项设置)
    award_first_pct = models.PositiveSmallIntegerField("一等奖比例上限（%）", default=10)
    award_second_pct = models.PositiveSmallIntegerField("二等奖比例上限（%）", default=25)
    award_third_pct = models.PositiveSmallIntegerField("三等奖比例上限（%）", default=50)
    award_cap_mode = models.CharField(
        "比例计算方式", max_length=16, choices=AwardCapMode.choices, default=AwardCapMode.SEPARATE
    )
    # Vocabularies of the 申报表
    categories = models.JSONField("项目类别", default=list, help_text='例如：["机械", "化工", …, "其他"]')
    achievement_forms = models.JSONField("成果形式", default=list, help_text='例如：["小发明", "小革新", …]')
    content_directions = models.JSONField("申报内容方向", default=list, help_text="通知第五部分（二）的五类内容")
    allow_direct_achievements = models.BooleanField(
        "允许成果收集阶段直接申报", default=True, help_text="未在立项阶段登记的已完成成果可在成果收集阶段直接申报"
    )
    # 评审认定: the rubric a new review round starts from (editable per round until scoring starts)
    review_criteria = models.JSONField(
        "默认评分项",
        default=list,
        help_text='例如：[{"name": "创新性", "weight": 30, "max_score": 10}, …]',
    )

    # A new value whenever a stage or a stage extension of the campaign is written
    # (campaigns.services.stages_changed): the key under which each app process keeps the
    # stage windows it has read, so a rush does not read them on every request.
    stages_version = models.UUIDField(default=uuid.uuid4, editable=False)

    objects = CampaignManager()

    class Meta:
        verbose_name = "竞赛活动"
        verbose_name_plural = "竞赛活动"
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="campaign_dates_order"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # `stages_version` is set by stages_changed alone: a campaign saved from an object
        # read before a stage changed must not put the old value back.
        if not self._state.adding and kwargs.get("update_fields") is None and not kwargs.get("force_insert"):
            kwargs["update_fields"] = [
                f.name for f in self._meta.concrete_fields if not f.primary_key and f.name != "stages_version"
            ]
        super().save(*args, **kwargs)

    @property
    def reference_date(self) -> date:
        return self.age_reference_date or self.starts_on

    @property
    def quota_settings(self) -> rules.QuotaSettings:
        return rules.QuotaSettings(
            block_size=self.quota_block_size,
            per_block=self.quota_per_block,
            minimum=self.quota_minimum,
            cap=self.quota_cap,
        )

    @property
    def award_cap_settings(self) -> rules.AwardCaps:
        return rules.AwardCaps(
            first_pct=self.award_first_pct,
            second_pct=self.award_second_pct,
            third_pct=self.award_third_pct,
            cumulative=self.award_cap_mode == AwardCapMode.CUMULATIVE,
        )

    @property
    def issuer_list(self) -> list[str]:
        return [line.strip() for line in self.issuers.splitlines() if line.strip()]

    def stage_on(self, day: date | None = None):
        day = day or timezone.localdate()
        for stage in self.stages.all():
            if stage.starts_on <= day <= stage.ends_on:
                return stage
        return None


class CommitteeMember(models.Model):
    """附件1: the organising committee."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="committee_members")
    position = models.CharField("职务", max_length=20, help_text="例如：组长、副组长、组员")
    name = models.CharField("姓名", max_length=50)
    title = models.CharField("单位及职务", max_length=100, help_text="例如：共青团柳州市委员会书记")
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "组委会成员"
        verbose_name_plural = "组委会成员"
        ordering = ["campaign_id", "order"]

    def __str__(self):
        return f"{self.position} {self.name}"


class StageKind(models.TextChoices):
    LAUNCH = "launch", "活动启动"
    REGISTRATION = "registration", "攻关项目立项"
    WORK = "work", "项目攻关"
    COLLECTION = "collection", "成果收集"
    REVIEW = "review", "评审认定"
    PROMOTION = "promotion", "成果推广"


class Stage(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="stages")
    number = models.PositiveSmallIntegerField("阶段序号", help_text="1–6")
    kind = models.CharField("阶段", max_length=16, choices=StageKind.choices)
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    description = models.TextField("主要内容", blank=True)

    class Meta:
        verbose_name = "阶段"
        verbose_name_plural = "阶段"
        ordering = ["campaign_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "kind"], name="stage_unique_kind"),
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="stage_dates_order"),
        ]

    def __str__(self):
        return f"第{self.chinese_number}阶段 {self.get_kind_display()}"

    @property
    def chinese_number(self) -> str:
        return "一二三四五六七八九十"[self.number - 1] if 1 <= self.number <= 10 else str(self.number)

    def status_on(self, day: date) -> str:
        if day < self.starts_on:
            return "upcoming"
        if day > self.ends_on:
            return "done"
        return "current"


class StageExtension(models.Model):
    """The committee keeps a stage open longer for one organisation, with a reason."""

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="extensions")
    organisation = models.ForeignKey("people.Organisation", on_delete=models.CASCADE, related_name="stage_extensions")
    until = models.DateField("延长至")
    reason = models.TextField("原因", help_text="例如：该单位因生产检修，申请延长一周")
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "阶段延期"
        verbose_name_plural = "阶段延期"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.organisation} {self.stage} 延长至 {self.until}"


class Participation(models.Model):
    """A unit in a campaign: that year's young-worker headcount, and so its quota."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="participations")
    organisation = models.ForeignKey("people.Organisation", on_delete=models.CASCADE, related_name="participations")
    young_workers = models.PositiveIntegerField("35岁以下青工人数", default=0, help_text="例如：230")
    reporter_name = models.CharField("填报人", max_length=50, blank=True, help_text="汇总表的填报人，例如：黄小军")
    reporter_phone = models.CharField(
        "联系电话",
        max_length=20,
        blank=True,
        validators=[validate_phone],
        help_text="汇总表的联系电话，例如：0772-2827423",
    )
    workshop_step_enabled = models.BooleanField(
        "启用（车间/分厂/科室/子公司）意见环节",
        default=True,
        help_text="不设车间一级的单位可关闭，成果直接送本单位技术部门",
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "参赛单位"
        verbose_name_plural = "参赛单位"
        constraints = [
            models.UniqueConstraint(fields=["campaign", "organisation"], name="participation_unique"),
        ]

    def __str__(self):
        return f"{self.organisation} · {self.campaign.year}"

    @property
    def quota(self) -> int:
        return rules.quota(self.young_workers, self.campaign.quota_settings)
