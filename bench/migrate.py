"""Benchmark: `jiyue migrate` across many site schemas (python -m bench.migrate [--quick]).

Builds N online sites (100 with --quick, 1,000 otherwise) through the registry
services and ``provision_site`` (build not timed; done by a few worker processes),
then times the real command, ``python -m jiyue migrate``, as a subprocess -- so the
figures include interpreter start-up, Django set-up and loading the migration graph,
which an operator also waits for:

1. with nothing to do (every site schema is skipped);
2. with one added nullable column in a tenant app: a generated migration
   ``AddField("columnpage", "bench_note", TextField(null=True))`` appended to a
   temporary copy of ``tenants.columns``' migrations, switched in through
   ``bench.settings_migrate`` (MIGRATION_MODULES). The repository is not touched.

Afterwards it checks that every site schema has the new column and the migration
record, and that the command reported all N sites replayed.

Targets (the issue): 30 ms per site with nothing to do, 300 ms per site for the column."""
from __future__ import annotations

import argparse
import multiprocessing
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from ._db import SiteMaker, emit, log, migrate_in_process, prepare

DATABASE = "jiyue_bench_migrate"
TARGET_NOOP_MS_PER_SITE = 30
TARGET_COLUMN_MS_PER_SITE = 300
REPO_ROOT = Path(__file__).resolve().parents[1]
BENCH_PACKAGE = "bench_columns_migrations"
SUMMARY = re.compile(r"完成：(\d+)个网站，跳过(\d+)，重放(\d+)，完整迁移(\d+)，失败(\d+)，用时([\d.]+)秒")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.migrate")
    parser.add_argument("--quick", action="store_true", help="100 sites instead of 1,000")
    parser.add_argument("--sites", type=int, default=None, help="override the number of sites")
    parser.add_argument("--workers", type=int, default=None,
                        help="passed to `jiyue migrate --workers` (default: JIYUE_MIGRATE_WORKERS)")
    parser.add_argument("--build", choices=sorted(BUILDERS), default=None,
                        help="how sites are made (not timed): provision_site, or clone only; "
                             "default clone with --quick, provision otherwise")
    parser.add_argument("--build-workers", type=int, default=3, help="processes provisioning sites (not timed)")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database afterwards")
    args = parser.parse_args(argv)
    count = args.sites or (100 if args.quick else 1000)

    env = prepare(DATABASE, keep=args.keep)
    try:
        build = args.build or ("clone" if args.quick else "provision")
        result = run(count, workers=args.workers, build=build, build_workers=args.build_workers)
    finally:
        env.cleanup()
    emit(result)
    if "error" in result:
        sys.exit(1)


# --------------------------------------------------------------------------- building sites

def _provision_one(site_id: int) -> float:
    """Runs in a forked worker process, on its own database connection: the real
    ``provision_site`` (clone the template, create the page tree, mark online)."""
    from tenants.provisioning.services.provision import provision_site
    from tenants.registry.models import Site

    started = time.perf_counter()
    provision_site(Site.objects.get(pk=site_id))
    return time.perf_counter() - started


def _clone_one(site_id: int) -> float:
    """The --quick build: provision_site without personalising the home page and the
    Wagtail Site record -- the same clone of the template of the site's kind (tree
    included) and the same registry change, so the schema is a provisioned site's in
    everything a migration reads or rewrites."""
    from django.conf import settings
    from django.db import transaction

    from tenants.registry.models import Site
    from tenants.registry.services.sites import mark_site_provisioned
    from tenants.schemas.clone import clone_schema

    started = time.perf_counter()
    with transaction.atomic():
        site = Site.objects.select_for_update().get(pk=site_id)
        clone_schema(settings.JIYUE_TEMPLATE_SCHEMAS[site.kind], site.schema_name)
        mark_site_provisioned(site)
    return time.perf_counter() - started


BUILDERS = {"provision": _provision_one, "clone": _clone_one}


def _close_inherited_connections() -> None:
    from django.db import connections

    for conn in connections.all(initialized_only=True):
        conn.close()


