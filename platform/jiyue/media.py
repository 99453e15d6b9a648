"""Serving a site's images on its own host (and in its back office), from its own
prefix only. Documents are not served here: they go through Wagtail's serve view,
which applies collection privacy (login or password restrictions)."""
import mimetypes
import posixpath

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _


# Wagtail's originals and renditions; nothing else under the prefix is public.
SERVED_PREFIXES = ("images/", "original_images/")


def serve_site_media(request, path):
    # Normalise first: "../" can never climb out of the site's prefix.
    name = posixpath.normpath(path).lstrip("/")
    if name.startswith("..") or name in {"", "."} or not name.startswith(SERVED_PREFIXES):
        raise Http404(_("The file does not exist"))
    if not default_storage.exists(name):
        raise Http404(_("The file does not exist"))
    content_type, _encoding = mimetypes.guess_type(name)
    response = FileResponse(default_storage.open(name), content_type=content_type or "application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    # An image opened on its own runs nothing (an SVG's script included).
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
    return response
