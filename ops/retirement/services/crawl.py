"""Crawling a retired site into its WARC archive, resumable at any point.

The frontier is `CrawlUrl` (one row per canonical URL). A batch is claimed, fetched by
a pool of threads (politeness per host: lib/politeness.py), written as one WARC file
to object storage, and then indexed and marked fetched, with the links it found
queued, in one transaction. A crawl killed anywhere loses nothing and archives nothing
twice: URLs of an unfinished batch are still 'fetching' and go back to the queue, and
the WARC file of an unfinished batch is still 'writing' and is deleted. One crawl per
job runs at a time (a PostgreSQL advisory lock, released when its session ends, also
by a kill)."""
import tempfile
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from django.core.files import File
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from ..lib.fetch import Fetched, fetch, make_client
from ..lib.links import is_html, page_links
from ..lib.politeness import HostGate, crawl_delay, robots_allow, robots_parser
from ..lib.urls import UnusableUrl, absolute, canonicalize, host_allowed, host_of, origin_of, url_hash
from ..lib.warc import WarcBatchWriter
from ..models import (ArchiveRecord, CrawlHost, CrawlUrl, Stage, UrlState, WarcFile,
                      WarcState)
from .archive import archive_storage
from .runs import Progress, record_issue, run_stage

BATCH_SIZE = 32
MAX_ATTEMPTS = 3
MAX_WORKERS = 16


@dataclass
class Result:
    item: CrawlUrl
    fetched: Fetched | None = None
    skipped: str = ""
    links: list[str] = field(default_factory=list)
    redirect: str = ""


def run_crawl(job, *, acting_user=None, progress_callback=None, max_batches: int | None = None):
    """Crawl until the frontier is empty, the page cap is reached or `max_batches` ran;
    returns the StageRun. Running it again resumes."""

    def work(progress):
        crawler = Crawler(job, progress)
        crawler.recover()
        crawler.seed()
        return crawler.crawl(max_batches)

    return run_stage(job, Stage.CRAWL, work, acting_user=acting_user, progress_callback=progress_callback)


