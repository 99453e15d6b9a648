"""An import killed with SIGKILL part way resumes with nothing lost and nothing twice:
every mapped page once in the target site, every file once, no file without its row."""
import os
import signal
import subprocess
import sys
import time

import pytest
from django.core.files.storage import default_storage
from django_tenants.utils import tenant_context
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Page

from ops.retirement.models import ExtractedPage, ImportedAsset, ImportedItem, JobIssue, RuleMatch, RunState
from ops.retirement.sample_site import generate, serve
from ops.retirement.services.crawl import run_crawl
from ops.retirement.services.extraction import run_extract
from ops.retirement.services.importing import run_import
from ops.retirement.services.mapping import CONTENT_KINDS, add_rule, run_map
from tenants.columns.models import ColumnPage

from .conftest import new_job


@pytest.fixture(scope="module")
def small_site():
    site = generate(80, seed=11)
    with serve(site) as server:
        yield site, server


def test_an_import_killed_mid_way_resumes_with_nothing_lost_or_duplicated(small_site, target_site):
    _site, server = small_site
    job = new_job(target_site, server.base_url)
    assert run_crawl(job).state == RunState.DONE
    assert run_extract(job, processes=1).state == RunState.DONE
    with tenant_context(target_site):
        news, policies = ColumnPage.objects.get(slug="zwyw").pk, ColumnPage.objects.get(slug="zcwj").pk
    add_rule(job, acting_user=None, match_on=RuleMatch.URL_REGEX, pattern=r"/(zwgk/zcwj|zwgk/gfxwj)/",
             target_column_id=policies, content_type="policy")
    add_rule(job, acting_user=None, match_on=RuleMatch.URL_REGEX, pattern=r".", target_column_id=news,
             content_type="article")
    run_map(job)
    process = subprocess.Popen([sys.executable, "-m", "jiyue", "retire", "import", job.code],
                               env={**os.environ, "DJANGO_SETTINGS_MODULE": "jiyue.settings.test"},
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while ImportedItem.objects.filter(job=job).count() < 8 and time.monotonic() < deadline:
        assert process.poll() is None, "the import ended before it could be killed"
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    expected = ExtractedPage.objects.filter(job=job, kind__in=CONTENT_KINDS).count()
    assert 0 < ImportedItem.objects.filter(job=job).count() < expected
    assert run_import(job).state == RunState.DONE
    items = ImportedItem.objects.filter(job=job)
    assert items.count() == expected
    with tenant_context(target_site):
        page_ids = list(items.values_list("page_id", flat=True))
        assert len(set(page_ids)) == expected and Page.objects.filter(pk__in=page_ids).count() == expected
        # Every page under the two columns is one of the imported ones: none made twice.
        children = Page.objects.filter(depth__gt=ColumnPage.objects.get(pk=news).depth).filter(
            path__startswith=ColumnPage.objects.get(pk=news).path) | Page.objects.filter(
            path__startswith=ColumnPage.objects.get(pk=policies).path).exclude(pk=policies)
        assert set(children.values_list("pk", flat=True)) == set(page_ids)
        documents = {document.file.name for document in Document.objects.all()}
        images = {image.file.name for image in Image.objects.all()}
        assets = ImportedAsset.objects.filter(job=job)
        assert len(documents) + len(images) == assets.count()
        stored = set()
        for folder in ("documents", "original_images"):
            if default_storage.exists(folder):
                stored |= {f"{folder}/{name}" for name in default_storage.listdir(folder)[1]}
        assert stored == documents | images, "no stored file without its row"


def test_a_target_column_deleted_after_its_rule_is_reported_and_the_rest_imported(small_site, target_site):
    _site, server = small_site
    job = new_job(target_site, server.base_url, max_pages=60)
    run_crawl(job)
    run_extract(job, processes=1)
    with tenant_context(target_site):
        doomed, news = ColumnPage.objects.get(slug="gknb"), ColumnPage.objects.get(slug="zwyw").pk
    add_rule(job, acting_user=None, match_on=RuleMatch.URL_REGEX, pattern=r"/zwgk/", target_column_id=doomed.pk,
             content_type="article")
    add_rule(job, acting_user=None, match_on=RuleMatch.URL_REGEX, pattern=r".", target_column_id=news,
             content_type="article")
    with tenant_context(target_site):
        doomed.delete()
    run_map(job)
    assert run_import(job).state == RunState.DONE
    assert JobIssue.objects.filter(job=job, stage="import", message__contains="已不存在").exists()
    imported = set(ImportedItem.objects.filter(job=job).values_list("source__url", flat=True))
    assert imported and not any("/zwgk/" in url for url in imported)
    assert all(item.rule.target_column_id == news for item in ImportedItem.objects.filter(job=job))
