from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "wuxiao.demo"
    verbose_name = "演示数据"
