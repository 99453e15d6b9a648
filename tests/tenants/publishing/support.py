"""Shared by the publishing tests and the processes they start (a dispatcher that gets
killed, a Celery worker): pages made with Wagtail's API, and a handler that leaves a
row in the database for every event it handles -- committed with the event's
"processed" mark, so counting rows counts deliveries."""
import os
import uuid

from django.db import connection

HANDLED = "test_publish_event_handled"


def reset_celery_router():
    """Make Celery build its task router again from app.conf.task_routes at the next send
    (as if no task had been sent yet in this process)."""
    from jiyue.celery_app import app
    from tests.celery_worker import reset_router

    reset_router(app)


def add_column(parent, *, title=None, live=False):
    from tenants.columns.models import ColumnPage

    code = uuid.uuid4().hex[:8]
    return parent.add_child(instance=ColumnPage(title=title or f"栏目{code}", slug=f"c{code}", live=live))


def home_page():
    from tenants.columns.models import SiteHomePage

    return SiteHomePage.objects.get()


def record_handling(event):
    from jiyue.audit.services import log_operation

    log_operation(HANDLED, site=event.site, event=event.pk, kind=event.kind, page=event.page_id,
                  pid=os.getpid(), schema=connection.schema_name)


def handlings(event_id):
    from jiyue.audit.models import OperationLog

    return list(OperationLog.objects.filter(action=HANDLED, detail__event=event_id))
