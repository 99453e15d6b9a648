"""Write a publish event for every publish, unpublish, move and delete of a page, in the
transaction of the change (tenants.publishing.services.outbox.record_page_event).

Wagtail 8.0 sends `page_published` (also for aliases updated with their original, and
for a live copy), `page_unpublished` (also when a live page is about to be deleted),
`post_page_move` (moves and reorders) and no page-delete signal of its own: deletes are
Django's `post_delete` of `wagtail.models.Page`, once per deleted page (the page and
each descendant), sent inside the delete's transaction. Historical models in data
migrations are other classes and send nothing here."""
from django.db.models.signals import post_delete


def _page_payload(page, **extra) -> dict:
    return {"title": page.title, "slug": page.slug, "url_path": page.url_path,
            "content_type": _content_type_label(page), **extra}


def _content_type_label(page) -> str:
    model = page.specific_class or type(page)
    return model._meta.label_lower


def _record(**kwargs):
    from .services.outbox import record_page_event

    record_page_event(**kwargs)


def record_publish(sender, instance, revision, alias=False, **kwargs):
    from .models import EventKind

    # Wagtail also sends page_published when it schedules a page that is not live yet
    # (go_live_at in the future); the event is written when it goes live.
    if not instance.live:
        return
    extra = {"alias_of_id": instance.alias_of_id} if alias else {}
    _record(kind=EventKind.PUBLISH, page_id=instance.pk, revision_id=revision.pk if revision else None,
            payload=_page_payload(instance, **extra))


def record_unpublish(sender, instance, **kwargs):
    from .models import EventKind

    _record(kind=EventKind.UNPUBLISH, page_id=instance.pk,
            payload=_page_payload(instance, expired=bool(instance.expired)))


def record_move(sender, instance, parent_page_before, parent_page_after, url_path_before, url_path_after,
                **kwargs):
    from .models import EventKind

    _record(kind=EventKind.MOVE, page_id=instance.pk, revision_id=instance.live_revision_id,
            payload=_page_payload(instance, parent_before_id=parent_page_before.pk,
                                  parent_after_id=parent_page_after.pk, url_path_before=url_path_before,
                                  url_path_after=url_path_after))


def record_delete(sender, instance, **kwargs):
    from .models import EventKind

    _record(kind=EventKind.DELETE, page_id=instance.pk, payload=_page_payload(instance))


def register_signal_handlers():
    from wagtail.models import Page
    from wagtail.signals import page_published, page_unpublished, post_page_move

    page_published.connect(record_publish, dispatch_uid="publishing-page-published")
    page_unpublished.connect(record_unpublish, dispatch_uid="publishing-page-unpublished")
    post_page_move.connect(record_move, dispatch_uid="publishing-page-moved")
    post_delete.connect(record_delete, sender=Page, dispatch_uid="publishing-page-deleted")
