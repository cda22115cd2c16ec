"""Background exports: one row per requested document, so a long build (a 200-project
案例集) shows its progress and its result stays downloadable after the page is closed."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class JobStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "生成中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


class ExportJob(models.Model):
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="export_jobs", verbose_name="申请人"
    )
    exporter = models.CharField("导出类型", max_length=50, help_text="登记表中的标识，例如：booklet.pdf")
    params = models.JSONField("参数", default=dict, blank=True, help_text='例如：{"campaign": 1, "projects": [3, 5]}')
    status = models.CharField("状态", max_length=8, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField("进度（%）", default=0)
    task_id = models.CharField("任务编号", max_length=64, blank=True)
    result = models.FileField("结果文件", upload_to="exports/%Y/%m/", blank=True)
    filename = models.CharField("下载文件名", max_length=200, blank=True, help_text="例如：优秀项目案例集.pdf")
    content_type = models.CharField("文件类型", max_length=100, blank=True)
    error = models.TextField("错误信息", blank=True)
    created_at = models.DateTimeField("提交时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "导出任务"
        verbose_name_plural = "导出任务"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["created_by", "-created_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="export_job_progress_max_100"),
        ]

    def __str__(self):
        return f"{self.filename or self.exporter}（{self.get_status_display()}）"

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)
