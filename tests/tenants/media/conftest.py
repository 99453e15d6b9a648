"""Fixtures for media uploads: a site with a signed-in editor, helpers that upload
through the real Wagtail admin views, and a moto S3 server on loopback (spoken to over
HTTP through boto3, as in tests/jiyue/test_storage.py) with Django's default storage
pointed at it."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context
from wagtail.models import Collection

from jiyue.identity.models import SiteRole
from tests import moto_s3
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


def s3_default_storage(endpoint):
    return moto_s3.s3_default_storage(endpoint, BUCKET)


def bucket_keys(s3_client, prefix=""):
    return moto_s3.bucket_keys(s3_client, BUCKET, prefix)
