"""The whole migration of the sample retired site into a target site, storage in S3
(moto): crawl, extract, rules, map, import, redirects; then what editors, ops and the
public see: pages with their metadata and original dates, files in the site's storage,
links rewritten, findings kept as drafts, the old URLs answering 301/410/404."""
import csv
import io
from urllib.parse import urljoin

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils.timezone import localtime
from django_tenants.utils import tenant_context
from wagtail.documents.models import Document
from wagtail.models import Page

from ops.retirement.lib.urls import url_hash
from ops.retirement.models import (ExtractedPage, ImportedAsset, ImportedItem, ImportState, JobIssue, MappingStatus, RuleMatch,
                                   RunState, UrlMapping)
from ops.retirement.reports import build_report, report_csv, report_xlsx
from ops.retirement.services.crawl import run_crawl
from ops.retirement.services.extraction import run_extract
from ops.retirement.services.importing import run_import
from ops.retirement.services.mapping import add_rule, dry_run, export_csv, import_csv, run_map
from ops.retirement.services.redirects import retire_hosts
from shared_library.taxonomy.queries import term_by_name
from tenants.columns.models import ColumnPage
from tests.factories import make_user
from tests.factories.clients import signed_in
from tests.moto_s3 import bucket_keys, moto_server, s3_default_storage

from .conftest import new_job

BUCKET = "jiyue-migration-test"
OLD_HOST = "www.oldcounty.gov.cn"
# Old column -> (target column slug, content type). 繁體版 (/ftb/ywdt/) is left unmapped.
RULES = {
    "/zwgk/zcwj/": ("zcwj", "policy"), "/zwgk/gfxwj/": ("zcwj", "policy"), "/col/col4521/": ("tzgg", "announcement"),
    "/xwzx/gzdt/": ("zwyw", "article"), "/xwzx/bmdt/": ("bmdt", "article"), "/xwzx/xzdt/": ("zwyw", "article"),
    "/zwgk/rsxx/": ("rsxx", "article"),
}
UNMAPPED = "/ftb/ywdt/"


@pytest.fixture(scope="module")
def s3(django_db_blocker):
    with moto_server(BUCKET) as (endpoint, client), s3_default_storage(endpoint, BUCKET):
        yield client


@pytest.fixture(scope="module")
def migrated(s3, served, sample, target_site, django_db_blocker):
    """The sample site migrated once; (job, ops user, {old path: truth})."""
    with django_db_blocker.unblock():
        ops = make_user("ops", platform_role="ops")
        job = new_job(target_site, served.base_url)
        assert run_crawl(job).state == RunState.DONE
        assert run_extract(job, processes=2).state == RunState.DONE
        with tenant_context(target_site):
            columns = {slug: ColumnPage.objects.get(slug=slug).pk for slug, _type in RULES.values()}
        for path, (slug, kind) in RULES.items():
            add_rule(job, acting_user=ops, match_on=RuleMatch.COLUMN_PATH, pattern=path,
                     target_column_id=columns[slug], content_type=kind)
        assert run_map(job).state == RunState.DONE
        assert run_import(job).state == RunState.DONE
        retire_hosts(job, acting_user=ops, hosts={OLD_HOST: served.base_url})
        yield job, ops


def content_truth(sample, column_path=None):
    return {path: truth for path, truth in sample.truth.items() if truth.kind in ("article", "policy")
            and (column_path is None or truth.column_path == column_path)}


def item_of(job, served, path):
    page = ExtractedPage.objects.get(job=job, url_hash=url_hash(served.base_url + path))
    return ImportedItem.objects.filter(source=page).first()


def live_page(target_site, page_id):
    with tenant_context(target_site):
        return Page.objects.get(pk=page_id).specific


def test_the_dry_run_counts_each_rules_pages_and_lists_the_unmapped(migrated, sample):
    job, _ops = migrated
    result = dry_run(job)
    for rule, count in result.per_rule:
        assert count == len(content_truth(sample, rule.pattern)), rule.pattern
    assert {page.column_path for page in result.unmapped} == {UNMAPPED}
    assert len(result.unmapped) == len(content_truth(sample, UNMAPPED))


