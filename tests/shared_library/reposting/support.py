"""Two sites of one province: a source that publishes and a target whose editor
reposts, with what the tests read of both."""
import time

from django.db import transaction
from django.test import Client
from django_tenants.utils import tenant_context

from jiyue.identity.models import SiteRole
from shared_library.resources.models import Resource
from tenants.columns.models import ColumnPage
from tenants.publishing.services.outbox import dispatch_pending_events
from tests.factories import grant, make_online_site, make_user, staffed_site
from tests.factories.content import add_article, fresh, publish_through_review


def target_site():
    """A site with its own editor and reviewer: (site, editor, reviewer)."""
    site = make_online_site()
    editor, reviewer = make_user("editor"), make_user("reviewer")
    grant(editor, site, SiteRole.EDITOR)
    grant(reviewer, site, SiteRole.REVIEWER)
    return site, editor, reviewer


def source_site():
    return staffed_site()


def published_article(source, *, title="省政府召开常务会议", body_text="会议研究部署经济工作"):
    """An article published on the source site through its review, in the library."""
    site, editor, reviewer = source
    with tenant_context(site):
        page = publish_through_review(add_article(user=editor, title=title, body_text=body_text), editor, reviewer)
    dispatch_pending_events()
    # A Celery worker of the test module may hold the event: wait until it has committed.
    deadline = time.monotonic() + 60
    while not Resource.objects.filter(site=site, page_id=page.pk).exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    return page, Resource.objects.get(site=site, page_id=page.pk)


def column_id(site, slug):
    with tenant_context(site):
        return ColumnPage.objects.get(slug=slug).pk


def accept_directly(site, slug, source_site):
    """The target's site administrator lets the column take the source without review."""
    with tenant_context(site):
        column = ColumnPage.objects.get(slug=slug)
        column.accept_reposts_from.add(source_site)
        column.save()


def public_get(site, path):
    return Client().get(path, HTTP_HOST=site.primary_host)


def page_url(site, page_id):
    with tenant_context(site):
        from wagtail.models import Page

        return Page.objects.get(pk=page_id).specific.url


def update_title(source, page, title):
    site, editor, reviewer = source
    with tenant_context(site):
        page = fresh(page)
        page.title = title
        page.save_revision(user=editor)
        publish_through_review(page, editor, reviewer)
    dispatch_pending_events()


def withdraw(source, page):
    with tenant_context(source[0]):
        with transaction.atomic():
            fresh(page).unpublish()
    dispatch_pending_events()
