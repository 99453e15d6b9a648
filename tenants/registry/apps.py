from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "tenants.registry"
    label = "registry"
    verbose_name = "网站注册"

    def ready(self):
        from .signal_handlers import register_signal_handlers

        register_signal_handlers()
