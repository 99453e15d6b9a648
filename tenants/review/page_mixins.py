"""What makes a page type reviewed: it goes live only through the publish gate.
(The transaction around publishing is tenants.publishing's AtomicPublishingMixin.)"""
from django.utils.translation import gettext


class ReviewedPageMixin:
    def publish(self, revision, *args, **kwargs):
        from .services.clearance import ensure_publishable

        ensure_publishable(self, revision)
        return super().publish(revision, *args, **kwargs)

    def save(self, *args, **kwargs):
        # The backstop: Wagtail's admin publish and its API run PublishPageRevisionAction
        # directly, not Page.publish, but every way of going live saves the page with a
        # new live revision.
        update_fields = kwargs.get("update_fields")
        if self.pk is None and self.live:
            from .services.errors import PublishBlocked

            # A new page would be live without any review (e.g. a copy kept live).
            raise PublishBlocked(gettext("New content must first be saved as a draft, and is published after "
                                         "review (secrecy review)."))
        if (self.pk and self.live and self.live_revision_id
                and (update_fields is None or "live_revision" in update_fields)):
            stored = type(self).objects.filter(pk=self.pk).values_list("live_revision_id", flat=True).first()
            if stored != self.live_revision_id:
                from .services.clearance import ensure_publishable

                ensure_publishable(self, self.live_revision)
        return super().save(*args, **kwargs)