class Crawler:
    def __init__(self, job, progress: Progress):
        self.job = job
        self.progress = progress
        self.storage = archive_storage(job)
        self.gate = HostGate(rate=job.requests_per_second, concurrency=job.concurrency)
        self.robots = {}
        self.workers = min(MAX_WORKERS, job.concurrency * max(1, len(job.allowed_hosts)))

    # -- resuming --------------------------------------------------------------------
    def recover(self) -> None:
        """Undo what a killed crawl left half done (we hold the job's lock: nobody else is crawling it)."""
        CrawlUrl.objects.filter(job=self.job, state=UrlState.FETCHING).update(state=UrlState.QUEUED,
                                                                              lease_until=None)
        for warc in WarcFile.objects.filter(job=self.job, state=WarcState.WRITING):
            if self.storage.exists(warc.name):
                self.storage.delete(warc.name)
            warc.state = WarcState.DISCARDED
            warc.save(update_fields=["state"])

    def seed(self) -> None:
        rows = []
        for url in self.job.start_urls:
            try:
                if not host_allowed(host_of(url), self.job.allowed_hosts):
                    record_issue(self.job, Stage.CRAWL, _("The start URL is outside the allowed hosts; not crawled"),
                                 url)
                    continue
                rows.append(CrawlUrl(job=self.job, url=canonicalize(url), url_hash=url_hash(url), depth=0))
            except UnusableUrl:
                record_issue(self.job, Stage.CRAWL, _("The start URL is not an http(s) address"), url)
        CrawlUrl.objects.bulk_create(rows, ignore_conflicts=True)

    # -- the loop --------------------------------------------------------------------
    def crawl(self, max_batches) -> str | None:
        """None when the crawl is complete; else why it stopped."""
        batches = 0
        with make_client(timeout=self.job.timeout_seconds, connections=self.workers) as client, \
                ThreadPoolExecutor(self.workers, thread_name_prefix="crawl") as pool:
            self._report()
            while True:
                if max_batches is not None and batches >= max_batches:
                    return _("Stopped after %(count)s batches; run the crawl again to go on") % {"count": batches}
                room = self.job.max_pages - self._counts().get("done", 0)
                if room <= 0:
                    return _("The limit of %(count)s URLs is reached; raise it and run the crawl again to go on") % {
                        "count": self.job.max_pages}
                batch = self._claim(min(BATCH_SIZE, room))
                if not batch:
                    return None
                self._read_robots(client, {origin_of(item.url) for item in batch})
                results = list(pool.map(lambda item: self._fetch(client, item), batch))
                self._store(results)
                batches += 1
                self._report()

    def _claim(self, count: int) -> list[CrawlUrl]:
        with connection.cursor() as cursor:
            cursor.execute("""
                UPDATE retirement_crawlurl SET state = %s, attempts = attempts + 1
                WHERE id IN (SELECT id FROM retirement_crawlurl WHERE job_id = %s AND state = %s
                             ORDER BY depth, id LIMIT %s FOR UPDATE SKIP LOCKED)
                RETURNING id""", [UrlState.FETCHING, self.job.pk, UrlState.QUEUED, count])
            ids = [row[0] for row in cursor.fetchall()]
        return list(CrawlUrl.objects.filter(pk__in=ids).order_by("depth", "id"))

    def _read_robots(self, client, origins) -> None:
        """robots.txt of each origin (scheme, host and port: RFC 9309 scopes it so)."""
        for host in origins - set(self.robots):
            if self.job.ignore_robots:
                self.robots[host] = None
                continue
            known = CrawlHost.objects.filter(job=self.job, host=host).first()
            if known is None:
                with self.gate.slot(host):
                    answer = fetch(client, f"{host}/robots.txt", max_bytes=512 * 1024,
                                   timeout=self.job.timeout_seconds)
                text = answer.body.decode("utf-8", "replace") if answer.status == 200 else ""
                known, _created = CrawlHost.objects.get_or_create(
                    job=self.job, host=host, defaults={"robots_txt": text, "robots_status": answer.status})
                if answer.status is None or answer.status >= 500:
                    record_issue(self.job, Stage.CRAWL, _(
                        "robots.txt of %(host)s could not be read (%(error)s): the host is treated as "
                        "disallowing everything (RFC 9309); ignore robots.txt for this job if it is the "
                        "platform's own site") % {"host": host, "error": answer.error or answer.status})
            if known.robots_status is None or known.robots_status >= 500:
                parser = robots_parser("User-agent: *\nDisallow: /")
            else:
                parser = robots_parser(known.robots_txt) if known.robots_status == 200 else None
            self.robots[host] = parser
            self.gate.set_crawl_delay(host, crawl_delay(parser))

    def _fetch(self, client, item: CrawlUrl) -> Result:
        host = origin_of(item.url)
        if not robots_allow(self.robots.get(host), item.url):
            return Result(item=item, skipped=_("disallowed by robots.txt"))
        with self.gate.slot(host):
            fetched = fetch(client, item.url, max_bytes=self.job.max_bytes, timeout=self.job.timeout_seconds)
        result = Result(item=item, fetched=fetched)
        if fetched.status is None:
            return result
        if 300 <= fetched.status < 400 and fetched.header("location"):
            result.redirect = absolute(fetched.header("location"), item.url) or ""
        elif fetched.status == 200 and is_html(fetched.content_type):
            result.links = page_links(fetched.body, fetched.content_type, item.url)
        return result

    # -- storing a batch -------------------------------------------------------------
    def _store(self, results: list[Result]) -> None:
        archived = [result for result in results if result.fetched is not None and result.fetched.status is not None]
        warc, written = None, {}
        if archived:
            name = f"{timezone.now():%Y%m%d%H%M%S}-{uuid.uuid4().hex[:12]}.warc.gz"
            # Committed before the upload: a crash after it leaves a row that names the object to delete.
            warc = WarcFile.objects.create(job=self.job, name=name)
            with tempfile.TemporaryFile() as handle:
                writer = WarcBatchWriter(handle)
                for result in archived:
                    written[result.item.pk] = writer.add(result.fetched)
                warc.size = handle.tell()
                handle.seek(0)
                saved = self.storage.save(name, File(handle, name=name))
            if saved != name:  # the storage chose another name: keep the index truthful
                warc.name = saved
        with transaction.atomic():
            if warc is not None:
                ArchiveRecord.objects.bulk_create([ArchiveRecord(
                    job=self.job, warc=warc, crawl_url=result.item, url=result.item.url, url_hash=result.item.url_hash,
                    captured_at=result.fetched.started_at, status_code=result.fetched.status,
                    content_type=result.fetched.content_type[:150], offset=written[result.item.pk].offset,
                    length=written[result.item.pk].length, record_id=written[result.item.pk].record_id,
                    payload_digest=written[result.item.pk].payload_digest) for result in archived])
                warc.state, warc.records, warc.completed_at = WarcState.COMPLETE, len(archived), timezone.now()
                warc.save(update_fields=["name", "state", "records", "size", "completed_at"])
            discovered = {}
            for result in results:
                self._settle(result)
                for link, depth in self._next_urls(result):
                    discovered.setdefault(link, (depth, result.item.pk))
            CrawlUrl.objects.bulk_update([result.item for result in results], [
                "state", "lease_until", "status_code", "content_type", "size", "redirect_to", "error", "fetched_at"])
            CrawlUrl.objects.bulk_create([
                CrawlUrl(job=self.job, url=link, url_hash=url_hash(link), depth=depth, found_on_id=found_on)
                for link, (depth, found_on) in discovered.items()], ignore_conflicts=True)

    def _settle(self, result: Result) -> None:
        item, fetched = result.item, result.fetched
        item.lease_until = None
        if result.skipped:
            item.state, item.error = UrlState.SKIPPED, result.skipped
            return
        item.fetched_at = fetched.started_at
        if fetched.status is not None:
            item.state, item.error = UrlState.FETCHED, ""
            item.status_code, item.content_type = fetched.status, fetched.content_type[:150]
            item.size, item.redirect_to = len(fetched.body), result.redirect
            return
        item.error = fetched.error[:500]
        if fetched.retryable and item.attempts < MAX_ATTEMPTS:
            item.state = UrlState.QUEUED
            return
        item.state = UrlState.FAILED
        record_issue(self.job, Stage.CRAWL, fetched.error, item.url)

    def _next_urls(self, result: Result):
        item = result.item
        if result.redirect:
            candidates, depth = [result.redirect], item.depth  # a redirect is the same page elsewhere
        elif result.links and item.depth < self.job.max_depth:
            candidates, depth = result.links, item.depth + 1
        else:
            return
        for link in candidates:
            try:
                canonical = canonicalize(link)
            except UnusableUrl:
                continue
            if host_allowed(host_of(canonical), self.job.allowed_hosts):
                yield canonical, depth

    # -- progress --------------------------------------------------------------------
    def _counts(self) -> dict:
        counts = dict(CrawlUrl.objects.filter(job=self.job).values_list("state").annotate(n=Count("id")))
        counts["total"] = sum(counts.values())
        counts["done"] = sum(counts.get(state, 0) for state in (UrlState.FETCHED, UrlState.FAILED, UrlState.SKIPPED))
        return counts

    def _report(self) -> None:
        counts = self._counts()
        self.progress.update(counts["done"], counts["total"], self.summary(counts))

    def summary(self, counts=None) -> str:
        counts = counts or self._counts()
        return _("fetched %(fetched)s, failed %(failed)s, skipped %(skipped)s, queued %(queued)s") % {
            "fetched": counts.get(UrlState.FETCHED, 0), "failed": counts.get(UrlState.FAILED, 0),
            "skipped": counts.get(UrlState.SKIPPED, 0), "queued": counts.get(UrlState.QUEUED, 0)}
