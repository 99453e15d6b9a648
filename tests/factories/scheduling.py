"""Time passing for scheduled publishing: tests move a page's stored go-live and expiry
times into the past instead of waiting for them."""
from datetime import timedelta

from django.utils import timezone
from wagtail.models import Page, Revision


def revisions_of(page):
    return Revision.page_revisions.filter(object_id=str(page.pk))


def in_the_past(minutes=1):
    return timezone.now() - timedelta(minutes=minutes)


def time_reaches_go_live(page, when=None):
    """As if the approved go-live time had come: move it (in the scheduled revision
    and on the page) into the past."""
    when = when or in_the_past()
    for revision in revisions_of(page).filter(approved_go_live_at__isnull=False):
        content = dict(revision.content, go_live_at=when.isoformat())
        Revision.objects.filter(pk=revision.pk).update(approved_go_live_at=when, content=content)
    Page.objects.filter(pk=page.pk).update(go_live_at=when)


def time_reaches_expiry(page):
    when = in_the_past()
    for revision in revisions_of(page).exclude(content__expire_at=None):
        Revision.objects.filter(pk=revision.pk).update(content=dict(revision.content, expire_at=when.isoformat()))
    Page.objects.filter(pk=page.pk).update(expire_at=when)
