"""Benchmark: a retired site migrated end to end (python -m bench.migration [--quick] [--pages N] [--keep]).

In its own database (``jiyue_bench_migration``): one target site, the provincial portal,
built as bench.migrate builds sites (``provision_site``; not timed). A retired county
portal is generated (``ops.retirement.sample_site.generate``: 500 article and policy
pages with --quick, 5,000 otherwise, plus its list pages, files, redirect chains and
robots.txt) and served on loopback by a forked process (another machine, as a real
retired site is: it does not share this process's interpreter lock with the crawler).

Timed, one after the other, as ops would run them (ops.retirement/README.md):

1. crawl    ``run_crawl(job)``: the whole site into WARC files under the target site's
            storage (the default file system storage of the bench's JIYUE_DATA_DIR);
2. extract  ``run_extract(job, processes=2)``;
3. map      ``run_map(job)`` (the rules, one per old column, are added before: not timed);
4. import   ``run_import(job)``: pages, documents and images of the target site;
5. redirect ``retire_hosts(job, hosts={"www.oldcounty.gov.cn": <origin crawled>})``.

``pages_per_s`` = content pages of the ground truth (article + policy) / the five
stages' seconds. ``extract_accuracy`` = ``sample_site.score`` over the ExtractedPage rows.
Then gunicorn (bench.fanout's Server) serves the platform on loopback and every old URL
(each path of the ground truth but "/", and every redirect source of the old site) is
fetched with ``Host: www.oldcounty.gov.cn``: it must answer as its UrlMapping says (301
with Location = new_url, then the Location fetched on the target site's host answers
200; 410 for an archived or unresolved one). ``redirects_ok`` is the share that do.

Targets: pages_per_s >= 50, extract_accuracy >= 0.98, redirects_ok = 1.0. See bench/README.md."""
from __future__ import annotations

import argparse
import cProfile
import datetime
import http.client
import io
import multiprocessing
import pstats
import re
import resource
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urljoin, urlsplit

from ._db import emit, log, migrate_in_process, prepare
from .fanout import Phases, Server, get, profile_requests
from .migrate import build_sites

DATABASE = "jiyue_bench_migration"
OLD_HOST = "www.oldcounty.gov.cn"
SEED = 20260401
TARGETS = {"pages_per_s": 50, "extract_accuracy": 0.98, "redirects_ok": 1.0}
STAGES = ("crawl", "extract", "map", "import", "redirect")
# Old column -> (target column slug of the portal template, content type): as
# tests/ops/retirement/test_pipeline.py maps them, plus the 繁體版 column, so that every
# page of the old site has a place.
RULES = {
    "/zwgk/zcwj/": ("zcwj", "policy"), "/zwgk/gfxwj/": ("zcwj", "policy"), "/col/col4521/": ("tzgg", "announcement"),
    "/xwzx/gzdt/": ("zwyw", "article"), "/xwzx/bmdt/": ("bmdt", "article"), "/xwzx/xzdt/": ("zwyw", "article"),
    "/zwgk/rsxx/": ("rsxx", "article"), "/ftb/ywdt/": ("zwyw", "article"),
}
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.migration")
    parser.add_argument("--quick", action="store_true", help="500 pages instead of 5,000")
    parser.add_argument("--pages", type=int, default=None, help="override the number of article and policy pages")
    parser.add_argument("--seed", type=int, default=SEED, help="seed of the generated site")
    parser.add_argument("--requests-per-second", type=float, default=1000.0,
                        help="the job's politeness rate (loopback: as fast as it goes)")
    parser.add_argument("--concurrency", type=int, default=4, help="the job's parallel requests")
    parser.add_argument("--extract-processes", type=int, default=2, help="run_extract(processes=...)")
    parser.add_argument("--web-workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--http-threads", type=int, default=4, help="concurrent redirect checks")
    parser.add_argument("--profile", choices=STAGES, default=None,
                        help="run this stage under cProfile (its time then includes the profiler's overhead; "
                             "extract: this process only, not its workers)")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database and data dir afterwards")
    args = parser.parse_args(argv)
    pages = args.pages or (500 if args.quick else 5000)
    if pages < 8:
        parser.error("--pages must be at least 8 (one per old column)")

    env = prepare(DATABASE, keep=args.keep)
    server = None
    result = {"bench": "migration", "pages": pages, "content_pages": None, "pages_per_s": None,
              "extract_accuracy": None, "redirects_ok": None, "phases_s": {}, "pipeline_s": None,
              "targets": dict(TARGETS), "seed": args.seed, "profiled_stage": args.profile}
    try:
        server = Server(env, args.web_workers)
        run(result, pages, args=args, server=server)
    except Exception as error:  # the figures so far are still printed
        import traceback

        traceback.print_exc()
        result["error"] = f"{type(error).__name__}: {error}"[:1000]
    finally:
        if server is not None:
            server.stop()
        env.cleanup()
    result["ok"] = bool("error" not in result and _targets_met(result))
    emit(result)
    if "error" in result:
        sys.exit(1)


