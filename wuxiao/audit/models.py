from django.conf import settings
from django.db import models


class AuditEntry(models.Model):
    """One change somebody made: who, when, what, before and after. Append-only."""

    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        verbose_name="操作人",
        related_name="+",
    )
    actor_name = models.CharField("操作人姓名", max_length=100, blank=True)
    ip_address = models.GenericIPAddressField("IP 地址", null=True, blank=True)
    action = models.CharField("操作", max_length=64, db_index=True, help_text="例如：organisation.create")
    target_type = models.CharField("对象类型", max_length=64, blank=True)
    target_id = models.CharField("对象编号", max_length=64, blank=True)
    target_repr = models.CharField("对象", max_length=200, blank=True)
    before = models.JSONField("修改前", null=True, blank=True)
    after = models.JSONField("修改后", null=True, blank=True)
    note = models.TextField("说明", blank=True)
    # The path of the organisation the target belongs to (an organisation's own, a project's
    # unit's, a membership's organisation's), so a district reads the log of its subtree.
    organisation_path = models.CharField(
        "所属组织路径", max_length=255, blank=True, db_index=True, help_text="例如：000001.000004."
    )

    class Meta:
        verbose_name = "审计记录"
        verbose_name_plural = "审计记录"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.target_repr}"
