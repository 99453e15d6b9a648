"""A file of site A is never reachable under site B, on the local disk and in S3: not on
B's host (/media/..., /documents/<id>/<name>), not in B's back office
(/s/<B>/documents/..., B's image and document admin), even where B has objects with
the same ids; and A's own files are reachable where they should be."""
import uuid
from urllib.parse import quote, urlparse

import pytest
from django.test import Client
from django_tenants.utils import schema_context
from wagtail.documents.models import Document
from wagtail.images.models import Image

from jiyue.identity.models import SiteRole
from tests.factories import grant, make_online_site, make_user
from tests.tenants.media import samples
from tests.tenants.media.conftest import CONSOLE, s3_default_storage, signed_in, upload


@pytest.fixture(scope="module", params=["local", "s3"])
def storage(request):
    if request.param == "local":
        yield "local"
        return
    endpoint, _client = request.getfixturevalue("s3_endpoint")
    with s3_default_storage(endpoint):
        yield "s3"


def _uploaded(response):
    assert response.status_code == 200 and response.json()["success"] is True, response.content
    return response.json()


@pytest.fixture(scope="module")
def world(storage, django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        site_a, site_b = make_online_site(), make_online_site()
        editor_a, editor_both = make_user("media_a"), make_user("media_both")
        grant(editor_a, site_a, SiteRole.EDITOR)
        for site in (site_a, site_b):
            grant(editor_both, site, SiteRole.EDITOR)
        client = signed_in(editor_both)
        marker = f"SECRET-{uuid.uuid4().hex[:10]}"
        # B's objects first: A's document and image get the same ids as B's.
        b_doc = _uploaded(upload(client, site_b, "documents", "乙站文件.pdf", samples.pdf("site B"), multiple=True))
        b_image = _uploaded(upload(client, site_b, "images", "乙站照片.png", samples.png(), multiple=True))
        a_doc = _uploaded(upload(client, site_a, "documents", f"甲站 {marker}.pdf", samples.pdf(marker), multiple=True))
        a_image = _uploaded(upload(client, site_a, "images", f"甲站 {marker}.png", samples.png(color=(1, 2, 3)),
                                   multiple=True))
        assert (a_doc["doc_id"], a_image["image_id"]) == (b_doc["doc_id"], b_image["image_id"])
        with schema_context(site_a.schema_name):
            document = Document.objects.get(pk=a_doc["doc_id"])
            image = Image.objects.get(pk=a_image["image_id"])
            rendition = image.get_rendition("fill-32x24")
            a_files = {"doc_id": document.pk, "doc_filename": document.filename, "doc_name": document.file.name,
                       "image_id": image.pk, "image_name": image.file.name, "rendition_name": rendition.file.name,
                       "rendition_url": rendition.url, "image_bytes": image.file.open("rb").read()}
        return {"a": site_a, "b": site_b, "editor_a": editor_a, "editor_both": editor_both, "marker": marker,
                "storage": storage, **a_files}


def body(response):
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def assert_not_found(response, world):
    assert response.status_code == 404, response.status_code
    content = body(response)
    assert world["marker"].encode() not in content
    assert world["image_bytes"] not in content


def doc_path(world):
    return f"/documents/{world['doc_id']}/{quote(world['doc_filename'])}"


def test_site_a_document_is_served_on_site_a_host_and_in_its_back_office(world):
    response = Client().get(doc_path(world), HTTP_HOST=world["a"].primary_host)
    assert response.status_code == 200 and world["marker"].encode() in body(response)
    response = signed_in(world["editor_both"]).get(f"/s/{world['a'].short_code}{doc_path(world)}", HTTP_HOST=CONSOLE)
    assert response.status_code == 200 and world["marker"].encode() in body(response)
    # The search used against B below does find A's document in A's own back office.
    response = signed_in(world["editor_both"]).get(f"/s/{world['a'].short_code}/admin/documents/?q=SECRET",
                                                   HTTP_HOST=CONSOLE)
    assert response.status_code == 200 and world["marker"] in response.content.decode()


def test_site_a_document_is_not_served_on_site_b_host_with_site_a_id_and_name(world):
    assert_not_found(Client().get(doc_path(world), HTTP_HOST=world["b"].primary_host), world)


def test_site_a_document_is_not_served_under_site_b_back_office_prefix(world):
    url = f"/s/{world['b'].short_code}{doc_path(world)}"
    assert_not_found(signed_in(world["editor_both"]).get(url, HTTP_HOST=CONSOLE), world)
    # An editor of A only is not let into B's prefix at all.
    response = signed_in(world["editor_a"]).get(url, HTTP_HOST=CONSOLE)
    assert response.status_code == 403 and world["marker"].encode() not in body(response)


@pytest.mark.parametrize("key", ["doc_name", "image_name", "rendition_name"])
def test_site_a_media_path_is_unreachable_on_site_b_host(world, key):
    name, a_schema = world[key], world["a"].schema_name
    # Images are served under /media/ on their own site; documents only through
    # Wagtail's serve view (collection privacy), never under /media/.
    expected = 404 if key == "doc_name" else 200
    assert Client().get(f"/media/{quote(name)}", HTTP_HOST=world["a"].primary_host).status_code == expected
    for path in (f"/media/{name}", f"/media/sites/{a_schema}/{name}", f"/media/../{a_schema}/{name}",
                 f"/media/..%2F..%2F{a_schema}%2F{name}"):
        assert_not_found(Client().get(quote(path, safe="/%"), HTTP_HOST=world["b"].primary_host), world)


def test_wagtail_image_url_of_site_a_does_not_resolve_on_site_b_host(world):
    path = urlparse(world["rendition_url"]).path
    if world["storage"] == "local":
        assert Client().get(path, HTTP_HOST=world["a"].primary_host).status_code == 200
    else:
        # In S3 the rendition URL is the bucket's own; it names A's prefix explicitly.
        assert f"/sites/{world['a'].schema_name}/" in path
    assert_not_found(Client().get(path, HTTP_HOST=world["b"].primary_host), world)


@pytest.mark.parametrize("path", ["documents/", "images/", "documents/edit/{doc}/", "images/{image}/",
                                  "documents/chooser/", "images/chooser/", "documents/?q=SECRET", "images/?q=SECRET"])
def test_site_b_back_office_shows_nothing_of_site_a(world, path):
    """B's admin, even with A's ids and a search for the start of A's marker (which the
    page echoes; only A's titles hold the whole marker)."""
    client = signed_in(world["editor_both"])
    url = f"/s/{world['b'].short_code}/admin/" + path.format(doc=world["doc_id"], image=world["image_id"])
    response = client.get(url, HTTP_HOST=CONSOLE)
    assert response.status_code in (200, 404)
    content = response.content.decode()
    assert world["marker"] not in content and "甲站" not in content
