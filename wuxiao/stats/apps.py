from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "wuxiao.stats"
    verbose_name = "统计"

    def ready(self):
        # The campaign report and the numbers workbook register as exporters.
        from wuxiao.stats import exports  # noqa: F401
