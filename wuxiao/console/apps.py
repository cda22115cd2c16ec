from django.apps import AppConfig


class ConsoleConfig(AppConfig):
    name = "wuxiao.console"
    verbose_name = "管理后台"