def _targets_met(result: dict) -> bool:
    return (result["pages_per_s"] is not None and result["pages_per_s"] >= TARGETS["pages_per_s"]
            and result["extract_accuracy"] is not None and result["extract_accuracy"] >= TARGETS["extract_accuracy"]
            and result["redirects_ok"] is not None and result["redirects_ok"] >= TARGETS["redirects_ok"])


# --------------------------------------------------------------------------- the retired site

def _serve_old_site(site, conn) -> None:
    """In a forked process: the generated site on a free loopback port until told to stop."""
    from ops.retirement.sample_site import serve

    with serve(site) as served:
        conn.send(served.base_url)
        while True:
            message = conn.recv()
            if message == "hits":
                conn.send(sum(served.hits.values()))
            else:
                break


class OldSite:
    """The retired site served by a child process (forked: it inherits the generated site)."""

    def __init__(self, site):
        from django.db import connections

        connections.close_all()  # the child must not share this process's database connection
        context = multiprocessing.get_context("fork")
        self._conn, child = context.Pipe()
        self.process = context.Process(target=_serve_old_site, args=(site, child), daemon=True,
                                       name="retired-site")
        self.process.start()
        if not self._conn.poll(60):
            raise RuntimeError("the retired site's server did not start within 60 s")
        self.base_url = self._conn.recv()

    def hits(self) -> int:
        self._conn.send("hits")
        return self._conn.recv()

    def stop(self) -> None:
        if self.process.is_alive():
            try:
                self._conn.send("stop")
            except OSError:
                pass
            self.process.join(timeout=10)
            if self.process.is_alive():
                self.process.terminate()
                self.process.join()


# --------------------------------------------------------------------------- the timed stages

class ProgressLog:
    """A stage's progress callback: a line on stderr every few seconds."""

    def __init__(self, stage: str, every_s: float = 5.0):
        self.stage, self.every_s, self.last = stage, every_s, 0.0

    def __call__(self, done, total, message="") -> None:
        now = time.monotonic()
        if now - self.last >= self.every_s:
            self.last = now
            log(f"  {self.stage}: {done}/{total if total is not None else '?'} {message}")


class StatementCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def timed_stage(name: str, function, result: dict, profile: str | None):
    """Run one stage; its seconds (and statements of this process) into the result."""
    from django.db import connection

    counter = StatementCounter()
    profiler = cProfile.Profile() if profile == name else None
    log(f"{name}: started")
    with connection.execute_wrapper(counter):
        started = time.perf_counter()
        if profiler is not None:
            profiler.enable()
        try:
            value = function()
        finally:
            if profiler is not None:
                profiler.disable()
            seconds = time.perf_counter() - started
            result["phases_s"][name] = round(seconds, 3)
            result.setdefault("statements", {})[name] = counter.count
    if profiler is not None:
        result["profile"] = profile_report(profiler, name)
    state = getattr(value, "state", None)
    message = getattr(value, "message", "")
    if state is not None:
        result.setdefault("stage_messages", {})[name] = message
        log(f"{name}: {state} in {seconds:.1f}s ({counter.count} statements) {message}")
        if state != "done":
            raise StageFailed(f"{name} ended {state}: {message}")
    else:
        log(f"{name}: done in {seconds:.1f}s ({counter.count} statements)")
    return value


