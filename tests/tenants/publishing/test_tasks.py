"""The dispatch task: sent when a transaction that wrote events commits, run by a real
Celery worker (one that has a handler registered, see worker_app.py), by beat, and in
the demo (no Redis) eagerly, right after the commit."""
import os
import time

import pytest
from django.conf import settings
from django.db import connection
from django_tenants.utils import tenant_context

from jiyue.celery_app import app
from tenants.publishing.models import EventStatus
from tenants.publishing.queries import page_events
from tenants.publishing.tasks import dispatch_publish_events_task
from tests.celery_worker import running_worker
from tests.tenants.publishing.support import (
    add_column,
    handlings,
    home_page,
    record_handling,
    reset_celery_router,
)


@pytest.fixture(scope="module")
def publishing_worker(django_db_setup, tmp_path_factory):
    """A Celery worker on a queue of its own that receives the publishing tasks."""
    queue = f"test-publishing-{os.getpid()}"
    ours = "tenants.publishing.tasks.*"
    with running_worker("tests.tenants.publishing.worker_app", queue, tmp_path_factory) as log:
        routes = app.conf.task_routes
        # First, so that a catch-all route of another worker fixture does not win.
        app.conf.task_routes = {ours: {"queue": queue},
                                **{k: v for k, v in dict(routes or {}).items() if k != ours}}
        reset_celery_router()
        try:
            yield log
        finally:
            app.conf.task_routes = routes
            reset_celery_router()


@pytest.mark.celery
def test_a_committed_publish_makes_the_worker_dispatch_its_event(publishing_worker, site):
    with tenant_context(site):
        page = add_column(home_page())
        page.save_revision().publish()
    event = page_events(site, page.pk).get()
    deadline = time.monotonic() + 30
    while event.status == EventStatus.PENDING and time.monotonic() < deadline:
        time.sleep(0.2)
        event.refresh_from_db()
    assert event.status == EventStatus.PROCESSED, publishing_worker.read_text()[-3000:]
    [handling] = handlings(event.pk)
    assert handling.detail["pid"] != os.getpid()  # the worker handled it
    assert handling.detail["schema"] == site.schema_name
    assert event.attempts == 1


def test_the_task_is_routed_to_the_publishing_queue_and_scheduled_by_beat():
    assert settings.CELERY_TASK_ROUTES["tenants.publishing.tasks.*"] == {"queue": "publishing"}
    assert dispatch_publish_events_task.name.startswith("tenants.publishing.tasks.")
    entry = settings.CELERY_BEAT_SCHEDULE["dispatch-publish-events"]
    assert entry["task"] == dispatch_publish_events_task.name
    assert entry["task"] in app.tasks


def test_in_eager_mode_the_event_is_dispatched_at_commit_and_the_site_stays_selected(
        site, event_handler, monkeypatch):
    monkeypatch.setattr(app.conf, "task_always_eager", True)
    event_handler(record_handling)
    with tenant_context(site):
        page = add_column(home_page())
        page.save_revision().publish()
        assert connection.tenant == site and connection.schema_name == site.schema_name
    event = page_events(site, page.pk).get()
    assert event.status == EventStatus.PROCESSED
    assert handlings(event.pk)[0].detail["pid"] == os.getpid()
