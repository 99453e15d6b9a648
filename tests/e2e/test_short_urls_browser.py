"""In Chromium: a published policy answers at /zwgk/zcwj/<yyyymm>/t<yyyymmdd>_<id>.html
on the site's own host, still after a title change, its old URL answers 301 after a move,
and the editor previews it with the public theme at phone and desktop widths."""
import re

import pytest
from django.db import transaction
from django_tenants.utils import tenant_context
from playwright.sync_api import expect
from wagtail.models import Page

from tenants.columns.models import ColumnPage
from tests.e2e.support import set_server_password, sign_in
from tests.factories import PASSWORD, staffed_site
from tests.factories.content import add_policy, fresh, publish_through_review

pytestmark = pytest.mark.browser

SHORT_POLICY_PATH = re.compile(r"^/zwgk/zcwj/\d{6}/t\d{8}_\d+\.html$")


def _public(server, site, path):
    return f"http://{site.primary_host}:{server.port}{path}"


def test_a_policy_keeps_its_short_url_and_301s_after_a_move(app_server, browser_context):
    site, editor, reviewer = staffed_site()
    with tenant_context(site):
        policy = publish_through_review(add_policy(user=editor, title="关于印发示范省数字政府建设方案的通知"),
                                        editor, reviewer)
        url = policy.url
    assert SHORT_POLICY_PATH.match(url), url

    reader = browser_context.new_page()
    response = reader.goto(_public(app_server, site, url))
    assert response.status == 200
    expect(reader.locator("main")).to_contain_text("关于印发示范省数字政府建设方案的通知")
    # The column lists it by that URL.
    reader.goto(_public(app_server, site, "/zwgk/zcwj/"))
    expect(reader.locator(f"a[href='{url}']")).to_be_visible()

    with tenant_context(site):
        policy.title = "关于印发示范省数字政府建设实施方案的通知"
        policy.save_revision(user=editor)
        policy = publish_through_review(policy, editor, reviewer)
        assert policy.url == url
    response = reader.goto(_public(app_server, site, url))
    assert response.status == 200
    expect(reader.locator("main")).to_contain_text("建设实施方案")

    with tenant_context(site):
        with transaction.atomic():  # as the back office's move does (outbox event included)
            Page.objects.get(pk=policy.pk).move(ColumnPage.objects.get(slug="tzgg"), pos="last-child")
        new_url = fresh(policy).url
    assert new_url != url and new_url.startswith("/xwdt/tzgg/")
    response = reader.goto(_public(app_server, site, url))
    assert response.status == 200 and response.url == _public(app_server, site, new_url)
    first_hop = response.request.redirected_from.response()
    assert first_hop.url == _public(app_server, site, url) and first_hop.status == 301
    expect(reader.locator("main")).to_contain_text("建设实施方案")


def test_preview_shows_the_public_template_at_phone_and_desktop_widths(app_server, browser_context):
    site, editor, _reviewer = staffed_site()
    set_server_password(editor, PASSWORD)
    with tenant_context(site):
        draft = add_policy(user=editor, title="关于预览效果的通知", body_text="预览正文内容")
    tab = sign_in(browser_context, app_server, editor)
    tab.goto(app_server.console(f"/s/{site.short_code}/admin/pages/{draft.pk}/edit/"))
    tab.locator("button[data-side-panel-toggle='preview']").click()
    frame_element = tab.locator("#w-preview-iframe")
    expect(frame_element).to_be_visible()
    preview = tab.frame_locator("#w-preview-iframe")
    # The public theme: the site's name in its header, the page's metadata table.
    expect(preview.locator("header")).to_contain_text(site.name)
    expect(preview.locator("main")).to_contain_text("预览正文内容")
    expect(preview.locator("main")).to_contain_text("索引号")
    widths = {}
    for size in ("desktop", "mobile"):
        tab.locator(f"input[name='preview-size'][value='{size}']").check()
        expect(tab.locator(f"input[name='preview-size'][value='{size}']")).to_be_checked()
        tab.wait_for_timeout(300)
        widths[size] = frame_element.evaluate("el => el.contentWindow.innerWidth")
    assert widths == {"desktop": 1280, "mobile": 360}
