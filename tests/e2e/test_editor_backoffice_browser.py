"""In Chromium, as the editor of two sites: the band names the open site; the switcher
opens the same screen on the other site; the dashboard shows the editor's draft and the
item returned with the reviewer's comment, and the reviewer the item awaiting review;
no screen shows "Root" or Wagtail's logo, and the help menu opens the platform's guide."""
import re

import pytest
from django_tenants.utils import tenant_context
from playwright.sync_api import expect

from tests.e2e.support import set_server_password, sign_in
from tests.factories import PASSWORD, grant, make_online_site, make_user
from tests.factories.content import add_article, fresh, submit

pytestmark = pytest.mark.browser

BAND = "[data-site-band]"


def _no_root_no_bird(tab):
    expect(tab.get_by_text(re.compile(r"^Root$"))).to_have_count(0)
    expect(tab.locator("svg.wagtail-logo, .wagtail-logo-container")).to_have_count(0)


def test_the_editor_of_two_sites_always_knows_which_site_is_open(app_server, browser_context, artifacts_dir):
    site_a, site_b = make_online_site(), make_online_site()
    editor, reviewer = make_user("editor"), make_user("reviewer")
    for site in (site_a, site_b):
        grant(editor, site, "editor")
    grant(reviewer, site_a, "reviewer")
    for person in (editor, reviewer):
        set_server_password(person, PASSWORD)
    with tenant_context(site_a):
        add_article(user=editor, title="甲站尚未提交的草稿")
        returned = add_article(user=editor, title="甲站被退回的新闻")
        submit(returned, editor)
        task_state = fresh(returned).current_workflow_task_state
        task_state.task.specific.on_action(task_state, reviewer, "reject", comment="请核实发布时间")
        submit(add_article(user=editor, title="甲站等待审核的新闻"), editor)
        edited = add_article(user=editor, title="甲站正在编辑的新闻")

    tab = sign_in(browser_context, app_server, editor)
    tab.goto(app_server.console(f"/s/{site_a.short_code}/admin/"))
    band = tab.locator(BAND)
    expect(band).to_contain_text(site_a.name)
    expect(band).to_contain_text("省级门户网站")
    # The band sits above the content, beside the sidebar, not under it.
    sidebar_box = tab.locator("#wagtail-sidebar").bounding_box()
    band_box = band.bounding_box()
    assert band_box["x"] >= sidebar_box["x"] + sidebar_box["width"] - 1 or band_box["y"] + band_box["height"] <= 80
    tab.screenshot(path=str(artifacts_dir / "backoffice-dashboard.png"), full_page=True)

    # The dashboard: my draft, and the item returned with the reviewer's comment.
    drafts = tab.locator("[data-work-panel='jiyue_my_drafts']")
    expect(drafts).to_contain_text("甲站尚未提交的草稿")
    returned_panel = tab.locator("[data-work-panel='jiyue_returned_to_me']")
    expect(returned_panel).to_contain_text("甲站被退回的新闻")
    expect(returned_panel.locator("[data-comment]")).to_have_text("请核实发布时间")
    expect(tab.locator("[data-work-panel='jiyue_awaiting_my_review']")).not_to_contain_text("甲站等待审核的新闻")
    _no_root_no_bird(tab)

    # The switcher opens the same screen on the other site.
    tab.goto(app_server.console(f"/s/{site_a.short_code}/admin/images/"))
    tab.locator("[data-site-switcher] summary").click()
    with tab.expect_navigation():
        tab.locator(f"[data-switch-to='{site_b.short_code}']").click()
    expect(tab).to_have_url(app_server.console(f"/s/{site_b.short_code}/admin/images/"))
    expect(tab.locator(BAND)).to_contain_text(site_b.name)
    # From an edit screen, whose page does not exist on the other site: its page list.
    tab.goto(app_server.console(f"/s/{site_a.short_code}/admin/pages/{edited.pk}/edit/"))
    tab.locator("[data-site-switcher] summary").click()
    with tab.expect_navigation():
        tab.locator(f"[data-switch-to='{site_b.short_code}']").click()
    expect(tab).to_have_url(app_server.console(f"/s/{site_b.short_code}/admin/pages/"))
    expect(tab.locator(BAND)).to_contain_text(site_b.name)
    _no_root_no_bird(tab)
    expect(tab.locator("main")).to_contain_text(site_b.name)

    # The help menu opens the platform's own guide.
    tab.goto(app_server.console(f"/s/{site_a.short_code}/admin/"))
    tab.locator("#wagtail-sidebar").get_by_role("button", name="帮助").click()
    with tab.expect_navigation():
        tab.locator("#wagtail-sidebar").get_by_role("link", name="编辑指南").click()
    expect(tab).to_have_url(app_server.console(f"/s/{site_a.short_code}/admin/guide/"))
    expect(tab.locator("[data-editor-guide]")).to_contain_text("保密审查")

    # The reviewer starts the day with the item awaiting review.
    reviewer_tab = sign_in(browser_context.browser.new_context(locale="zh-CN"), app_server, reviewer)
    reviewer_tab.goto(app_server.console(f"/s/{site_a.short_code}/admin/"))
    review = reviewer_tab.locator("[data-work-panel='jiyue_awaiting_my_review']")
    expect(review).to_contain_text("甲站等待审核的新闻")
    expect(review).to_contain_text("提交于")
    expect(reviewer_tab.locator("[data-site-switcher]")).to_have_count(0)  # one site only
    reviewer_tab.context.close()
