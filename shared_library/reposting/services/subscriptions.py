"""Subscriptions: a column of a site receives the new items of a source automatically.

The outbox handler `deliver_new_item` sees an item's first publication (after the
library's consumer stored it, in the same dispatch) and sends one task on commit; the
task reposts the item into each subscribed column, each in its own transaction, as the
platform (no acting user): through the target's review unless the column accepts the
source directly. A refusal (a column that does not take the item, already there) skips
that subscription and is logged."""
import logging

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from shared_library.resources.models import Resource, ResourceStatus
from shared_library.resources.models.resources import VersionKind
from tenants.publishing.models import EventKind
from tenants.registry.models.sites import SiteStatus

from ..models import RepostMode, Subscription
from .reposts import RepostRefused, may_repost_into, repost

logger = logging.getLogger(__name__)


def subscribe(*, target_site, column_id: int, mode: str, acting_user, source_site=None,
              source_column_id: int | None = None, topic_code: str = "") -> Subscription:
    from shared_library.taxonomy.models import Term
    from tenants.columns.models import ColumnPage

    if mode not in RepostMode.values:
        raise RepostRefused(_("Unknown repost mode “%(mode)s”.") % {"mode": mode})
    if acting_user is not None and not may_repost_into(acting_user, target_site):
        raise RepostRefused(_("You are not an editor of %(site)s.") % {"site": target_site.name})
    if (source_column_id is None) == (not topic_code):
        raise RepostRefused(_("Subscribe either to a column of another site or to a topic."))
    with tenant_context(target_site):
        if not ColumnPage.objects.filter(pk=column_id).exists():
            raise RepostRefused(_("Column %(id)s does not exist on %(site)s.") % {"id": column_id,
                                                                                  "site": target_site.name})
    title = ""
    if source_column_id is not None:
        if source_site is None or source_site.pk == target_site.pk:
            raise RepostRefused(_("Subscribe to a column of another site."))
        title = source_column_title(source_site, source_column_id)
        if title is None:
            raise RepostRefused(_("%(site)s has published nothing in column %(id)s.")
                                % {"site": source_site.name, "id": source_column_id})
    elif not Term.active.filter(taxonomy__code="topic", code=topic_code).exists():
        raise RepostRefused(_("Unknown topic “%(code)s”.") % {"code": topic_code})
    duplicate = Subscription.objects.filter(target_site=target_site, column_id=column_id, active=True,
                                            source_site=source_site, source_column_id=source_column_id,
                                            topic_code=topic_code or "")
    if duplicate.exists():
        raise RepostRefused(_("This column is already subscribed to that source."))
    return Subscription.objects.create(
        target_site=target_site, column_id=column_id, mode=mode, source_site=source_site,
        source_column_id=source_column_id, source_column_title=title or "", topic_code=topic_code or "",
        created_by=acting_user)


def unsubscribe(subscription: Subscription, *, acting_user) -> None:
    if acting_user is not None and not may_repost_into(acting_user, subscription.target_site):
        raise RepostRefused(_("You are not an editor of %(site)s.") % {"site": subscription.target_site.name})
    subscription.active = False
    subscription.save(update_fields=["active"])


def source_column_title(site, column_id: int) -> str | None:
    """The title of a column of `site` as the library knows it (no query of its schema)."""
    resource = Resource.objects.filter(site=site, metadata__column__id=column_id).order_by("-pk") \
        .values_list("metadata__column__title", flat=True).first()
    return resource


def source_columns(site) -> list[tuple[int, str]]:
    """The columns of `site` that have published items, as the library knows them."""
    rows = Resource.objects.filter(site=site, status=ResourceStatus.LIVE) \
        .values_list("metadata__column__id", "metadata__column__title").distinct()
    return sorted({(column_id, title) for column_id, title in rows if column_id}, key=lambda row: row[1])


def matching(resource: Resource):
    column_id = (resource.metadata.get("column") or {}).get("id")
    match = Q(source_site_id=resource.site_id, source_column_id=column_id)
    if resource.topic_code:
        match |= Q(topic_code=resource.topic_code)
    return Subscription.objects.filter(match, active=True, target_site__status=SiteStatus.ONLINE) \
        .exclude(target_site_id=resource.site_id).select_related("target_site")


def deliver_new_item(event) -> None:
    """Outbox handler: an item published for the first time goes to its subscribers."""
    if event.kind != EventKind.PUBLISH:
        return
    resource = Resource.objects.filter(site=event.site, page_id=event.page_id).first()
    if resource is None or resource.status != ResourceStatus.LIVE or not resource.is_valid:
        return
    if resource.versions.filter(kind=VersionKind.PUBLISH).count() != 1:
        return  # an update, not a new item
    if not matching(resource).exists():
        return
    from ..tasks import deliver_to_subscribers

    transaction.on_commit(lambda: deliver_to_subscribers.delay(resource.pk), robust=True)


def deliver(resource_id: int) -> int:
    """Repost the item into every matching subscribed column; returns how many."""
    resource = Resource.objects.select_related("site").get(pk=resource_id)
    done = 0
    for subscription in matching(resource):
        try:
            repost(resource, target_site=subscription.target_site, column_id=subscription.column_id,
                   mode=subscription.mode, acting_user=None)
            done += 1
        except RepostRefused as refusal:
            logger.info("subscription %s: %s", subscription.pk, refusal.message)
    return done
