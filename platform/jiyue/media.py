"""Serving a site's media on its own host, from its own prefix only."""
import mimetypes
import posixpath

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404


def serve_site_media(request, path):
    # Normalise first: "../" can never climb out of the site's prefix.
    name = posixpath.normpath(path).lstrip("/")
    if name.startswith("..") or name in {"", "."}:
        raise Http404("文件不存在")
    if not default_storage.exists(name):
        raise Http404("文件不存在")
    content_type, _ = mimetypes.guess_type(name)
    response = FileResponse(default_storage.open(name), content_type=content_type or "application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    return response
