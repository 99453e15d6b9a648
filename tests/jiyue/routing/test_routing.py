"""Routing by Host header: cached host map, console and back-office prefixes, refusals."""
import pytest
from django.test import Client

from jiyue.routing.hostmap import HostMap, host_map
from tenants.registry.services.sites import add_domain, approve_site_application
from tenants.registry.models import SiteStatus
from tests.factories import apply_site, make_online_site, make_province, approver


def get(host, path="/"):
    return Client().get(path, HTTP_HOST=host)


def test_site_host_serves_the_sites_home_page():
    site = make_online_site()
    response = get(site.primary_host)
    assert response.status_code == 200
    assert site.name in response.content.decode()
    assert '<meta name="SiteName"' in response.content.decode()


def test_host_with_port_and_upper_case_is_the_same_site():
    site = make_online_site()
    response = get(f"{site.primary_host.upper()}:8000")
    assert response.status_code == 200 and site.name in response.content.decode()


def test_unknown_host_gets_a_chinese_404_without_touching_the_database(django_assert_num_queries, settings):
    make_online_site()
    # A site created meanwhile by a Celery worker would rightly reload the map.
    settings.JIYUE_HOSTMAP_CHECK_INTERVAL = 60
    host_map.by_host("warm-up.invalid")
    with django_assert_num_queries(0):
        response = get("no-such-site.gov.localhost")
    assert response.status_code == 404
    assert "网站不存在" in response.content.decode()


def test_host_lookup_is_a_dictionary_lookup_once_warm(django_assert_num_queries, settings):
    site = make_online_site()
    settings.JIYUE_HOSTMAP_CHECK_INTERVAL = 60
    host = site.primary_host
    local = HostMap()
    assert local.by_host(host).schema_name == site.schema_name
    with django_assert_num_queries(0):
        for _ in range(100):
            assert local.by_host(host) is not None


def test_a_new_domain_reaches_other_processes_through_the_shared_version(settings):
    """Two HostMap instances stand for two web processes sharing Redis."""
    site = make_online_site()
    other_process = HostMap()
    assert other_process.by_host(site.primary_host) is not None
    alias = f"alias.{site.short_code}.test.localhost"
    assert other_process.by_host(alias) is None
    add_domain(site, alias, acting_user=None)  # invalidates on commit
    assert other_process.by_host(alias).schema_name == site.schema_name
    assert get(alias).status_code == 200


def test_a_site_that_is_not_open_does_not_serve_public_pages():
    site = apply_site(make_province())
    response = get(site.primary_host)
    assert response.status_code == 404 and "尚未开通" in response.content.decode()
    approve_site_application(site, acting_user=approver())
    assert get(site.primary_host).status_code == 404


def test_a_temporarily_offline_site_answers_503():
    site = make_online_site()
    site.status = SiteStatus.TEMPORARILY_OFFLINE
    site.save()
    response = get(site.primary_host)
    assert response.status_code == 503 and "临时下线" in response.content.decode()


def test_unknown_site_code_in_the_back_office_url_is_a_chinese_404():
    response = get("console.localhost", "/s/no_such_code/admin/")
    assert response.status_code == 404 and "网站代号不存在" in response.content.decode()


def test_back_office_of_a_site_not_yet_provisioned_is_404():
    site = apply_site(make_province())
    response = get("console.localhost", f"/s/{site.short_code}/admin/")
    assert response.status_code == 404 and "尚未完成开通" in response.content.decode()


def test_anonymous_back_office_request_goes_to_the_console_login():
    site = make_online_site()
    response = get("console.localhost", f"/s/{site.short_code}/admin/pages/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")
    assert f"/s/{site.short_code}/admin/pages/" in response["Location"].replace("%2F", "/")


def test_healthz_answers_on_any_host_without_the_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert get("anything.example", "/healthz").content == b"ok"


@pytest.mark.parametrize("path", ["/login/", "/"])
def test_console_host_serves_the_console(path):
    response = get("console.localhost", path)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert "统一身份认证" in response.content.decode()


def test_wagtail_caches_are_kept_per_site():
    """Wagtail caches site root paths under one fixed key; in a shared cache (Redis)
    every key must carry the schema, or one site would get another's URLs."""
    from django_tenants.utils import schema_context

    from tenants.columns.models import SiteHomePage

    sites = [make_online_site(), make_online_site()]
    for site in sites + sites:
        with schema_context(site.schema_name):
            assert SiteHomePage.objects.get().full_url == f"http://{site.primary_host}/"
        assert site.name in get(site.primary_host).content.decode()