def test_every_mapped_page_is_imported_once_with_its_title_and_original_date(migrated, sample, served, target_site):
    job, _ops = migrated
    for path, truth in content_truth(sample).items():
        if truth.column_path == UNMAPPED:
            assert item_of(job, served, path) is None
            continue
        item = item_of(job, served, path)
        assert item is not None and item.state in (ImportState.PUBLISHED, ImportState.DRAFT), (path, item)
        page = live_page(target_site, item.page_id)
        assert page.title == truth.title
        if item.state == ImportState.PUBLISHED:
            assert page.live
            assert localtime(page.publish_time).date() == truth.pub_date
            assert localtime(page.first_published_at).date() == truth.pub_date
    with tenant_context(target_site):
        titles = [page.title for page in Page.objects.type(*_content_models()).filter(
            pk__in=ImportedItem.objects.filter(job=job).values_list("page_id", flat=True))]
    assert len(titles) == len(set(titles)), "no page imported twice"


def _content_models():
    from tenants.content.models import AnnouncementPage, ArticlePage, PolicyDocumentPage

    return ArticlePage, PolicyDocumentPage, AnnouncementPage


def test_policy_metadata_lands_in_the_policy_fields(migrated, sample, served, target_site):
    job, _ops = migrated
    checked = 0
    for path, truth in content_truth(sample).items():
        if truth.kind != "policy" or truth.column_path == UNMAPPED:
            continue
        page = live_page(target_site, item_of(job, served, path).page_id)
        meta = truth.metadata
        assert page.issuing_organ == meta["issuing_organ"]
        assert page.document_number == meta.get("document_number", "")
        assert page.written_date == meta["written_date"] and page.publish_date == meta["publish_date"]
        with tenant_context(target_site):
            # A name outside the State Council's lists is set to 其他, with a finding (a draft).
            for key, taxonomy in (("topic", "topic"), ("genre", "genre")):
                standard = bool(meta.get(key)) and term_by_name(taxonomy, meta[key]) is not None
                assert getattr(page, key).name == (meta[key] if standard else "其他")
                if not standard:
                    assert item_of(job, served, path).state == ImportState.DRAFT
        if meta.get("validity") != "amended":  # amended needs the amending document linked: a draft
            assert page.validity == meta.get("validity", "valid")
        checked += 1
    assert checked > 20


def test_attachments_and_images_are_stored_once_in_the_sites_storage_and_linked(migrated, sample, served,
                                                                               target_site, s3):
    job, _ops = migrated
    with_files = [(path, truth) for path, truth in content_truth(sample).items()
                  if truth.attachments and truth.column_path != UNMAPPED]
    assert with_files
    keys = bucket_keys(s3, BUCKET, f"sites/{target_site.schema_name}/")
    assert any(key.split("/")[2] == "documents" for key in keys)
    for path, truth in with_files[:30]:
        item = item_of(job, served, path)
        page = live_page(target_site, item.page_id)
        body = str(page.body.raw_data)
        for attachment in truth.attachments:
            mapping = UrlMapping.objects.get(job=job, url_hash=url_hash(served.base_url + attachment))
            if mapping.status == MappingStatus.REDIRECT:
                assert "/documents/" in mapping.new_url
                stored = ImportedAsset.objects.get(job=job, url_hash=url_hash(served.base_url + attachment))
                assert f'linktype="document" id="{stored.object_id}"' in body, (path, attachment)
            else:  # refused by the upload policy: recorded, and the old URL shows the archived copy
                assert JobIssue.objects.filter(job=job, url=served.base_url + attachment,
                                               message__startswith="附件未导入").exists(), attachment
    refused = set(JobIssue.objects.filter(job=job, message__startswith="附件未导入").values_list("url", flat=True))
    wanted = {served.base_url + a for _path, truth in with_files for a in truth.attachments}
    stored_kinds = {url.rsplit(".", 1)[-1] for url in wanted - refused}
    assert {"pdf", "docx", "xlsx", "zip"} <= stored_kinds
    with tenant_context(target_site):
        assert Document.objects.count() == len(wanted - refused)


def test_links_between_migrated_pages_point_at_their_new_addresses(migrated, sample, served, target_site):
    job, _ops = migrated
    published = {path: item for path in content_truth(sample)
                 if (item := item_of(job, served, path)) is not None and item.state == ImportState.PUBLISHED}
    linking = [(path, truth) for path, truth in content_truth(sample).items()
               if path in published and any(link in published for link in truth.links)]
    assert linking
    for path, truth in linking[:20]:
        body = str(live_page(target_site, published[path].page_id).body.raw_data)
        for link in truth.links:
            if link in published:
                target = live_page(target_site, published[link].page_id)
                with tenant_context(target_site):
                    assert target.get_full_url() in body, (path, link)


