"""Scheduled publishing (定时发布 and 到期下线): Wagtail's own `publish_scheduled`
command, run inside the schema of each provisioned site that has something due. It
publishes the approved revisions whose go-live time has passed and unpublishes the
live pages whose expiry time has passed. Celery beat runs it every minute
(tenants.content.tasks.publish_scheduled_pages, CELERY_BEAT_SCHEDULE).

Finding the sites with due work. On almost every minute almost no site has anything
due, and entering each of a province's 1,000+ schemas (schema switch, transaction,
advisory lock, the command's queries) every minute would be nearly all waste. So one
query, a chunked `SELECT '<schema>' WHERE EXISTS (...) OR EXISTS (...) UNION ALL ...`
over the provisioned sites' schemas, returns the schemas where the command would act,
and only those are entered. Its conditions mirror the command
(wagtail/management/commands/publish_scheduled.py in Wagtail 8), built from the model
metadata in `_due_work_checks()`:

- a live object past its expiry: `live AND expire_at < now` on the Page table and on
  the table of every other DraftStateMixin model (snippets with draft state);
- a revision, of any model, with `approved_go_live_at < now`.

A model whose app is not a tenant app is looked up in the public schema, for every
site, as the command would see it through the search path. Rows a model's default
manager would hide still count as due: entering a site for nothing costs one run, but
missing one would hold back a page. A site whose schema lacks one of these tables
(half provisioned) is left out of the query and reported as failed, as the command
would have failed there; a query that fails anyway falls back to entering each site of
its chunk.

A scheduled revision still goes live through ReviewedPageMixin.publish, so the publish
gate (保密审查 record, content checks) runs again at go-live time. If the checks now
block it (a dictionary gained a word after the approval), Wagtail's command stops at
that revision, and would stop there every minute, holding back every later scheduled
page of the site. So the blocked revision's schedule is cancelled (as 取消预定的发布 in
the admin does, which Wagtail logs in the page's history), an audit row says why, and
the site's run starts again. The page stays unpublished until it is fixed and reviewed.

Timings: bench/scheduling.py (python -m bench.scheduling, bench/README.md).
"""
import contextlib
import io
import logging
from dataclasses import dataclass, field
from datetime import datetime

import swapper
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django_tenants.routers import TenantSyncRouter
from django_tenants.utils import get_public_schema_name, tenant_context
from wagtail.models import DraftStateMixin, Revision

from jiyue.audit.services import log_operation
from tenants.registry.models import Site
from tenants.registry.models.sites import PROVISIONED_STATUSES
from tenants.review.services.errors import PublishBlocked

logger = logging.getLogger(__name__)

# Namespace of the advisory lock that keeps two runs (a slow one and the next beat)
# out of the same site at the same time.
_LOCK_NAMESPACE = "jiyue.content.publish_scheduled:"

CHUNK = 200  # schemas per due-work query


@dataclass
class SiteRun:
    """What one site's run did: whether it ran (another run held the site), and the
    pages whose scheduled revision was blocked at go-live and unscheduled."""

    ran: bool = True
    unscheduled_page_ids: list[int] = field(default_factory=list)


@dataclass
class ScheduleRun:
    """One beat: `sites` provisioned sites checked, `due` the schemas that had due work
    and were entered; of those, `busy` were held by another run, `unscheduled` had
    revisions refused at go-live; `failed` maps a schema to its error."""

    sites: int = 0
    due: list[str] = field(default_factory=list)
    busy: list[str] = field(default_factory=list)
    unscheduled: dict[str, list[int]] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"sites": self.sites, "due": self.due, "busy": self.busy, "unscheduled": self.unscheduled,
                "failed": self.failed}


@dataclass(frozen=True)
class DueCheck:
    """One condition of Wagtail's publish_scheduled: rows of `table` matching
    `condition` (SQL with one %s, the current time). `in_site_schema` is False for a
    table of a shared app, which lives in the public schema."""

    table: str
    condition: str
    in_site_schema: bool = True


