from django.apps import AppConfig


class PublicationConfig(AppConfig):
    name = "wuxiao.publication"
    verbose_name = "成果发布"
