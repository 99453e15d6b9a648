from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "tenants.registry"
    label = "registry"
    verbose_name = _("Site registry")

    def ready(self):
        from .signal_handlers import register_signal_handlers

        register_signal_handlers()
