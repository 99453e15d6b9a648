"""Fixtures for media uploads: a site with a signed-in editor, helpers that upload
through the real Wagtail admin views, and a moto S3 server on loopback (spoken to over
HTTP through boto3, as in tests/jiyue/test_storage.py) with Django's default storage
pointed at it."""
import contextlib

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django_tenants.utils import schema_context
from wagtail.models import Collection

from jiyue.identity.models import SiteRole
from jiyue.storage import SiteS3Storage
from tests.factories import grant, make_online_site, make_user
from tests.factories.clients import CONSOLE, signed_in
from tests.moto_s3 import moto_server

BUCKET = "jiyue-media-test"


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        return make_online_site()


@pytest.fixture(scope="module")
def editor(site, django_db_blocker):
    with django_db_blocker.unblock():
        user = make_user("media_editor")
        grant(user, site, SiteRole.EDITOR)
        return user


@pytest.fixture
def editor_client(editor):
    return signed_in(editor)


def root_collection_id(site):
    with schema_context(site.schema_name):
        return Collection.get_first_root_node().pk


def upload(client, site, what, name, data, *, multiple=False, **extra):
    """Uploads through the site's Wagtail admin: ``what`` is "images" or "documents";
    the single "add" form, or the multiple uploader (AJAX, JSON answer)."""
    prefix = f"/s/{site.short_code}/admin/{what}"
    file = SimpleUploadedFile(name, data)
    title = name.rsplit(".", 1)[0]
    if multiple:
        return client.post(f"{prefix}/multiple/add/",
                           {"files[]": file, "title": title, "collection": root_collection_id(site)},
                           HTTP_HOST=CONSOLE, HTTP_X_REQUESTED_WITH="XMLHttpRequest", **extra)
    return client.post(f"{prefix}/add/", {"title": title, "file": file, "collection": root_collection_id(site),
                                          "tags": ""}, HTTP_HOST=CONSOLE, **extra)


@pytest.fixture(scope="session")
def s3_endpoint():
    with moto_server(BUCKET) as endpoint_and_client:
        yield endpoint_and_client


@contextlib.contextmanager
def s3_default_storage(endpoint):
    """Django's default storage (and so Wagtail's images, renditions and documents) in
    the moto bucket. override_settings(STORAGES=...) makes Django drop its cached
    storages (django.test.signals.storages_changed), so default_storage is rebuilt with
    the AWS_* settings below; leaving the block rebuilds the local one."""
    with override_settings(
        STORAGES={"default": {"BACKEND": "jiyue.storage.SiteS3Storage"},
                  "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}},
        AWS_S3_ENDPOINT_URL=endpoint, AWS_STORAGE_BUCKET_NAME=BUCKET, AWS_ACCESS_KEY_ID="test",
        AWS_SECRET_ACCESS_KEY="test", AWS_S3_REGION_NAME="us-east-1", AWS_DEFAULT_ACL=None,
        AWS_QUERYSTRING_AUTH=False, AWS_S3_FILE_OVERWRITE=False,
    ):
        assert isinstance(default_storage, SiteS3Storage), "default_storage follows the overridden STORAGES"
        yield
    assert not isinstance(default_storage, SiteS3Storage)


def bucket_keys(s3_client, prefix=""):
    pages = s3_client.get_paginator("list_objects_v2").paginate(Bucket=BUCKET, Prefix=prefix)
    return [item["Key"] for page in pages for item in page.get("Contents", [])]
