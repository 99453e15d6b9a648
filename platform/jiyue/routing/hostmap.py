"""An in-process map from host name and site code to the site that serves it.

Looking a host up is a dictionary lookup: no database query per request. When a
domain or a site's status changes, tenants.registry's signal handlers bump a version
in the "shared" cache (Redis in production); each process compares its version with
the shared one at most every JIYUE_HOSTMAP_CHECK_INTERVAL seconds and reloads the
whole map (one query) when they differ."""
from __future__ import annotations

import datetime
import threading
import time
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches

VERSION_KEY = "jiyue:hostmap:version"


def _shared_cache():
    return caches["shared"]


@dataclass(frozen=True)
class SiteRoute:
    site_id: int
    schema_name: str
    short_code: str
    name: str
    status: str
    # While temporarily offline: why, and the planned return date (tenants.lifecycle).
    offline_reason: str = ""
    offline_until: datetime.date | None = None
    # A retired site's hosts redirect to its parent portal's primary host.
    parent_host: str | None = None
    primary_host: str | None = None

    @property
    def is_online(self) -> bool:
        return self.status == "online"

    @property
    def is_provisioned(self) -> bool:
        from tenants.registry.models.sites import PROVISIONED_STATUSES

        return self.status in PROVISIONED_STATUSES

    def as_tenant(self):
        """A Site instance for connection.set_tenant(); never saved."""
        from tenants.registry.models import Site

        site = Site(id=self.site_id, schema_name=self.schema_name, short_code=self.short_code,
                    name=self.name, status=self.status)
        site._state.adding = False
        return site


@dataclass(frozen=True)
class RetiredHostRoute:
    """A host of a retired site that the platform keeps answering for (ops.retirement)."""

    job_id: int
    origin: str
    home_url: str


class HostMap:
    def __init__(self):
        self._lock = threading.Lock()
        self._by_host: dict[str, SiteRoute] | None = None
        self._by_code: dict[str, SiteRoute] = {}
        # Old hosts after a domain change: host -> the site's primary host (301s).
        self._redirects: dict[str, str] = {}
        self._retired: dict[str, RetiredHostRoute] = {}
        self._version = None
        self._checked_at = 0.0

    def by_host(self, host: str) -> SiteRoute | None:
        self._refresh_if_stale()
        return self._by_host.get(host)

    def redirect_for(self, host: str) -> str | None:
        """The primary host an old domain forwards to, if it is one."""
        self._refresh_if_stale()
        return self._redirects.get(host)

    def retired_host(self, host: str) -> RetiredHostRoute | None:
        """The migration whose redirects a retired host answers with, if it is one."""
        self._refresh_if_stale()
        return self._retired.get(host)

    def by_code(self, short_code: str) -> SiteRoute | None:
        self._refresh_if_stale()
        return self._by_code.get(short_code)

    def invalidate(self) -> None:
        """Tell every process (this one at once) that the map changed."""
        _shared_cache().set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        with self._lock:
            self._by_host = None

    def _refresh_if_stale(self) -> None:
        now = time.monotonic()
        if self._by_host is not None and now - self._checked_at < settings.JIYUE_HOSTMAP_CHECK_INTERVAL:
            return
        with self._lock:
            cache = _shared_cache()
            shared_version = cache.get(VERSION_KEY)
            if shared_version is None:
                cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
                shared_version = cache.get(VERSION_KEY)
            if self._by_host is None or shared_version != self._version:
                self._load()
                self._version = shared_version
            self._checked_at = now

    def _load(self) -> None:
        from tenants.lifecycle.models import OfflinePeriod
        from tenants.registry.models import Domain, Site

        domains = list(Domain.objects.values_list("domain", "tenant_id", "is_primary", "redirect_until"))
        primary = {site_id: domain for domain, site_id, is_primary, _until in domains if is_primary}
        offline = {row["site_id"]: row for row in OfflinePeriod.objects.filter(
            started_at__isnull=False, returned_at__isnull=True).values("site_id", "reason", "planned_return_on")}
        by_code = {}
        for row in Site.objects.values("id", "schema_name", "short_code", "name", "status", "parent_id"):
            period = offline.get(row["id"], {})
            by_code[row["short_code"]] = SiteRoute(
                site_id=row["id"], schema_name=row["schema_name"], short_code=row["short_code"],
                name=row["name"], status=row["status"], offline_reason=period.get("reason", ""),
                offline_until=period.get("planned_return_on"), parent_host=primary.get(row["parent_id"]),
                primary_host=primary.get(row["id"]),
            )
        by_id = {route.site_id: route for route in by_code.values()}
        by_host, redirects = {}, {}
        for domain, site_id, is_primary, redirect_until in domains:
            by_host[domain] = by_id[site_id]
            if redirect_until is not None and not is_primary and primary.get(site_id):
                redirects[domain] = primary[site_id]
        from ops.retirement.models import RetiredHost

        retired = {host: RetiredHostRoute(job_id=job_id, origin=origin, home_url=home_url)
                   for host, job_id, origin, home_url in RetiredHost.objects.values_list(
                       "host", "job_id", "origin", "home_url")}
        self._by_code, self._by_host, self._redirects, self._retired = by_code, by_host, redirects, retired


host_map = HostMap()
