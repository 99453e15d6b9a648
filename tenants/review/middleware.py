"""Turns a review refusal in the back office into a message on the page's edit form
(the draft is already saved) instead of a bare 403."""
from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from wagtail.models import Page

from .services.errors import ReviewRefusal, SubmissionBlocked


class ReviewRefusalMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, ReviewRefusal) or request.method != "POST":
            return None
        if isinstance(exception, SubmissionBlocked) and exception.page_id is not None:
            self._keep_check_record(exception.page_id)
        messages.error(request, exception.message)
        # The page may be one the refused request was creating (rolled back).
        if Page.objects.filter(pk=exception.page_id).exists():
            edit_url = reverse("wagtailadmin_pages:edit", args=[exception.page_id])
        else:
            edit_url = reverse("wagtailadmin_home")
        if request.headers.get("x-requested-with") == "XMLHttpRequest":
            # Wagtail's workflow modal follows a "success" step's redirect.
            return JsonResponse({"step": "success", "redirect": edit_url})
        return redirect(edit_url)

    @staticmethod
    def _keep_check_record(page_id):
        # The refused submission's transaction rolled back the record it wrote.
        from .services.checks import record_revision_checks

        page = Page.objects.filter(pk=page_id).first()
        revision = page.get_latest_revision() if page else None
        if revision is not None:
            record_revision_checks(revision)
