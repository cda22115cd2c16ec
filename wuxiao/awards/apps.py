from django.apps import AppConfig


class AwardsConfig(AppConfig):
    name = "wuxiao.awards"
    verbose_name = "奖项"