class StageFailed(Exception):
    pass


def profile_report(profiler, stage: str) -> dict:
    stream = io.StringIO()
    stats = pstats.Stats(profiler, stream=stream)
    stats.sort_stats("cumulative").print_stats(
        r"(ops/retirement|jiyue|tenants|shared_library|wagtail|treebeard|django/db|trafilatura|lxml|warcio|httpx)", 45)
    log(f"cProfile of {stage} (cumulative):\n" + stream.getvalue())
    stream = io.StringIO()
    pstats.Stats(profiler, stream=stream).sort_stats("tottime").print_stats(25)
    log(f"cProfile of {stage} (own time):\n" + stream.getvalue())
    total = max((value[3] for value in stats.stats.values()), default=0.0)
    top = sorted(stats.stats.items(), key=lambda kv: -kv[1][3])
    table = {}
    for (filename, line, function), value in top:
        if not re.search(r"(ops/retirement|tenants|jiyue|shared_library|wagtail/|treebeard|trafilatura|psycopg2|"
                         r"django/db/models/(query|base)\.py)", filename + function):
            continue
        label = f"{_short_path(filename)}:{function}"
        if label in table:
            continue
        table[label] = {"calls": value[1], "cum_ms": round(value[3] * 1000, 1),
                        "share": round(value[3] / total, 3) if total else None}
        if len(table) >= 30:
            break
    return {"stage": stage, "total_s": round(total, 2), "functions": table}


def _short_path(filename: str) -> str:
    for marker in ("site-packages/", "/work/main/"):
        if marker in filename:
            return filename.split(marker, 1)[1]
    return filename


# Import's phases: wall time and statements inside these functions (bench.fanout's Phases:
# the wrappers cost microseconds, so they stay on in every run).
def wrap_import_phases() -> Phases:
    from wagtail.models import Page, Revision

    import ops.retirement.services.importing as importing
    import tenants.publishing.services.outbox as outbox
    from tenants.columns.models import ColumnPage

    phases = Phases()
    importer = importing.Importer
    phases.wrap(importer, "_plan", "plan (rules, extracted pages)")
    phases.wrap(importer, "_import_assets", "assets (read archive, upload policy, store)")
    phases.wrap(importer, "_store_asset", "  store one asset")
    phases.wrap(importer, "_published_urls", "published urls")
    phases.wrap(importer, "_import_page", "import pages (all passes)")
    phases.wrap(importing, "rewrite_body", "  rewrite_body (lxml)")
    phases.wrap(importing, "_page_values", "  page values (metadata, taxonomy)")
    phases.wrap(importer, "_write_page", "  write page (new or update)")
    phases.wrap(ColumnPage, "add_child", "    add_child (treebeard + Page.save)")
    phases.wrap(Page, "save_revision", "  save_revision")
    phases.wrap(importer, "_check_findings", "  content checks (record_revision_checks)")
    phases.wrap(importer, "_publish", "  publish (ImportAcceptance + revision.publish)")
    phases.wrap(Revision, "publish", "    revision.publish")
    phases.wrap(importing, "set_mapping", "  set_mapping")
    # Run by the page's commit (transaction.on_commit): with the bench's eager Celery the
    # dispatch task (library ingest and the other outbox handlers) runs here, as a worker would.
    phases.wrap(outbox, "_queue_dispatch", "  on-commit outbox dispatch (eager task)")
    phases.wrap(importer, "_map_the_rest", "map the rest (lists, redirect hops)")
    return phases


class CallCounts:
    """How often some functions ran (outermost wrapper over Phases' ones)."""

    def __init__(self):
        self.counts = {}
        self._restore = []

    def wrap(self, owner, attribute: str, name: str) -> None:
        own = owner.__dict__.get(attribute) if isinstance(owner, type) else getattr(owner, attribute)
        function = getattr(owner, attribute)
        counts = self.counts

        def wrapper(*args, **kwargs):
            counts[name] = counts.get(name, 0) + 1
            return function(*args, **kwargs)

        setattr(owner, attribute, wrapper)
        self._restore.append((owner, attribute, own))

    def restore(self) -> None:
        for owner, attribute, own in reversed(self._restore):
            if own is None:
                delattr(owner, attribute)
            else:
                setattr(owner, attribute, own)


