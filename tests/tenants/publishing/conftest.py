"""Fixtures of the publishing tests.

Every event sends the dispatch task on commit. Celery builds its task router once, at
the first send, from the routes of that moment; each test here drops it again, so a
later test's worker fixture (tests/celery_worker.py) can still route tasks to its
queue. The tasks sent to the "publishing" queue, which no test worker consumes, are
purged at the end of the module."""
import pytest

from jiyue.celery_app import app
from tenants.publishing.services.outbox import event_handlers, register_event_handler, unregister_event_handler
from tests.factories import make_online_site
from tests.tenants.publishing.support import reset_celery_router


@pytest.fixture(autouse=True)
def _fresh_celery_router():
    yield
    reset_celery_router()


@pytest.fixture(autouse=True, scope="module")
def _purge_publishing_queue():
    yield
    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge("publishing")


@pytest.fixture
def site():
    return make_online_site()


@pytest.fixture
def event_handler():
    """Registers handlers for the test; they are unregistered afterwards."""
    registered = []

    def register(handler):
        registered.append(register_event_handler(handler))
        return handler

    yield register
    for handler in registered:
        unregister_event_handler(handler)


@pytest.fixture
def no_registered_handlers():
    """No handler at all for the test (the library's consumer is registered at start-up,
    shared_library.resources); they are registered again afterwards."""
    saved = event_handlers()
    for handler in saved:
        unregister_event_handler(handler)
    yield
    for handler in saved:
        register_event_handler(handler)


@pytest.fixture(autouse=True)
def _outbox_of_this_test_only():
    """These tests dispatch the whole outbox: the events earlier tests of the session
    left pending (nothing consumes them there) are removed first, so that a dispatch
    here handles this test's events, not thousands of others' through the library's
    consumer."""
    from tenants.publishing.models import EventStatus, PublishEvent

    PublishEvent.objects.filter(status=EventStatus.PENDING).delete()
