"""Isolation is a security boundary: an editor of site A tries everything of site B
(back-office routes, Wagtail admin, object ids, Host headers, forged sessions, media,
the admin API, the console, Celery) and gets 403/404 and none of B's data."""
import uuid

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from django_tenants.utils import schema_context, tenant_context

from jiyue.identity.models import SiteRole
from tenants.columns.models import ColumnPage, SiteHomePage
from tenants.columns.tasks import summarize_site_tree
from tests.celery_worker import celery_worker  # noqa: F401 -- fixture
from tests.factories import PASSWORD, grant, make_online_site, make_user

CONSOLE = "console.localhost"


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        site_a, site_b = make_online_site(), make_online_site()
        editor_a, editor_b = make_user("editor_a"), make_user("editor_b")
        grant(editor_a, site_a, SiteRole.EDITOR)
        grant(editor_b, site_b, SiteRole.EDITOR)
        marker = f"机密标记{uuid.uuid4().hex[:8]}"
        with schema_context(site_b.schema_name):
            home = SiteHomePage.objects.get()
            secret_page = home.add_child(instance=ColumnPage(title=marker, slug="secret", live=True))
            media_name = default_storage.save(f"images/{marker}.txt", ContentFile(marker.encode()))
        return {"a": site_a, "b": site_b, "editor_a": editor_a, "editor_b": editor_b, "marker": marker,
                "secret_page_id": secret_page.pk, "media_name": media_name}


@pytest.fixture
def client_a(world):
    client = Client()
    response = client.post("/login/", {"username": world["editor_a"].username, "password": PASSWORD},
                           HTTP_HOST=CONSOLE)
    assert response.status_code == 302, "editor A signs in"
    return client


def assert_refused(response, marker, statuses=(403, 404)):
    assert response.status_code in statuses, response.status_code
    assert marker not in response.content.decode(errors="replace")


def test_editor_reaches_own_back_office(client_a, world):
    response = client_a.get(f"/s/{world['a'].short_code}/admin/", HTTP_HOST=CONSOLE)
    assert response.status_code == 200


B_ADMIN_PATHS = ["", "pages/", "pages/{page}/", "pages/{page}/edit/", "pages/search/?q={marker}", "images/",
                 "documents/", "api/main/pages/", "api/main/pages/{page}/", "reports/site-history/", "users/"]


@pytest.mark.parametrize("path", B_ADMIN_PATHS)
def test_back_office_of_another_site_is_refused(client_a, world, path):
    url = f"/s/{world['b'].short_code}/admin/" + path.format(page=world["secret_page_id"], marker=world["marker"])
    response = client_a.get(url, HTTP_HOST=CONSOLE)
    assert_refused(response, world["marker"], statuses=(403,))
    assert "无权访问" in response.content.decode()


def test_writes_to_another_site_are_refused(client_a, world):
    url = f"/s/{world['b'].short_code}/admin/pages/{world['secret_page_id']}/edit/"
    response = client_a.post(url, {"title": "篡改", "slug": "secret"}, HTTP_HOST=CONSOLE)
    assert response.status_code == 403
    with schema_context(world["b"].schema_name):
        assert ColumnPage.objects.get(pk=world["secret_page_id"]).title == world["marker"]


def test_object_ids_of_another_site_do_not_resolve_in_own_prefix(client_a, world):
    a = world["a"].short_code
    for path in (f"pages/{world['secret_page_id']}/edit/", f"api/main/pages/{world['secret_page_id']}/"):
        response = client_a.get(f"/s/{a}/admin/{path}", HTTP_HOST=CONSOLE)
        assert_refused(response, world["marker"], statuses=(404,))


def test_searching_own_back_office_never_finds_another_sites_pages(client_a, world):
    a = world["a"].short_code
    # Search for the marker's prefix: the search box echoes the query, B's page title
    # is the only place the whole marker exists.
    for path in ("pages/search/?q=机密标记", "api/main/pages/?search=机密标记",
                 "api/main/pages/?limit=20"):
        response = client_a.get(f"/s/{a}/admin/{path}", HTTP_HOST=CONSOLE)
        assert response.status_code == 200
        assert world["marker"] not in response.content.decode()


@pytest.mark.parametrize("host_key, path", [
    ("b", "/admin/"),
    ("b", "/s/{b}/admin/"),
    ("a", "/s/{b}/admin/"),
    ("b", "/s/{a}/admin/pages/{page}/edit/"),
])
def test_changed_host_header_never_opens_a_back_office(client_a, world, host_key, path):
    host = world[host_key].primary_host
    url = path.format(a=world["a"].short_code, b=world["b"].short_code, page=world["secret_page_id"])
    response = client_a.get(url, HTTP_HOST=host)
    assert_refused(response, world["marker"], statuses=(404,))