# --------------------------------------------------------------------------- the run

def run(result: dict, pages: int, *, args, server: Server) -> None:
    from django.db import connection
    from django_tenants.utils import tenant_context
    from wagtail.models import Revision

    import ops.retirement.services.importing as importing
    from ops.retirement.models import (ArchiveRecord, CrawlUrl, ImportedAsset, ImportedItem, JobIssue,
                                       MappingStatus, RuleMatch, UrlMapping, UrlState, WarcFile)
    from ops.retirement.sample_site import generate
    from ops.retirement.services.crawl import run_crawl
    from ops.retirement.services.extraction import run_extract
    from ops.retirement.services.importing import run_import
    from ops.retirement.services.jobs import create_job
    from ops.retirement.services.mapping import add_rule, run_map
    from ops.retirement.services.redirects import retire_hosts
    from tenants.columns.models import ColumnPage
    from tenants.registry.models import Site

    started = time.monotonic()
    migrate_in_process()
    result["build_s"] = round(build_sites(1, 1, "provision"), 1)
    site = Site.objects.get()
    log(f"target site {site.short_code} ({site.kind}, {site.primary_host}, schema {site.schema_name})")

    t0 = time.perf_counter()
    sample = generate(pages, args.seed)
    content = {path: truth for path, truth in sample.truth.items() if truth.kind in ("article", "policy")}
    kinds = {}
    for truth in sample.truth.values():
        kinds[truth.kind] = kinds.get(truth.kind, 0) + 1
    result.update(generate_s=round(time.perf_counter() - t0, 1), content_pages=len(content), truth_kinds=kinds,
                  old_site_responses=len(sample.responses), old_site_redirects=len(sample.redirects))
    log(f"generated the retired site in {result['generate_s']}s: {kinds}, {len(sample.responses)} responses, "
        f"{len(sample.redirects)} redirects")

    old = OldSite(sample)
    try:
        log(f"retired site served by process {old.process.pid} at {old.base_url}")
        job = create_job(acting_user=None, code="bench-migration", name="某县旧门户网站", target_site=site,
                         start_urls=[old.base_url + "/"], requests_per_second=args.requests_per_second,
                         concurrency=args.concurrency, timeout_seconds=10.0)
        with tenant_context(site):
            columns = {slug: ColumnPage.objects.get(slug=slug).pk for slug, _type in RULES.values()}
        for path, (slug, kind) in RULES.items():  # as ops would before running the stages (not timed)
            add_rule(job, acting_user=None, match_on=RuleMatch.COLUMN_PATH, pattern=path,
                     target_column_id=columns[slug], content_type=kind)

        profile = args.profile
        connection.ensure_connection()
        hits_before = old.hits()
        timed_stage("crawl", lambda: run_crawl(job, progress_callback=ProgressLog("crawl")), result, profile)
        crawl_requests = old.hits() - hits_before
        timed_stage("extract", lambda: run_extract(job, processes=args.extract_processes,
                                                   progress_callback=ProgressLog("extract")), result, profile)
        timed_stage("map", lambda: run_map(job, progress_callback=ProgressLog("map")), result, profile)
        phases = wrap_import_phases()
        calls = CallCounts()
        calls.wrap(importing.Importer, "_import_page", "pages written or checked (both passes)")
        calls.wrap(importing.Importer, "_write_page", "pages written")
        calls.wrap(Revision, "publish", "revisions published")
        calls.wrap(importing.Importer, "_store_asset", "files read from the archive")
        try:
            with connection.execute_wrapper(phases.count_query):
                timed_stage("import", lambda: run_import(job, progress_callback=ProgressLog("import")), result,
                            profile)
        finally:
            calls.restore()
            phases.restore()
        timed_stage("redirect", lambda: retire_hosts(job, acting_user=None, hosts={OLD_HOST: old.base_url}),
                    result, profile)
    finally:
        old.stop()
    pipeline_s = sum(result["phases_s"][stage] for stage in STAGES)
    result["pipeline_s"] = round(pipeline_s, 3)
    result["pages_per_s"] = round(len(content) / pipeline_s, 2)
    result["ms_per_content_page"] = {stage: round(result["phases_s"][stage] * 1000 / len(content), 1)
                                     for stage in STAGES}
    result["import_calls"] = calls.counts
    log(f"import calls: {calls.counts}")
    result["import_phases_ms"] = {name.strip(): {"ms": round(ms), "statements": phases.queries.get(name, 0)}
                                  for name, ms in phases.ms.items()}
    result["import_sql_kinds"] = {kind: {"count": n, "ms": round(ms)} for kind, (n, ms) in
                                  sorted(phases.sql_kinds.items(), key=lambda kv: -kv[1][1])[:8]}
    log("import phases (ms / statements): " + "; ".join(
        f"{name.strip()} {ms:.0f}/{phases.queries.get(name, 0)}" for name, ms in phases.ms.items()))
    log(f"import statements by kind: {result['import_sql_kinds']}")

    # Figures of the stages (not timed).
    fetched = CrawlUrl.objects.filter(job=job, state=UrlState.FETCHED).count()
    result["crawl"] = {
        "requests": crawl_requests, "requests_per_s": round(crawl_requests / result["phases_s"]["crawl"], 1),
        "urls_fetched": fetched, "urls_failed": CrawlUrl.objects.filter(job=job, state=UrlState.FAILED).count(),
        "urls_skipped": CrawlUrl.objects.filter(job=job, state=UrlState.SKIPPED).count(),
        "archive_records": ArchiveRecord.objects.filter(job=job).count(),
        "warc_files": WarcFile.objects.filter(job=job).count(),
        "warc_mb": round(sum(WarcFile.objects.filter(job=job).values_list("size", flat=True)) / 2 ** 20, 1)}
    states = _count_by(ImportedItem.objects.filter(job=job), "state")
    result["imported"] = {"published": states.get("published", 0), "drafts": states.get("draft", 0),
                          "failed": states.get("failed", 0)}
    assets = _count_by(ImportedAsset.objects.filter(job=job), "kind")
    result["files_stored"] = sum(assets.values())
    result["files_by_kind"] = assets
    mappings = _count_by(UrlMapping.objects.filter(job=job), "status")
    result["issues_by_stage"] = _count_by(JobIssue.objects.filter(job=job), "stage")
    # A fresh job: every file read from the archive and not stored was refused by the upload policy (an issue).
    result["files_refused"] = calls.counts.get("files read from the archive", 0) - result["files_stored"]
    result["url_mappings"] = mappings
    self_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    result["peak_rss_mb"] = round(self_rss, 1)
    result["peak_rss_children_mb"] = round(children_rss, 1)  # the largest child waited for (extract workers, ...)
    log(f"crawl {result['crawl']}; imported {result['imported']}; files {assets}; mappings {mappings}; "
        f"peak RSS {self_rss:.0f} MB (children {children_rss:.0f} MB)")

    # Extraction against the ground truth.
    extracted = extracted_fields(job, old.base_url, sample)
    from ops.retirement.sample_site import score

    correct, total = score(sample, extracted)
    result["extract_accuracy"] = round(correct / total, 4) if total else None
    result["extract_fields"] = {"correct": correct, "total": total}
    misses, examples = field_misses(sample, extracted)
    result["extract_misses"] = misses
    result["extract_miss_examples"] = examples[:8]
    log(f"extraction: {correct}/{total} fields correct ({result['extract_accuracy']}); misses by field {misses}")
    for example in examples[:20]:
        log(f"  miss {example}")

    # Redirects over real HTTP through gunicorn.
    server.start()
    check_redirects(result, server, sample, job, old.base_url, threads=args.http_threads,
                    redirect_status=MappingStatus.REDIRECT)
    # Diagnostics (not timed): one 301 and one 410 answered in this process, profiled
    # (bench.fanout's profile_requests: statements by kind, cProfile to stderr).
    samples = []
    for status, label in ((MappingStatus.REDIRECT, "old URL (301)"), (MappingStatus.UNRESOLVED, "old URL (410)")):
        mapping = UrlMapping.objects.filter(job=job, status=status, old_url__contains=".htm").order_by("id").first()
        if mapping is not None:
            path = mapping.old_url.split(urlsplit(mapping.old_url).netloc, 1)[1] or "/"
            samples.append((label, OLD_HOST, path, 301 if status == MappingStatus.REDIRECT else 410))
    try:
        result["profile_requests"] = profile_requests(samples)
    except Exception as error:  # diagnostics only
        log(f"profiling the redirect requests failed: {error!r}")
    result["total_s"] = round(time.monotonic() - started, 1)
    result["timed"] = ("pipeline_s: run_crawl + run_extract + run_map + run_import + retire_hosts, one after "
                       "another; pages_per_s = content_pages (article + policy pages of the ground truth) / pipeline_s")
    if result["imported"]["failed"]:
        log(f"{result['imported']['failed']} pages failed to import (see the job's issues)")


