"""A repost's page is published by the target site's review (or taken down by its
editors) like any page: its publish events, handed over by the outbox in the target
site's schema and transaction, keep the repost's status in step."""
from tenants.publishing.models import EventKind

from ..models import Repost, RepostStatus


def track_repost_event(event) -> None:
    if event.kind not in (EventKind.PUBLISH, EventKind.UNPUBLISH, EventKind.DELETE):
        return
    record = Repost.objects.select_for_update().filter(target_site=event.site, page_id=event.page_id).first()
    if record is None:
        return
    if event.kind == EventKind.PUBLISH:
        record.status = RepostStatus.LIVE
        record.published_at = record.published_at or event.created_at
    else:
        record.status = RepostStatus.REMOVED
    record.save(update_fields=["status", "published_at"])
