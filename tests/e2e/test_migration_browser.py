"""In Chromium: ops create a migration job for an old county site (served on loopback),
run the pipeline from the console on a real worker and watch its progress, add a
mapping rule and see the dry run count it, import, see the report's chart, and replay
an archived page from the archive."""
import pytest
from django_tenants.utils import tenant_context
from playwright.sync_api import expect

from jiyue.identity.models import PlatformRole
from ops.retirement.models import ExtractedPage, ImportedItem
from ops.retirement.sample_site import generate, serve
from tenants.columns.models import ColumnPage
from tests.celery_worker import start_worker
from tests.e2e.support import set_server_password, sign_in
from tests.factories import PASSWORD, make_online_site, make_user, unique

pytestmark = pytest.mark.browser


@pytest.fixture
def migration_worker(app_server, tmp_path_factory):
    """A worker on the migrations queue that shares the server's storage (the archive)."""
    process, log = start_worker("jiyue.celery_app", app_server.queue_prefix + "migrations", tmp_path_factory,
                                JIYUE_CELERY_QUEUE_PREFIX=app_server.queue_prefix,
                                JIYUE_DATA_DIR=str(app_server.data_dir))
    try:
        yield log
    finally:
        process.terminate()
        process.wait(timeout=30)


def _stage_done(page, stage):
    expect(page.locator(f'tr[data-stage="{stage}"] .count')).not_to_have_text("", timeout=60_000)
    page.wait_for_function(
        """stage => { const bar = document.querySelector(`tr[data-stage="${stage}"] progress`);
                      return bar && bar.max > 0 && bar.value === bar.max; }""", arg=stage, timeout=90_000)


def test_ops_run_a_migration_from_the_console(app_server, migration_worker, browser_context):
    sample = generate(40, seed=21)
    target = make_online_site()
    ops = make_user("ops", platform_role=PlatformRole.OPS)
    set_server_password(ops, PASSWORD)
    with tenant_context(target):
        news = ColumnPage.objects.get(slug="zwyw").pk
    code = unique("e2e")
    with serve(sample) as server:
        page = sign_in(browser_context, app_server, ops)
        page.click("nav a:has-text('网站迁移')")
        page.click("a:has-text('新建迁移任务')")
        page.fill("#id_code", code)
        page.fill("#id_name", "某县旧门户网站")
        page.fill("#id_target", target.short_code)
        page.fill("#id_start_urls", server.base_url + "/")
        page.fill("#id_requests_per_second", "200")
        page.fill("#id_concurrency", "4")
        with page.expect_navigation():
            page.click("button:has-text('创建')")
        expect(page.locator("h1")).to_contain_text("某县旧门户网站")

        # Crawl, and the stages after it, on the worker; the bars fill as it goes.
        row = page.locator('tr[data-stage="crawl"]')
        row.locator("input[name=and_after]").check()
        with page.expect_navigation():
            row.locator("button:has-text('运行')").click()
        expect(page.locator(".msg")).to_contain_text("已排队")
        for stage in ("crawl", "extract", "map", "import"):
            _stage_done(page, stage)
        assert ExtractedPage.objects.filter(job__code=code).count() > 20

        page.reload()
        page.select_option("#id_match_on", "url_regex")
        page.fill("#id_pattern", ".")
        page.fill("#id_target_column_id", str(news))
        page.select_option("#id_content_type", "article")
        with page.expect_navigation():
            page.click("button:has-text('添加规则')")
        content = ExtractedPage.objects.filter(job__code=code, kind__in=["article", "policy"]).count()
        expect(page.locator("#rules tbody tr").first).to_contain_text(str(content))

        row = page.locator('tr[data-stage="import"]')
        with page.expect_navigation():
            row.locator("button:has-text('运行')").click()
        page.wait_for_function(
            "n => document.querySelector('tr[data-stage=\"import\"] .message').textContent.includes(`新建 ${n}，`)",
            arg=content, timeout=120_000)
        assert ImportedItem.objects.filter(job__code=code).count() == content
        page.reload()
        expect(page.locator("#chart canvas")).to_have_count(1)
        expect(page.locator("#totals")).to_contain_text("已导入并发布的页面")

        # The archive, and one old page replayed as it was.
        page.click("a:has-text('浏览归档')")
        title = next(truth.title for truth in sample.truth.values() if truth.kind == "article")
        path = next(path for path, truth in sample.truth.items() if truth.title == title)
        page.fill("#q", path)
        with page.expect_navigation():
            page.click("button:has-text('搜索')")
        with page.expect_popup() as popup:
            page.click(f"#records a:has-text('{path}')")
        replayed = popup.value
        replayed.wait_for_load_state()
        expect(replayed.locator("body")).to_contain_text(title)