def build_sites(count: int, build_workers: int, build: str) -> float:
    from django.db import connections

    from tenants.registry.models import Site, SiteStatus

    started = time.monotonic()
    maker = SiteMaker()
    site_ids = []
    for number in range(1, count + 1):
        site_ids.append(maker.approved_site().pk)
        if number % 200 == 0:
            log(f"registered {number}/{count} site applications")
    log(f"registered {count} site applications in {time.monotonic() - started:.1f}s; provisioning them "
        f"({build}) with {build_workers} processes")
    connections.close_all()  # the forked workers must not share this process's connection
    done = 0
    with ProcessPoolExecutor(max_workers=build_workers, mp_context=multiprocessing.get_context("fork"),
                             initializer=_close_inherited_connections) as pool:
        for _seconds in pool.map(BUILDERS[build], site_ids, chunksize=4):
            done += 1
            if done % 50 == 0 or done == count:
                log(f"provisioned {done}/{count} sites ({time.monotonic() - started:.0f}s)")
    online = Site.objects.filter(status=SiteStatus.ONLINE).count()
    if online != count:
        raise RuntimeError(f"expected {count} online sites, found {online}")
    return time.monotonic() - started


# --------------------------------------------------------------------------- the timed command

def write_column_migrations(directory: Path) -> str:
    """Copy tenants.columns' migrations into <directory>/bench_columns_migrations and add
    one AddField after the newest; returns the new migration's name."""
    import tenants.columns.migrations as original

    source = Path(original.__file__).parent
    target = directory / BENCH_PACKAGE
    target.mkdir(parents=True)
    names = sorted(p.stem for p in source.glob("[0-9][0-9][0-9][0-9]_*.py"))
    for path in source.glob("*.py"):
        shutil.copy2(path, target / path.name)
    leaf = names[-1]
    number = int(leaf[:4]) + 1
    name = f"{number:04d}_bench_note"
    (target / f"{name}.py").write_text(
        "from django.db import migrations, models\n\n\n"
        "class Migration(migrations.Migration):\n"
        f"    dependencies = [(\"columns\", \"{leaf}\")]\n\n"
        "    operations = [\n"
        "        migrations.AddField(model_name=\"columnpage\", name=\"bench_note\",\n"
        "                            field=models.TextField(null=True, blank=True)),\n"
        "    ]\n",
        encoding="utf-8",
    )
    return name


class CommandFailed(Exception):
    pass


def time_jiyue_migrate(workers: int | None, *, settings_module: str = "jiyue.settings",
                       extra_path: str | None = None) -> tuple[float, dict]:
    from django.db import connections

    connections.close_all()
    env = os.environ.copy()
    env["DJANGO_SETTINGS_MODULE"] = settings_module
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in [extra_path, str(REPO_ROOT), env.get("PYTHONPATH")] if p)
    command = [sys.executable, "-m", "jiyue", "migrate"]
    if workers:
        command += ["--workers", str(workers)]
    started = time.perf_counter()
    proc = subprocess.run(command, env=env, cwd=REPO_ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    for line in proc.stdout.splitlines():
        log("  " + line)
    match = SUMMARY.search(proc.stdout)
    if proc.returncode != 0 or match is None:
        sys.stderr.write(proc.stderr[-5000:])
        last = (proc.stderr.strip().splitlines() or ["(no output)"])[-1]
        raise CommandFailed(f"`jiyue migrate` ({settings_module}) exited {proc.returncode}: {last}"[:500])
    total, skipped, replayed, full, failed, inner = match.groups()
    report = {"sites_total": int(total), "skipped": int(skipped), "replayed": int(replayed),
              "migrated_fully": int(full), "failed": int(failed), "in_process_s": float(inner)}
    return seconds, report


def verify_column(migration_name: str) -> tuple[int, bool, int]:
    """(site schemas with the column, every template has it, site schemas with the record)."""
    from django.conf import settings
    from django.db import connection

    from tenants.registry.models import Site

    schemas = list(Site.objects.values_list("schema_name", flat=True))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_schema FROM information_schema.columns WHERE table_name = 'columns_columnpage' "
            "AND column_name = 'bench_note' AND table_schema = ANY(%s)",
            [schemas + list(settings.JIYUE_TEMPLATE_SCHEMAS.values())])
        having = {row[0] for row in cursor.fetchall()}
        recorded = 0
        for start in range(0, len(schemas), 400):
            parts = [f"SELECT count(*) FROM {connection.ops.quote_name(s)}.django_migrations "
                     f"WHERE app = 'columns' AND name = %s" for s in schemas[start:start + 400]]
            cursor.execute(" UNION ALL ".join(parts), [migration_name] * len(parts))
            recorded += sum(1 for (n,) in cursor.fetchall() if n == 1)
    templates = set(settings.JIYUE_TEMPLATE_SCHEMAS.values())
    return len(having - templates), templates <= having, recorded


