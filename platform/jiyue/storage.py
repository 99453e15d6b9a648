"""Media storage under a per-site prefix: files of a site live under
``sites/<schema>/`` locally or in the S3 bucket, and a site's media URL only reaches
its own prefix."""
import posixpath

from django.core.files.storage import FileSystemStorage
from django.db import connection
from storages.backends.s3 import S3Storage


def site_prefix() -> str:
    return posixpath.join("sites", connection.schema_name)


class SiteFileSystemStorage(FileSystemStorage):
    def path(self, name):
        return super().path(posixpath.join(site_prefix(), name))

    def url(self, name):
        return super().url(name)


class SiteS3Storage(S3Storage):
    def _normalize_name(self, name):
        return super()._normalize_name(posixpath.join(site_prefix(), name))
