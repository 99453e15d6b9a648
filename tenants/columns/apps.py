from django.apps import AppConfig


class ColumnsConfig(AppConfig):
    name = "tenants.columns"
    label = "columns"
    verbose_name = "栏目"
