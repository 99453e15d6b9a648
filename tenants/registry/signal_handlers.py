"""Keep every process's host map in step with the registry."""
from django.db import transaction
from django.db.models.signals import post_delete, post_save


def _invalidate_host_map(**kwargs):
    from jiyue.routing.hostmap import host_map

    transaction.on_commit(host_map.invalidate)


def register_signal_handlers():
    from .models import Domain, Site

    for model in (Site, Domain):
        post_save.connect(_invalidate_host_map, sender=model, dispatch_uid=f"hostmap-save-{model.__name__}")
        post_delete.connect(_invalidate_host_map, sender=model, dispatch_uid=f"hostmap-delete-{model.__name__}")
