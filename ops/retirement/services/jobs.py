"""Creating and changing migration jobs (ops staff only)."""
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from jiyue.audit.services import log_operation
from jiyue.identity.models import PlatformRole
from jiyue.identity.queries import has_platform_role
from tenants.registry.models.sites import PROVISIONED_STATUSES

from ..lib.urls import UnusableUrl, canonicalize, host_allowed, host_of
from ..models import MigrationJob


def check_ops(user) -> None:
    if user is not None and not has_platform_role(user, PlatformRole.OPS):
        raise PermissionDenied(_("Only ops staff can run site migrations"))


def clean_start_urls(start_urls, allowed_hosts) -> tuple[list[str], list[str]]:
    urls = []
    for value in start_urls:
        value = (value or "").strip()
        if not value:
            continue
        try:
            urls.append(canonicalize(value))
        except UnusableUrl:
            raise ValidationError(_("“%(url)s” is not an http(s) address") % {"url": value}) from None
    if not urls:
        raise ValidationError(_("Give at least one start URL"))
    hosts = [host.strip().lower() for host in allowed_hosts if host and host.strip()]
    if not hosts:
        hosts = list(dict.fromkeys(host_of(url) for url in urls))
    outside = [url for url in urls if not host_allowed(host_of(url), hosts)]
    if outside:
        raise ValidationError(_("Start URL outside the allowed hosts (%(hosts)s): %(url)s")
                              % {"hosts": ", ".join(hosts), "url": outside[0]})
    return urls, hosts


@transaction.atomic
def create_job(*, acting_user, name: str, target_site, start_urls, allowed_hosts=(), code: str = "",
               source_site=None, lifecycle_request=None, ignore_robots: bool = False,
               ignore_robots_reason: str = "", **limits) -> MigrationJob:
    check_ops(acting_user)
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("Give the retired site's name"))
    code = slugify(code or "") or None
    if code is None:
        raise ValidationError(_("Give the job a code of letters, digits and hyphens"))
    if MigrationJob.objects.filter(code=code).exists():
        raise ValidationError(_("A migration job with the code “%(code)s” exists already") % {"code": code})
    if target_site.status not in PROVISIONED_STATUSES:
        raise ValidationError(_("The target site %(site)s has no schema yet") % {"site": target_site.name})
    if lifecycle_request is not None and (lifecycle_request.kind != "permanent_offline"
                                          or lifecycle_request.site_id != getattr(source_site, "pk", None)):
        raise ValidationError(_("The permanent offline request must be the retired site's own"))
    urls, hosts = clean_start_urls(start_urls, allowed_hosts)
    reason = (ignore_robots_reason or "").strip()
    if ignore_robots and not reason:
        raise ValidationError(_("Say why robots.txt may be ignored (for example: the retired site is the "
                                "platform's own)"))
    job = MigrationJob(code=code, name=name, target_site=target_site, source_site=source_site,
                       lifecycle_request=lifecycle_request, start_urls=urls, allowed_hosts=hosts,
                       ignore_robots=ignore_robots, ignore_robots_reason=reason if ignore_robots else "",
                       created_by=acting_user if acting_user is not None and acting_user.is_authenticated else None)
    for field, value in limits.items():
        if value is not None:
            setattr(job, field, value)
    _check_limits(job)
    job.save()
    log_operation("create_migration_job", acting_user=acting_user, site=source_site or target_site,
                  after={"code": job.code, "start_urls": urls, "allowed_hosts": hosts,
                         "ignore_robots": job.ignore_robots, "ignore_robots_reason": job.ignore_robots_reason})
    return job


def _check_limits(job) -> None:
    if job.requests_per_second <= 0 or job.concurrency < 1:
        raise ValidationError(_("The request rate and the parallel requests must be positive"))
    if job.timeout_seconds <= 0 or job.max_pages < 1 or job.max_bytes < 1024:
        raise ValidationError(_("The timeout, page limit and size limit must be positive"))
