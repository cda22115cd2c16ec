from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "wuxiao.audit"
    verbose_name = "审计日志"
