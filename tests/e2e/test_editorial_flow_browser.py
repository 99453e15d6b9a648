"""The editorial flow in Chromium, end to end: an editor writes a 政策文件 whose title
carries a blocking word, sees the word highlighted in 内容检查, is refused at 提交审核
(the draft is kept), fixes the title and submits; a reviewer approves with the
保密审查 confirmation (first forgetting the box, then ticking it); the page is live on
the site's own host with its 索引号."""
import re

import pytest
from django_tenants.utils import schema_context
from playwright.sync_api import expect
from wagtail.models import WorkflowState

from tenants.checks.services.dictionaries import add_term, create_dictionary
from tenants.columns.models import ColumnPage
from tenants.content.models import PolicyDocumentPage
from tenants.review.models import SecrecyReview
from tests.e2e.support import set_server_password, sign_in
from tests.factories import PASSWORD, staffed_site

pytestmark = pytest.mark.browser

COLUMN_SLUG = "zcwj"  # 政策文件, in every site's default column tree
BLOCKED_WORD = "违禁样词"  # in the site's own sensitive-word dictionary, severity 禁止
BAD_TITLE = f"关于{BLOCKED_WORD}专项整治的通知"
GOOD_TITLE = "关于开展营商环境专项整治的通知"
ISSUING_ORGAN = "测试省人民政府办公厅"
TOPIC, GENRE = "综合政务", "通知"
BODY_TEXT = "各市人民政府，省政府各部门：现将有关事项通知如下。"

FORM = "#page-edit-form"
SAVE_DRAFT = f"{FORM} footer button.action-save:has-text('保存草稿')"
SUBMIT = f"{FORM} footer button[name='action-submit']"
MORE_ACTIONS = f"{FORM} footer .w-dropdown-button button.w-dropdown__toggle"
CHECK_PANEL = "section[data-content-check]"
REVIEW_PANEL = "[data-work-panel='jiyue_awaiting_my_review']"  # the dashboard's 等待我审核


def _open_backoffice(context, home, site):
    """The site's 进入后台 link on the console home page opens its back office in a new tab."""
    with context.expect_page() as new_tab:
        home.locator(f"a[data-site='{site.short_code}']").click()
    tab = new_tab.value
    tab.wait_for_load_state()
    expect(tab).to_have_url(re.compile(rf"/s/{site.short_code}/admin/$"))
    return tab


def _click_and_wait(tab, locator):
    """Click a button that posts the page form; wait for the page it lands on."""
    with tab.expect_navigation():
        tab.locator(locator).click()
    tab.wait_for_load_state()


def _submit_for_review(tab):
    """提交审核 sits in the footer's 更多操作 dropdown, under 保存草稿."""
    tab.locator(MORE_ACTIONS).click()
    expect(tab.locator(SUBMIT)).to_be_visible()
    _click_and_wait(tab, SUBMIT)


def _fill_date(tab, selector, value):
    field = tab.locator(selector)
    field.fill(value)
    field.press("Escape")


def _add_body_paragraph(tab, text):
    tab.locator(f"{FORM} [data-contentpath='body'] button.c-sf-add-button").first.click()
    tab.get_by_role("option", name="正文").click()
    editor = tab.locator(f"{FORM} [data-contentpath='body'] .public-DraftEditor-content").first
    editor.click()
    editor.press_sequentially(text)
    expect(editor).to_contain_text(text)
    # Draftail writes its content into the block's hidden input a moment later.
    expect(tab.locator(f"{FORM} input[name='body-0-value']")).to_have_value(re.compile(re.escape(text)))


