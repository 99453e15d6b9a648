from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "jiyue.audit"
    label = "audit"
    verbose_name = "操作日志"