def test_pages_with_findings_stay_drafts_with_their_findings_listed(migrated):
    job, _ops = migrated
    for item in ImportedItem.objects.filter(job=job, state=ImportState.DRAFT):
        assert item.findings, item.pk
    assert not ImportedItem.objects.filter(job=job, state=ImportState.PUBLISHED).exclude(findings=[]).exists()


def test_a_second_import_changes_nothing(migrated, target_site):
    job, _ops = migrated
    before = dict(ImportedItem.objects.filter(job=job).values_list("id", "updated_at"))
    with tenant_context(target_site):
        pages = Page.objects.count()
    assert run_import(job).state == RunState.DONE
    assert dict(ImportedItem.objects.filter(job=job).values_list("id", "updated_at")) == before
    with tenant_context(target_site):
        assert Page.objects.count() == pages


def test_old_urls_answer_as_mapped(migrated, sample, served, target_site):
    job, _ops = migrated
    client = Client(HTTP_HOST=OLD_HOST)
    mappings = {m.url_hash: m for m in UrlMapping.objects.filter(job=job)}
    for path in list(sample.truth)[:150]:
        mapping = mappings.get(url_hash(served.base_url + path))
        response = client.get(path)
        if path == "/":
            assert response.status_code == 301
            continue
        assert mapping is not None, path
        assert "max-age" in response["Cache-Control"]
        if mapping.status == MappingStatus.REDIRECT:
            assert response.status_code == 301 and response["Location"] == mapping.new_url, path
        else:
            assert response.status_code == 410, path
            assert "/_archive/" in response.content.decode()
    assert client.get("/no/such/page.htm").status_code == 404


def test_an_unmapped_page_answers_410_linking_its_archived_copy_and_the_portal_search(migrated, sample, served):
    job, _ops = migrated
    path = next(iter(content_truth(sample, UNMAPPED)))
    client = Client(HTTP_HOST=OLD_HOST)
    response = client.get(path)
    assert response.status_code == 410
    page = response.content.decode()
    assert "已下线" in page and "/search/?q=" in page
    archived = client.get("/_archive" + path)
    assert archived.status_code == 200
    assert archived.content == sample.responses[path].body
    assert "sandbox" in archived["Content-Security-Policy"]


def test_a_redirect_chain_of_the_old_site_ends_at_the_new_page(migrated, sample, served):
    job, _ops = migrated
    chains = [old for old, target in sample.redirects.items() if target in sample.redirects]
    assert chains
    client = Client(HTTP_HOST=OLD_HOST)
    for old in chains:
        end = old
        while end in sample.redirects:
            end = urljoin(end, sample.redirects[end])
        final = UrlMapping.objects.get(job=job, url_hash=url_hash(served.base_url + end))
        response = client.get(old)
        if final.status == MappingStatus.REDIRECT:
            assert response.status_code == 301 and response["Location"] == final.new_url


def test_the_mapping_csv_round_trips_and_broken_rows_are_reported(migrated, served, target_site):
    job, ops = migrated
    rows = list(csv.reader(io.StringIO(export_csv(job).decode("utf-8-sig"))))
    assert rows[0] == ["old_url", "new_url", "note"] and len(rows) == UrlMapping.objects.filter(job=job).count() + 1
    redirected = next(row for row in rows[1:] if row[1].startswith("http"))
    gone = next(row for row in rows[1:] if not row[1])
    home = target_site.domains.get(is_primary=True).domain
    edited = [["old_url", "new_url", "note"], [redirected[0], "ARCHIVE", "内容已过时"],
              [gone[0], f"http://{home}/", "指向首页"], ["not a url", "", ""],
              [redirected[0], "http://evil.example.com/", "外部网站"], [served.base_url + "/never/was.htm", "", ""]]
    data = io.StringIO()
    csv.writer(data).writerows(edited)
    result = import_csv(job, data.getvalue().encode("utf-8"), acting_user=ops)
    assert result.applied == 2
    assert [line.split("：")[0] for line in result.errors] == ["第4行", "第5行", "第6行"]
    assert "不是平台" in result.errors[1]
    assert UrlMapping.objects.get(job=job, url_hash=url_hash(redirected[0])).status == MappingStatus.ARCHIVE
    assert Client(HTTP_HOST=OLD_HOST).get(_path(gone[0]))["Location"] == f"http://{home}/"
    run_import(job)  # an import does not overwrite what ops edited
    assert UrlMapping.objects.get(job=job, url_hash=url_hash(redirected[0])).status == MappingStatus.ARCHIVE


def _path(url):
    return "/" + url.split("//", 1)[1].split("/", 1)[1]


