"""What a retired host answers (services/redirects.py decides): 301, 410 with a page,
404, and the archived copy of an old page under /_archive/."""
from urllib.parse import quote

from django.conf import settings
from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.template.loader import render_to_string
from django.utils import translation

from ..services.archive import read_record
from ..services.redirects import ARCHIVE_PREFIX, answer, archived_record

# Bouncer's choice: answers may be cached, redirects for a day, the others for an hour
# (a mapping fixed in the CSV is then seen within the hour).
REDIRECT_CACHE = "public, max-age=86400"
PAGE_CACHE = "public, max-age=3600"


def serve_retired_host(request, retired):
    path = request.get_full_path()
    with translation.override(settings.LANGUAGE_CODE):
        if path.startswith(ARCHIVE_PREFIX):
            return _archived_copy(request, retired, "/" + path[len(ARCHIVE_PREFIX):])
        result = answer(retired.job_id, retired.origin, retired.home_url, path)
        if result.status == 301:
            response = HttpResponsePermanentRedirect(result.location)
            response["Cache-Control"] = REDIRECT_CACHE
            return response
        search = f"{retired.home_url.rstrip('/')}/search/?q={quote(result.title)}" if result.title else \
            f"{retired.home_url.rstrip('/')}/search/"
        body = render_to_string("retirement/gone.html", {
            "status": result.status, "title": result.title, "home_url": retired.home_url, "search_url": search,
            "archive_url": ARCHIVE_PREFIX + path.lstrip("/") if result.archived else "",
        }, request=None)
        response = HttpResponse(body, status=result.status, content_type="text/html; charset=utf-8")
        response["Cache-Control"] = PAGE_CACHE
        return response


def _archived_copy(request, retired, path):
    """The old page as it was archived. It came from a site nobody maintains any more:
    sandboxed (no script runs, no form posts, no cookies of this host)."""
    record = archived_record(retired.job_id, retired.origin, path)
    if record is None or record.status_code != 200:
        body = render_to_string("retirement/gone.html", {"status": 404, "home_url": retired.home_url,
                                                         "search_url": retired.home_url.rstrip("/") + "/search/"})
        response = HttpResponse(body, status=404, content_type="text/html; charset=utf-8")
        response["Cache-Control"] = PAGE_CACHE
        return response
    archived = read_record(record)
    response = HttpResponse(archived.body, content_type=archived.header("content-type") or "application/octet-stream")
    response["Content-Security-Policy"] = "sandbox; default-src 'self' 'unsafe-inline'; script-src 'none'"
    response["X-Content-Type-Options"] = "nosniff"
    response["X-Robots-Tag"] = "noindex"
    response["Memento-Datetime"] = record.captured_at.strftime("%a, %d %b %Y %H:%M:%S GMT")
    response["Cache-Control"] = REDIRECT_CACHE
    return response