def test_editor_fixes_blocking_word_and_reviewer_publishes_with_secrecy_review(
        app_server, browser, tmp_path):
    # Set-up through the real services.
    site, editor, reviewer = staffed_site()
    for user in (editor, reviewer):
        set_server_password(user, PASSWORD)
    words = create_dictionary(acting_user=None, name="本站敏感词", kind="sensitive", site=site)
    add_term(words, acting_user=None, text=BLOCKED_WORD, category="测试", severity="block")
    with schema_context(site.schema_name):
        column_id = ColumnPage.objects.get(slug=COLUMN_SLUG).pk
    admin = app_server.console(f"/s/{site.short_code}/admin")

    editor_context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    reviewer_context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    for context in (editor_context, reviewer_context):
        context.set_default_timeout(10_000)
        context.set_default_navigation_timeout(15_000)
    try:
        # The editor signs in on the console and opens the site's back office.
        home = sign_in(editor_context, app_server, editor)
        tab = _open_backoffice(editor_context, home, site)

        # 政策文件 column -> 添加子页面 -> 政策文件.
        tab.goto(f"{admin}/pages/{column_id}/")
        expect(tab.locator("h1")).to_contain_text("政策文件")
        with tab.expect_navigation():
            tab.locator(f"a[href$='/pages/{column_id}/add_subpage/']").first.click()
        # The column takes several content types: choose 政策文件.
        with tab.expect_navigation():
            tab.locator(f"a[href*='/pages/add/content/policydocumentpage/{column_id}/']",
                        has_text="政策文件").click()
        expect(tab).to_have_url(re.compile(rf"/pages/add/content/policydocumentpage/{column_id}/"))

        tab.fill("#id_title", BAD_TITLE)
        tab.fill("#id_issuing_organ", ISSUING_ORGAN)
        _fill_date(tab, "#id_written_date", "2026-11-20")
        _fill_date(tab, "#id_publish_date", "2026-11-23")
        tab.select_option("#id_topic", label=TOPIC)
        tab.select_option("#id_genre", label=GENRE)
        _add_body_paragraph(tab, BODY_TEXT)
        _click_and_wait(tab, SAVE_DRAFT)

        # The draft is saved; 内容检查 marks the word.
        expect(tab).to_have_url(re.compile(r"/pages/\d+/edit/$"))
        page_id = int(re.search(r"/pages/(\d+)/edit/$", tab.url).group(1))
        panel = tab.locator(CHECK_PANEL)
        expect(panel.locator("[data-check-status]")).to_have_attribute("data-check-status", "block")
        finding = panel.locator("li[data-finding-severity='block']")
        expect(finding).to_have_count(1)
        expect(finding.locator("mark.check-block")).to_have_text(BLOCKED_WORD)
        expect(tab.locator(".messages li.error")).to_contain_text("禁止使用的词语")
        with schema_context(site.schema_name):
            index_number = PolicyDocumentPage.objects.get(pk=page_id).index_number
        assert re.fullmatch(rf"{re.escape(site.org_unit.code)}/\d{{4}}-\d{{5}}", index_number), index_number
        expect(tab.locator(FORM)).to_contain_text(index_number)  # 索引号, read-only, given on creation
        panel.scroll_into_view_if_needed()
        tab.screenshot(path=str(tmp_path / "content_check_highlight.png"))
        panel.screenshot(path=str(tmp_path / "content_check_panel.png"))

        # 提交审核 is refused with a message; the draft stays.
        _submit_for_review(tab)
        expect(tab).to_have_url(re.compile(rf"/pages/{page_id}/edit/$"))
        refusal = tab.locator(".messages li.error", has_text="不能提交审核")
        expect(refusal).to_contain_text(BLOCKED_WORD)
        expect(refusal).to_contain_text("草稿已保存")
        expect(tab.locator("#id_title")).to_have_value(BAD_TITLE)
        expect(panel.locator("mark.check-block")).to_have_text(BLOCKED_WORD)
        with schema_context(site.schema_name):
            draft = PolicyDocumentPage.objects.get(pk=page_id)
            assert not draft.live
            assert draft.get_latest_revision().as_object().title == BAD_TITLE
            assert not WorkflowState.objects.filter(object_id=str(page_id)).exists()

        # The editor fixes the title, saves (the check passes), then submits.
        tab.fill("#id_title", GOOD_TITLE)
        _click_and_wait(tab, SAVE_DRAFT)
        expect(panel.locator("[data-check-status]")).to_have_attribute("data-check-status", "pass")
        expect(panel.locator("mark.check-block")).to_have_count(0)
        _submit_for_review(tab)
        expect(tab.locator(".messages li.success", has_text="提交进行审核")).to_contain_text(GOOD_TITLE)
        with schema_context(site.schema_name):
            assert WorkflowState.objects.get(object_id=str(page_id)).status == WorkflowState.STATUS_IN_PROGRESS
            assert not PolicyDocumentPage.objects.get(pk=page_id).live

        # The reviewer, in a browser of their own, approves from the dashboard.
        reviewer_home = sign_in(reviewer_context, app_server, reviewer)
        review_tab = _open_backoffice(reviewer_context, reviewer_home, site)
        row = review_tab.locator(f"{REVIEW_PANEL} tr", has_text=GOOD_TITLE)
        expect(row).to_have_count(1)
        row.locator("button[data-workflow-action-url]", has_text="通过（保密审查）").click()
        modal = review_tab.locator(".modal-dialog")
        expect(modal.locator("input[name='secrecy_confirmed']")).to_be_visible()
        expect(modal).to_contain_text("不涉密")
        modal.locator("textarea[name='comment']").fill("同意发布")
        modal.locator("form button[type=submit]").click()
        expect(modal.locator(".error-message")).to_contain_text("通过前须确认保密审查结论为“不涉密”")
        with schema_context(site.schema_name):
            assert not PolicyDocumentPage.objects.get(pk=page_id).live
        modal.locator("input[name='secrecy_confirmed']").check()
        with review_tab.expect_navigation():
            modal.locator("form button[type=submit]").click()
        review_tab.wait_for_load_state()
        expect(review_tab.locator(f"{REVIEW_PANEL} tr", has_text=GOOD_TITLE)).to_have_count(0)

        with schema_context(site.schema_name):
            live = PolicyDocumentPage.objects.get(pk=page_id)
            assert live.live and live.title == GOOD_TITLE and live.index_number == index_number
            review = SecrecyReview.objects.get(revision=live.live_revision)
            assert review.reviewer_id == reviewer.pk and review.comment == "同意发布"
            _, _, path = live.get_url_parts()

        # The page on the site's own host.
        public = reviewer_context.new_page()
        response = public.goto(f"http://{site.primary_host}:{app_server.port}{path}")
        assert response.status == 200
        expect(public.locator("article h1")).to_have_text(GOOD_TITLE)
        expect(public.locator("td[data-field='index_number']")).to_have_text(index_number)
    finally:
        editor_context.close()
        reviewer_context.close()
