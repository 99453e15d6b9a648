from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class ColumnsConfig(AppConfig):
    name = "tenants.columns"
    label = "columns"
    verbose_name = pgettext_lazy("site tree", "Columns")
