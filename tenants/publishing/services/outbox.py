"""The publish-event outbox (see tenants/publishing/README.md).

Writing: `record_page_event` adds one `PublishEvent` to the current database transaction,
the one that changes the page (the signal handlers call it), and asks for a dispatch once
that transaction commits. A rolled-back change leaves no event; a committed one always
has its event, whatever happens to the process afterwards.

Consuming: `dispatch_pending_events` claims pending events with
`SELECT ... FOR UPDATE SKIP LOCKED` and leases them (JIYUE_PUBLISH_EVENT_LEASE_SECONDS),
so two dispatchers never get the same event. Each event then has its attempt counted
(committed first), and is handled in a transaction of its own that runs the registered
handlers and marks it processed. A dispatcher that dies mid-event rolls that event back:
it is pending again once the lease ends, with the attempt counted, so an event that
kills every dispatcher ends `failed` instead of stalling the outbox. Of one page, only
the oldest pending event can be claimed, so a page's events are handled in order. A
handler error is recorded on the event, which is retried later with backoff and ends
`failed` after JIYUE_PUBLISH_EVENT_MAX_ATTEMPTS attempts."""
import logging
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import ngettext
from django_tenants.utils import get_public_schema_name, schema_context, tenant_context

from jiyue.audit.services import log_operation
from tenants.registry.models import Site

from ..models import EventKind, EventStatus, PublishEvent
from ..queries import site_of_current_schema

logger = logging.getLogger(__name__)

DEFAULT_BATCH_SIZE = 100
# One dispatch call stops after this many batches; the next call (task or beat) goes on.
DEFAULT_MAX_BATCHES = 50
DEFAULT_MAX_ATTEMPTS = 10
DEFAULT_RETRY_SECONDS = 60
DEFAULT_LEASE_SECONDS = 300
MAX_RETRY_DELAY = timedelta(hours=6)
ERROR_LENGTH = 4000

EventHandler = Callable[[PublishEvent], None]

_handlers: list[EventHandler] = []
_handlers_lock = threading.Lock()


# Handler registry ------------------------------------------------------------------

def register_event_handler(handler: EventHandler) -> EventHandler:
    """Have `handler(event)` called for every event dispatched from now on, in this
    process. Register from an AppConfig.ready() so that every process that dispatches
    (Celery workers, commands) has the handler. Returns the handler (usable as a
    decorator); registering one twice is a no-op.

    The handler runs inside the event's site (`tenant_context(event.site)`) and inside
    the dispatcher's transaction: what it writes to the database commits together with
    the event's "processed" mark, exactly once; if it raises, its writes are rolled
    back and the event is retried. Effects outside the database may repeat after a
    crash, so they must be idempotent."""
    with _handlers_lock:
        if handler not in _handlers:
            _handlers.append(handler)
    return handler


def unregister_event_handler(handler: EventHandler) -> None:
    with _handlers_lock:
        if handler in _handlers:
            _handlers.remove(handler)


def event_handlers() -> tuple[EventHandler, ...]:
    with _handlers_lock:
        return tuple(_handlers)


# Writing -----------------------------------------------------------------------------

def record_page_event(*, kind: EventKind, page_id: int, revision_id: int | None = None,
                      payload: dict | None = None) -> PublishEvent | None:
    """Add an event about a page of the site the connection is in, in the current
    transaction. Returns None (and writes nothing) in the public and template schemas."""
    schema = connection.schema_name
    if schema == get_public_schema_name() or schema in settings.JIYUE_TEMPLATE_SCHEMAS.values():
        return None
    site = site_of_current_schema()
    if site is None:
        logger.error("No site owns schema %s: %s of page %s is not recorded", schema, kind, page_id)
        return None
    if not connection.in_atomic_block:
        # The page change has committed already; a crash right now would lose the event.
        # Page models take AtomicPublishingMixin (tenants.publishing.page_mixins) to avoid this.
        logger.warning("%s event of page %s in %s is written outside the page change's transaction",
                       kind, page_id, schema)
    event = PublishEvent.objects.create(site=site, page_id=page_id, revision_id=revision_id, kind=kind,
                                        payload=payload or {})
    _queue_dispatch_on_commit()
    return event


