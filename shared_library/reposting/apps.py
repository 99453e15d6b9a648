from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RepostingConfig(AppConfig):
    name = "shared_library.reposting"
    label = "reposting"
    verbose_name = _("Reposting")

    def ready(self):
        # A repost's page going live (through the target site's review) or being taken
        # down reaches the repost's record through the outbox, whatever the entry point.
        from tenants.publishing.services.outbox import register_event_handler

        from .services.subscriptions import deliver_new_item
        from .services.tracking import track_repost_event

        register_event_handler(track_repost_event)
        # After the library's consumer (an earlier app) has stored the item.
        register_event_handler(deliver_new_item)
