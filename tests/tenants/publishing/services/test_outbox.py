"""The outbox consumer: handlers get each event once, in the site's schema, in order per
page; a dispatcher that dies loses nothing; concurrent dispatchers never share an event;
a failing handler leaves its event pending (then failed) with the error recorded."""
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter

from django.conf import settings as django_settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django_tenants.utils import tenant_context

from jiyue.audit.models import OperationLog
from tenants.publishing.models import EventStatus, PublishEvent
from tenants.publishing.queries import failed_events, outbox_counts, page_events
from tenants.publishing.services.outbox import (
    dispatch_pending_events,
    retry_failed_events,
    unregister_event_handler,
)
from tests.tenants.publishing.support import HANDLED, add_column, handlings, home_page, record_handling


def _published_page(site, times=1):
    with tenant_context(site):
        page = add_column(home_page())
        for _ in range(times):
            page.save_revision().publish()
    return page


def _event(site, page):
    return page_events(site, page.pk).get()


def _failing_for(*event_ids, message="资源库不可用"):
    def handler(event):
        record_handling(event)  # rolled back with the failure
        if event.pk in event_ids:
            raise RuntimeError(message)

    return handler


def test_dispatch_hands_each_event_once_to_the_handlers_in_the_site_schema(site, event_handler):
    event = _event(site, _published_page(site))
    event_handler(record_handling)
    report = dispatch_pending_events()
    assert event.pk in report.processed
    event.refresh_from_db()
    assert (event.status, event.attempts, event.last_error) == (EventStatus.PROCESSED, 1, "")
    assert event.processed_at is not None
    [handling] = handlings(event.pk)
    assert (handling.site_id, handling.detail["schema"]) == (site.pk, site.schema_name)
    dispatch_pending_events()
    assert len(handlings(event.pk)) == 1


def test_with_no_handler_registered_events_stay_pending(site, no_registered_handlers):
    event = _event(site, _published_page(site))
    report = dispatch_pending_events()
    assert report.handlers == 0 and report.processed == []
    event.refresh_from_db()
    assert (event.status, event.attempts) == (EventStatus.PENDING, 0)


def test_a_failing_handler_leaves_the_event_pending_with_the_error_recorded(site, event_handler):
    event = _event(site, _published_page(site))
    event_handler(_failing_for(event.pk))
    report = dispatch_pending_events()
    assert event.pk in report.retrying
    event.refresh_from_db()
    assert (event.status, event.attempts, event.processed_at) == (EventStatus.PENDING, 1, None)
    assert event.last_error.startswith("RuntimeError: 资源库不可用")
    assert event.next_attempt_at > timezone.now()
    assert handlings(event.pk) == []  # the handler's own writes were rolled back


def test_events_of_one_page_are_handled_in_order_and_wait_for_an_earlier_failing_one(site, event_handler):
    page = _published_page(site, times=3)
    first, second, third = page_events(site, page.pk)
    failing = event_handler(_failing_for(first.pk))
    dispatch_pending_events()
    assert [event.status for event in page_events(site, page.pk)] == [EventStatus.PENDING] * 3
    assert handlings(second.pk) == handlings(third.pk) == []

    # The first one is due again and the handler works now: all three, in order.
    unregister_event_handler(failing)
    PublishEvent.objects.filter(pk=first.pk).update(next_attempt_at=timezone.now())
    event_handler(record_handling)
    dispatch_pending_events()
    events = list(page_events(site, page.pk))
    assert [event.status for event in events] == [EventStatus.PROCESSED] * 3
    assert [event.attempts for event in events] == [2, 1, 1]
    handled = [handlings(event.pk)[0] for event in events]
    assert [h.pk for h in handled] == sorted(h.pk for h in handled)


def test_after_max_attempts_an_event_is_failed_stops_blocking_its_page_and_can_be_retried(
        site, event_handler, settings):
    settings.JIYUE_PUBLISH_EVENT_MAX_ATTEMPTS = 3
    settings.JIYUE_PUBLISH_EVENT_RETRY_SECONDS = 0
    page = _published_page(site, times=2)
    first, second = page_events(site, page.pk)
    failing = event_handler(_failing_for(first.pk))
    report = dispatch_pending_events()
    assert first.pk in report.failed and second.pk in report.processed
    first.refresh_from_db()
    assert (first.status, first.attempts, first.processed_at) == (EventStatus.FAILED, 3, None)
    assert "资源库不可用" in first.last_error
    assert first in failed_events(site)
    assert outbox_counts()[EventStatus.FAILED] >= 1

    unregister_event_handler(failing)
    event_handler(record_handling)
    assert retry_failed_events(acting_user=None, site=site) == 1
    assert OperationLog.objects.filter(action="retry_failed_publish_events", site=site).exists()
    dispatch_pending_events()
    first.refresh_from_db()
    assert (first.status, first.attempts) == (EventStatus.PROCESSED, 1)
    assert len(handlings(first.pk)) == 1


def _row_is_locked(event_id) -> bool:
    try:
        with transaction.atomic():
            list(PublishEvent.objects.select_for_update(nowait=True).filter(pk=event_id))
    except DatabaseError:
        return True
    return False


