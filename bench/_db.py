"""Shared plumbing of the benchmarks: a throw-away database, Django set-up, and sites
made through the registry's real services (apply -> approve; provisioning is up to
the caller). Nothing here touches the demo's database: every name is checked to
start with ``jiyue_bench_``."""
from __future__ import annotations

import itertools
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass

ADMIN_URL = os.environ.get("JIYUE_BENCH_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
BENCH_PREFIX = "jiyue_bench_"


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def emit(result: dict) -> None:
    """The benchmark's one JSON object: the last line on stdout."""
    sys.stdout.flush()
    print(json.dumps(result, ensure_ascii=False), flush=True)


def p50(values) -> float | None:
    values = list(values)
    return round(statistics.median(values), 4) if values else None


# --------------------------------------------------------------------------- database

def _admin_parts():
    import dj_database_url

    return dj_database_url.parse(ADMIN_URL)


def database_url(name: str) -> str:
    parts = _admin_parts()
    user = parts.get("USER") or "postgres"
    password = f":{parts['PASSWORD']}" if parts.get("PASSWORD") else ""
    host = parts.get("HOST") or "127.0.0.1"
    port = parts.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{name}"


def _check_name(name: str) -> None:
    if not name.startswith(BENCH_PREFIX) or not name.replace("_", "").isalnum():
        raise SystemExit(f"refusing to touch database {name!r}: benchmark databases start with {BENCH_PREFIX}")


def _admin_execute(sql: str) -> None:
    import psycopg2

    conn = psycopg2.connect(ADMIN_URL)
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute(sql)
    finally:
        conn.close()


def recreate_database(name: str) -> None:
    _check_name(name)
    _admin_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _admin_execute(f'CREATE DATABASE "{name}"')


def drop_database(name: str) -> None:
    _check_name(name)
    from django.db import connections

    connections.close_all()
    _admin_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass
class BenchEnv:
    database: str
    data_dir: str
    keep: bool

    def subprocess_env(self, **extra) -> dict:
        env = os.environ.copy()
        env.update(extra)
        return env

    def cleanup(self) -> None:
        if self.keep:
            log(f"--keep: database {self.database} and data dir {self.data_dir} left in place")
            return
        started = time.monotonic()
        try:
            drop_database(self.database)
        except Exception as error:  # report it; the figures are still worth printing
            log(f"could not drop database {self.database}: {error}")
        else:
            log(f"dropped database {self.database} ({time.monotonic() - started:.0f}s)")
        shutil.rmtree(self.data_dir, ignore_errors=True)


def prepare(database: str, *, keep: bool) -> BenchEnv:
    """Point this process (and its children) at a fresh database, then set Django up.

    REDIS_URL is removed: the settings then run Celery tasks in-process (eager) and
    keep the cache in files under the temporary JIYUE_DATA_DIR -- the demo's
    configuration -- so a benchmark neither needs a worker nor leaves messages or
    keys in a shared Redis."""
    recreate_database(database)
    data_dir = tempfile.mkdtemp(prefix=f"{database}-")
    os.environ["DATABASE_URL"] = database_url(database)
    os.environ["JIYUE_DATA_DIR"] = data_dir
    os.environ.pop("REDIS_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "jiyue.settings"
    import django

    django.setup()
    from django.conf import settings

    assert settings.DATABASES["default"]["NAME"] == database, settings.DATABASES["default"]["NAME"]
    log(f"database {database} created; JIYUE_DATA_DIR={data_dir}")
    return BenchEnv(database=database, data_dir=data_dir, keep=keep)


def migrate_in_process() -> None:
    """Public schema and template (set-up, not timed)."""
    from tenants.schemas.migrate import migrate_all

    report = migrate_all(progress=lambda line: log("  " + line))
    if not report.ok:
        raise SystemExit(f"migrate failed: {report.failed}")


# --------------------------------------------------------------------------- sites

class SiteMaker:
    """Registers sites through apply_for_site + approve_site_application.

    The shape of a province: site 0 is the provincial portal; after it, a repeating
    cycle of three -- a city portal, another city portal, then a department site
    (alternately a provincial department and a department of the newest city). So two
    thirds of the sites use the portal column template and one third the (smaller)
    department template."""

    def __init__(self):
        from jiyue.identity.models import PlatformRole
        from jiyue.identity.services.roles import grant_platform_role
        from jiyue.identity.services.users import create_user

        self.approver = create_user("bench_approver", "Bench-approver-2026", full_name="省审批员",
                                    validate=False)
        grant_platform_role(self.approver, PlatformRole.APPROVER, acting_user=None)
        self.counter = itertools.count()
        self.province = None
        self.latest_city = None
        self.departments_made = 0

    def _unit(self, name, kind, level, parent, code):
        from tenants.registry.models import OrgUnit

        return OrgUnit.objects.create(name=name, kind=kind, level=level, parent=parent, code=code)

    def next_unit(self):
        from tenants.registry.models import Level, OrgUnitKind

        index = next(self.counter)
        if index == 0:
            self.province = self._unit("基准省人民政府", OrgUnitKind.GOVERNMENT, Level.PROVINCE, None, "bench-prov")
            return index, self.province, "sheng"
        position = (index - 1) % 3
        if position in (0, 1):
            unit = self._unit(f"基准第{index}市人民政府", OrgUnitKind.GOVERNMENT, Level.CITY, self.province,
                              f"bench-city-{index}")
            self.latest_city = unit
            return index, unit, f"city{index:04d}"
        self.departments_made += 1
        if self.departments_made % 2:
            unit = self._unit(f"基准省第{index}厅", OrgUnitKind.DEPARTMENT, Level.PROVINCE, self.province,
                              f"bench-pdept-{index}")
            return index, unit, f"pdept{index:04d}"
        unit = self._unit(f"{self.latest_city.name}第{index}局", OrgUnitKind.DEPARTMENT, Level.CITY,
                          self.latest_city, f"bench-cdept-{index}")
        return index, unit, f"cdept{index:04d}"

    def approved_site(self):
        """Apply for and approve the next site; returns it with status `approved`."""
        from tenants.registry.services.sites import apply_for_site, approve_site_application

        index, unit, code = self.next_unit()
        site = apply_for_site(
            acting_user=None, org_unit=unit, name=f"{unit.name}网站", short_code=code,
            hosts=[f"www.{code}.bench.localhost"], sponsor=unit.name,
            identity_code=f"32{index:08d}",
        )
        return approve_site_application(site, acting_user=self.approver)
