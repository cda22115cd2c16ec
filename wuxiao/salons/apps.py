from django.apps import AppConfig


class SalonsConfig(AppConfig):
    name = "wuxiao.salons"
    verbose_name = "青年创新沙龙"
