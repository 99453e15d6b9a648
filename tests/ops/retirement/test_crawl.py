"""Crawling a retired site into its WARC archive, against a small site of the test's
own: every page once (whatever the tracking parameters), redirect chains recorded,
robots.txt obeyed, a record read back byte for byte from S3, a crawl killed with
SIGKILL resumed without loss or duplicates, and misbehaving hosts reported while the
rest goes on."""
import contextlib
import http.server
import os
import signal
import subprocess
import sys
import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connections

from jiyue.storage import read_range
from ops.retirement.lib.urls import url_hash
from ops.retirement.lib.warc import read_response
from ops.retirement.models import ArchiveRecord, CrawlUrl, JobIssue, RunState, UrlState, WarcFile, WarcState
from ops.retirement.services.archive import archive_storage
from ops.retirement.services.crawl import run_crawl
from ops.retirement.services.runs import LOCK_CLASS, job_lock
from ops.retirement.services.jobs import create_job
from tests.factories import unique
from tests.moto_s3 import moto_server, s3_default_storage

from .conftest import new_job

GBK_PAGE = "<html><head><title>旧网站</title></head><body><p>朱镕基同志视察</p><a href='/a/2.html'>下一篇</a></body></html>"


def tiny_site(pages=30):
    """path -> (status, headers, body): a home page linking pages with tracking
    parameters, a GBK page without a declared charset, a redirect chain, a page
    disallowed by robots.txt, a broken link."""
    site = {"/robots.txt": (200, [("Content-Type", "text/plain")], b"User-agent: *\nDisallow: /private/\n")}
    links = [f"/a/{n}.html?utm_source=wechat&from=timeline" for n in range(pages)] + [
        "/a/0.html;jsessionid=AB12", "/old/start.html", "/private/x.html", "/missing.html", "mailto:a@b.gov.cn"]
    home = "".join(f'<a href="{link}">{n}</a>' for n, link in enumerate(links))
    site["/"] = (200, [("Content-Type", "text/html; charset=utf-8")], f"<html><body>{home}</body></html>".encode())
    for n in range(pages):
        body = f"<html><body><p>第{n}篇</p><a href='../a/{(n + 1) % pages}.html#top'>下一篇</a></body></html>"
        site[f"/a/{n}.html"] = (200, [("Content-Type", "text/html; charset=utf-8")], body.encode())
    site["/a/1.html"] = (200, [("Content-Type", "text/html")], GBK_PAGE.encode("gbk"))
    site["/old/start.html"] = (301, [("Location", "/old/middle.html")], b"")
    site["/old/middle.html"] = (302, [("Location", "/new/final.html")], b"")
    site["/new/final.html"] = (200, [("Content-Type", "text/html; charset=utf-8")], "<p>终点</p>".encode())
    site["/private/x.html"] = (200, [("Content-Type", "text/html")], b"secret")
    return site


class SiteServer:
    def __init__(self, site, delay=0.0):
        self.site, self.delay, self.hits = site, delay, {}
        self.lock = threading.Lock()
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                path = self.path
                with owner.lock:
                    owner.hits[path] = owner.hits.get(path, 0) + 1
                if owner.delay:
                    time.sleep(owner.delay)
                status, headers, body = owner.site.get(path.split("?")[0], (404, [], b"not found"))
                self.send_response(status)
                for key, value in headers:
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def site_server():
    server = SiteServer(tiny_site())
    yield server
    server.close()


def record_of(job, url):
    return ArchiveRecord.objects.filter(job=job, url_hash=url_hash(url)).first()


