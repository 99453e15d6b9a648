"""The Celery app of the publishing tests' worker: Jiyue's app, plus the handler that
records every event it handles (support.record_handling)."""
import django

django.setup()

from jiyue.celery_app import app  # noqa: E402,F401
from tenants.publishing.services.outbox import register_event_handler  # noqa: E402
from tests.tenants.publishing.support import record_handling  # noqa: E402

register_event_handler(record_handling)
