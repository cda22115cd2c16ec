from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "wuxiao.documents"
    verbose_name = "文书导出"

    def ready(self):
        # Exporters register themselves when their module is imported.
        from wuxiao.documents import exporters  # noqa: F401
