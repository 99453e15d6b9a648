"""Media storage under a per-site prefix: files of a site live under
``sites/<schema>/`` locally or in the S3 bucket. Names stay site-relative, and a
site's /media/ URL can only reach its own prefix (jiyue.media)."""
import os
import posixpath

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import connection
from django.urls import get_script_prefix
from storages.backends.s3 import S3Storage


def site_prefix() -> str:
    return posixpath.join("sites", connection.schema_name)


class SiteFileSystemStorage(FileSystemStorage):
    # FileSystemStorage caches these per instance; here they follow the current schema.
    @property
    def base_location(self):
        return os.path.join(settings.MEDIA_ROOT, site_prefix())

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        # In a back office (/s/<code>/ on the console host) URLs keep that prefix, so
        # that thumbnails are served by the site's own /s/<code>/media/ route.
        return get_script_prefix() + settings.MEDIA_URL.lstrip("/")


class SiteS3Storage(S3Storage):
    @property
    def location(self):
        return site_prefix()


def site_storage(schema_name: str, area: str):
    """A storage rooted at ``sites/<schema>/<area>/`` whatever schema is current: for
    files that the public schema's code writes on a site's behalf (web archives)."""
    from django.utils.module_loading import import_string

    location = posixpath.join("sites", schema_name, area)
    backend = import_string(settings.STORAGES["default"]["BACKEND"])
    if issubclass(backend, S3Storage):
        return S3Storage(location=location)
    return FileSystemStorage(location=os.path.join(settings.MEDIA_ROOT, location))


def read_range(storage, name: str, offset: int, length: int) -> bytes:
    """`length` bytes at `offset` of a stored file, without reading the rest of it (one
    ranged GET on S3)."""
    if isinstance(storage, S3Storage):
        key = storage._normalize_name(name)
        response = storage.bucket.Object(key).get(Range=f"bytes={offset}-{offset + length - 1}")
        return response["Body"].read()
    with storage.open(name, "rb") as handle:
        handle.seek(offset)
        return handle.read(length)
