"""The publish-event outbox: one row per page change in any site, written in the same
transaction as the change (tenants.publishing.signal_handlers), consumed by
tenants.publishing.services.outbox.dispatch_pending_events."""
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

# Labels that are common English words carry a context: all apps' catalogues share one
# namespace, and a word may need another rendering elsewhere.


class EventKind(models.TextChoices):
    PUBLISH = "publish", pgettext_lazy("publish event", "Publish")
    UNPUBLISH = "unpublish", pgettext_lazy("publish event", "Unpublish")
    MOVE = "move", pgettext_lazy("publish event", "Move")
    DELETE = "delete", pgettext_lazy("publish event", "Delete")


class EventStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("publish event", "Pending")
    PROCESSED = "processed", pgettext_lazy("publish event", "Processed")
    FAILED = "failed", pgettext_lazy("publish event", "Failed")


class PublishEvent(models.Model):
    """A page of a site was published, unpublished, moved or deleted.

    Page and revision are plain ids: they live in the site's schema, and no foreign-key
    constraint crosses schemas. The payload is what the page looked like at the time
    (title, url_path, content type, parents of a move), so a consumer can act on a
    deleted page too. Pending events of one page are handed to the consumer in id
    order; an event whose handlers fail is retried (`next_attempt_at`) and ends
    `failed` after the maximum number of attempts."""

    site = models.ForeignKey(
        "registry.Site", verbose_name=pgettext_lazy("publish event", "site"), on_delete=models.PROTECT,
        related_name="publish_events",
    )
    page_id = models.IntegerField(_("page ID"))
    revision_id = models.IntegerField(_("revision ID"), null=True, blank=True)
    kind = models.CharField(_("event kind"), max_length=20, choices=EventKind.choices)
    payload = models.JSONField(pgettext_lazy("publish event", "payload"), default=dict, blank=True,
                               encoder=DjangoJSONEncoder)
    status = models.CharField(pgettext_lazy("publish event", "status"), max_length=20,
                              choices=EventStatus.choices, default=EventStatus.PENDING)
    created_at = models.DateTimeField(_("occurred at"), auto_now_add=True)
    processed_at = models.DateTimeField(_("processed at"), null=True, blank=True)
    attempts = models.PositiveIntegerField(pgettext_lazy("publish event", "attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)

    class Meta:
        verbose_name = _("publish event")
        verbose_name_plural = _("publish events")
        ordering = ["id"]
        indexes = [
            # The dispatcher's scan: pending events in id order.
            models.Index(fields=["id"], condition=models.Q(status="pending"), name="publishing_event_pending"),
            # "Is there an earlier pending event of this page?" (per-page order).
            models.Index(fields=["site", "page_id", "id"], condition=models.Q(status="pending"),
                         name="publishing_event_page_pending"),
        ]

    def __str__(self):
        return gettext("%(kind)s page %(page)s (site %(site)s)") % {
            "kind": self.get_kind_display(), "page": self.page_id, "site": self.site_id}
