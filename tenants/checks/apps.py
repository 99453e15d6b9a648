from django.apps import AppConfig


class ChecksConfig(AppConfig):
    name = "tenants.checks"
    label = "checks"
    verbose_name = "内容检查"
