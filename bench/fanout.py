"""Benchmark: one library item live-referenced into N sites, then withdrawn at its source
(python -m bench.fanout [--quick] [--sites N] [--keep]).

Builds N + 1 online sites (51 with --quick, 2,001 otherwise; not timed, as bench.migrate
builds them): the first, the provincial portal, is the source; the N others are the
targets. On the source an editor adds an article to 政务要闻, it is published through the
site's review (submit, approve, as tests/factories/content.py publish_through_review)
and the outbox is dispatched into the library (not timed). A real server is started on
127.0.0.1 (gunicorn with ``jiyue.wsgi``), then:

1. fan-out (timed, `fanout_s`): the item is reposted into one news column of every
   target (政务要闻 zwyw on a portal, 工作动态 gzdt on a department site) with the one
   service function, ``repost(resource, target_site=, column_id=, mode="reference",
   acting_user=None, accept_reason="mandate")`` -- a mandate the site auto-accepts --
   in --workers worker processes, each site's repost as one call; as each repost
   returns, its public page is fetched over HTTP with the site's Host header (threads)
   until it answers 200 with the item's title and body. The clock stops when the last
   target's page shows it.
2. withdrawal (timed, `withdraw_s`): the source page is unpublished (in a transaction,
   as the tests do) and the outbox dispatched; then every target's repost page is
   fetched until it answers 404 and its column listing until it no longer lists the
   item. The clock stops when the last target passes both.

Between the two (not timed) every column listing is checked to list the item, so the
withdrawal's listing check is not vacuous. One extra repost (into 通知公告 of the first
target, after the fan-out) is profiled: phases timed by wrapping the functions the
service calls, queries counted, and cProfile's top entries. See bench/README.md.

Target: 30 ms per target site each way (60 s at 2,000 sites)."""
from __future__ import annotations

import argparse
import cProfile
import http.client
import io
import multiprocessing
import os
import pstats
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

from ._db import emit, log, migrate_in_process, prepare
from .migrate import BUILDERS, build_sites

DATABASE = "jiyue_bench_fanout"
TARGET_MS_PER_SITE = 30
REPO_ROOT = Path(__file__).resolve().parents[1]
NEWS_COLUMN = {"portal": "zwyw", "department": "gzdt"}
PROFILE_COLUMN = "tzgg"  # 通知公告: in both column templates, takes news
CHECK_TIMEOUT_S = 600


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.fanout")
    parser.add_argument("--quick", action="store_true", help="50 target sites instead of 2,000")
    parser.add_argument("--sites", type=int, default=None, help="override the number of target sites")
    parser.add_argument("--workers", type=int, default=2, help="processes calling repost() (timed)")
    parser.add_argument("--web-workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--http-threads", type=int, default=6, help="concurrent HTTP checks")
    parser.add_argument("--build", choices=sorted(BUILDERS), default=None,
                        help="how sites are made (not timed); default provision with --quick, clone otherwise")
    parser.add_argument("--build-workers", type=int, default=3, help="processes building sites (not timed)")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database afterwards")
    args = parser.parse_args(argv)
    count = args.sites or (50 if args.quick else 2000)
    if count < 1:
        parser.error("--sites must be at least 1")

    env = prepare(DATABASE, keep=args.keep)
    server = None
    try:
        build = args.build or ("provision" if args.quick else "clone")
        result = {"bench": "fanout", "sites": count, "fanout_s": None, "withdraw_s": None,
                  "ms_per_site": {"fanout": None, "withdraw": None},
                  "target_ms_per_site": TARGET_MS_PER_SITE,
                  "target_s": round(TARGET_MS_PER_SITE * count / 1000, 1),
                  "build": build, "workers": args.workers, "web_workers": args.web_workers,
                  "http_threads": args.http_threads}
        server = Server(env, args.web_workers)
        run(result, count, args=args, build=build, server=server)
    finally:
        if server is not None:
            server.stop()
        env.cleanup()
    emit(result)
    if "error" in result:
        sys.exit(1)


# --------------------------------------------------------------------------- the server

