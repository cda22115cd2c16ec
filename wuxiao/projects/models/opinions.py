"""The five opinion boxes of 附件2 (车间 → 技术部门 → 团组织 → 评审小组 → 组委会)."""

from django.conf import settings
from django.db import models

from wuxiao.projects.models.project import Project


class OpinionStep(models.TextChoices):
    """The five opinion boxes of 附件2, in order."""

    WORKSHOP = "workshop", "（车间/分厂/科室/子公司）意见"
    TECH_DEPT = "tech_dept", "本单位技术部门意见"
    LEAGUE = "league", "本单位团组织意见"
    PANEL = "panel", "竞赛评审小组意见"
    COMMITTEE = "committee", "竞赛组委会意见"


class Opinion(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="opinions")
    step = models.CharField("意见环节", max_length=16, choices=OpinionStep.choices)
    text = models.TextField("意见")
    approved = models.BooleanField("同意", default=True)
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="签署人"
    )
    signer_name = models.CharField("签署人姓名", max_length=50)
    signed_on = models.DateField("日期")
    stamp = models.OneToOneField(
        "projects.StoredFile",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="stamp_of",
        verbose_name="盖章（印章图片或签字页扫描件）",
    )
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "意见"
        verbose_name_plural = "意见"
        ordering = ["project_id", "created_at", "id"]

    def __str__(self):
        return f"{self.project} · {self.get_step_display()}"