def test_every_page_is_archived_once_whatever_its_tracking_parameters(site_server, target_site):
    job = new_job(target_site, site_server.base_url)
    run = run_crawl(job)
    assert run.state == RunState.DONE
    for n in range(30):
        assert record_of(job, f"{site_server.base_url}/a/{n}.html") is not None
        assert site_server.hits.get(f"/a/{n}.html", 0) == 1, n
    assert ArchiveRecord.objects.filter(job=job).count() == CrawlUrl.objects.filter(
        job=job, state=UrlState.FETCHED).count()
    assert CrawlUrl.objects.get(job=job, url_hash=url_hash(f"{site_server.base_url}/missing.html")).status_code == 404
    # Run again: nothing is fetched twice.
    site_server.hits.clear()
    assert run_crawl(job).state == RunState.DONE
    assert sum(count for path, count in site_server.hits.items() if path != "/robots.txt") == 0


def test_redirect_chains_are_followed_and_every_hop_recorded(site_server, target_site):
    job = new_job(target_site, site_server.base_url)
    run_crawl(job)
    start = CrawlUrl.objects.get(job=job, url_hash=url_hash(f"{site_server.base_url}/old/start.html"))
    middle = CrawlUrl.objects.get(job=job, url_hash=url_hash(start.redirect_to))
    final = CrawlUrl.objects.get(job=job, url_hash=url_hash(middle.redirect_to))
    assert (start.status_code, middle.status_code, final.status_code) == (301, 302, 200)
    assert record_of(job, start.url).status_code == 301


def test_robots_txt_is_obeyed_unless_ignored_with_a_reason(site_server, target_site):
    job = new_job(target_site, site_server.base_url)
    run_crawl(job)
    private = CrawlUrl.objects.get(job=job, url_hash=url_hash(f"{site_server.base_url}/private/x.html"))
    assert private.state == UrlState.SKIPPED and "robots.txt" in private.error
    assert site_server.hits.get("/private/x.html", 0) == 0
    overriding = new_job(target_site, site_server.base_url, ignore_robots=True,
                         ignore_robots_reason="本平台自有网站")
    run_crawl(overriding)
    assert record_of(overriding, f"{site_server.base_url}/private/x.html").status_code == 200


def test_a_warc_record_in_s3_replays_byte_for_byte(site_server, target_site):
    with moto_server("jiyue-archive-test") as (endpoint, client), s3_default_storage(endpoint, "jiyue-archive-test"):
        job = new_job(target_site, site_server.base_url)
        run_crawl(job)
        storage = archive_storage(job)
        record = record_of(job, f"{site_server.base_url}/a/1.html")
        keys = [item["Key"] for item in client.list_objects_v2(Bucket="jiyue-archive-test")["Contents"]]
        assert f"sites/{job.archive_schema}/archive/{job.code}/{record.warc.name}" in keys
        response = read_response(read_range(storage, record.warc.name, record.offset, record.length))
    assert response.raw_body == GBK_PAGE.encode("gbk")
    assert response.status == 200 and response.url == record.url
    assert ("Content-Type", "text/html") in response.headers


def test_a_crawl_killed_mid_batch_resumes_with_nothing_lost_or_archived_twice(target_site):
    server = SiteServer(tiny_site(pages=120), delay=0.05)
    try:
        job = new_job(target_site, server.base_url, concurrency=2)
        process = subprocess.Popen([sys.executable, "-m", "jiyue", "retire", "crawl", job.code],
                                   env={**os.environ, "DJANGO_SETTINGS_MODULE": "jiyue.settings.test"},
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while ArchiveRecord.objects.filter(job=job).count() < 20 and time.monotonic() < deadline:
            assert process.poll() is None, "the crawl ended before it could be killed"
            time.sleep(0.05)
        time.sleep(0.3)  # into the next batch
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert CrawlUrl.objects.filter(job=job, state=UrlState.QUEUED).exists()
        run = run_crawl(job)
    finally:
        server.close()
    assert run.state == RunState.DONE
    for n in range(120):
        assert ArchiveRecord.objects.filter(job=job, url_hash=url_hash(f"{server.base_url}/a/{n}.html")).count() == 1
    storage = archive_storage(job)
    _dirs, stored = storage.listdir("")
    complete = set(WarcFile.objects.filter(job=job, state=WarcState.COMPLETE).values_list("name", flat=True))
    assert set(stored) == complete, "no WARC file without its index, no index without its file"
    assert not WarcFile.objects.filter(job=job, state=WarcState.WRITING).exists()


def test_a_start_url_outside_the_allowed_hosts_is_refused(target_site):
    with pytest.raises(ValidationError, match="允许的主机"):
        create_job(acting_user=None, code=unique("old"), name="旧站", target_site=target_site,
                   start_urls=["http://www.other.gov.cn/"], allowed_hosts=["www.old.gov.cn"])


def test_ignoring_robots_txt_needs_a_recorded_reason(target_site):
    with pytest.raises(ValidationError, match="robots.txt"):
        create_job(acting_user=None, code=unique("old"), name="旧站", target_site=target_site,
                   start_urls=["http://www.old.gov.cn/"], ignore_robots=True)


def test_a_second_crawl_of_the_same_job_is_refused_while_one_runs(target_site):
    job = new_job(target_site, "http://127.0.0.1:9")
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s, %s)", [LOCK_CLASS, job.pk])
        with pytest.raises(ValidationError, match="正在"):
            run_crawl(job)
    finally:
        other.close()
    with job_lock(job):  # released: free again
        pass