class Server:
    """gunicorn with the project's WSGI app on a free loopback port, the bench's env."""

    def __init__(self, env, workers: int):
        self.env = env
        self.workers = workers
        self.process = None
        self.port = None
        self.log_path = Path(env.data_dir) / "gunicorn.log"

    def start(self) -> None:
        from django.db import connections

        connections.close_all()
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        command = [sys.executable, "-m", "gunicorn", "jiyue.wsgi:application", "--bind", f"127.0.0.1:{self.port}",
                   "--workers", str(self.workers), "--preload", "--timeout", "120", "--backlog", "2048",
                   "--log-level", "warning", "--chdir", str(REPO_ROOT)]
        self._log = open(self.log_path, "wb")
        self.process = subprocess.Popen(command, cwd=REPO_ROOT, env=self.env.subprocess_env(),
                                        stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}: {self.log_tail()}")
            try:
                status, _body = get(self.port, "bench.localhost", "/healthz", timeout=2)
                if status == 200:
                    log(f"gunicorn ({self.workers} workers, pid {self.process.pid}) on 127.0.0.1:{self.port}")
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer within 60 s: {self.log_tail()}")

    def log_tail(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-1500:]
        except OSError:
            return ""

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)  # the arbiter stops its workers
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self._log.close()


# Response times of the checks, by what was fetched (label -> [ms]); list.append is atomic.
REQUEST_MS: dict[str, list] = {}


def get(port: int, host: str, path: str, timeout: float = 30, label: str | None = None) -> tuple[int, str]:
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Host": host, "Connection": "close"})
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8", errors="replace")
    finally:
        conn.close()
        if label:
            REQUEST_MS.setdefault(label, []).append((time.perf_counter() - started) * 1000)


def poll(port: int, condition, host: str, path: str, deadline: float,
         label: str | None = None) -> tuple[float | None, int, str]:
    """GET until condition(status, body) holds; (monotonic time it held or None, attempts, status)."""
    attempts = 0
    last = None
    while True:
        attempts += 1
        try:
            status, body = get(port, host, path, label=label)
        except OSError as error:
            status, body = None, str(error)
        if condition(status, body):
            return time.monotonic(), attempts, status
        last = status
        if time.monotonic() > deadline:
            return None, attempts, last
        time.sleep(0.05)


# --------------------------------------------------------------------------- set-up

def staff_source(site):
    from jiyue.identity.models import SiteRole
    from jiyue.identity.services.roles import grant_site_role
    from jiyue.identity.services.users import create_user

    editor = create_user("bench_editor", "Bench-editor-2026", full_name="编辑", validate=False)
    reviewer = create_user("bench_reviewer", "Bench-reviewer-2026", full_name="审核", validate=False)
    grant_site_role(editor, site, SiteRole.EDITOR, acting_user=None)
    grant_site_role(reviewer, site, SiteRole.REVIEWER, acting_user=None)
    return editor, reviewer


def publish_source_item(site, editor, reviewer, title: str, body: str):
    """An article published on the source through its review, dispatched into the library."""
    from django_tenants.utils import tenant_context
    from wagtail.models import Page

    from shared_library.resources.models import Resource
    from tenants.columns.models import ColumnPage
    from tenants.content.models import ArticlePage
    from tenants.publishing.services.outbox import dispatch_pending_events
    from tenants.review.services.approval import approve_current_step
    from tenants.review.services.submission import submit_for_review

    with tenant_context(site):
        # tests/factories/content.py: add_article, then publish_through_review.
        page = ArticlePage(title=title, body=[("paragraph", f"<p>{body}</p>")], live=False)
        ColumnPage.objects.get(slug="zwyw").add_child(instance=page)
        page.save_revision(user=editor)
        submit_for_review(page, acting_user=editor)
        approve_current_step(page, acting_user=reviewer, secrecy_confirmed=True, acknowledge_warnings=False,
                             comment="")
        page = Page.objects.get(pk=page.pk).specific
        if not page.live:
            raise RuntimeError("the source article is not live after its review")
        source_url = page.get_url_parts()[2]
    dispatch_pending_events()
    resource = Resource.objects.get(site=site, page_id=page.pk)
    return page, resource, source_url


