"""Extracting the archived HTML pages of a job (lib/decoding.py, lib/extract.py) into
`ExtractedPage` rows, resumable: a run takes the records that have no page yet (all of
them with `again`), one WARC file at a time, each file read from storage once and
committed as one batch. Decoding and extraction are pure and CPU-bound, so they may run
in a pool of processes; what the database sees is the same either way."""
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict
from multiprocessing import get_context

from django.db import transaction
from django.utils.translation import gettext as _

from ..lib.decoding import decode_html
from ..lib.extract import extract_page
from ..lib.links import is_html
from ..lib.warc import read_response
from ..models import ArchiveRecord, ExtractedPage, Stage
from .archive import archive_storage
from .runs import record_issue, run_stage

MAX_PROCESSES = 4
# Pages whose extraction fails are kept as this kind, so that a re-run does not retry
# them forever and the report lists them; the archive still has them.
FAILED_KIND = "failed"


def run_extract(job, *, acting_user=None, progress_callback=None, again: bool = False,
                processes: int | None = None, max_files: int | None = None):
    """Extract every archived HTML page (200) that has no ExtractedPage yet (`again`:
    every page, updating what is there). Returns the StageRun."""

    def work(progress):
        return Extraction(job, progress, processes=processes).run(again=again, max_files=max_files)

    return run_stage(job, Stage.EXTRACT, work, acting_user=acting_user, progress_callback=progress_callback)


def html_records(job):
    """The archive records extraction reads: pages that answered 200 with HTML."""
    records = ArchiveRecord.objects.filter(job=job, status_code=200)
    return records.filter(content_type__icontains="html") | records.filter(content_type="")


def _extract_one(item: tuple[str, bytes, str]) -> dict:
    """Runs in a worker process: only pure code here. A page that breaks the extractor
    comes back as {"error": …}, so that it does not stop the others."""
    url, body, content_type = item
    try:
        decoded = decode_html(body, content_type)
        fields = asdict(extract_page(decoded.text, url))
    except Exception as error:
        return {"error": f"{type(error).__name__}: {error}"[:300]}
    fields["encoding"] = decoded.encoding
    return fields


class Extraction:
    def __init__(self, job, progress, *, processes: int | None = None):
        self.job = job
        self.progress = progress
        self.storage = archive_storage(job)
        if processes is None:
            processes = min(MAX_PROCESSES, os.cpu_count() or 1)
        self.processes = processes
        self.done = 0
        self.failed = 0

    def run(self, *, again: bool, max_files: int | None) -> str | None:
        records = html_records(self.job)
        if not again:
            records = records.filter(page__isnull=True)
        warc_ids = list(records.values_list("warc_id", flat=True).distinct().order_by("warc_id"))
        total = records.count()
        self.progress.update(0, total, self.summary())
        pool = None
        if self.processes > 1 and total > 50:
            # fork: the workers inherit the loaded code and never touch the database.
            pool = ProcessPoolExecutor(self.processes, mp_context=get_context("fork"))
        try:
            for index, warc_id in enumerate(warc_ids):
                if max_files is not None and index >= max_files:
                    return _("Stopped after %(count)s WARC files; run the extraction again to go on") % {
                        "count": index}
                self._extract_file(records.filter(warc_id=warc_id).select_related("warc"), pool)
                self.progress.update(self.done + self.failed, total, self.summary())
        finally:
            if pool is not None:
                pool.shutdown()
        return None

    def _extract_file(self, records, pool) -> None:
        records = [record for record in records.order_by("offset") if is_html(record.content_type or "text/html")]
        if not records:
            return
        with self.storage.open(records[0].warc.name, "rb") as handle:
            data = handle.read()
        items, pages = [], []
        for record in records:
            response = read_response(data[record.offset:record.offset + record.length])
            items.append((record.url, response.body, response.header("content-type")))
        results = pool.map(_extract_one, items, chunksize=4) if pool is not None else map(_extract_one, items)
        for record, item in zip(records, results, strict=True):
            if "error" in item:
                self.failed += 1
                record_issue(self.job, Stage.EXTRACT, _("The page could not be extracted: %(error)s") % {
                    "error": item["error"]}, record.url)
                pages.append(ExtractedPage(job=self.job, record=record, url=record.url, url_hash=record.url_hash,
                                           kind=FAILED_KIND))
                continue
            self.done += 1
            pages.append(_page(self.job, record, item))
        with transaction.atomic():
            ExtractedPage.objects.bulk_create(
                pages, update_conflicts=True, unique_fields=["record"],
                update_fields=["kind", "title", "pub_date", "body_html", "body_text", "metadata", "attachments",
                               "images", "links", "next_pages", "column_path", "column_name", "encoding"])

    def summary(self) -> str:
        return _("extracted %(done)s, failed %(failed)s") % {"done": self.done, "failed": self.failed}


def _page(job, record, fields: dict) -> ExtractedPage:
    metadata = {key: value.isoformat() if hasattr(value, "isoformat") else value
                for key, value in fields["metadata"].items()}
    return ExtractedPage(
        job=job, record=record, url=record.url, url_hash=record.url_hash, kind=fields["kind"],
        title=fields["title"][:300], pub_date=fields["pub_date"], body_html=fields["body_html"],
        body_text=fields["body_text"], metadata=metadata, attachments=fields["attachments"],
        images=fields["images"], links=fields["links"], next_pages=fields["next_pages"],
        column_path=fields["column_path"][:300], column_name=fields["column_name"][:100],
        encoding=fields["encoding"][:40])