def _count_by(queryset, field: str) -> dict:
    from django.db.models import Count

    return {key: n for key, n in queryset.values_list(field).annotate(n=Count("id")).order_by(field)}


def extracted_fields(job, base_url: str, sample) -> dict:
    """{truth path: {"title", "pub_date" (local date), "body_text", "metadata" (ISO dates as dates)}}."""
    from django.utils.timezone import localtime

    from ops.retirement.lib.urls import url_hash
    from ops.retirement.models import ExtractedPage

    rows = {row["url_hash"]: row for row in ExtractedPage.objects.filter(job=job).values(
        "url_hash", "title", "pub_date", "body_text", "metadata", "kind")}
    extracted = {}
    for path in sample.truth:
        row = rows.get(url_hash(base_url + path))
        if row is None:
            continue
        metadata = {key: (datetime.date.fromisoformat(value) if isinstance(value, str) and ISO_DATE.match(value)
                          else value) for key, value in (row["metadata"] or {}).items()}
        extracted[path] = {"title": row["title"], "body_text": row["body_text"], "metadata": metadata,
                           "pub_date": localtime(row["pub_date"]).date() if row["pub_date"] else None,
                           "kind": row["kind"]}
    return extracted


def field_misses(sample, extracted: dict) -> tuple[dict, list]:
    """Which fields extraction got wrong (diagnostics; the figure is sample_site.score's)."""
    from ops.retirement.sample_site import similar

    def normal(text):
        return re.sub(r"\s+", "", str(text or ""))

    def as_date(value):
        return value.date() if isinstance(value, datetime.datetime) else value

    misses, examples = {}, []

    def miss(path, truth, field, expected, got):
        key = f"{truth.kind}.{field}"
        misses[key] = misses.get(key, 0) + 1
        examples.append({"path": path, "encoding": truth.encoding, "field": field,
                         "expected": str(expected)[:80], "got": str(got)[:80]})

    for path, truth in sample.truth.items():
        got = extracted.get(path)
        if got is None:
            miss(path, truth, "(not extracted)", truth.title, None)
            continue
        if got.get("title") is None or normal(truth.title) != normal(got.get("title")):
            miss(path, truth, "title", truth.title, got.get("title"))
        if truth.pub_date is not None and truth.pub_date != as_date(got.get("pub_date")):
            miss(path, truth, "pub_date", truth.pub_date, got.get("pub_date"))
        if truth.body_text and not similar(truth.body_text, got.get("body_text") or ""):
            miss(path, truth, "body_text", truth.body_text[:80], (got.get("body_text") or "")[:80])
        found = got.get("metadata") or {}
        for key, value in truth.metadata.items():
            if isinstance(value, datetime.date):
                ok = value == as_date(found.get(key))
            else:
                ok = found.get(key) is not None and normal(value) == normal(found.get(key))
            if not ok:
                miss(path, truth, f"metadata.{key}", value, found.get(key))
    return misses, examples


