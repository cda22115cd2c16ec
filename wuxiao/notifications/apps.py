from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "wuxiao.notifications"
    verbose_name = "通知"

    def ready(self):
        from wuxiao.notifications.services import UNREAD_ATTRIBUTE, unread_count_expression
        from wuxiao.people.backends import USER_ANNOTATIONS

        USER_ANNOTATIONS[UNREAD_ATTRIBUTE] = unread_count_expression
