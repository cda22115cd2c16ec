"""Unit workflow (stages 2–4 inside a unit): directions, key-project resources, advisors and
the level history. Services in `workflow.py`."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from wuxiao.projects.models.project import Project, ProjectLevel


class Direction(models.Model):
    """攻关项目方向: what a unit asks its young workers to work on this year."""

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="directions", verbose_name="竞赛活动"
    )
    unit = models.ForeignKey(
        "people.Organisation", on_delete=models.CASCADE, related_name="directions", verbose_name="单位"
    )
    title = models.CharField("方向", max_length=100, help_text="例如：数控加工工序的降本增效")
    description = models.TextField("说明", blank=True, help_text="例如：围绕主轴箱加工，减少换刀时间、降低刀具损耗")
    order = models.PositiveSmallIntegerField("排序", default=0)
    published = models.BooleanField("已发布", default=False)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "攻关项目方向"
        verbose_name_plural = "攻关项目方向"
        ordering = ["campaign_id", "unit__path", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "unit", "title"], name="direction_unique_title"),
        ]

    def __str__(self):
        return self.title


class KeyResources(models.Model):
    """What a unit gives a key project: funds and equipment (its team is the 申报表's)."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="resources")
    funding = models.DecimalField(
        "配给经费（万元）", max_digits=10, decimal_places=2, default=0, help_text="例如：3.50"
    )
    equipment = models.TextField("配给设备", blank=True, help_text="例如：三坐标测量仪一台（借用质检部）")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "重点项目资源"
        verbose_name_plural = "重点项目资源"
        constraints = [
            models.CheckConstraint(condition=Q(funding__gte=0), name="resources_funding_nonnegative"),
        ]

    def __str__(self):
        return f"{self.project} 资源"


class AdvisorAssignment(models.Model):
    """技术顾问: a person of the unit (or invited) who guides a project."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="advisor_assignments")
    advisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="advising", verbose_name="技术顾问"
    )
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField("指派时间", auto_now_add=True)

    class Meta:
        verbose_name = "技术顾问指派"
        verbose_name_plural = "技术顾问指派"
        ordering = ["project_id", "assigned_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "advisor"], name="advisor_unique_per_project"),
        ]

    def __str__(self):
        return f"{self.advisor} → {self.project}"


class LevelChange(models.Model):
    """Key ↔ general, with the reason: the history the issue asks to keep."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="level_changes")
    from_level = models.CharField("原分类", max_length=8, choices=ProjectLevel.choices, blank=True)
    to_level = models.CharField("新分类", max_length=8, choices=ProjectLevel.choices)
    reason = models.TextField("原因", help_text="例如：项目范围缩小，改为一般项目")
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "分类变更"
        verbose_name_plural = "分类变更"
        ordering = ["project_id", "changed_at", "id"]

    def __str__(self):
        return f"{self.project}: {self.from_level or '—'} → {self.to_level}"