def target_columns(sites) -> list[dict]:
    """For each target: its host, the news column's id and public path (not timed)."""
    from django_tenants.utils import tenant_context

    from tenants.columns.models import ColumnPage

    targets = []
    for site in sites:
        with tenant_context(site):
            column = ColumnPage.objects.get(slug=NEWS_COLUMN[site.kind])
            targets.append({"site_id": site.pk, "host": site.primary_host, "column_id": column.pk,
                            "column_path": column.get_url_parts()[2]})
    return targets


# --------------------------------------------------------------------------- worker processes

_worker_resource = None


def _worker_init(resource_id: int) -> None:
    """In each forked repost worker: its own connection, modules and caches warmed."""
    global _worker_resource
    from django.db import connections

    for conn in connections.all(initialized_only=True):
        conn.close()
    from django.contrib.contenttypes.models import ContentType

    from shared_library.reposting.services.reposts import repost  # noqa: F401
    from shared_library.resources.models import Resource
    from tenants.reposts.models import RepostPage

    ContentType.objects.get_for_model(RepostPage)
    _worker_resource = Resource.objects.get(pk=resource_id)


def _repost_one(target: dict) -> dict:
    """One site's repost: the service function, then the page's public path."""
    from django_tenants.utils import tenant_context
    from wagtail.models import Page

    from shared_library.reposting.services.reposts import ACCEPTED_BY_MANDATE, repost
    from tenants.registry.models import Site

    started = time.perf_counter()
    try:
        site = Site.objects.get(pk=target["site_id"])
        record = repost(_worker_resource, target_site=site, column_id=target["column_id"], mode="reference",
                        acting_user=None, accept_reason=ACCEPTED_BY_MANDATE)
        seconds = time.perf_counter() - started
        with tenant_context(site):
            path = Page.objects.get(pk=record.page_id).specific.get_url_parts()[2]
        return {**target, "path": path, "repost_s": seconds, "status": record.status}
    except Exception as error:  # reported, the run goes on
        return {**target, "error": repr(error)[:300], "repost_s": time.perf_counter() - started}


# --------------------------------------------------------------------------- profile of one repost

class Phases:
    """Wall time and queries inside wrapped functions (outermost call counted)."""

    def __init__(self):
        self.ms = {}
        self.queries = {}
        self.total_queries = 0
        self.sql_kinds = {}  # first words of the statement -> [count, ms]
        self._restore = []
        self._active = []

    def wrap(self, owner, attribute: str, name: str) -> None:
        original = owner.__dict__.get(attribute) if isinstance(owner, type) else getattr(owner, attribute)
        inherited = original is None
        function = getattr(owner, attribute)
        phases = self

        def wrapper(*args, **kwargs):
            started, queries = time.perf_counter(), phases.total_queries
            phases._active.append(name)
            try:
                return function(*args, **kwargs)
            finally:
                phases._active.pop()
                phases.ms[name] = phases.ms.get(name, 0.0) + (time.perf_counter() - started) * 1000
                phases.queries[name] = phases.queries.get(name, 0) + phases.total_queries - queries

        setattr(owner, attribute, wrapper)
        self._restore.append((owner, attribute, original, inherited))

    def count_query(self, execute, sql, params, many, context):
        self.total_queries += 1
        words = sql.split(None, 2)
        kind = " ".join(words[:2]) if words and words[0].upper() in ("SET", "RELEASE") else \
            (words[0].upper() if words else "?")
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            entry = self.sql_kinds.setdefault(kind, [0, 0.0])
            entry[0] += 1
            entry[1] += (time.perf_counter() - started) * 1000

    def restore(self) -> None:
        for owner, attribute, original, inherited in reversed(self._restore):
            if inherited:
                delattr(owner, attribute)
            else:
                setattr(owner, attribute, original)


