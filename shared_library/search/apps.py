from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "shared_library.search"
    label = "search"
    verbose_name = _("Province-wide search")

    def ready(self):
        from .signal_handlers import register_signal_handlers

        register_signal_handlers()
