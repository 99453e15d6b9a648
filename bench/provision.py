"""Benchmark: provisioning sites one after another (python -m bench.provision [--quick]).

Each site is applied for and approved through the registry services (not timed), then
provisioned through the path ops use: ``request_provisioning`` queues the Celery task
``provision_site_task`` on commit, and with no REDIS_URL the settings run that task
in-process, so the timed call covers the request, the task body
(``run_provisioning_job`` -> ``provision_site``: clone the template schema, create the
page tree, mark online) and the job bookkeeping. See bench/README.md.

Targets (the issue): p50 <= 1.0 s per site, and the last ten sites no slower than
1.5x the first ten (provisioning must not grow with the number of sites)."""
from __future__ import annotations

import argparse
import sys
import time

from ._db import SiteMaker, emit, log, migrate_in_process, p50, prepare

DATABASE = "jiyue_bench_provision"
TARGET_P50_S = 1.0
TARGET_GROWTH_RATIO = 1.5


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.provision")
    parser.add_argument("--quick", action="store_true", help="50 sites instead of 200")
    parser.add_argument("--sites", type=int, default=None, help="override the number of sites")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database afterwards")
    args = parser.parse_args(argv)
    count = args.sites or (50 if args.quick else 200)
    if count < 20:
        parser.error("--sites must be at least 20 (first ten and last ten are compared)")

    env = prepare(DATABASE, keep=args.keep)
    try:
        result = run(count)
    finally:
        env.cleanup()
    emit(result)
    if "error" in result:
        sys.exit(1)


def run(count: int) -> dict:
    from django.db import connection

    from tenants.provisioning.models import JobStatus
    from tenants.provisioning.services.provision import request_provisioning
    from tenants.registry.models import Site, SiteStatus

    started = time.monotonic()
    migrate_in_process()
    maker = SiteMaker()
    rows = []  # (kind, wall seconds, job.duration_ms)
    for number in range(1, count + 1):
        site = maker.approved_site()
        t0 = time.perf_counter()
        job = request_provisioning(site, acting_user=None)  # runs provision_site_task on commit
        elapsed = time.perf_counter() - t0
        job.refresh_from_db()
        if job.status != JobStatus.SUCCEEDED:
            log(f"provisioning {site.short_code} ended {job.status}: {job.error}")
            return {"bench": "provision", "sites": number - 1, "p50_s": None,
                    "target_p50_s": TARGET_P50_S, "target_growth_ratio": TARGET_GROWTH_RATIO,
                    "error": f"site {number} ({site.short_code}): job {job.status}: {job.error}"[:500],
                    "ok": False}
        rows.append((site.kind, elapsed, job.duration_ms))
        if number % 10 == 0 or number == count:
            recent = [row[1] for row in rows[-10:]]
            log(f"provisioned {number}/{count}; last 10 p50 {p50(recent):.3f}s")

    online = Site.objects.filter(status=SiteStatus.ONLINE).count()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_namespace WHERE nspname LIKE %s", ["site\\_%"])
        schemas = cursor.fetchone()[0]
    problems = []
    if online != count or schemas != count:
        problems.append(f"expected {count} online sites and schemas, found {online} and {schemas}")

    times = [row[1] for row in rows]
    first10, last10 = p50(times[:10]), p50(times[-10:])
    by_kind = {}
    for kind in sorted({row[0] for row in rows}):
        by_kind[kind] = [row[1] for row in rows if row[0] == kind]
    result = {
        "bench": "provision",
        "sites": count,
        "p50_s": p50(times),
        "first10_p50_s": first10,
        "last10_p50_s": last10,
        "growth_ratio": round(last10 / first10, 3),
        "target_p50_s": TARGET_P50_S,
        "target_growth_ratio": TARGET_GROWTH_RATIO,
    }
    for kind, values in by_kind.items():
        result[f"{kind}_sites"] = len(values)
        result[f"{kind}_p50_s"] = p50(values)
    result.update({
        "max_s": round(max(times), 4),
        "first_site_s": round(times[0], 4),  # includes building the template snapshot
        "job_duration_p50_s": p50(row[2] / 1000 for row in rows),  # provision_site alone
        "timed": "request_provisioning -> provision_site_task (eager) -> run_provisioning_job",
        "total_s": round(time.monotonic() - started, 1),
    })
    if problems:
        result["error"] = "; ".join(problems)
    result["ok"] = (not problems and result["p50_s"] <= TARGET_P50_S
                    and result["growth_ratio"] <= TARGET_GROWTH_RATIO)
    return result


if __name__ == "__main__":
    main()
