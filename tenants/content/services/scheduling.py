"""Scheduled publishing (定时发布 and 到期下线): Wagtail's own `publish_scheduled`
command, run inside every provisioned site's schema. It publishes the approved
revisions whose go-live time has passed and unpublishes the live pages whose expiry
time has passed. Celery beat runs it every minute
(tenants.content.tasks.publish_scheduled_pages, CELERY_BEAT_SCHEDULE).

A scheduled revision still goes live through ReviewedPageMixin.publish, so the publish
gate (保密审查 record, content checks) runs again at go-live time. If the checks now
block it (a dictionary gained a word after the approval), Wagtail's command stops at
that revision, and would stop there every minute, holding back every later scheduled
page of the site. So the blocked revision's schedule is cancelled (as 取消预定的发布 in
the admin does, which Wagtail logs in the page's history), an audit row says why, and
the site's run starts again. The page stays unpublished until it is fixed and reviewed.
"""
import io
import logging
from dataclasses import dataclass, field

from django.core.management import call_command
from django.db import connection, transaction
from django_tenants.utils import tenant_context
from wagtail.models import Revision

from jiyue.audit.services import log_operation
from tenants.registry.models import Site
from tenants.registry.models.sites import PROVISIONED_STATUSES
from tenants.review.services.errors import PublishBlocked

logger = logging.getLogger(__name__)

# Namespace of the advisory lock that keeps two runs (a slow one and the next beat)
# out of the same site at the same time.
_LOCK_NAMESPACE = "jiyue.content.publish_scheduled:"


@dataclass
class SiteRun:
    """What one site's run did: whether it ran (another run held the site), and the
    pages whose scheduled revision was blocked at go-live and unscheduled."""

    ran: bool = True
    unscheduled_page_ids: list[int] = field(default_factory=list)


@dataclass
class ScheduleRun:
    sites: int = 0
    busy: list[str] = field(default_factory=list)
    unscheduled: dict[str, list[int]] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"sites": self.sites, "busy": self.busy, "unscheduled": self.unscheduled, "failed": self.failed}


def publish_scheduled_in_every_site() -> ScheduleRun:
    """Run scheduled publishing in each provisioned site. A temporarily offline site is
    included: its back office stays open, and its schedules keep their time while it
    is not served. One site's failure is logged and does not stop the others."""
    run = ScheduleRun()
    for site in Site.objects.filter(status__in=PROVISIONED_STATUSES).order_by("pk"):
        run.sites += 1
        try:
            with tenant_context(site):
                result = publish_scheduled_in_site()
        except Exception as exc:  # noqa: BLE001 -- isolate sites; logged with its traceback
            logger.exception("Scheduled publishing failed in site %s", site.schema_name)
            run.failed[site.schema_name] = str(exc)
            continue
        if not result.ran:
            run.busy.append(site.schema_name)
        if result.unscheduled_page_ids:
            run.unscheduled[site.schema_name] = result.unscheduled_page_ids
    return run


def publish_scheduled_in_site() -> SiteRun:
    """Run Wagtail's `publish_scheduled` in the current site's schema, in one
    transaction; a revision the publish gate refuses is unscheduled and the run
    repeated without it."""
    result = SiteRun()
    while True:
        try:
            with transaction.atomic():
                if not _lock_current_site():
                    result.ran = False
                    return result
                call_command("publish_scheduled", stdout=io.StringIO())
            return result
        except PublishBlocked as refusal:
            # The transaction rolled back; nothing of this run is kept but the cancel.
            if refusal.page_id in result.unscheduled_page_ids or not unschedule_blocked_revision(
                    refusal.page_id, reason=refusal.message):
                raise
            result.unscheduled_page_ids.append(refusal.page_id)


@transaction.atomic
def unschedule_blocked_revision(page_id, *, reason: str) -> Revision | None:
    """Cancel the scheduled go-live of a page whose revision the publish gate refused.
    Returns the revision, or None if the page had no due scheduled revision."""
    revision = (Revision.page_revisions.select_for_update()
                .filter(object_id=str(page_id), approved_go_live_at__isnull=False).first())
    if revision is None:
        return None
    go_live_at = revision.approved_go_live_at
    revision.approved_go_live_at = None
    # With update_fields, Wagtail writes "wagtail.schedule.cancel" to the page's history.
    revision.save(update_fields=["approved_go_live_at"])
    log_operation("unschedule_blocked_revision", acting_user=None, site=getattr(connection, "tenant", None),
                  page_id=page_id, revision_id=revision.pk, go_live_at=go_live_at.isoformat(), reason=reason)
    logger.warning("Scheduled revision %s of page %s unscheduled in %s: %s", revision.pk, page_id,
                   connection.schema_name, reason)
    return revision


def _lock_current_site() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(hashtext(%s))", [_LOCK_NAMESPACE + connection.schema_name])
        return cursor.fetchone()[0]
