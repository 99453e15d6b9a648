"""`jiyue migrate`: public schema, then the template, then every site schema.

Stock django-tenants runs Django's `migrate` once per schema; its cost is per-schema
overhead (loading the graph, rendering model states, checks: ~0.2-0.5 s), not DDL, so
it grows to many minutes at province scale even with nothing to do. Here:

1. One query (chunked UNION ALL) reads a digest of every site schema's applied
   migrations. Schemas that already have everything are skipped.
2. The templates (one per kind of site) are migrated the ordinary way, and their
   default column trees rebuilt when the column templates changed. Before that, while
   the first still has the same applied set as the sites, Django's executor collects
   the SQL of the pending plan against it. Every site schema is a clone of the template with identical
   catalog names (tests/tenants/schemas/test_clone.py holds that), so that SQL is the
   migration for each of them: it is replayed per schema, in its own transaction,
   from a pool of workers, together with the migration records and the template's
   new content types and permissions.
3. A schema whose applied set differs from the template's, or a plan containing
   Python code (RunPython), goes through Django's `migrate` for that schema alone, in a
   pool of worker processes.

One failing schema does not stop the others; it is reported, and a re-run picks up
exactly the schemas still behind.
"""
from __future__ import annotations

import hashlib
import logging
import multiprocessing
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field

from django.conf import settings
from django.core.management import call_command
from django.core.management.commands.migrate import Command as MigrateCommand
from django.db import connection, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.operations.special import RunPython
from django.db.migrations.recorder import MigrationRecorder
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .sql import applied_migrations, qn

logger = logging.getLogger(__name__)
CHUNK = 400  # schemas per digest query


@dataclass
class MigrateReport:
    public_applied: int = 0
    template_applied: int = 0
    sites_total: int = 0
    skipped: int = 0
    replayed: int = 0
    migrated_fully: int = 0
    failed: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failed


def digest(migrations) -> str:
    return hashlib.md5(",".join(sorted(f"{app}.{name}" for app, name in migrations)).encode()).hexdigest()


def migrate_all(*, workers: int | None = None, progress=None) -> MigrateReport:
    started = time.monotonic()
    progress = progress or (lambda message: None)
    workers = workers or settings.JIYUE_MIGRATE_WORKERS
    report = MigrateReport()
    templates = settings.JIYUE_TEMPLATE_SCHEMAS
    template = next(iter(templates.values()))  # where the pending SQL is collected

    report.public_applied = _migrate_schema_fully(settings.PUBLIC_SCHEMA_NAME)
    progress(ngettext("Public schema: applied %(count)s migration", "Public schema: applied %(count)s migrations",
                      report.public_applied) % {"count": report.public_applied})

    with connection.cursor() as cursor:
        for schema in templates.values():
            cursor.execute(f"CREATE SCHEMA IF NOT EXISTS {qn(schema)}")
        template_before = applied_migrations(cursor, template)
    sql, pending = _collect_template_sql(template)
    for kind, schema in templates.items():
        applied = _migrate_schema_fully(schema)
        report.template_applied = max(report.template_applied, applied)
        rebuilt = _prepare_template_content(schema, kind)
        if rebuilt:
            message = ngettext("Template schema %(schema)s: applied %(count)s migration; column templates updated",
                               "Template schema %(schema)s: applied %(count)s migrations; column templates updated",
                               applied)
        else:
            message = ngettext("Template schema %(schema)s: applied %(count)s migration",
                               "Template schema %(schema)s: applied %(count)s migrations", applied)
        progress(message % {"schema": schema, "count": applied})
    with connection.cursor() as cursor:
        template_after = applied_migrations(cursor, template)

    schemas = _site_schemas()
    report.sites_total = len(schemas)
    digests = _schema_digests(schemas)
    done_digest, before_digest = digest(template_after), digest(template_before)
    replay, full = [], []
    for schema in schemas:
        current = digests.get(schema)
        if current is None:
            report.failed[schema] = _("The schema does not exist or has no migration records table")
        elif current == done_digest:
            report.skipped += 1
        elif sql is not None and current == before_digest:
            replay.append(schema)
        else:
            full.append(schema)
    progress(ngettext(
        "%(total)s site schema: %(skipped)s up to date, %(replayed)s to replay as SQL, %(full)s to migrate fully",
        "%(total)s site schemas: %(skipped)s up to date, %(replayed)s to replay as SQL, %(full)s to migrate fully",
        len(schemas)) % {"total": len(schemas), "skipped": report.skipped, "replayed": len(replay), "full": len(full)})

    if replay:
        statements = _replay_script(sql, pending, template)
        with ThreadPoolExecutor(max_workers=workers) as pool:
            futures = {pool.submit(_replay_in_thread, schema, statements): schema for schema in replay}
            for count, future in enumerate(as_completed(futures), 1):
                schema = futures[future]
                error = future.result()
                if error:
                    report.failed[schema] = error
                else:
                    report.replayed += 1
                if count % 100 == 0 or count == len(replay):
                    progress(_("Replayed %(count)s/%(total)s") % {"count": count, "total": len(replay)})
    if full:
        for count, (schema, error) in enumerate(_migrate_fully_in_parallel(full, workers), 1):
            if error:
                report.failed[schema] = error
            else:
                report.migrated_fully += 1
            if count % 20 == 0 or count == len(full):
                progress(_("Fully migrated %(count)s/%(total)s") % {"count": count, "total": len(full)})
    report.seconds = time.monotonic() - started
    return report


