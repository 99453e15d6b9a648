from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "tenants.publishing"
    label = "publishing"
    verbose_name = "发布事件"

    def ready(self):
        from .signal_handlers import register_signal_handlers

        register_signal_handlers()
