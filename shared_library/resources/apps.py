from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResourcesConfig(AppConfig):
    name = "shared_library.resources"
    label = "resources"
    verbose_name = _("Unified information resource library")

    def ready(self):
        # Every worker that dispatches the publish-event outbox feeds the library.
        from tenants.publishing.services.outbox import register_event_handler

        from .services.ingest import ingest_event

        register_event_handler(ingest_event)
