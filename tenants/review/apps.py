from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    name = "tenants.review"
    label = "review"
    verbose_name = _("Review")

    def ready(self):
        from . import compare
        from .signal_handlers import register_signal_handlers

        register_signal_handlers()
        # Revision compare marks changed Chinese characters, not whole sentences.
        # Wagtail has no hook for its text diff, so this replaces
        # wagtail.admin.compare.diff_text (see compare.install).
        compare.install()
