"""奖项: the committee's allocation of 特等奖/一等奖/二等奖/三等奖 to forwarded projects, its history,
lock and publication; 优秀组织奖 winners; patent help (六(六) 协助申报专利).

Allocation is a pure function (`rules.allocate`); every write goes through `services.py`, which
checks the committee's permission, the lock and the caps."""

from django.conf import settings
from django.db import models

from wuxiao.awards import rules


class AwardLevel(models.TextChoices):
    SPECIAL = rules.SPECIAL, "特等奖"
    FIRST = rules.FIRST, "一等奖"
    SECOND = rules.SECOND, "二等奖"
    THIRD = rules.THIRD, "三等奖"
    NONE = rules.NONE, "未获奖"


class ResultStatus(models.TextChoices):
    DRAFT = "draft", "评定中"
    LOCKED = "locked", "已锁定"
    PUBLISHED = "published", "已发布"


class AwardSheet(models.Model):
    """One campaign's award results: the proposal, the committee's adjustments, lock and publication."""

    campaign = models.OneToOneField(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="award_sheet", verbose_name="竞赛活动"
    )
    specials = models.PositiveSmallIntegerField(
        "特等奖数量", default=0, help_text="组委会设定（“若干”），例如：2；不占一等奖比例，除非活动另有规定"
    )
    specials_in_caps = models.BooleanField("特等奖计入一等奖比例", default=False)
    basis = models.CharField("排名依据", max_length=100, blank=True, help_text="例如：初评 · 标准化得分")
    total = models.PositiveIntegerField("上报项目数 N", default=0)
    certificate_wording = models.CharField(
        "证书用语", max_length=200, default="特发此证，以资鼓励。", help_text="例如：特发此证，以资鼓励。"
    )
    seal = models.FileField(
        "证书印章图片", upload_to="seals/%Y/", blank=True, help_text="组委会印章扫描件（PNG/JPG），印在证书落款处"
    )
    status = models.CharField("状态", max_length=12, choices=ResultStatus.choices, default=ResultStatus.DRAFT)
    proposed_at = models.DateTimeField("生成建议时间", null=True, blank=True)
    locked_at = models.DateTimeField("锁定时间", null=True, blank=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        verbose_name = "奖项评定"
        verbose_name_plural = "奖项评定"

    def __str__(self):
        return f"{self.campaign} 奖项评定"

    @property
    def is_editable(self) -> bool:
        return self.status == ResultStatus.DRAFT

    @property
    def is_published(self) -> bool:
        return self.status == ResultStatus.PUBLISHED

    def limits(self) -> rules.Limits:
        return rules.limits(
            total=self.total,
            specials=self.specials,
            caps=self.campaign.award_cap_settings,
            specials_in_caps=self.specials_in_caps,
        )


class Award(models.Model):
    """The award of one forwarded project: the proposal from the ranking and the level decided."""

    sheet = models.ForeignKey(AwardSheet, on_delete=models.CASCADE, related_name="awards")
    project = models.OneToOneField("projects.Project", on_delete=models.CASCADE, related_name="award")
    rank = models.PositiveIntegerField("排名")
    score = models.DecimalField("得分", max_digits=7, decimal_places=2, null=True, blank=True)
    proposed_level = models.CharField("建议奖项", max_length=8, choices=AwardLevel.choices)
    level = models.CharField("评定奖项", max_length=8, choices=AwardLevel.choices)
    tie_note = models.CharField("并列提示", max_length=300, blank=True)
    reason = models.TextField("调整理由", blank=True, help_text="例如：评审小组复议，该项目推广价值突出")
    certificate_number = models.CharField("证书编号", max_length=32, unique=True, null=True, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "项目奖项"
        verbose_name_plural = "项目奖项"
        ordering = ["sheet", "rank", "id"]
        indexes = [models.Index(fields=["sheet", "level"])]

    def __str__(self):
        return f"{self.project} · {self.get_level_display()}"

    @property
    def is_prize(self) -> bool:
        return self.level != AwardLevel.NONE

    @property
    def adjusted(self) -> bool:
        return self.level != self.proposed_level


class AwardChange(models.Model):
    """Every proposal and adjustment, so any award can be traced from the scores to the list."""

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="changes")
    from_level = models.CharField("原奖项", max_length=8, choices=AwardLevel.choices, blank=True)
    to_level = models.CharField("新奖项", max_length=8, choices=AwardLevel.choices)
    reason = models.TextField("理由")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "奖项变更"
        verbose_name_plural = "奖项变更"
        ordering = ["award_id", "at", "id"]

    def __str__(self):
        return f"{self.award.project}: {self.from_level or '—'} → {self.to_level}"


class OrganisationAward(models.Model):
    """优秀组织奖: an organisation the committee chose for how it ran the activity."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="organisation_awards")
    organisation = models.ForeignKey(
        "people.Organisation", on_delete=models.PROTECT, related_name="organisation_awards", verbose_name="组织"
    )
    reason = models.TextField("评选理由", blank=True, help_text="例如：参与率全市第一，重点项目全部按期上报")
    chosen_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    chosen_at = models.DateTimeField("评选时间", auto_now_add=True)

    class Meta:
        verbose_name = "优秀组织奖"
        verbose_name_plural = "优秀组织奖"
        ordering = ["campaign_id", "organisation__path"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "organisation"], name="organisation_award_once"),
        ]

    def __str__(self):
        return f"{self.organisation} 优秀组织奖"


class PatentStatus(models.TextChoices):
    ASSESSING = "assessing", "待评估"
    COACHING = "coaching", "辅导中"
    FILED = "filed", "已提交"
    ACCEPTED = "accepted", "已受理"
    GRANTED = "granted", "已授权"
    REJECTED = "rejected", "未通过"


# Patent help moves forward only, and ends in 已授权 or 未通过.
PATENT_STEPS: dict[str, set[str]] = {
    PatentStatus.ASSESSING: {PatentStatus.COACHING, PatentStatus.REJECTED},
    PatentStatus.COACHING: {PatentStatus.FILED, PatentStatus.REJECTED},
    PatentStatus.FILED: {PatentStatus.ACCEPTED, PatentStatus.REJECTED},
    PatentStatus.ACCEPTED: {PatentStatus.GRANTED, PatentStatus.REJECTED},
    PatentStatus.GRANTED: set(),
    PatentStatus.REJECTED: set(),
}


class PatentCase(models.Model):
    """协助申报专利: an awarded project whose team is willing to apply for a patent."""

    project = models.OneToOneField("projects.Project", on_delete=models.CASCADE, related_name="patent_case")
    status = models.CharField("状态", max_length=12, choices=PatentStatus.choices, default=PatentStatus.ASSESSING)
    patent_number = models.CharField("专利号", max_length=40, blank=True, help_text="例如：ZL202410123456.7")
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "专利申报协助"
        verbose_name_plural = "专利申报协助"

    def __str__(self):
        return f"{self.project} · {self.get_status_display()}"


class PatentEvent(models.Model):
    case = models.ForeignKey(PatentCase, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField("原状态", max_length=12, choices=PatentStatus.choices, blank=True)
    to_status = models.CharField("新状态", max_length=12, choices=PatentStatus.choices)
    on = models.DateField("日期", help_text="例如：2025-06-18")
    note = models.TextField("说明", blank=True, help_text="例如：已由知识产权服务中心受理，申请号 2025101234567")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "专利进展"
        verbose_name_plural = "专利进展"
        ordering = ["case", "on", "id"]

    def __str__(self):
        return f"{self.case.project}: {self.to_status}"