def publish_scheduled_in_every_site() -> ScheduleRun:
    """Run scheduled publishing in each provisioned site that has something due. A
    temporarily offline site is included: its back office stays open, and its schedules
    keep their time while it is not served. One site's failure is logged and does not
    stop the others."""
    run = ScheduleRun()
    checks = _due_work_checks()
    sites = list(_provisioned_sites(checks))
    run.sites = len(sites)
    ready = []
    for site in sites:
        if site.has_scheduling_tables:
            ready.append(site)
        else:
            logger.error("Scheduled publishing skipped site %s: its schema lacks Wagtail's tables", site.schema_name)
            run.failed[site.schema_name] = "schema lacks the tables of scheduled publishing (%s)" % ", ".join(
                sorted({check.table for check in checks if check.in_site_schema}))
    due = schemas_with_due_work([site.schema_name for site in ready], checks=checks)
    for site in ready:
        if site.schema_name not in due:
            continue
        run.due.append(site.schema_name)
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


def schemas_with_due_work(schemas: list[str], *, checks: list[DueCheck] | None = None,
                          now: datetime | None = None) -> set[str]:
    """The schemas, of `schemas`, in which Wagtail's publish_scheduled has something
    to do now: one query per CHUNK schemas. Every schema must have the site tables of
    `checks` (see _provisioned_sites). If a chunk's query fails, all its schemas are
    returned, so that each is entered and fails or succeeds on its own."""
    checks = checks if checks is not None else _due_work_checks()
    now = now or timezone.now()
    public = get_public_schema_name()
    qn = connection.ops.quote_name
    due = set()
    with connection.cursor() as cursor:
        for start in range(0, len(schemas), CHUNK):
            chunk = schemas[start:start + CHUNK]
            parts, params = [], []
            for schema in chunk:
                exists = [f"EXISTS (SELECT 1 FROM {qn(schema if check.in_site_schema else public)}."
                          f"{qn(check.table)} WHERE {check.condition})" for check in checks]
                parts.append("SELECT %s WHERE " + " OR ".join(exists))
                params += [schema] + [now] * len(checks)
            # Inside a caller's transaction, a savepoint keeps a failed query from ending it.
            guard = transaction.atomic() if connection.in_atomic_block else contextlib.nullcontext()
            try:
                with guard:
                    cursor.execute(" UNION ALL ".join(parts), params)
                    due.update(row[0] for row in cursor.fetchall())
            except DatabaseError:
                logger.exception("Due-work query failed for %d schemas from %s; entering each of them",
                                 len(chunk), chunk[0])
                due.update(chunk)
    return due


def _due_work_checks() -> list[DueCheck]:
    """The conditions under which Wagtail's publish_scheduled acts, from the models
    it reads (wagtail/management/commands/publish_scheduled.py, Wagtail 8):
    1. `model.objects.filter(live=True, expire_at__lt=now)` for the swappable Page
       model and every DraftStateMixin model that is not a Page; it unpublishes them;
    2. `Revision.objects.filter(approved_go_live_at__lt=now)`; it publishes them."""
    page_model = swapper.load_model("wagtailcore", "Page")
    models = [page_model] + [model for model in apps.get_models()
                             if issubclass(model, DraftStateMixin) and not issubclass(model, page_model)]
    qn = connection.ops.quote_name
    checks = []
    for model in models:
        live, expire_at = model._meta.get_field("live"), model._meta.get_field("expire_at")
        # Under multi-table inheritance both columns are on the parent's table.
        checks.append(_check(live.model, f"{qn(live.column)} AND {qn(expire_at.column)} < %s"))
    go_live = Revision._meta.get_field("approved_go_live_at")
    checks.append(_check(Revision, f"{qn(go_live.column)} < %s"))
    return list(dict.fromkeys(checks))  # one per table and condition, in order


def _check(model, condition: str) -> DueCheck:
    in_site_schema = TenantSyncRouter().app_in_list(model._meta.app_label, settings.TENANT_APPS)
    return DueCheck(table=model._meta.db_table, condition=condition, in_site_schema=in_site_schema)


def _provisioned_sites(checks: list[DueCheck]):
    """Provisioned sites in pk order, each with `has_scheduling_tables`: whether its
    schema has every site table of `checks` (a half-provisioned one does not)."""
    tables = sorted({check.table for check in checks if check.in_site_schema})
    qn = connection.ops.quote_name
    column = f"{qn(Site._meta.db_table)}.{qn(Site._meta.get_field('schema_name').column)}"
    present = " AND ".join(f"to_regclass(quote_ident({column}) || '.' || quote_ident(%s)) IS NOT NULL"
                           for _table in tables) or "TRUE"
    return (Site.objects.filter(status__in=PROVISIONED_STATUSES)
            .annotate(has_scheduling_tables=RawSQL(present, tables, output_field=BooleanField()))
            .order_by("pk"))


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
