"""AtomicPublishingMixin: a failure after the event is written (here: a receiver of the
same signal that raises) rolls back the page change and its event together, also when
the caller has no transaction of its own. Wagtail's action classes, which the admin's
edit view calls directly, do not go through the mixin: there the page has committed
before the event is written."""
import pytest
from django.db.models.signals import post_delete
from django_tenants.utils import tenant_context
from wagtail.actions.publish_page_revision import PublishPageRevisionAction
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from tenants.columns.models import ColumnPage, SiteHomePage
from tenants.publishing.models import EventKind
from tenants.publishing.page_mixins import AtomicPublishingMixin
from tenants.publishing.queries import page_events
from tests.tenants.publishing.support import add_column, home_page


class _ReceiverFailed(Exception):
    pass


def _fail(**kwargs):
    raise _ReceiverFailed


@pytest.fixture
def failing_receiver():
    connected = []

    def connect(signal, **kwargs):
        signal.connect(_fail, weak=False, dispatch_uid="test-publishing-fail", **kwargs)
        connected.append((signal, kwargs))

    yield connect
    for signal, kwargs in connected:
        signal.disconnect(_fail, dispatch_uid="test-publishing-fail", **kwargs)


def _kinds(site, page):
    return [event.kind for event in page_events(site, page.pk)]


def test_the_page_models_take_the_mixin():
    assert issubclass(ColumnPage, AtomicPublishingMixin)
    assert issubclass(SiteHomePage, AtomicPublishingMixin)


def test_a_failure_after_publish_rolls_back_the_publish_and_its_event(site, failing_receiver):
    with tenant_context(site):
        page = add_column(home_page())
        revision = page.save_revision()
        failing_receiver(page_published)
        with pytest.raises(_ReceiverFailed):
            revision.publish()
        page.refresh_from_db()
        assert not page.live and page.live_revision_id is None
    assert _kinds(site, page) == []


def test_a_failure_after_unpublish_rolls_back_the_unpublish_and_its_event(site, failing_receiver):
    with tenant_context(site):
        page = add_column(home_page())
        page.save_revision().publish()
        page.refresh_from_db()
        failing_receiver(page_unpublished)
        with pytest.raises(_ReceiverFailed):
            page.unpublish()
        page.refresh_from_db()
        assert page.live
    assert _kinds(site, page) == [EventKind.PUBLISH]


def test_a_failure_after_move_rolls_back_the_move_and_its_event(site, failing_receiver):
    with tenant_context(site):
        home = home_page()
        before, after = add_column(home), add_column(home)
        page = add_column(before)
        failing_receiver(post_page_move)
        with pytest.raises(_ReceiverFailed):
            page.move(after, pos="last-child")
        assert Page.objects.get(pk=page.pk).get_parent().pk == before.pk
        assert Page.objects.get(pk=after.pk).numchild == 0
    assert _kinds(site, page) == []


def test_a_failure_after_delete_rolls_back_the_delete_and_its_event(site, failing_receiver):
    with tenant_context(site):
        page = add_column(home_page())
        failing_receiver(post_delete, sender=Page)
        with pytest.raises(_ReceiverFailed):
            page.delete()
        assert Page.objects.filter(pk=page.pk).exists()
    assert _kinds(site, page) == []


def test_wagtail_action_classes_bypass_the_mixin_and_commit_the_page_first(site, failing_receiver):
    """What the admin's edit view does: the page is live and the event written although
    a later receiver failed. Requests running such views need their own transaction."""
    with tenant_context(site):
        page = add_column(home_page())
        revision = page.save_revision()
        failing_receiver(page_published)
        with pytest.raises(_ReceiverFailed):
            PublishPageRevisionAction(revision).execute()
        page.refresh_from_db()
        assert page.live
    assert _kinds(site, page) == [EventKind.PUBLISH]
