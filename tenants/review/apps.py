from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "tenants.review"
    label = "review"
    verbose_name = "审核"

    def ready(self):
        from .signal_handlers import register_signal_handlers

        register_signal_handlers()
