from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "wuxiao.api"
    verbose_name = "接口"
