"""`dispatch_publish_events`: runs the dispatcher (after requeueing failed events with
--retry-failed) and prints what it did."""
from io import StringIO

from django.core.management import call_command
from django_tenants.utils import tenant_context

from tenants.publishing.models import EventStatus
from tenants.publishing.queries import page_events
from tests.tenants.publishing.support import add_column, handlings, home_page, record_handling


def _command(*args):
    out = StringIO()
    call_command("dispatch_publish_events", *args, stdout=out)
    return out.getvalue()


def test_the_command_dispatches_pending_events(site, no_registered_handlers, event_handler):
    with tenant_context(site):
        page = add_column(home_page())
        page.save_revision().publish()
    event = page_events(site, page.pk).get()
    assert "没有注册的事件处理程序" in _command()
    event_handler(record_handling)
    assert "已处理：" in _command("--batch-size", "50", "--retry-failed")
    event.refresh_from_db()
    assert event.status == EventStatus.PROCESSED
    assert len(handlings(event.pk)) == 1
