"""Celery task of the outbox (queue "publishing"): dispatch pending publish events.
Sent after every transaction that wrote events, and by the beat schedule
(CELERY_BEAT_SCHEDULE "dispatch-publish-events") to catch up after outages and retries."""
from django.db import OperationalError
from django_tenants.utils import get_public_schema_name, schema_context

from jiyue.celery_app import app


@app.task(bind=True, acks_late=True, ignore_result=True, autoretry_for=(OperationalError,), retry_backoff=True,
          max_retries=3)
def dispatch_publish_events_task(self, batch_size: int | None = None) -> dict:
    from .services.outbox import DEFAULT_BATCH_SIZE, dispatch_pending_events

    with schema_context(get_public_schema_name()):
        return dispatch_pending_events(batch_size=batch_size or DEFAULT_BATCH_SIZE).as_dict()


def queue_dispatch_task() -> None:
    """Send the task from the public schema, whatever schema the sender is in:
    tenant-schemas-celery runs a task in the schema it was sent from (and an eager task,
    in the demo, would leave the sender's connection on a bare schema name)."""
    with schema_context(get_public_schema_name()):
        dispatch_publish_events_task.apply_async()
