"""Reads of the migration: counts for the status line, the console and the report."""
from django.db.models import Count
from django.utils.translation import gettext as _

from .models import ArchiveRecord, CrawlUrl, JobIssue, UrlState


def crawl_counts(job) -> dict[str, int]:
    counts = dict(CrawlUrl.objects.filter(job=job).values_list("state").annotate(n=Count("id")))
    return {state: counts.get(state, 0) for state in UrlState.values}


def job_counts(job) -> dict[str, int]:
    """Labelled counts of every stage (what `jiyue retire status` prints)."""
    crawl = crawl_counts(job)
    return {
        _("URLs known"): sum(crawl.values()),
        _("URLs fetched"): crawl[UrlState.FETCHED],
        _("URLs failed"): crawl[UrlState.FAILED],
        _("URLs skipped"): crawl[UrlState.SKIPPED],
        _("URLs queued"): crawl[UrlState.QUEUED] + crawl[UrlState.FETCHING],
        _("records archived"): ArchiveRecord.objects.filter(job=job).count(),
        _("issues"): JobIssue.objects.filter(job=job).count(),
    }
