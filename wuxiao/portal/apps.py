from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "wuxiao.portal"
    verbose_name = "个人门户"
