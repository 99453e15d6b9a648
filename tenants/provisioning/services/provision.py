"""Provisioning a site: clone the template schema of its kind (which holds the default
column tree), give the home page and Wagtail Site record the site's name and host, mark
the site online -- in ONE transaction, so a
failure at any step leaves nothing behind and a retry starts clean. Time does not
depend on the number of sites: nothing here scans other schemas."""
import logging
import time

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django_tenants.utils import schema_context

from jiyue.audit.services import log_operation
from jiyue.identity.models import PlatformRole
from jiyue.identity.queries import has_platform_role
from tenants.columns.services.site_tree import ensure_site_tree
from tenants.registry.models import Site, SiteStatus
from tenants.registry.services.sites import mark_site_provisioned
from tenants.schemas.clone import clone_schema
from tenants.schemas.sql import schema_exists

from ..models import JobStatus, ProvisioningJob

logger = logging.getLogger(__name__)


@transaction.atomic
def request_provisioning(site: Site, *, acting_user, prelaunch: bool = False) -> ProvisioningJob:
    """Queue provisioning of an approved site (ops or the provincial approver).
    `prelaunch`: the site ends pre-launch, not online (the lifecycle workflow)."""
    if acting_user is not None and not (
        has_platform_role(acting_user, PlatformRole.OPS) or has_platform_role(acting_user, PlatformRole.APPROVER)
    ):
        raise PermissionDenied(_("Only ops staff and provincial approvers can open sites"))
    site = Site.objects.select_for_update().get(pk=site.pk)
    active = site.provisioning_jobs.filter(status__in=[JobStatus.QUEUED, JobStatus.RUNNING]).first()
    if active is not None:
        return active
    if site.status not in (SiteStatus.APPROVED, SiteStatus.PROVISIONING):
        raise ValidationError(_("The site is “%(status)s”; only approved sites can be opened")
                              % {"status": site.get_status_display()})
    site.start_provisioning()
    site.save(update_fields=["status", "updated_at"])
    job = ProvisioningJob.objects.create(site=site, requested_by=acting_user, prelaunch=prelaunch)
    log_operation("request_provisioning", acting_user=acting_user, site=site, job=job.pk)

    from ..tasks import provision_site_task

    transaction.on_commit(lambda: provision_site_task.delay(job.pk))
    return job


def run_provisioning_job(job_id: int) -> ProvisioningJob:
    """Run one job. Safe to call again for the same job (a redelivered task)."""
    with transaction.atomic():
        job = ProvisioningJob.objects.select_for_update().select_related("site").get(pk=job_id)
        if job.status == JobStatus.SUCCEEDED:
            return job
        # The step is stored as text, in the language active where the job runs.
        job.status, job.started_at, job.error, job.step = (
            JobStatus.RUNNING, timezone.now(), "", _("Cloning the template"))
        job.save(update_fields=["status", "started_at", "error", "step"])
    started = time.monotonic()
    try:
        provision_site(job.site, acting_user=job.requested_by, prelaunch=job.prelaunch)
    except Exception as exc:
        logger.exception("provisioning of %s failed", job.site.short_code)
        ProvisioningJob.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED, error=str(exc)[:2000], finished_at=timezone.now())
        job.refresh_from_db()
        return job
    ProvisioningJob.objects.filter(pk=job.pk).update(
        status=JobStatus.SUCCEEDED, step=pgettext("site opening", "Done"), finished_at=timezone.now(),
        duration_ms=int((time.monotonic() - started) * 1000))
    job.refresh_from_db()
    return job


@transaction.atomic
def provision_site(site: Site, *, acting_user=None, prelaunch: bool = False) -> Site:
    """Create the site's schema and initial content; a no-op for a provisioned site.
    The site ends online, or pre-launch with `prelaunch` (see mark_site_provisioned)."""
    site = Site.objects.select_for_update().get(pk=site.pk)
    if site.is_provisioned:
        return site
    if site.status not in (SiteStatus.APPROVED, SiteStatus.PROVISIONING):
        raise ValidationError(_("The site is “%(status)s” and cannot be opened")
                              % {"status": site.get_status_display()})
    hostname = site.primary_host
    if hostname is None:
        raise ValidationError(_("The site has no primary domain and cannot be opened"))
    with connection.cursor() as cursor:
        already_there = schema_exists(cursor, site.schema_name)
    if not already_there:
        clone_schema(settings.JIYUE_TEMPLATE_SCHEMAS[site.kind], site.schema_name)
    with schema_context(site.schema_name):
        ensure_site_tree(site_name=site.name, hostname=hostname, template=site.kind)
    mark_site_provisioned(site, acting_user=acting_user, prelaunch=prelaunch)
    log_operation("provision_site", acting_user=acting_user, site=site)
    return site