def _wait_for(condition, timeout, message):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(message)
        time.sleep(0.1)


def test_a_dispatcher_killed_mid_dispatch_loses_nothing_and_the_next_one_processes_the_event_once(
        site, event_handler, tmp_path):
    event = _event(site, _published_page(site))
    ready = tmp_path / "ready"
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.tenants.publishing.dispatcher_process", str(event.pk), str(ready)],
        cwd=django_settings.REPO_ROOT, env=os.environ.copy(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        _wait_for(lambda: ready.exists() or process.poll() is not None, 60, "the dispatcher did not start")
        assert ready.exists(), process.communicate()[0].decode()
        # The handler is running: the dispatcher holds the row, not yet processed.
        assert _row_is_locked(event.pk)
        event.refresh_from_db()
        assert event.status == EventStatus.PENDING
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    _wait_for(lambda: not _row_is_locked(event.pk), 30, "PostgreSQL kept the dead dispatcher's lock")
    event.refresh_from_db()
    # Still pending, the attempt that died counted, leased until the lease runs out.
    assert (event.status, event.attempts, event.processed_at) == (EventStatus.PENDING, 1, None)
    assert event.next_attempt_at > timezone.now()

    event_handler(record_handling)
    assert event.pk not in dispatch_pending_events().processed  # not before the lease ends
    PublishEvent.objects.filter(pk=event.pk).update(next_attempt_at=timezone.now())
    assert event.pk in dispatch_pending_events().processed
    dispatch_pending_events()
    event.refresh_from_db()
    assert (event.status, event.attempts) == (EventStatus.PROCESSED, 2)
    assert len(handlings(event.pk)) == 1


def test_an_event_that_kills_every_dispatcher_ends_failed_and_stops_holding_back_the_outbox(
        site, event_handler, settings, tmp_path):
    settings.JIYUE_PUBLISH_EVENT_MAX_ATTEMPTS = 3
    page = _published_page(site, times=2)
    poison, later = page_events(site, page.pk)
    other = _event(site, _published_page(site))
    # Two dispatchers have died on it already; this one is its last attempt.
    PublishEvent.objects.filter(pk=poison.pk).update(attempts=2)
    process = subprocess.run(
        [sys.executable, "-m", "tests.tenants.publishing.dispatcher_process", str(poison.pk),
         str(tmp_path / "ready"), "--die"],
        cwd=django_settings.REPO_ROOT, env=os.environ.copy(), capture_output=True, timeout=120)
    assert process.returncode == -signal.SIGKILL, process.stderr.decode()[-2000:]
    poison.refresh_from_db()
    assert (poison.status, poison.attempts) == (EventStatus.PENDING, 3)

    PublishEvent.objects.filter(pk=poison.pk).update(next_attempt_at=timezone.now())  # the lease ran out
    event_handler(record_handling)
    report = dispatch_pending_events()
    assert poison.pk in report.failed and poison.pk in report.crashed
    assert later.pk in report.processed
    poison.refresh_from_db()
    assert poison.status == EventStatus.FAILED and "退出" in poison.last_error
    assert handlings(poison.pk) == []
    # The dead dispatcher had leased the other page's event too, but never started it:
    # no attempt counted, and it is handled once that lease runs out.
    other.refresh_from_db()
    assert (other.status, other.attempts) == (EventStatus.PENDING, 0)
    PublishEvent.objects.filter(pk=other.pk).update(next_attempt_at=timezone.now())
    assert other.pk in dispatch_pending_events().processed


def test_concurrent_dispatchers_never_process_one_event_twice_and_keep_page_order(site, event_handler):
    pages = [_published_page(site, times=3) for _ in range(4)]
    ours = {event.pk: event.page_id for page in pages for event in page_events(site, page.pk)}
    seen, seen_lock = [], threading.Lock()

    def slow_recording_handler(event):
        record_handling(event)
        with seen_lock:
            seen.append((event.pk, threading.get_ident()))
        time.sleep(0.05)

    event_handler(slow_recording_handler)
    start = threading.Barrier(4)
    errors = []

    def dispatcher():
        try:
            start.wait()
            dispatch_pending_events(batch_size=2)
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=dispatcher) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    dispatch_pending_events()  # whatever the threads stopped short of

    ours_seen = [(pk, thread) for pk, thread in seen if pk in ours]
    assert Counter(pk for pk, _ in ours_seen) == Counter(dict.fromkeys(ours, 1))
    assert all(len(handlings(pk)) == 1 for pk in ours)
    assert len({thread for _, thread in ours_seen}) > 1  # they did run side by side
    for page in pages:
        order = [pk for pk, _ in ours_seen if ours[pk] == page.pk]
        assert order == sorted(order)
    assert set(PublishEvent.objects.filter(pk__in=ours).values_list("status", flat=True)) == {
        EventStatus.PROCESSED}
    assert not OperationLog.objects.filter(action=HANDLED, detail__event__in=list(ours)).exclude(
        site=site).exists()
