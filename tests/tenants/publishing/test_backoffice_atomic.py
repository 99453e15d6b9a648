"""A back-office request that changes a page is one transaction with its publish event:
Wagtail's admin unpublish view calls its action class directly (not the page method
the mixin wraps), so only the request's transaction keeps the two together."""
from django_tenants.utils import tenant_context
from wagtail.signals import page_unpublished

from jiyue.identity.models import SiteRole
from tenants.columns.models import ColumnPage
from tenants.publishing.models import PublishEvent
from tests.factories import grant, make_user
from tests.factories.clients import CONSOLE, admin_url, signed_in


def _reviewer_client(site):
    reviewer = make_user("reviewer")
    grant(reviewer, site, SiteRole.REVIEWER)
    return signed_in(reviewer, raise_request_exception=False)


def _unpublish_path(site, page):
    return admin_url(site, "wagtailadmin_pages:unpublish", page.pk)


def test_admin_unpublish_failing_after_its_event_leaves_page_and_outbox_unchanged(site):
    client = _reviewer_client(site)
    with tenant_context(site):
        column = ColumnPage.objects.get(slug="zcwj")

    def fail_after_the_event(**kwargs):
        raise RuntimeError("crash after the event was written")

    page_unpublished.connect(fail_after_the_event, dispatch_uid="test.fail_after_the_event")
    try:
        response = client.post(_unpublish_path(site, column), HTTP_HOST=CONSOLE)
    finally:
        page_unpublished.disconnect(dispatch_uid="test.fail_after_the_event")
    assert response.status_code == 500
    with tenant_context(site):
        assert ColumnPage.objects.get(pk=column.pk).live
    assert not PublishEvent.objects.filter(site=site, page_id=column.pk).exists()


def test_admin_unpublish_commits_the_page_change_with_its_event(site):
    client = _reviewer_client(site)
    with tenant_context(site):
        column = ColumnPage.objects.get(slug="zcjd")
    response = client.post(_unpublish_path(site, column), HTTP_HOST=CONSOLE)
    assert response.status_code == 302
    with tenant_context(site):
        assert not ColumnPage.objects.get(pk=column.pk).live
    assert list(PublishEvent.objects.filter(site=site, page_id=column.pk).values_list("kind", flat=True)) == [
        "unpublish"]