def test_forwarded_host_header_is_ignored(client_a, world):
    response = client_a.get(f"/s/{world['b'].short_code}/admin/", HTTP_HOST=CONSOLE,
                            HTTP_X_FORWARDED_HOST=world["b"].primary_host)
    assert_refused(response, world["marker"], statuses=(403,))


def test_forged_session_cookie_is_treated_as_anonymous(world):
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = "forged" + uuid.uuid4().hex
    response = client.get(f"/s/{world['b'].short_code}/admin/pages/", HTTP_HOST=CONSOLE)
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_session_rewritten_to_another_user_is_rejected(client_a, world):
    """A stolen or edited session naming B's editor fails Django's session hash check."""
    key = client_a.cookies[settings.SESSION_COOKIE_NAME].value
    session = SessionStore(session_key=key)
    session["_auth_user_id"] = str(world["editor_b"].pk)
    session.save()
    response = client_a.get(f"/s/{world['b'].short_code}/admin/pages/", HTTP_HOST=CONSOLE)
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_media_of_another_site_is_unreachable_on_own_host(world):
    name = world["media_name"]
    assert Client().get(f"/media/{name}", HTTP_HOST=world["b"].primary_host).status_code == 200
    for path in (f"/media/{name}", f"/media/../{world['b'].schema_name}/{name}",
                 f"/media/..%2F{world['b'].schema_name}%2F{name}", f"/media/sites/{world['b'].schema_name}/{name}"):
        response = Client().get(path, HTTP_HOST=world["a"].primary_host)
        assert_refused(response, world["marker"], statuses=(404,))


def test_media_route_serves_images_only_so_document_privacy_holds(world):
    with schema_context(world["b"].schema_name):
        document_name = default_storage.save(f"documents/{world['marker']}.pdf", ContentFile(b"%PDF-1.4 secret"))
    response = Client().get(f"/media/{document_name}", HTTP_HOST=world["b"].primary_host)
    assert response.status_code == 404, "documents go through Wagtail's serve view (collection privacy)"
    image = Client().get(f"/media/{world['media_name']}", HTTP_HOST=world["b"].primary_host)
    assert "default-src 'none'" in image["Content-Security-Policy"]


def test_back_office_thumbnails_are_served_under_the_site_prefix_only_to_its_people(client_a, world):
    with schema_context(world["a"].schema_name):
        own = default_storage.save("images/thumb.txt", ContentFile(b"thumbnail of A"))
    with schema_context(world["a"].schema_name):
        from django.urls import set_script_prefix

        set_script_prefix(f"/s/{world['a'].short_code}/")
        try:
            assert default_storage.url(own) == f"/s/{world['a'].short_code}/media/{own}"
        finally:
            set_script_prefix("/")
    assert client_a.get(f"/s/{world['a'].short_code}/media/{own}", HTTP_HOST=CONSOLE).status_code == 200
    response = client_a.get(f"/s/{world['b'].short_code}/media/{world['media_name']}", HTTP_HOST=CONSOLE)
    assert_refused(response, world["marker"])


def test_public_pages_of_another_site_are_not_served_on_own_host(world):
    response = Client().get("/secret/", HTTP_HOST=world["a"].primary_host)
    assert_refused(response, world["marker"], statuses=(404,))
    assert world["marker"] in Client().get("/secret/", HTTP_HOST=world["b"].primary_host).content.decode()


def test_console_registry_is_closed_to_site_editors(client_a, world):
    for path in ("/sites/", f"/sites/{world['b'].short_code}/", "/sites/apply/"):
        assert client_a.get(path, HTTP_HOST=CONSOLE).status_code == 403
    home = client_a.get("/", HTTP_HOST=CONSOLE).content.decode()
    assert world["a"].name in home and world["b"].name not in home


def test_permissions_exist_only_in_the_granted_sites_schema(world):
    editor = world["editor_a"]
    with schema_context(world["a"].schema_name):
        assert type(editor).objects.get(pk=editor.pk).has_perm("wagtailadmin.access_admin")
    with schema_context(world["b"].schema_name):
        assert not type(editor).objects.get(pk=editor.pk).has_perm("wagtailadmin.access_admin")


@pytest.mark.celery
def test_a_celery_task_runs_in_the_schema_of_the_site_that_sent_it(world, celery_worker):
    results = []
    for key in ("a", "b", "a", "b"):
        with tenant_context(world[key]):
            results.append((key, summarize_site_tree.delay()))
    for key, result in results:
        summary = result.get(timeout=60)
        assert summary["schema"] == world[key].schema_name
        assert summary["hostname"] == world[key].primary_host
