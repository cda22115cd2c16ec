"""成果推广: what the committee makes public of an awarded project. The public showcase reads
only these entries (and only once the campaign's results are published): never phones, birth
dates, drafts, or fields the committee did not choose."""

from django.conf import settings
from django.db import models


class PublicEntry(models.Model):
    project = models.OneToOneField("projects.Project", on_delete=models.CASCADE, related_name="public_entry")
    visible = models.BooleanField("公开展示", default=True)
    summary = models.TextField(
        "公开简介",
        blank=True,
        help_text="组委会审定的公开简介，不改动申报表，例如：该装置将送料时间由 40 秒缩短至 12 秒，年节约成本 18 万元。",
    )
    show_team = models.BooleanField("公开团队成员姓名", default=True)
    show_benefit = models.BooleanField("公开创造效益", default=False)
    images = models.ManyToManyField(
        "projects.Attachment",
        blank=True,
        related_name="+",
        verbose_name="公开图片",
        help_text="只可选择项目附件中的图片",
    )
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "公开成果"
        verbose_name_plural = "公开成果"

    def __str__(self):
        return f"{self.project} · {'公开' if self.visible else '不公开'}"


class BookletFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "Word"


class PublicBooklet(models.Model):
    """案例集 online: the 优秀项目案例集 the committee published for a campaign, a copy of a finished
    export built from the public entries only (`booklet.*` with params["public"]). The showcase
    offers it while the campaign's results are published and no public entry has changed since
    it was generated (`generated_at`): a project hidden later never stays downloadable."""

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="public_booklets", verbose_name="竞赛活动"
    )
    format = models.CharField("格式", max_length=4, choices=BookletFormat.choices)
    file = models.FileField("文件", upload_to="booklets/%Y/")
    filename = models.CharField("下载文件名", max_length=200, help_text="例如：优秀项目案例集-2024.pdf")
    size = models.PositiveBigIntegerField("大小（字节）", default=0)
    generated_at = models.DateTimeField("生成时间", help_text="生成该文件的导出任务提交的时间")
    job = models.ForeignKey(
        "documents.ExportJob",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="导出任务",
    )
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField("发布时间", auto_now=True)

    class Meta:
        verbose_name = "公开案例集"
        verbose_name_plural = "公开案例集"
        ordering = ["campaign_id", "format"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "format"], name="public_booklet_one_per_format"),
        ]

    def __str__(self):
        return f"{self.campaign} 优秀项目案例集（{self.get_format_display()}）"
