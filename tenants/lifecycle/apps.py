from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LifecycleConfig(AppConfig):
    name = "tenants.lifecycle"
    label = "lifecycle"
    verbose_name = _("Site lifecycle")
