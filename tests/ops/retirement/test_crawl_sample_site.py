"""Crawling the sample retired site (ops.retirement.sample_site) into its WARC archive:
every page once, attachments, robots.txt, redirect chains, byte-for-byte replay."""
import pytest

from jiyue.storage import read_range
from ops.retirement.lib.urls import url_hash
from ops.retirement.lib.warc import read_response
from ops.retirement.models import ArchiveRecord, CrawlUrl, RunState, UrlState, WarcFile, WarcState
from ops.retirement.services.archive import archive_storage
from ops.retirement.services.crawl import run_crawl

from .conftest import new_job


@pytest.fixture(scope="module")
def crawled(served, target_site, django_db_blocker):
    with django_db_blocker.unblock():
        served.hits.clear()
        job = new_job(target_site, served.base_url)
        run = run_crawl(job)
        return job, run, dict(served.hits)


def record_of(job, url):
    return ArchiveRecord.objects.filter(job=job, url_hash=url_hash(url)).first()


def test_every_page_of_the_site_is_archived_exactly_once(crawled, sample, served):
    job, run, hits = crawled
    assert run.state == RunState.DONE
    assert not CrawlUrl.objects.filter(job=job, state__in=[UrlState.QUEUED, UrlState.FETCHING]).exists()
    for path in sample.truth:
        assert record_of(job, served.base_url + path) is not None, path
        assert hits.get(path.split("?")[0], 0) == 1, f"{path} fetched {hits.get(path)} times"
    # One record per canonical URL, whatever the links' tracking parameters.
    assert ArchiveRecord.objects.filter(job=job).count() == CrawlUrl.objects.filter(
        job=job, state=UrlState.FETCHED).count()


def test_attachments_are_archived_with_their_content_type(crawled, sample, served):
    job, _run, _hits = crawled
    attachments = {path for truth in sample.truth.values() for path in truth.attachments}
    assert attachments
    for path in attachments:
        record = record_of(job, served.base_url + path)
        assert record is not None and record.status_code == 200, path
        assert record.content_type == dict(sample.responses[path].headers).get("Content-Type"), path


def test_robots_txt_disallowed_paths_are_not_fetched(crawled, served):
    job, _run, hits = crawled
    skipped = CrawlUrl.objects.filter(job=job, state=UrlState.SKIPPED)
    assert skipped.exists()
    for item in skipped:
        path = item.url.split(str(served.base_url.split("//")[1]), 1)[1]
        assert hits.get(path.split("?")[0], 0) == 0
        assert "robots.txt" in item.error


def test_redirect_chains_are_followed_and_every_hop_recorded(crawled):
    job, _run, _hits = crawled
    hops = CrawlUrl.objects.filter(job=job, status_code__in=[301, 302, 303, 307, 308])
    assert hops.count() >= 2
    for hop in hops:
        assert hop.redirect_to
        assert record_of(job, hop.url).status_code == hop.status_code
        assert CrawlUrl.objects.filter(job=job, url_hash=url_hash(hop.redirect_to)).exists()


def test_broken_links_are_archived_with_their_status(crawled):
    job, _run, _hits = crawled
    assert CrawlUrl.objects.filter(job=job, status_code=404).exists()


def test_other_hosts_are_not_crawled(crawled, served):
    job, _run, _hits = crawled
    host = served.base_url.split("//")[1].split(":")[0]
    assert all(f"//{host}:" in url for url in CrawlUrl.objects.filter(job=job).values_list("url", flat=True))


def test_a_warc_record_replays_byte_for_byte(crawled, sample, served):
    job, _run, _hits = crawled
    storage = archive_storage(job)
    gbk_pages = [path for path, truth in sample.truth.items() if truth.encoding.lower() in ("gbk", "gb18030")]
    attachment = next(path for truth in sample.truth.values() for path in truth.attachments)
    for path in [gbk_pages[0], attachment]:
        record = record_of(job, served.base_url + path)
        response = read_response(read_range(storage, record.warc.name, record.offset, record.length))
        assert response.raw_body == sample.responses[path].body
        assert response.status == sample.responses[path].status
        assert response.url == record.url


def test_every_warc_file_is_complete_and_stored_under_the_sites_prefix(crawled):
    job, _run, _hits = crawled
    storage = archive_storage(job)
    files = WarcFile.objects.filter(job=job)
    assert files.exists() and not files.exclude(state=WarcState.COMPLETE).exists()
    for warc in files:
        assert storage.exists(warc.name)
        assert storage.size(warc.name) == warc.size
    assert f"sites/{job.archive_schema}/archive/{job.code}" in storage.path(files[0].name)


def test_a_second_run_fetches_nothing_again(crawled, served):
    job, _run, _hits = crawled
    before = ArchiveRecord.objects.filter(job=job).count()
    served.hits.clear()
    run = run_crawl(job)
    assert run.state == RunState.DONE
    assert ArchiveRecord.objects.filter(job=job).count() == before
    assert sum(served.hits.values()) == 0


def test_the_page_cap_stops_the_crawl_and_a_raised_cap_goes_on(served, target_site):
    job = new_job(target_site, served.base_url, max_pages=10)
    run = run_crawl(job)
    assert run.state == RunState.STOPPED and "10" in run.message
    assert CrawlUrl.objects.filter(job=job, state=UrlState.FETCHED).count() <= 10
    job.max_pages = 40
    job.save()
    run_crawl(job)
    done = CrawlUrl.objects.filter(job=job).exclude(state__in=[UrlState.QUEUED, UrlState.FETCHING]).count()
    assert 10 < done <= 40


def test_max_depth_limits_the_links_followed(served, target_site):
    job = new_job(target_site, served.base_url, max_depth=1)
    run_crawl(job)
    assert set(CrawlUrl.objects.filter(job=job).values_list("depth", flat=True)) <= {0, 1}
