from django.apps import AppConfig


class ShowcaseConfig(AppConfig):
    name = "wuxiao.showcase"
    verbose_name = "公开展示"