def _migrate_fully_in_parallel(schemas: list[str], workers: int):
    """Django's migrate per schema, in worker processes (the cost is CPU: graph loading
    and model-state rendering, which threads would serialise). Yields (schema, error)."""
    if len(schemas) == 1 or workers <= 1:
        for schema in schemas:
            yield schema, _migrate_one_reporting(schema)
        return
    connections.close_all()  # the children must not share this process's sockets
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=min(workers, len(schemas)), mp_context=context,
                             initializer=_forget_inherited_connections) as pool:
        futures = {pool.submit(_migrate_one_reporting, schema): schema for schema in schemas}
        for future in as_completed(futures):
            yield futures[future], future.result()


def _forget_inherited_connections() -> None:
    """In a forked worker: drop any database connection still open in the parent
    without closing it (the socket is the parent's), so that the worker opens its own.
    close_all() in the parent does not reach every connection (a test run once left one
    open, and parent and child then read from one socket and hung)."""
    for conn in connections.all(initialized_only=True):
        conn.connection = None


def _migrate_one_reporting(schema: str) -> str | None:
    try:
        _migrate_schema_fully(schema)
        return None
    except Exception as exc:  # one schema's failure must not stop the rest
        logger.exception("migrating %s failed", schema)
        return str(exc)[:500]


def _site_schemas() -> list[str]:
    from tenants.registry.models import Site
    from tenants.registry.models.sites import PROVISIONED_STATUSES

    return list(Site.objects.filter(status__in=PROVISIONED_STATUSES)
                .order_by("schema_name").values_list("schema_name", flat=True))


def _schema_digests(schemas: list[str]) -> dict[str, str]:
    """schema -> digest of its applied migrations, for schemas that have the table."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relname = 'django_migrations' AND n.nspname = ANY(%s)", [schemas])
        present = sorted(row[0] for row in cursor.fetchall())
        result = {}
        for start in range(0, len(present), CHUNK):
            parts = [
                f"SELECT %s, md5(coalesce(string_agg(app || '.' || name, ',' "
                f"ORDER BY app || '.' || name COLLATE \"C\"), '')) FROM {qn(schema)}.django_migrations"
                for schema in present[start:start + CHUNK]
            ]
            cursor.execute(" UNION ALL ".join(parts), present[start:start + CHUNK])
            result.update(dict(cursor.fetchall()))
    return result


def _migrate_schema_fully(schema_name: str) -> int:
    """Django's own migrate for one schema; returns how many migrations it applied."""
    try:
        connection.set_schema(schema_name, include_public=False)
        MigrationRecorder(connection).ensure_schema()
        if schema_name == settings.PUBLIC_SCHEMA_NAME:
            connection.set_schema_to_public()
        else:
            connection.set_schema(schema_name)
        before = len(MigrationRecorder(connection).applied_migrations())
        call_command(MigrateCommand(), verbosity=0, interactive=False, skip_checks=True)
        after = len(MigrationRecorder(connection).applied_migrations())
    finally:
        connection.set_schema_to_public()
    return after - before


def _prepare_template_content(schema: str, kind: str) -> bool:
    from tenants.columns.services.site_tree import prepare_template_tree

    with transaction.atomic():
        connection.set_schema(schema)
        try:
            return prepare_template_tree(kind)
        finally:
            connection.set_schema_to_public()


def _collect_template_sql(template: str):
    """The SQL of the template's pending plan, or None when the plan runs Python."""
    connection.set_schema(template)
    try:
        executor = MigrationExecutor(connection)
        targets = executor.loader.graph.leaf_nodes()
        plan = executor.migration_plan(targets)
        if not plan:
            return [], []
        if any(backwards for _migration, backwards in plan):
            return None, []
        for migration, _backwards in plan:
            if any(isinstance(operation, RunPython) for operation in migration.operations):
                return None, []
        statements = executor.loader.collect_sql(plan)
        return statements, [(migration.app_label, migration.name) for migration, _ in plan]
    finally:
        connection.set_schema_to_public()


def _replay_script(statements: list[str], pending, template: str) -> str:
    """The per-schema script: the migration SQL, the records, and the template's new
    content types and permissions (Django adds those in post_migrate)."""
    records = ", ".join(f"('{app}', '{name}', now())" for app, name in pending) if pending else ""
    parts = [statement for statement in statements if statement.strip() and not statement.startswith("--")]
    if records:
        parts.append(f"INSERT INTO django_migrations (app, name, applied) VALUES {records};")
    parts.append(
        f"INSERT INTO django_content_type (app_label, model) SELECT t.app_label, t.model "
        f"FROM {qn(template)}.django_content_type t WHERE NOT EXISTS (SELECT 1 FROM django_content_type c "
        f"WHERE c.app_label = t.app_label AND c.model = t.model);")
    parts.append(
        f"INSERT INTO auth_permission (name, content_type_id, codename) "
        f"SELECT p.name, c.id, p.codename FROM {qn(template)}.auth_permission p "
        f"JOIN {qn(template)}.django_content_type tc ON tc.id = p.content_type_id "
        f"JOIN django_content_type c ON c.app_label = tc.app_label AND c.model = tc.model "
        f"WHERE NOT EXISTS (SELECT 1 FROM auth_permission x WHERE x.content_type_id = c.id "
        f"AND x.codename = p.codename);")
    return "\n".join(parts)


def _replay_in_thread(schema: str, script: str) -> str | None:
    """Replay in one transaction on this thread's own connection; returns an error or None."""
    conn = connections["default"]
    try:
        with transaction.atomic(using="default"):
            with conn.cursor() as cursor:
                cursor.execute(f"SET LOCAL search_path = {qn(schema)}, public;\n{script}")
        return None
    except Exception as exc:
        logger.warning("replaying migrations on %s failed: %s", schema, exc)
        return str(exc)[:500]
    finally:
        conn.set_schema_to_public()
        conn.close()