# --------------------------------------------------------------------------- redirects over HTTP

def fetch(port: int, host: str, path: str, timeout: float = 30) -> tuple[int, str, float]:
    """One GET with a Host header: (status, Location, ms). bench.fanout's get() returns
    the status and body only, and a 301's answer is in its Location header."""
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Host": host, "Connection": "close"})
        response = conn.getresponse()
        response.read()
        return response.status, response.getheader("Location") or "", (time.perf_counter() - started) * 1000
    finally:
        conn.close()


def old_urls(sample) -> list[str]:
    """Every path of the ground truth but the home page, and every redirect source of the old site."""
    paths = [path for path in sample.truth if path != "/"]
    paths += [path for path in sample.redirects if path not in sample.truth]
    return paths


def check_redirects(result: dict, server: Server, sample, job, base_url: str, *, threads: int,
                    redirect_status: str) -> None:
    from ops.retirement.lib.urls import url_hash
    from ops.retirement.models import UrlMapping

    mappings = {m.url_hash: m for m in UrlMapping.objects.filter(job=job).only("url_hash", "status", "new_url")}
    paths = old_urls(sample)
    # Warm-up (not counted): both workers load the URL mapping view, the host map, templates.
    for path in paths[:8]:
        fetch(server.port, OLD_HOST, path)
    home_status, home_location, _ms = fetch(server.port, OLD_HOST, "/")
    result["old_home"] = {"status": home_status, "location": home_location}

    def one(path: str) -> dict:
        mapping = mappings.get(url_hash(base_url + path))
        outcome = {"path": path, "mapping": mapping.status if mapping else None}
        try:
            status, location, ms = fetch(server.port, OLD_HOST, path)
        except OSError as error:
            return {**outcome, "ok": False, "error": repr(error)}
        outcome.update(status=status, ms=ms)
        if mapping is None:
            return {**outcome, "ok": False, "error": "no UrlMapping"}
        if mapping.status == redirect_status:
            if status != 301 or location != mapping.new_url:
                return {**outcome, "ok": False, "location": location, "expected": mapping.new_url}
            parts = urlsplit(urljoin(f"http://{OLD_HOST}{path}", location))
            target_path = parts.path + (f"?{parts.query}" if parts.query else "")
            try:
                target_status, _body = get(server.port, parts.netloc, target_path, label="redirect target")
            except OSError as error:
                return {**outcome, "ok": False, "error": f"target: {error!r}"}
            return {**outcome, "target_status": target_status, "ok": target_status == 200,
                    **({} if target_status == 200 else {"location": location})}
        return {**outcome, "ok": status == 410}

    # One at a time first (not counted in redirects_ok): the latency without queueing.
    serial = sorted(fetch(server.port, OLD_HOST, path)[2] for path in paths[8:58])
    t0 = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        outcomes = list(pool.map(one, paths))
    seconds = time.perf_counter() - t0
    ok = [o for o in outcomes if o["ok"]]
    bad = [o for o in outcomes if not o["ok"]]
    latencies = sorted(o["ms"] for o in outcomes if "ms" in o)
    by_expected = {}
    for o in outcomes:
        key = f"{o['mapping']}->{o.get('status')}"
        by_expected[key] = by_expected.get(key, 0) + 1
    result["redirects_ok"] = round(len(ok) / len(outcomes), 4) if outcomes else None
    result["redirects"] = {
        "old_urls": len(outcomes), "ok": len(ok), "by_mapping_and_status": by_expected,
        "latency_ms": {"p50": round(statistics.median(latencies), 1) if latencies else None,
                       "p95": round(latencies[int(0.95 * (len(latencies) - 1))], 1) if latencies else None,
                       "max": round(latencies[-1], 1) if latencies else None},
        "serial_latency_ms": {"requests": len(serial), "p50": round(statistics.median(serial), 1) if serial else None,
                              "p95": round(serial[int(0.95 * (len(serial) - 1))], 1) if serial else None},
        "checked_in_s": round(seconds, 1), "http_threads": threads, "web_workers": server.workers,
        "failures": bad[:10]}
    log(f"redirects: {len(ok)}/{len(outcomes)} old URLs answer as mapped ({by_expected}); latency "
        f"{result['redirects']['latency_ms']} ms; {seconds:.1f}s")
    for o in bad[:20]:
        log(f"  not as mapped: {o}")


if __name__ == "__main__":
    main()