def _queue_dispatch_on_commit() -> None:
    """One dispatch task per transaction, however many events it writes."""
    if connection.in_atomic_block and any(
        func is _queue_dispatch for _savepoints, func, _robust in connection.run_on_commit
    ):
        return
    # robust: a broker outage must not fail the request whose change has committed;
    # the events wait in the table for the next task or the beat schedule.
    transaction.on_commit(_queue_dispatch, robust=True)


def _queue_dispatch() -> None:
    from ..tasks import queue_dispatch_task

    queue_dispatch_task()


# Consuming ---------------------------------------------------------------------------

@dataclass
class DispatchReport:
    handlers: int = 0
    batches: int = 0
    processed: list[int] = field(default_factory=list)
    retrying: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    # Failed because their dispatcher died handling them every time (among `failed`).
    crashed: list[int] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"handlers": self.handlers, "batches": self.batches, "processed": len(self.processed),
                "retrying": len(self.retrying), "failed": len(self.failed), "crashed": len(self.crashed)}


def dispatch_pending_events(*, batch_size: int = DEFAULT_BATCH_SIZE,
                            max_batches: int = DEFAULT_MAX_BATCHES) -> DispatchReport:
    """Hand pending events to the registered handlers, batch after batch, until
    none can be claimed (or `max_batches` batches). With no handler registered, events
    stay pending: nothing consumes them yet, and the consumer gets the backlog once it
    registers."""
    handlers = event_handlers()
    report = DispatchReport(handlers=len(handlers))
    if not handlers:
        return report
    with schema_context(get_public_schema_name()):
        while report.batches < max_batches:
            if not _dispatch_batch(handlers, batch_size, report):
                break
            report.batches += 1
    return report


def _dispatch_batch(handlers, batch_size: int, report: DispatchReport) -> int:
    """Lease a batch (committed), then handle its events one transaction each."""
    leased, claimed = _lease_pending_events(batch_size, report)
    for event_id in leased:
        _count_attempt(event_id)
        with transaction.atomic():
            event = (PublishEvent.objects.select_for_update().select_related("site")
                     .filter(pk=event_id, status=EventStatus.PENDING).first())
            if event is not None:
                _handle_event(event, handlers, report)
    return claimed


@transaction.atomic
def _lease_pending_events(batch_size: int, report: DispatchReport) -> tuple[list[int], int]:
    """Claim due events and lease them (`next_attempt_at` = now + lease), so that no
    other dispatcher takes them while this one works through the batch. An event that
    has used up its attempts without its outcome being recorded (its dispatcher died
    while handling it, every time) is failed here instead of being handled again: it
    must not crash every dispatcher and hold back its page for ever."""
    events = _claim_pending_events(batch_size)
    exhausted = [event for event in events if event.attempts >= _max_attempts()]
    for event in exhausted:
        event.status, event.next_attempt_at = EventStatus.FAILED, None
        event.last_error = event.last_error or ngettext(
            "The process handling this event exited while handling it (%(attempts)d time); no more retries",
            "The process handling this event exited while handling it (%(attempts)d times); no more retries",
            event.attempts,
        ) % {"attempts": event.attempts}
        event.save(update_fields=["status", "next_attempt_at", "last_error"])
        report.failed.append(event.pk)
        report.crashed.append(event.pk)
        logger.error("Publish event %s: its dispatcher died %s times while handling it; giving up",
                     event.pk, event.attempts)
    leased = [event.pk for event in events if event not in exhausted]
    PublishEvent.objects.filter(pk__in=leased).update(next_attempt_at=timezone.now() + _lease())
    return leased, len(events)


