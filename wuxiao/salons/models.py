"""青年创新沙龙 (八(二) of the notice: 团市委将举办数场青年创新沙龙). A small data app of its own: salons
belong to a campaign but have their own people (sign-ups, a waiting list) and their own
lifecycle (announce → sign up → hold → notes and photos), which campaigns need not know."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class Salon(models.Model):
    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="salons")
    topic = models.CharField("主题", max_length=100, help_text="例如：数控加工中的降本增效小窍门")
    starts_at = models.DateTimeField("开始时间", help_text="例如：2025-05-20 14:30")
    place = models.CharField("地点", max_length=100, help_text="例如：柳州市青少年活动中心三楼报告厅")
    speakers = models.TextField("主讲嘉宾/专家", blank=True, help_text="每行一位，例如：潘立新（高级工程师）")
    description = models.TextField("简介", blank=True)
    capacity = models.PositiveIntegerField("名额", help_text="例如：60")
    signup_deadline = models.DateTimeField("报名截止时间")
    notes = models.TextField("活动纪要", blank=True, help_text="活动结束后由组委会填写")
    reminded_at = models.DateTimeField("提醒发送时间", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "青年创新沙龙"
        verbose_name_plural = "青年创新沙龙"
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="salon_capacity_positive"),
        ]

    def __str__(self):
        return self.topic

    @property
    def speaker_list(self) -> list[str]:
        return [s.strip() for s in self.speakers.splitlines() if s.strip()]


class SignupStatus(models.TextChoices):
    CONFIRMED = "confirmed", "已报名"
    WAITING = "waiting", "候补"
    CANCELLED = "cancelled", "已取消"


class Signup(models.Model):
    salon = models.ForeignKey(Salon, on_delete=models.CASCADE, related_name="signups")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="salon_signups")
    status = models.CharField("状态", max_length=12, choices=SignupStatus.choices)
    created_at = models.DateTimeField("报名时间", auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "沙龙报名"
        verbose_name_plural = "沙龙报名"
        ordering = ["salon_id", "created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["salon", "user"], name="salon_signup_once")]

    def __str__(self):
        return f"{self.user} · {self.salon}"


class SalonPhoto(models.Model):
    salon = models.ForeignKey(Salon, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField("照片", upload_to="salons/%Y/")
    caption = models.CharField("说明", max_length=100, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "沙龙照片"
        verbose_name_plural = "沙龙照片"
        ordering = ["salon_id", "id"]

    def __str__(self):
        return self.caption or f"{self.salon} 照片"
