"""The index follows the library: a resource saved (ingest from the outbox, rebuild,
schema upgrade) is indexed, or taken out of the index, in the same transaction."""
from django.db.models.signals import post_delete, post_save

from shared_library.resources.models import Resource

from .backends import get_backend


def index_resource(sender, instance, **kwargs):
    get_backend().index(instance)


def remove_resource(sender, instance, **kwargs):
    get_backend().remove(instance)


def register_signal_handlers():
    post_save.connect(index_resource, sender=Resource, dispatch_uid="search_index_resource")
    post_delete.connect(remove_resource, sender=Resource, dispatch_uid="search_remove_resource")
