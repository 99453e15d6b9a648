"""Redirect serving for retired hosts, with the semantics of GOV.UK's Bouncer: a mapped
old URL answers 301 to its new place; an archived or unresolved one 410 with a page
that links the archived copy and the target site's search; an address the old site
never had 404; the old home page goes to the target site's home.

`retire_hosts` makes the platform answer for the old hosts (RetiredHost rows, which
the host map loads); `answer` decides what one request gets."""
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from jiyue.audit.services import log_operation

from ..lib.urls import UnusableUrl, canonicalize, host_of, url_hash
from ..models import ArchiveRecord, CrawlHost, ExtractedPage, MappingStatus, RetiredHost, UrlMapping
from .jobs import check_ops

ARCHIVE_PREFIX = "/_archive/"


def retire_hosts(job, *, acting_user, hosts: dict[str, str] | None = None) -> list[RetiredHost]:
    """Answer for the retired site's hosts from now on. `hosts`: host name -> the origin
    it was crawled under (default: every origin the crawl visited, by its host name)."""
    from tenants.registry.models import Domain

    check_ops(acting_user)
    if not UrlMapping.objects.filter(job=job).exists():
        raise ValidationError(_("Map the old URLs first (jiyue retire map): there is nothing to redirect yet"))
    if hosts is None:
        hosts = {host_of(origin): origin for origin in CrawlHost.objects.filter(job=job).values_list("host", flat=True)}
    if not hosts:
        raise ValidationError(_("The crawl has visited no host; there is nothing to redirect"))
    taken = Domain.objects.filter(domain__in=list(hosts)).exclude(tenant__status="retired")
    if job.source_site_id:
        taken = taken.exclude(tenant_id=job.source_site_id)
    if taken.exists():
        raise ValidationError(_("%(host)s is a host of %(site)s, which is not retired; it cannot be redirected")
                              % {"host": taken[0].domain, "site": taken[0].tenant.name})
    home = target_home(job)
    with transaction.atomic():
        rows = []
        for host, origin in hosts.items():
            row, _created = RetiredHost.objects.update_or_create(host=host.lower(), defaults={
                "job": job, "origin": origin.rstrip("/"), "home_url": home})
            rows.append(row)
        job.retired_at = job.retired_at or timezone.now()
        job.save(update_fields=["retired_at", "updated_at"])
        log_operation("retire_migration_hosts", acting_user=acting_user, site=job.source_site or job.target_site,
                      job=job.code, hosts=sorted(hosts))
        from jiyue.routing.hostmap import host_map

        transaction.on_commit(host_map.invalidate)
    return rows


def target_home(job) -> str:
    """The target site's home page (the parent portal for a permanent offline)."""
    from wagtail.models import Site as WagtailSite

    with tenant_context(job.target_site):
        site = WagtailSite.objects.filter(is_default_site=True).select_related("root_page").first()
        if site is None:
            raise ValidationError(_("%(site)s has no home page") % {"site": job.target_site.name})
        return site.root_page.get_full_url() or site.root_url + "/"


@dataclass(frozen=True)
class Answer:
    status: int  # 301, 410 or 404
    location: str = ""
    title: str = ""  # the old page's title, for the search link
    archived: bool = False  # an archived copy can be shown


def answer(job_id: int, origin: str, home_url: str, path: str) -> Answer:
    """What a retired host answers for `path` (path and query, as requested)."""
    if path in ("", "/"):
        return Answer(301, location=home_url)
    try:
        old_url = canonicalize(origin + path)
    except UnusableUrl:
        return Answer(404)
    digest = url_hash(old_url)
    mapping = UrlMapping.objects.filter(job_id=job_id, url_hash=digest).values_list("status", "new_url").first()
    if mapping is None:
        return Answer(404)
    status, new_url = mapping
    if status == MappingStatus.REDIRECT and new_url:
        return Answer(301, location=new_url)
    if _is_home(job_id, digest):
        return Answer(301, location=home_url)
    title = ExtractedPage.objects.filter(job_id=job_id, url_hash=digest).values_list("title", flat=True).first()
    archived = ArchiveRecord.objects.filter(job_id=job_id, url_hash=digest, status_code=200).exists()
    return Answer(410, title=title or "", archived=archived)


def _is_home(job_id: int, digest: str) -> bool:
    from ..models import MigrationJob

    start_urls = MigrationJob.objects.filter(pk=job_id).values_list("start_urls", flat=True).first() or []
    return digest in {url_hash(url) for url in start_urls}


def archived_record(job_id: int, origin: str, path: str):
    """The archived response of an old URL (the record), or None."""
    try:
        old_url = canonicalize(origin + path)
    except UnusableUrl:
        return None
    return ArchiveRecord.objects.filter(job_id=job_id, url_hash=url_hash(old_url)).select_related(
        "warc", "job", "job__target_site").first()