# Where a repost's (or a request's) time goes: cumulative ms of these functions, from
# cProfile (file pattern, function name, label). Nested entries are inside earlier ones.
FUNCTIONS = [
    (r"treebeard/mp_tree.py$", "add_child", "treebeard add_child (path, numchild, insert)"),
    (r"wagtail/models/pages.py$", "save", "wagtail Page.save (full_clean, url_path, aliases)"),
    (r"django/db/models/base.py$", "full_clean", "  Model.full_clean (slug, uniqueness queries)"),
    (r"wagtail/models/pages.py$", "save_revision", "wagtail Page.save_revision"),
    (r"wagtail/actions/publish_revision.py$", "_publish_revision", "wagtail _publish_revision"),
    (r"tenants/review/services/clearance.py$", "ensure_publishable", "publish gate (ensure_publishable)"),
    (r"tenants/checks/", "check_fields", "  content checks (check_fields)"),
    (r"wagtail/tasks.py$", "update_reference_index_task", "wagtail reference index (on every save)"),
    (r"wagtail/search/index.py$", "insert_or_update_object", "wagtail search index update"),
    (r"wagtail/log_actions.py$", "log", "wagtail log entries (PageLogEntry)"),
    (r"tenants/publishing/services/outbox.py$", "record_page_event", "outbox: record_page_event"),
    (r"tenants/publishing/services/outbox.py$", "dispatch_pending_events", "outbox: dispatch (eager task)"),
    (r"tenants/publishing/services/outbox.py$", "_lease_pending_events", "  lease a batch"),
    (r"tenants/publishing/services/outbox.py$", "_handle_event", "  handle event (handlers + mark processed)"),
    (r"shared_library/reposting/services/tracking.py$", "track_repost_event", "    tracking handler"),
    (r"shared_library/resources/services/ingest.py$", "ingest_event", "    library ingest handler"),
    (r"jiyue/audit/", "log_operation", "audit log_operation"),
    (r"django/core/handlers/base.py$", "_get_response", "django view + middleware inside"),
    (r"django/template/", "render", "  template render (outermost)"),
    (r"wagtail/views.py$", "serve", "  wagtail serve view"),
    (r"wagtail/models/sites.py$", "find_for_request", "    Site.find_for_request"),
    (r"django/views/defaults.py$", "page_not_found", "  404 handler"),
    (r"tenants/reposts/queries.py$", "attach_sources", "  attach_sources (column listing)"),
]


def function_table(profiler) -> dict:
    import re

    stats = pstats.Stats(profiler).stats
    table = {}
    for pattern, function, label in FUNCTIONS:
        regex = re.compile(pattern)
        entries = [(key, value) for key, value in stats.items() if key[2] == function and regex.search(key[0])]
        if not entries:
            continue
        # Recursive calls: the primitive-call entry's cumulative time is the outermost one.
        calls = sum(value[1] for _key, value in entries)
        ms = max(value[3] for _key, value in entries) * 1000 if function == "render" else \
            sum(value[3] for _key, value in entries) * 1000
        table[label] = {"calls": calls, "ms": round(ms, 1)}
    for key, value in stats.items():
        if key[0] == "~" and "execute' of 'psycopg2" in key[2]:
            table["psycopg2 cursor.execute (round trips, server time)"] = {"calls": value[1],
                                                                         "ms": round(value[3] * 1000, 1)}
    return table


def measure(function, phases=None) -> tuple[object, dict]:
    """Run function() once under cProfile, counting statements; (value, report)."""
    from django.db import connection

    phases = phases or Phases()
    profiler = cProfile.Profile()
    with connection.execute_wrapper(phases.count_query):
        started = time.perf_counter()
        profiler.enable()
        try:
            value = function()
        finally:
            profiler.disable()
        total_ms = (time.perf_counter() - started) * 1000
    report = {"total_ms": round(total_ms, 1), "statements": phases.total_queries,
              "sql_kinds": {kind: {"count": n, "ms": round(ms, 1)} for kind, (n, ms) in
                            sorted(phases.sql_kinds.items(), key=lambda kv: -kv[1][1])},
              "functions_ms": function_table(profiler)}
    return (value, profiler), report


def profile_requests(checks) -> dict:
    """In-process (django.test.Client, the same middleware and views): each (label, host,
    path, expected status) fetched twice, the second one profiled."""
    from django.test import Client

    reports = {}
    for label, host, path, expected in checks:
        client = Client()
        client.get(path, HTTP_HOST=host)
        (response, profiler), report = measure(lambda: client.get(path, HTTP_HOST=host))
        stream = io.StringIO()
        pstats.Stats(profiler, stream=stream).sort_stats("cumulative").print_stats(
            r"(jiyue|tenants|shared_library|themes|wagtail|django_tenants|django/(template|core|db/models/query.py))", 30)
        log(f"cProfile of one request, {label}:\n" + stream.getvalue())
        report["status"] = response.status_code
        if response.status_code != expected:
            report["unexpected_status"] = True
        reports[label] = report
        log(f"request profile, {label}: {report['total_ms']} ms, {report['statements']} statements "
            f"{report['sql_kinds']}; {report['functions_ms']}")
    return reports


