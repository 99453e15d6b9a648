"""Refuses an oversized upload to a site's back office from its Content-Length header,
before anything reads the body (so a 200 MB upload is never spooled to disk only to be
refused by the form).

Under WSGI, Django reads at most Content-Length bytes of a request body (and nothing
when the header is missing), so the header is a reliable upper bound. The middleware
sits after the site router (which marks back-office requests) and before the session,
CSRF and view code that would parse the body. Files just under the limit plus the
multipart overhead get through and are refused by the form with the same message.
"""
import json

from django.http import HttpResponse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext as _

from jiyue.routing.middleware import SITE_ADMIN_URLCONF
from jiyue.routing.responses import html_lang

from .validators import DOCUMENT, IMAGE, policy_for, too_large_message

# Wagtail's image and document admin (add, multiple add, edit/replace, chooser upload),
# as mounted by jiyue.urls.site_admin under /s/<site-code>/.
UPLOAD_PATHS = (("/admin/images/", IMAGE), ("/admin/documents/", DOCUMENT))
# Room for the multipart boundaries and the other form fields (title, collection, tags).
MULTIPART_ALLOWANCE = 1024 * 1024

_PAGE = """<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title></head>
<body><h1>{title}</h1><p>{message}</p><p>{advice}</p></body></html>
"""


class UploadSizeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        kind = _upload_kind(request)
        if kind is not None:
            limit = policy_for(kind).max_bytes
            length = _content_length(request)
            if limit is not None and length is not None and length > limit + MULTIPART_ALLOWANCE:
                return _refusal(request, kind, length)
        return self.get_response(request)


def _upload_kind(request):
    if request.method not in ("POST", "PUT", "PATCH"):
        return None
    if getattr(request, "urlconf", None) != SITE_ADMIN_URLCONF:
        return None
    for prefix, kind in UPLOAD_PATHS:
        if request.path_info.startswith(prefix):
            return kind
    return None


def _content_length(request):
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except (TypeError, ValueError):
        return None


def _refusal(request, kind, length):
    # This runs before LocaleMiddleware: the language comes from the request itself.
    language = translation.get_language_from_request(request)
    with translation.override(language):
        message = too_large_message(kind, length)
        title, advice = _("The uploaded file is too large"), _("Please go back and choose another file.")
    accept = request.headers.get("Accept", "")
    if request.headers.get("X-Requested-With") == "XMLHttpRequest" or "json" in accept:
        # The shape Wagtail's multiple uploader reads for a refused file.
        body = json.dumps({"success": False, "error_message": message}, ensure_ascii=False)
        return HttpResponse(body, status=413, content_type="application/json; charset=utf-8")
    page = _PAGE.format(lang=html_lang(language), title=title, message=escape(message), advice=advice)
    return HttpResponse(page, status=413, content_type="text/html; charset=utf-8")
