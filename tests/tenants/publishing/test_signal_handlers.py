"""Each publish, unpublish, move and delete of a page in a site writes exactly one event,
with the site, page and revision, in the transaction of the change; template schemas
and the public schema write none."""
import pytest
from django.conf import settings
from django.db import transaction
from django_tenants.utils import get_public_schema_name, schema_context, tenant_context
from wagtail.models import Page

from tenants.publishing.models import EventKind, EventStatus, PublishEvent
from tenants.publishing.queries import page_events
from tenants.publishing.services.outbox import record_page_event
from tests.tenants.publishing.support import add_column, home_page


def _kinds(site, page):
    return [event.kind for event in page_events(site, page.pk)]


def test_publish_writes_one_event_with_site_page_revision_and_payload(site):
    with tenant_context(site):
        page = add_column(home_page(), title="政务公开")
        revision = page.save_revision()
        revision.publish()
    event = page_events(site, page.pk).get()
    assert (event.kind, event.site_id, event.page_id, event.revision_id) == (
        EventKind.PUBLISH, site.pk, page.pk, revision.pk)
    assert event.payload == {"title": "政务公开", "slug": page.slug, "url_path": page.url_path,
                             "content_type": "columns.columnpage"}
    assert (event.status, event.attempts, event.processed_at) == (EventStatus.PENDING, 0, None)


def test_unpublish_writes_one_event_without_revision(site):
    with tenant_context(site):
        page = add_column(home_page())
        page.save_revision().publish()
        page.refresh_from_db()
        page.unpublish()
    events = list(page_events(site, page.pk))
    assert [event.kind for event in events] == [EventKind.PUBLISH, EventKind.UNPUBLISH]
    assert (events[1].site_id, events[1].revision_id, events[1].payload["expired"]) == (site.pk, None, False)


def test_move_writes_one_event_with_old_and_new_parent(site):
    with tenant_context(site):
        home = home_page()
        before, after = add_column(home), add_column(home)
        page = add_column(before)
        revision = page.save_revision()
        revision.publish()
        page.move(after, pos="last-child")
        moved = Page.objects.get(pk=page.pk)
    events = list(page_events(site, page.pk))
    assert [event.kind for event in events] == [EventKind.PUBLISH, EventKind.MOVE]
    move = events[1]
    assert (move.site_id, move.revision_id) == (site.pk, revision.pk)  # the live revision
    assert move.payload["parent_before_id"] == before.pk
    assert move.payload["parent_after_id"] == after.pk
    assert move.payload["url_path_before"] == f"{before.url_path}{page.slug}/"
    assert move.payload["url_path_after"] == moved.url_path == f"{after.url_path}{page.slug}/"


def test_delete_of_a_draft_writes_one_delete_event(site):
    with tenant_context(site):
        page = add_column(home_page(), title="待删除")
        page_id, url_path = page.pk, page.url_path
        page.delete()
    event = PublishEvent.objects.get(site=site, page_id=page_id)
    assert (event.kind, event.revision_id) == (EventKind.DELETE, None)
    assert (event.payload["title"], event.payload["url_path"], event.payload["content_type"]) == (
        "待删除", url_path, "columns.columnpage")


def test_delete_of_a_live_page_writes_unpublish_then_delete(site):
    """Wagtail unpublishes a live page before deleting it (and says so)."""
    with tenant_context(site):
        page = add_column(home_page())
        page.save_revision().publish()
        page.delete()
    assert _kinds(site, page) == [EventKind.PUBLISH, EventKind.UNPUBLISH, EventKind.DELETE]


def test_delete_writes_a_delete_event_for_every_page_of_the_subtree(site):
    with tenant_context(site):
        column = add_column(home_page())
        child = add_column(column)
        column.delete()
    assert _kinds(site, column) == [EventKind.DELETE]
    assert _kinds(site, child) == [EventKind.DELETE]


def test_the_event_names_the_site_inside_schema_context_too(site):
    """schema_context() leaves a FakeTenant on the connection; the site is looked up."""
    with schema_context(site.schema_name):
        page = add_column(home_page())
        page.save_revision().publish()
    assert page_events(site, page.pk).get().site_id == site.pk


def test_a_rolled_back_transaction_writes_no_event(site):
    with tenant_context(site):
        page = add_column(home_page())
        with pytest.raises(RuntimeError), transaction.atomic():
            page.save_revision().publish()
            assert _kinds(site, page) == [EventKind.PUBLISH]  # written in this transaction
            raise RuntimeError("发布后出错")
        page.refresh_from_db()
        assert not page.live
    assert _kinds(site, page) == []


class _Rollback(Exception):
    pass


def test_pages_of_a_template_schema_write_no_event():
    last = PublishEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    with pytest.raises(_Rollback), transaction.atomic():
        with schema_context(settings.JIYUE_TEMPLATE_SCHEMAS["portal"]):
            page = add_column(home_page())
            page.save_revision().publish()
            page.unpublish()
            page.delete()
        assert not PublishEvent.objects.filter(id__gt=last).exists()
        raise _Rollback  # leave the template as it was


def test_the_public_schema_writes_no_event():
    with schema_context(get_public_schema_name()):
        assert record_page_event(kind=EventKind.PUBLISH, page_id=1) is None