def _count_attempt(event_id: int) -> None:
    # Committed before the handlers run: an attempt that kills the process still counts.
    PublishEvent.objects.filter(pk=event_id).update(attempts=F("attempts") + 1)


def _claim_pending_events(batch_size: int) -> list[PublishEvent]:
    """Lock up to `batch_size` due events, each the oldest pending event of its page.
    Rows locked by another dispatcher are skipped, and so are the later events of a
    page whose oldest pending event is locked, leased or waiting for a retry."""
    earlier_pending = PublishEvent.objects.filter(
        site_id=OuterRef("site_id"), page_id=OuterRef("page_id"), status=EventStatus.PENDING, id__lt=OuterRef("id"))
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=timezone.now())
    return list(
        PublishEvent.objects.filter(due, status=EventStatus.PENDING)
        .filter(~Exists(earlier_pending))
        .order_by("id")
        .select_for_update(skip_locked=True)[:batch_size]
    )


def _handle_event(event: PublishEvent, handlers, report: DispatchReport) -> None:
    """`event` is locked and its attempt already counted."""
    try:
        # A savepoint: a failing handler's writes are undone, the row lock is kept.
        with transaction.atomic(), tenant_context(event.site):
            for handler in handlers:
                handler(event)
    except Exception as error:
        event.last_error = _describe(error)
        if event.attempts >= _max_attempts():
            event.status, event.next_attempt_at = EventStatus.FAILED, None
            report.failed.append(event.pk)
            logger.error("Publish event %s failed %s times, giving up: %s", event.pk, event.attempts, error)
        else:
            event.next_attempt_at = timezone.now() + _retry_delay(event.attempts)
            report.retrying.append(event.pk)
            logger.warning("Publish event %s failed (attempt %s), retry at %s: %s",
                           event.pk, event.attempts, event.next_attempt_at, error)
        event.save(update_fields=["last_error", "status", "next_attempt_at"])
        return
    event.status, event.processed_at, event.next_attempt_at = EventStatus.PROCESSED, timezone.now(), None
    event.save(update_fields=["status", "processed_at", "next_attempt_at"])
    report.processed.append(event.pk)


def _describe(error: Exception) -> str:
    summary = f"{type(error).__name__}: {error}"
    trace = "".join(traceback.format_exception(error))
    return f"{summary}\n\n{trace[-(ERROR_LENGTH - len(summary)):]}"[:ERROR_LENGTH]


def _max_attempts() -> int:
    return getattr(settings, "JIYUE_PUBLISH_EVENT_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS)


def _lease() -> timedelta:
    # Longer than any handler should take; an event whose dispatcher died is retried after it.
    return timedelta(seconds=getattr(settings, "JIYUE_PUBLISH_EVENT_LEASE_SECONDS", DEFAULT_LEASE_SECONDS))


def _retry_delay(attempts: int) -> timedelta:
    base = getattr(settings, "JIYUE_PUBLISH_EVENT_RETRY_SECONDS", DEFAULT_RETRY_SECONDS)
    return min(timedelta(seconds=base * 2 ** (attempts - 1)), MAX_RETRY_DELAY)


# Operations --------------------------------------------------------------------------

@transaction.atomic
def retry_failed_events(*, acting_user, site: Site | None = None) -> int:
    """Put failed events (of one site, or all) back to pending with a fresh count of
    attempts. A page's later events may have been handled meanwhile: the requeued one
    is then handled after them (handlers see `created_at`)."""
    events = PublishEvent.objects.filter(status=EventStatus.FAILED)
    if site is not None:
        events = events.filter(site=site)
    ids = list(events.select_for_update().values_list("id", flat=True))
    if not ids:
        return 0
    PublishEvent.objects.filter(id__in=ids).update(status=EventStatus.PENDING, attempts=0, next_attempt_at=None)
    log_operation("retry_failed_publish_events", acting_user=acting_user, site=site, count=len(ids),
                  events=ids[:200])
    transaction.on_commit(_queue_dispatch, robust=True)
    return len(ids)