def test_a_rule_for_a_column_that_does_not_exist_is_refused(migrated):
    job, ops = migrated
    with pytest.raises(ValidationError, match="不存在"):
        add_rule(job, acting_user=ops, match_on=RuleMatch.URL_PREFIX, pattern="/x/", target_column_id=999999)


def test_the_report_counts_pages_per_column_and_per_rule(migrated, sample):
    job, _ops = migrated
    report = build_report(job)
    by_column = {row.label.split()[-1]: row.counts for row in report.by_column}
    for path in RULES:
        counts = by_column[path]
        assert counts["pages"] == len(content_truth(sample, path))
        assert counts["imported"] + counts["drafts"] + counts["failed"] == counts["pages"]
    assert by_column[UNMAPPED]["gone"] == len(content_truth(sample, UNMAPPED))
    text = report_csv(job).decode("utf-8-sig")
    assert "工作动态" in text
    assert report_xlsx(job)[:2] == b"PK"
    assert not JobIssue.objects.filter(job=job, stage="import").exclude(message__startswith="附件未导入").exists()


# -- the console -------------------------------------------------------------------
def test_the_console_shows_the_pipeline_the_rules_and_the_report(migrated):
    job, ops = migrated
    client = signed_in(ops)
    assert job.code in client.get("/migrations/").content.decode()
    page = client.get(f"/migrations/{job.code}/").content.decode()
    for shown in ("采集归档", "抽取", "导入", "映射规则", "按规则", "下载", "echarts"):
        assert shown in page, shown
    progress = client.get(f"/migrations/{job.code}/progress/").json()
    assert {stage["stage"]: stage["state"] for stage in progress["stages"]}["import"] == "done"
    report = client.get(f"/migrations/{job.code}/report.xlsx")
    assert report.status_code == 200 and report.content[:2] == b"PK"
    mapping = client.get(f"/migrations/{job.code}/mapping.csv")
    assert mapping.content.decode("utf-8-sig").startswith("old_url,new_url,note")


def test_only_ops_staff_reach_the_migration_console(migrated):
    job, _ops = migrated
    editor = signed_in(make_user("editor"))
    assert editor.get("/migrations/").status_code == 403
    assert editor.get(f"/migrations/{job.code}/").status_code == 403
    assert editor.get(f"/migrations/{job.code}/replay/", {"url": "http://x/"}).status_code == 403


def test_a_job_with_a_start_url_outside_its_hosts_is_refused_with_the_form_kept(migrated, target_site):
    _job, ops = migrated
    response = signed_in(ops).post("/migrations/new/", {
        "code": "badjob", "name": "旧站", "target": target_site.short_code, "start_urls": "http://www.other.gov.cn/",
        "allowed_hosts": "www.old.gov.cn", "requests_per_second": 4, "concurrency": 2, "max_pages": 10,
        "max_depth": 5})
    assert response.status_code == 400
    assert "允许的主机" in response.content.decode() and "www.other.gov.cn" in response.content.decode()


def test_the_console_replays_an_archived_page_inside_the_replay(migrated, sample, served):
    job, ops = migrated
    path = next(path for path, truth in sample.truth.items() if truth.kind == "article" and truth.links)
    response = signed_in(ops).get(f"/migrations/{job.code}/replay/", {"url": served.base_url + path})
    assert response.status_code == 200
    assert "sandbox" in response["Content-Security-Policy"]
    body = response.content.decode()
    assert sample.truth[path].title in body
    assert f'href="/migrations/{job.code}/replay/?url=' in body
    assert "<script" not in body.lower()
    attachment = next(a for truth in sample.truth.values() for a in truth.attachments)
    file = signed_in(ops).get(f"/migrations/{job.code}/replay/", {"url": served.base_url + attachment})
    assert file.content == sample.responses[attachment].body


def test_the_command_line_prints_the_dry_run_and_the_report_and_refuses_a_missing_file(migrated, tmp_path):
    job, _ops = migrated
    out = io.StringIO()
    call_command("retire", "dry-run", job.code, stdout=out)
    assert "未映射的页面" in out.getvalue()
    out = io.StringIO()
    call_command("retire", "report", job.code, "--xlsx", str(tmp_path / "report.xlsx"), stdout=out)
    assert "已导入并发布的页面" in out.getvalue()
    assert (tmp_path / "report.xlsx").read_bytes()[:2] == b"PK"
    with pytest.raises(CommandError, match="无法读取"):
        call_command("retire", "mapping-import", job.code, str(tmp_path / "missing.csv"))
    with pytest.raises(CommandError, match="没有代码为"):
        call_command("retire", "status", "no-such-job")
