"""工作记录 kept by the team during 项目攻关, their files and the advisors' comments."""

from django.conf import settings
from django.db import models

from wuxiao.projects.models.project import Project


class WorkRecord(models.Model):
    """工作记录 kept by the team during 项目攻关."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="work_records")
    date = models.DateField("日期", help_text="例如：2024-08-15")
    done = models.TextField("工作内容", help_text="例如：完成送料机构样机装配并试运行 2 小时")
    problems = models.TextField("存在问题", blank=True, help_text="例如：送料定位误差 0.3 mm，超出要求")
    next_steps = models.TextField("下一步计划", blank=True, help_text="例如：更换定位销，复测误差")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("填写时间", auto_now_add=True)

    class Meta:
        verbose_name = "工作记录"
        verbose_name_plural = "工作记录"
        ordering = ["project_id", "-date", "-id"]
        indexes = [models.Index(fields=["project", "date"])]

    def __str__(self):
        return f"{self.project} {self.date}"


class WorkRecordFile(models.Model):
    """A photo or scan that goes with a work record; the file itself is a StoredFile."""

    record = models.ForeignKey(WorkRecord, on_delete=models.CASCADE, related_name="files")
    stored = models.OneToOneField("projects.StoredFile", on_delete=models.CASCADE, related_name="work_record_file")

    class Meta:
        verbose_name = "工作记录附件"
        verbose_name_plural = "工作记录附件"
        ordering = ["record_id", "id"]

    def __str__(self):
        return self.stored.name

    file = property(lambda self: self.stored.file)
    original_name = property(lambda self: self.stored.name)
    content_type = property(lambda self: self.stored.content_type)
    size = property(lambda self: self.stored.size)


class WorkRecordComment(models.Model):
    """An advisor's guidance on a work record; `signed_off` is the advisor's 签字确认."""

    record = models.ForeignKey(WorkRecord, on_delete=models.CASCADE, related_name="comments")
    advisor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField("指导意见", help_text="例如：定位销改用淬火钢，注意记录复测数据")
    signed_off = models.BooleanField("签字确认", default=False)
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "顾问意见"
        verbose_name_plural = "顾问意见"
        ordering = ["record_id", "created_at", "id"]

    def __str__(self):
        return f"{self.advisor}：{self.text[:20]}"