def profile_one_repost(resource, site) -> dict:
    """One more repost (into 通知公告 of `site`), in this process: phases, queries, cProfile."""
    from django_tenants.utils import tenant_context
    from wagtail.models import Revision

    import shared_library.reposting.services.mandates as mandates
    import tenants.publishing.services.outbox as outbox
    import tenants.reposts.services.pages as pages
    from shared_library.reposting.models import Repost
    from shared_library.reposting.services.reposts import ACCEPTED_BY_MANDATE, repost
    from tenants.columns.models import ColumnPage
    from tenants.reposts.models import RepostPage
    from tenants.review.models import RepostAcceptance

    with tenant_context(site):
        column_id = ColumnPage.objects.get(slug=PROFILE_COLUMN).pk
    phases = Phases()
    # Outer phases, in the order repost() runs them.
    phases.wrap(pages, "create_reference_page", "create_reference_page")
    phases.wrap(ColumnPage, "add_child", "  add_child (treebeard insert + page save)")
    phases.wrap(RepostPage, "save_revision", "  save_revision")
    phases.wrap(Repost, "save", "Repost row (save)")
    phases.wrap(mandates, "link_repost", "link_repost (mandate targets)")
    phases.wrap(pages, "publish_accepted", "publish_accepted")
    phases.wrap(Revision, "publish", "  revision.publish (gate, page save, log, signals)")
    phases.wrap(outbox, "record_page_event", "    record_page_event (outbox row)")
    phases.wrap(outbox, "_queue_dispatch", "on-commit dispatch (eager Celery task)")
    phases.wrap(outbox, "_dispatch_batch", "  dispatch batches (claim, handlers, mark processed)")
    phases.wrap(RepostAcceptance, "save", "  RepostAcceptance row (save)")
    try:
        (record, profiler), report = measure(
            lambda: repost(resource, target_site=site, column_id=column_id, mode="reference", acting_user=None,
                           accept_reason=ACCEPTED_BY_MANDATE), phases)
    finally:
        phases.restore()
    stream = io.StringIO()
    pstats.Stats(profiler, stream=stream).sort_stats("cumulative").print_stats(
        r"(jiyue|tenants|shared_library|wagtail|treebeard)", 40)
    log("cProfile of one repost (cumulative, project and Wagtail entries):\n" + stream.getvalue())
    record.refresh_from_db()
    report.update(status=record.status,
                  phases_ms={name: round(ms, 1) for name, ms in phases.ms.items()},
                  phases_statements=phases.queries)
    log(f"one repost, statements by kind: {report['sql_kinds']}")
    log(f"one repost, functions (cumulative): {report['functions_ms']}")
    total_ms = report["total_ms"]
    log("one repost, phases (ms / queries): " + "; ".join(
        f"{name.strip()} {ms:.1f}/{phases.queries[name]}" for name, ms in phases.ms.items())
        + f"; total {total_ms:.1f} ms, {phases.total_queries} statements")
    return report


WHAT_IF_COLUMNS = ["bmdt", "gkml", "gkzn", "rsxx", "jbqk", "jgsz"]  # portal columns taking news