def run(count: int, *, workers: int | None, build: str, build_workers: int) -> dict:
    from django.conf import settings

    started = time.monotonic()
    migrate_in_process()
    result = {
        "bench": "migrate",
        "sites": count,
        "noop_s": None,
        "noop_ms_per_site": None,
        "column_s": None,
        "column_ms_per_site": None,
        "target_noop_ms_per_site": TARGET_NOOP_MS_PER_SITE,
        "target_column_ms_per_site": TARGET_COLUMN_MS_PER_SITE,
        "workers": workers or settings.JIYUE_MIGRATE_WORKERS,
        "timed": "wall time of `python -m jiyue migrate` as a subprocess (start-up and graph loading included)",
    }
    try:
        build_s = build_sites(count, build_workers, build)
    except Exception as error:  # a site that cannot be provisioned is a finding too
        log(f"building sites failed: {error!r}")
        result.update(error=f"building sites ({build}) failed: {error!r}"[:500], build=build, ok=False)
        return result
    log(f"built {count} sites in {build_s:.0f}s; timing `jiyue migrate` with nothing to do")
    try:
        noop_s, noop = time_jiyue_migrate(workers)
        result.update(noop_s=round(noop_s, 3), noop_ms_per_site=round(noop_s * 1000 / count, 2),
                      noop_in_process_s=noop["in_process_s"], noop_skipped=noop["skipped"])
        if noop["skipped"] != count or noop["failed"]:
            raise CommandFailed(f"no-op migrate did not skip every site: {noop}")

        with tempfile.TemporaryDirectory(prefix="jiyue-bench-migrations-") as directory:
            migration_name = write_column_migrations(Path(directory))
            log(f"timing `jiyue migrate` with one added nullable column (columns.{migration_name})")
            try:
                column_s, column = time_jiyue_migrate(workers, settings_module="bench.settings_migrate",
                                                      extra_path=directory)
            finally:
                with_column, template_has_it, recorded = verify_column(migration_name)
                log(f"column present in {with_column}/{count} site schemas (template: {template_has_it}); "
                    f"migration recorded in {recorded}/{count}")
                result.update(verified_column_in_sites=with_column, verified_column_in_template=template_has_it,
                              verified_migration_recorded_in_sites=recorded)
            result.update(column_s=round(column_s, 3), column_ms_per_site=round(column_s * 1000 / count, 2),
                          column_in_process_s=column["in_process_s"], column_replayed=column["replayed"],
                          column_migrated_fully=column["migrated_fully"], column_failed=column["failed"])
            # Then nothing is left to do, with the same graph.
            after_s, after = time_jiyue_migrate(workers, settings_module="bench.settings_migrate",
                                                extra_path=directory)
            result.update(noop_after_column_s=round(after_s, 3), noop_after_column_skipped=after["skipped"])
    except CommandFailed as error:
        result["error"] = str(error)
    result["verified"] = (
        "error" not in result and result.get("column_replayed") == count and not result.get("column_failed")
        and result.get("verified_column_in_sites") == count and result.get("verified_column_in_template")
        and result.get("verified_migration_recorded_in_sites") == count
        and result.get("noop_after_column_skipped") == count)
    result["ok"] = bool(result["verified"] and result["noop_ms_per_site"] <= TARGET_NOOP_MS_PER_SITE
                        and result["column_ms_per_site"] <= TARGET_COLUMN_MS_PER_SITE)
    result["build"] = build
    result["build_s"] = round(build_s, 1)
    result["total_s"] = round(time.monotonic() - started, 1)
    return result


if __name__ == "__main__":
    main()
