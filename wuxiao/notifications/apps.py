from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "wuxiao.notifications"
    verbose_name = "通知"