def what_if(resource, site) -> dict:
    """Serial reposts (no profiler) into spare columns of a portal target, with two changes
    tried in this process only (nothing in the repository changes): django-tenants'
    TENANT_LIMIT_SET_CALLS (one `SET search_path` per schema switch instead of one per
    cursor), and RepostPage left out of Wagtail's reference index. Best of two each."""
    from django.test import override_settings
    from django_tenants.utils import tenant_context

    from shared_library.reposting.services.reposts import ACCEPTED_BY_MANDATE, repost
    from tenants.columns.models import ColumnPage
    from tenants.reposts.models import RepostPage

    if site.kind != "portal":
        return {}
    with tenant_context(site):
        columns = dict(ColumnPage.objects.filter(slug__in=WHAT_IF_COLUMNS).values_list("slug", "pk"))
    spare = [columns[slug] for slug in WHAT_IF_COLUMNS if slug in columns]

    def timed_repost():
        phases = Phases()
        from django.db import connection

        with connection.execute_wrapper(phases.count_query):
            t0 = time.perf_counter()
            repost(resource, target_site=site, column_id=spare.pop(0), mode="reference", acting_user=None,
                   accept_reason=ACCEPTED_BY_MANDATE)
            return (time.perf_counter() - t0) * 1000, phases.total_queries

    report = {}
    variants = [("as is", False, False), ("TENANT_LIMIT_SET_CALLS", True, False),
                ("TENANT_LIMIT_SET_CALLS + RepostPage.wagtail_reference_index_ignore", True, True)]
    for label, limit, ignore in variants:
        runs = []
        for _ in range(2):
            if not spare:
                break
            with override_settings(TENANT_LIMIT_SET_CALLS=limit):
                if ignore:
                    RepostPage.wagtail_reference_index_ignore = True
                try:
                    runs.append(timed_repost())
                finally:
                    if ignore:
                        del RepostPage.wagtail_reference_index_ignore
        if runs:
            ms, statements = min(runs)
            report[label] = {"ms": round(ms, 1), "statements": statements}
    log(f"what-if, one serial repost: {report}")
    return report


# --------------------------------------------------------------------------- the run

