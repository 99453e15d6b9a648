from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "tenants.access"
    label = "siteaccess"
    verbose_name = "本站权限"
