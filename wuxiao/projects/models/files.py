"""Every file people upload to a project — 附件, 工作记录 files, the 盖章 of an opinion, the
成果证明材料 of the result submission — is one `StoredFile`: stored under a generated name,
shown and downloaded under a safe display name,
and served only through the one permission-checked download view (portal:file_download)."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from wuxiao.projects.models.project import Project


class FilePurpose(models.TextChoices):
    ATTACHMENT = "attachment", "附件"
    WORK_RECORD = "work_record", "工作记录附件"
    STAMP = "stamp", "盖章"
    RESULT_EVIDENCE = "result_evidence", "成果证明材料"


DIRECTORIES = {
    FilePurpose.ATTACHMENT: "attachments",
    FilePurpose.WORK_RECORD: "workrecords",
    "stamp": "stamps",
    FilePurpose.RESULT_EVIDENCE: "evidence",
}


def stored_file_path(instance: "StoredFile", filename: str) -> str:
    """attachments/2024/06/<uuid>.pdf: the directory by purpose, never the user's name."""
    return f"{DIRECTORIES.get(instance.purpose, 'files')}/{timezone.now():%Y/%m}/{filename}"


class StoredFile(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="stored_files")
    purpose = models.CharField("用途", max_length=16, choices=FilePurpose.choices)
    file = models.FileField("文件", upload_to=stored_file_path, max_length=200)
    name = models.CharField(
        "文件名",
        max_length=200,
        help_text="显示和下载时使用的安全文件名，例如：现场照片1.jpg（原文件名去掉路径和控制字符）",
    )
    content_type = models.CharField("文件类型", max_length=100, help_text="按文件内容判定，例如：application/pdf")
    size = models.PositiveIntegerField("大小（字节）")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "上传文件"
        verbose_name_plural = "上传文件"
        ordering = ["project_id", "uploaded_at", "id"]

    def __str__(self):
        return self.name
