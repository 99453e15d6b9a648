"""What makes a page type reviewed: it goes live only through the publish gate."""
from django.db import transaction


class ReviewedPageMixin:
    def publish(self, revision, *args, **kwargs):
        from .services.clearance import ensure_publishable

        with transaction.atomic():
            ensure_publishable(self, revision)
            return super().publish(revision, *args, **kwargs)
