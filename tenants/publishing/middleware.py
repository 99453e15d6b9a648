"""Back-office writes run in one transaction.

Wagtail's admin views for publishing, unpublishing and moving a single page call its
action classes directly rather than the page methods that `AtomicPublishingMixin`
wraps; without a transaction the page change would commit before its publish event
is written. Placed before the review middleware, so that a review refusal (turned
into a redirect there) still commits the draft the editor saved."""
from django.db import transaction

from jiyue.routing.middleware import SITE_ADMIN_URLCONF

SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}


class AtomicBackOfficeWritesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in SAFE_METHODS or getattr(request, "urlconf", None) != SITE_ADMIN_URLCONF:
            return self.get_response(request)
        with transaction.atomic():
            response = self.get_response(request)
            # Django has already turned an exception into a 500 response here.
            if response.status_code >= 500:
                transaction.set_rollback(True)
        return response
