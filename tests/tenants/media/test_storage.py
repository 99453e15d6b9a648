"""Uploaded images, their renditions and documents live under the site's prefix
(``sites/<schema>/``) in the S3 bucket (a moto server) as on the local disk, and are
served from there on the site's own host."""
import os

from django.conf import settings
from django.test import Client
from django_tenants.utils import schema_context
from wagtail.documents.models import Document
from wagtail.images.models import Image

from tests.tenants.media import samples
from tests.tenants.media.conftest import CONSOLE, bucket_keys, s3_default_storage, upload


def _uploaded(response):
    assert response.status_code == 200 and response.json()["success"] is True, response.content
    return response.json()


def test_s3_document_key_is_under_the_site_prefix(editor_client, site, s3_endpoint):
    endpoint, s3 = s3_endpoint
    data = samples.pdf("s3 document")
    with s3_default_storage(endpoint):
        doc_id = _uploaded(upload(editor_client, site, "documents", "云端年报.pdf", data, multiple=True))["doc_id"]
        with schema_context(site.schema_name):
            name = Document.objects.get(pk=doc_id).file.name
    assert name.startswith("documents/")
    key = f"sites/{site.schema_name}/{name}"
    assert key in bucket_keys(s3, f"sites/{site.schema_name}/")
    assert s3.get_object(Bucket="jiyue-media-test", Key=key)["Body"].read() == data


def test_s3_documents_are_served_through_the_sites_serve_view(editor_client, site, s3_endpoint):
    """WAGTAILDOCS_SERVE_METHOD = "serve_view": streamed from the bucket by the site's
    own host, not redirected to the bucket."""
    endpoint, _s3 = s3_endpoint
    data = samples.pdf("served from s3")
    with s3_default_storage(endpoint):
        doc_id = _uploaded(upload(editor_client, site, "documents", "云端通知.pdf", data, multiple=True))["doc_id"]
        with schema_context(site.schema_name):
            document = Document.objects.get(pk=doc_id)
        response = Client().get(f"/documents/{document.pk}/{document.filename}", HTTP_HOST=site.primary_host)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == data
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Security-Policy"] == "default-src 'none'"


def test_s3_same_name_uploads_keep_both_files(editor_client, site, s3_endpoint):
    """AWS_S3_FILE_OVERWRITE = False: a second 通知.pdf gets its own key."""
    endpoint, s3 = s3_endpoint
    first, second = samples.pdf("first"), samples.pdf("second")
    with s3_default_storage(endpoint):
        ids = [_uploaded(upload(editor_client, site, "documents", "同名通知.pdf", data, multiple=True))["doc_id"]
               for data in (first, second)]
        with schema_context(site.schema_name):
            documents = [Document.objects.get(pk=pk) for pk in ids]
            assert documents[0].file.name != documents[1].file.name
            assert [document.file.open("rb").read() for document in documents] == [first, second]


def test_s3_image_and_its_renditions_are_under_the_site_prefix(editor_client, site, s3_endpoint):
    endpoint, s3 = s3_endpoint
    data = samples.png(120, 80, (10, 160, 60))
    with s3_default_storage(endpoint):
        image_id = _uploaded(upload(editor_client, site, "images", "云端照片.png", data, multiple=True))["image_id"]
        # The admin's image listing makes its thumbnails (renditions) as it renders.
        listing = editor_client.get(f"/s/{site.short_code}/admin/images/", HTTP_HOST=CONSOLE)
        assert listing.status_code == 200
        with schema_context(site.schema_name):
            image = Image.objects.get(pk=image_id)
            rendition = image.get_rendition("fill-40x30")
            names = [image.file.name, rendition.file.name]
            thumbnails = [r.file.name for r in image.renditions.exclude(pk=rendition.pk)]
        assert thumbnails, "the listing made a thumbnail"
        keys = bucket_keys(s3, f"sites/{site.schema_name}/")
        for name in names + thumbnails:
            assert f"sites/{site.schema_name}/{name}" in keys
        assert rendition.file.name.startswith("images/") and (rendition.width, rendition.height) == (40, 30)
        # The site's host serves the rendition from the bucket under its /media/ path.
        response = Client().get(f"/media/{rendition.file.name}", HTTP_HOST=site.primary_host)
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_local_image_rendition_is_stored_under_the_site_prefix(editor_client, site):
    data = samples.jpeg(90, 60)
    image_id = _uploaded(upload(editor_client, site, "images", "本地照片.jpg", data, multiple=True))["image_id"]
    with schema_context(site.schema_name):
        rendition = Image.objects.get(pk=image_id).get_rendition("max-45x45")
    path = os.path.join(settings.MEDIA_ROOT, "sites", site.schema_name, rendition.file.name)
    assert os.path.exists(path) and (rendition.width, rendition.height) == (45, 30)
    response = Client().get(rendition.url, HTTP_HOST=site.primary_host)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
