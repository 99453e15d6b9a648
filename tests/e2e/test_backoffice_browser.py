"""One sign-in on the console serves the back office of every granted site, and two
tabs on two sites do not interfere: the site is chosen by the /s/<code>/ prefix of
the URL, not by anything in the shared session (jiyue.routing.middleware)."""
import re

import pytest
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from tenants.columns.models import ColumnPage
from tests.e2e.support import set_server_password
from tests.factories import PASSWORD, grant, make_online_site, make_user, unique

pytestmark = pytest.mark.browser

COLUMN_SLUG = "xwdt"  # 新闻动态, in every site's default column tree
SAVE_DRAFT = "#page-edit-form footer button.action-save:has-text('保存草稿')"


def _column_id(site) -> int:
    with schema_context(site.schema_name):
        return ColumnPage.objects.get(slug=COLUMN_SLUG).pk


def _open_backoffice(context, home, site):
    """Click the site's 进入后台 link on the console home page; it opens a new tab."""
    with context.expect_page() as new_tab:
        home.locator(f"a[data-site='{site.short_code}']").click()
    tab = new_tab.value
    tab.wait_for_load_state()
    expect(tab).to_have_url(re.compile(rf"/s/{site.short_code}/admin/$"))
    expect(tab.locator("html")).to_have_attribute("lang", "zh-hans")
    return tab


def _open_editor(tab, server, site, page_id):
    response = tab.goto(server.console(f"/s/{site.short_code}/admin/pages/{page_id}/edit/"))
    assert response.status == 200, f"{site.short_code}: editor answered {response.status}"
    expect(tab.locator("#page-edit-form")).to_be_visible()
    expect(tab.locator("#id_title")).to_have_value("新闻动态")


def _save_draft(tab, site, page_id, title):
    edit_path = f"/s/{site.short_code}/admin/pages/{page_id}/edit/"
    with tab.expect_response(lambda r: r.request.method == "POST" and r.url.endswith(edit_path)) as posted:
        tab.locator(SAVE_DRAFT).click()
    assert posted.value.status in (200, 302), f"{site.short_code}: save answered {posted.value.status}"
    tab.wait_for_load_state()
    expect(tab.locator(".messages li.success")).to_contain_text(f"页面 '{title}' 已被更新")
    expect(tab.locator("#id_title")).to_have_value(title)


def _revision_titles(site, page_id):
    """The title of the page's latest revision, and every title in the schema's revisions."""
    from wagtail.models import Revision

    with schema_context(site.schema_name):
        page = ColumnPage.objects.get(pk=page_id)
        latest = page.get_latest_revision()
        all_titles = {revision.content.get("title") for revision in Revision.objects.all()}
        return page, latest.content["title"], all_titles | set(ColumnPage.objects.values_list("title", flat=True))


def test_one_sign_in_two_sites_in_two_tabs(app_server, browser_context, artifacts_dir):
    site_a, site_b, site_c = make_online_site(), make_online_site(), make_online_site()
    editor = make_user("editor")
    grant(editor, site_a, "editor")
    grant(editor, site_b, "editor")
    set_server_password(editor, PASSWORD)
    page_a, page_b = _column_id(site_a), _column_id(site_b)
    title_a, title_b = f"甲站新闻 {unique('a')}", f"乙站新闻 {unique('b')}"

    # Sign in once on the console.
    home = browser_context.new_page()
    home.goto(app_server.console("/login/"))
    home.fill("#id_username", editor.username)
    home.fill("#id_password", PASSWORD)
    with home.expect_navigation():
        home.click("form button[type=submit]:has-text('登录')")
    expect(home).to_have_url(app_server.console("/"))
    expect(home.locator("h1")).to_have_text("我的网站")
    for site in (site_a, site_b):
        expect(home.locator("tr", has_text=site.name).locator(f"a[data-site='{site.short_code}']")
               ).to_have_text("进入后台")
    expect(home.locator(f"a[data-site='{site_c.short_code}']")).to_have_count(0)

    # Each site's back office in its own tab of the same browser context (one session cookie).
    tab_a = _open_backoffice(browser_context, home, site_a)
    tab_b = _open_backoffice(browser_context, home, site_b)

    # Interleaved: both editors open, edit A, edit B, save A, save B.
    _open_editor(tab_a, app_server, site_a, page_a)
    _open_editor(tab_b, app_server, site_b, page_b)
    tab_a.fill("#id_title", title_a)
    tab_b.fill("#id_title", title_b)
    _save_draft(tab_a, site_a, page_a, title_a)
    _save_draft(tab_b, site_b, page_b, title_b)
    tab_a.screenshot(path=str(artifacts_dir / "backoffice_site_a.png"))
    tab_b.screenshot(path=str(artifacts_dir / "backoffice_site_b.png"))

    # Each draft landed in its own site's schema, and only there.
    column_a, latest_a, titles_in_a = _revision_titles(site_a, page_a)
    column_b, latest_b, titles_in_b = _revision_titles(site_b, page_b)
    assert latest_a == title_a
    assert latest_b == title_b
    assert title_b not in titles_in_a
    assert title_a not in titles_in_b
    # A draft: the live pages keep their titles until published.
    assert column_a.title == column_b.title == "新闻动态"
    assert column_a.has_unpublished_changes and column_b.has_unpublished_changes

    # A site without a grant is refused, in the same session.
    tab_c = browser_context.new_page()
    response = tab_c.goto(app_server.console(f"/s/{site_c.short_code}/admin/"))
    assert response.status == 403
    expect(tab_c.locator("body")).to_contain_text("无权访问")
