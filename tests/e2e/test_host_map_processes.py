"""The host map across real processes: gunicorn's two workers each hold their own map;
a domain added elsewhere (this test process) reaches both within the check interval
(one second with the production settings the server runs)."""
import time
import urllib.error
import urllib.request

from tenants.registry.services.sites import add_domain, remove_domain
from tests.factories import make_online_site


def _status(server, host):
    request = urllib.request.Request(f"http://127.0.0.1:{server.port}/", headers={"Host": host})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _statuses(server, host, count=20):
    # New connections each time, so the requests spread over both workers.
    return {_status(server, host) for _ in range(count)}


def test_a_domain_change_reaches_every_server_process(app_server):
    site = make_online_site()
    alias = f"alias.{site.short_code}.test.localhost"
    time.sleep(1.5)  # the new site itself reaches the workers within the interval too
    assert _statuses(app_server, site.primary_host) == {200}
    assert _statuses(app_server, alias) == {404}  # every worker has loaded its map

    add_domain(site, alias, acting_user=None)
    time.sleep(1.5)
    assert _statuses(app_server, alias) == {200}

    remove_domain(site, alias, acting_user=None)
    time.sleep(1.5)
    assert _statuses(app_server, alias) == {404}