def run(result: dict, count: int, *, args, build: str, server: Server) -> None:
    from django.db import connections, transaction
    from django_tenants.utils import tenant_context
    from wagtail.models import Page

    from shared_library.reposting.models import Repost, RepostStatus
    from tenants.publishing.services.outbox import dispatch_pending_events
    from tenants.registry.models import Site
    from tenants.registry.models.sites import PROVISIONED_STATUSES

    started = time.monotonic()
    migrate_in_process()
    try:
        result["build_s"] = round(build_sites(count + 1, args.build_workers, build), 1)
    except Exception as error:  # a site that cannot be built is a finding too
        log(f"building sites failed: {error!r}")
        result.update(error=f"building sites ({build}) failed: {error!r}"[:500], ok=False)
        return
    sites = list(Site.objects.filter(status__in=PROVISIONED_STATUSES).order_by("pk"))
    source, target_sites = sites[0], sites[1:]
    editor, reviewer = staff_source(source)
    marker = uuid.uuid4().hex[:8]
    title = f"省政府召开常务会议部署全省重点工作{marker}"
    body = f"会议研究部署经济运行、民生保障和安全生产工作（基准{marker}）"
    t0 = time.perf_counter()
    source_page, resource, source_path = publish_source_item(source, editor, reviewer, title, body)
    result["source_publish_s"] = round(time.perf_counter() - t0, 3)
    targets = target_columns(target_sites)
    kinds = {}
    for site in target_sites:
        kinds[site.kind] = kinds.get(site.kind, 0) + 1
    result["target_kinds"] = kinds
    log(f"source {source.short_code}: {title} in the library (resource {resource.pk}, "
        f"{result['source_publish_s']}s through review + dispatch); {count} targets {kinds}")

    server.start()
    # Warm-up (not timed): every gunicorn worker loads templates, URLconfs, the host map.
    for _ in range(4 * args.web_workers):
        status, page_html = get(server.port, source.primary_host, source_path)
        if status != 200 or title not in page_html:
            result.update(error=f"the source page answers {status} without the item", ok=False)
            return
        get(server.port, targets[0]["host"], targets[0]["column_path"])

    problems = []
    shows = lambda status, html: status == 200 and title in html and body in html  # noqa: E731
    gone = lambda status, _html: status == 404  # noqa: E731
    listed = lambda status, html: status == 200 and title in html  # noqa: E731
    unlisted = lambda status, html: status == 200 and title not in html  # noqa: E731

    # 1. fan-out ---------------------------------------------------------------------
    connections.close_all()  # the forked workers must not share this process's connection
    context = multiprocessing.get_context("fork")
    pool = context.Pool(args.workers, initializer=_worker_init, initargs=(resource.pk,))
    pool.apply(time.sleep, (0,))  # the workers are up and initialised
    log(f"fan-out: repost into {count} sites with {args.workers} processes, "
        f"HTTP checks with {args.http_threads} threads")
    done = []
    shown_at = {}
    reposts_done_at = None
    with ThreadPoolExecutor(args.http_threads) as checks:
        t_start = time.monotonic()
        deadline = t_start + CHECK_TIMEOUT_S
        futures = {}
        try:
            for item in pool.imap_unordered(_repost_one, targets, chunksize=1):
                done.append(item)
                if "error" in item:
                    problems.append(f"repost into site {item['site_id']}: {item['error']}")
                    continue
                futures[checks.submit(poll, server.port, shows, item["host"], item["path"], deadline,
                                     "fanout: repost page")] = item
                if len(done) % 100 == 0:
                    log(f"  reposted {len(done)}/{count} ({time.monotonic() - t_start:.1f}s)")
            reposts_done_at = time.monotonic()
            for future in as_completed(futures):
                at, attempts, status = future.result()
                item = futures[future]
                item["check_attempts"] = attempts
                if at is None:
                    problems.append(f"site {item['site_id']}: the repost page answers {status} after the deadline")
                else:
                    shown_at[item["site_id"]] = at
        finally:
            pool.close()
            pool.join()
    if shown_at:
        fanout_s = max(shown_at.values()) - t_start
        result["fanout_s"] = round(fanout_s, 3)
        result["ms_per_site"]["fanout"] = round(fanout_s * 1000 / count, 2)
    repost_ms = [item["repost_s"] * 1000 for item in done if "error" not in item]
    result["reposts_done_s"] = round(reposts_done_at - t_start, 3) if reposts_done_at else None
    if repost_ms:
        repost_ms.sort()
        result["repost_call_ms"] = {"p50": round(statistics.median(repost_ms), 1),
                                    "p90": round(repost_ms[int(0.9 * (len(repost_ms) - 1))], 1),
                                    "max": round(repost_ms[-1], 1)}
    result["shown_sites"] = len(shown_at)
    log(f"fan-out: {len(shown_at)}/{count} pages show the item after {result['fanout_s']}s "
        f"(reposts done at {result['reposts_done_s']}s; repost() p50 {result.get('repost_call_ms')})")

    live = Repost.objects.filter(resource=resource, status=RepostStatus.LIVE, accepted_directly=True).count()
    result["reposts_live"] = live
    if live != count:
        problems.append(f"{live} live reposts recorded, expected {count}")
    pages = [item for item in done if "path" in item]

    # Not timed: every column listing lists it (so the withdrawal's check means something).
    listed_now = check_all(server.port, listed, [(i["host"], i["column_path"]) for i in pages], args.http_threads,
                           time.monotonic() + 120, labels=("untimed: column listing", None))
    result["listed_after_fanout"] = sum(1 for at in listed_now if at is not None)
    if result["listed_after_fanout"] != count:
        problems.append(f"the column listing lists the item on {result['listed_after_fanout']}/{count} sites")

    # Not timed: one more repost, serial and without a profiler (政策文件 of the second
    # target), then one profiled (通知公告 of the first); and the two pages fetched in-process.
    from shared_library.reposting.services.reposts import ACCEPTED_BY_MANDATE, repost
    from tenants.columns.models import ColumnPage

    serial_site = target_sites[min(1, count - 1)]
    with tenant_context(serial_site):
        serial_column = ColumnPage.objects.get(slug="zcwj").pk
    t0 = time.perf_counter()
    repost(resource, target_site=serial_site, column_id=serial_column, mode="reference", acting_user=None,
           accept_reason=ACCEPTED_BY_MANDATE)
    result["serial_repost_ms"] = round((time.perf_counter() - t0) * 1000, 1)
    log(f"one repost alone, no profiler: {result['serial_repost_ms']} ms")
    try:
        result["what_if_repost_ms"] = what_if(resource, target_sites[0])
    except Exception as error:
        log(f"what-if reposts failed: {error!r}")
    sample = pages[0]
    try:
        result["profile_one_repost"] = profile_one_repost(resource, target_sites[0])
        result["profile_requests"] = profile_requests([
            ("repost page (200)", sample["host"], sample["path"], 200),
            ("column listing (lists it)", sample["host"], sample["column_path"], 200)])
    except Exception as error:
        log(f"profiling failed: {error!r}")
        result["profile_one_repost"] = {"error": repr(error)[:300]}

    # 2. withdrawal --------------------------------------------------------------------
    log("withdrawal: unpublish at the source + dispatch, then every target page 404 and unlisted")
    t_start = time.monotonic()
    with tenant_context(source):
        with transaction.atomic():
            Page.objects.get(pk=source_page.pk).specific.unpublish()
    dispatch_pending_events()
    result["withdraw_write_s"] = round(time.monotonic() - t_start, 3)
    deadline = t_start + CHECK_TIMEOUT_S
    requests = [(i["host"], i["path"]) for i in pages]
    pages_gone = check_all(server.port, gone, requests, args.http_threads, deadline,
                           extra=[(unlisted, (i["host"], i["column_path"])) for i in pages],
                           labels=("withdraw: repost page (404)", "withdraw: column listing"))
    finished = [at for at in pages_gone if at is not None]
    result["withdrawn_sites"] = len(finished)
    if len(finished) != count:
        problems.append(f"{count - len(finished)} targets still show the item (page or listing) after the deadline")
    if finished:
        withdraw_s = max(finished) - t_start
        result["withdraw_s"] = round(withdraw_s, 3)
        result["ms_per_site"]["withdraw"] = round(withdraw_s * 1000 / count, 2)
    log(f"withdrawal: {len(finished)}/{count} targets 404 and unlisted after {result['withdraw_s']}s "
        f"(unpublish + dispatch {result['withdraw_write_s']}s)")

    try:
        result.setdefault("profile_requests", {}).update(profile_requests([
            ("repost page (404)", sample["host"], sample["path"], 404),
            ("column listing (withdrawn)", sample["host"], sample["column_path"], 200)]))
    except Exception as error:
        log(f"profiling failed: {error!r}")
    from shared_library.resources.models import Resource, ResourceStatus

    result["source_status_after"] = Resource.objects.get(pk=resource.pk).status
    if result["source_status_after"] != ResourceStatus.WITHDRAWN:
        problems.append(f"the library resource is {result['source_status_after']} after the withdrawal")
    result["http_ms"] = {label: {"requests": len(values), "p50": round(statistics.median(values), 1),
                                 "mean": round(statistics.fmean(values), 1)}
                         for label, values in REQUEST_MS.items() if values}
    log(f"HTTP checks: {result['http_ms']}")
    result["timed"] = (
        "fanout_s: from the first repost() call (mode reference, accept_reason mandate, "
        f"{args.workers} processes) to the last target's repost page answering 200 with the item over HTTP; "
        "withdraw_s: from unpublish + dispatch_pending_events to the last target's page answering 404 and its "
        "column listing no longer listing the item; ms_per_site = each / sites")
    result["ms_per_site_keys"] = "fanout, withdraw: milliseconds per target site, each way"
    if problems:
        result["error"] = "; ".join(problems)[:1000]
    ms = result["ms_per_site"]
    result["ok"] = bool(not problems and ms["fanout"] is not None and ms["withdraw"] is not None
                        and ms["fanout"] <= TARGET_MS_PER_SITE and ms["withdraw"] <= TARGET_MS_PER_SITE)
    result["total_s"] = round(time.monotonic() - started, 1)


def check_all(port: int, condition, requests, threads: int, deadline: float, extra=None,
              labels=(None, None)) -> list:
    """Poll every (host, path) until condition holds; with `extra`, request i also needs
    its extra (condition, (host, path)) to hold afterwards. Returns the time each held."""
    lock = threading.Lock()
    done = [0]

    def one(index):
        host, path = requests[index]
        at, _attempts, _status = poll(port, condition, host, path, deadline, labels[0])
        if at is not None and extra is not None:
            extra_condition, (extra_host, extra_path) = extra[index]
            at, _attempts, _status = poll(port, extra_condition, extra_host, extra_path, deadline, labels[1])
        with lock:
            done[0] += 1
            if done[0] % 200 == 0:
                log(f"  checked {done[0]}/{len(requests)}")
        return at

    with ThreadPoolExecutor(threads) as pool:
        return list(pool.map(one, range(len(requests))))


if __name__ == "__main__":
    main()