# -- hosts that misbehave ------------------------------------------------------------
class Misbehaving(http.server.BaseHTTPRequestHandler):
    """/: links to the others; /huge.zip claims 2 GB; /endless.zip never ends;
    /garbage answers bytes that are not HTTP; /slow answers after the client gave up."""

    def log_message(self, *args):
        pass

    def do_GET(self):
        if self.path == "/":
            links = "".join(f'<a href="{path}">{path}</a>' for path in
                            ("/huge.zip", "/endless.zip", "/garbage", "/slow", "/fine.html"))
            return self._answer(200, f"<html><body>{links}</body></html>".encode(), "text/html; charset=utf-8")
        if self.path == "/fine.html":
            return self._answer(200, "<html><body><p>正常页面</p></body></html>".encode(), "text/html; charset=utf-8")
        if self.path in ("/huge.zip", "/endless.zip"):
            self.send_response(200)
            self.send_header("Content-Type", "application/zip")
            if self.path == "/huge.zip":
                self.send_header("Content-Length", str(2 * 1024 ** 3))
            self.end_headers()
            return self._stream()
        if self.path == "/garbage":
            self.wfile.write(b"\x00\xff\x13 this is no http \r\n\r\n")
            return None
        if self.path == "/slow":
            threading.Event().wait(3)
            return self._answer(200, b"late", "text/plain")
        return self._answer(404, b"not found")

    def _answer(self, status, body, content_type="text/plain"):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _stream(self):
        chunk = b"\0" * 65536
        with contextlib.suppress(OSError):
            for _ in range(40000):  # at most 2.5 GB, ended by the client closing
                self.wfile.write(chunk)


@pytest.fixture
def misbehaving():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Misbehaving)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_misbehaving_hosts_are_reported_and_the_rest_goes_on(misbehaving, target_site):
    job = new_job(target_site, misbehaving, max_bytes=1024 * 1024, timeout_seconds=1.0)
    run = run_crawl(job)
    assert run.state == RunState.DONE
    states = {item.url.rsplit("/", 1)[1]: item for item in CrawlUrl.objects.filter(job=job)}
    assert states["fine.html"].state == UrlState.FETCHED
    for name in ("huge.zip", "endless.zip"):
        assert states[name].state == UrlState.FAILED
        assert "上限" in states[name].error
    assert states["garbage"].state == UrlState.FAILED
    assert states["slow"].state == UrlState.FAILED and states["slow"].attempts == 3
    issues = set(JobIssue.objects.filter(job=job).values_list("url", flat=True))
    assert {states[name].url for name in ("huge.zip", "endless.zip", "garbage", "slow")} <= issues
    assert not ArchiveRecord.objects.filter(job=job, url__endswith=".zip").exists()
