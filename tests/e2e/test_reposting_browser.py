"""In Chromium: the provincial editor mandates a published policy for the city portal;
the city editor reposts it by live reference from the city's queue; both public sites
show it, the city's with 来源 linking to the province; the province withdraws it and it
disappears from the city site."""
import http.client
import time

import pytest
from django_tenants.utils import tenant_context
from playwright.sync_api import expect

from jiyue.identity.models import SiteRole
from shared_library.reposting.models import Repost
from shared_library.resources.models import Resource
from tenants.columns.models import ColumnPage
from tenants.publishing.services.outbox import dispatch_pending_events
from tests.e2e.support import set_server_password, sign_in
from tests.factories import PASSWORD, grant, make_user
from tests.factories.content import add_policy, publish_through_review
from tests.factories.lifecycle import make_province_tree

pytestmark = pytest.mark.browser

TITLE = "关于做好全省冬季清洁取暖工作的通知"


def _public(server, site, path):
    return f"http://{site.primary_host}:{server.port}{path}"


def _status(server, site, path):
    """What the public gets at `path` on the site's host (the server on loopback)."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    try:
        connection.request("GET", path, headers={"Host": f"{site.primary_host}:{server.port}"})
        response = connection.getresponse()
        return response.status, response.read().decode()
    finally:
        connection.close()


def _person(role, site):
    user = make_user(role)
    set_server_password(user, PASSWORD)
    grant(user, site, role)
    return user


def test_a_mandated_policy_is_reposted_by_live_reference_and_withdrawn_everywhere(
        app_server, app_worker, browser_context):
    tree = make_province_tree()
    province, city = tree.province_site, tree.city_site
    editor, reviewer = _person(SiteRole.EDITOR, province), _person(SiteRole.REVIEWER, province)
    city_editor = _person(SiteRole.EDITOR, city)
    with tenant_context(province):
        # Published through the province's review (the review screens have their own test).
        policy = publish_through_review(add_policy(user=editor, title=TITLE), editor, reviewer)
        policy_url = policy.url
    dispatch_pending_events()
    resource = Resource.objects.get(site=province, page_id=policy.pk)
    with tenant_context(city):
        city_column = ColumnPage.objects.get(slug="zcwj")
        city_column_url = city_column.url

    # The provincial editor mandates it for the city portals.
    tab = sign_in(browser_context, app_server, editor)
    tab.goto(app_server.console(f"/s/{province.short_code}/admin/library/issued/"))
    with tab.expect_navigation():
        tab.locator(f"[data-mandate-link='{resource.pk}']").click()
    tab.locator("button[data-select-sites]", has_text="全部市县门户网站").click()
    expect(tab.locator(f"input[name='targets'][value='{city.pk}']")).to_be_checked()
    with tab.expect_navigation():
        tab.locator("[data-mandate-submit]").click()
    expect(tab.locator(f"[data-compliance-table] tr[data-site='{city.short_code}']")).to_contain_text("待转载")
    expect(tab.locator("[data-compliance-chart][data-chart-ready]")).to_be_attached()

    # The city editor reposts it from the queue, by live reference, into 政策文件.
    city_tab = sign_in(browser_context, app_server, city_editor)
    city_tab.goto(app_server.console(f"/s/{city.short_code}/admin/library/mandates/"))
    row = city_tab.locator("[data-mandate-queue] tr[data-target-id]", has_text=TITLE)
    expect(row).to_have_attribute("data-state", "pending")
    row.locator("select").select_option(str(city_column.pk))
    expect(row.locator("input[value='reference']")).to_be_checked()
    with city_tab.expect_navigation():
        row.locator("button[data-accept]").click()
    expect(city_tab.locator(".messages")).to_contain_text("已转载")
    record = Repost.objects.get(target_site=city, resource=resource)
    # The city's reviewer approves it (city review), as any repost.
    city_reviewer = _person(SiteRole.REVIEWER, city)
    with tenant_context(city):
        from wagtail.models import Page

        from tests.factories.content import approve

        approve(Page.objects.get(pk=record.page_id).specific, city_reviewer)
        repost_url = Page.objects.get(pk=record.page_id).specific.url

    reader = browser_context.new_page()
    assert reader.goto(_public(app_server, province, policy_url)).status == 200
    expect(reader.locator("main h1")).to_contain_text(TITLE)
    reader.goto(_public(app_server, city, city_column_url))
    expect(reader.locator("main")).to_contain_text(TITLE)
    assert reader.goto(_public(app_server, city, repost_url)).status == 200
    source_link = reader.locator(".repost-source a")
    expect(source_link).to_have_text(province.name)
    expect(source_link).to_have_attribute("href", resource.url)
    expect(reader.locator("link[rel='canonical']")).to_have_attribute("href", resource.url)

    # The province withdraws it (its reviewer holds the publish right): gone from the city.
    reviewer_tab = sign_in(browser_context, app_server, reviewer)
    reviewer_tab.goto(app_server.console(f"/s/{province.short_code}/admin/pages/{policy.pk}/unpublish/"))
    with reviewer_tab.expect_navigation():
        reviewer_tab.locator("button[type=submit]", has_text="是，取消发布").click()
    assert _status(app_server, province, policy_url)[0] == 404, "unpublished at the source"
    deadline = time.monotonic() + 60
    while _status(app_server, city, repost_url)[0] != 404 and time.monotonic() < deadline:
        time.sleep(0.5)
    assert _status(app_server, city, repost_url)[0] == 404, Resource.objects.get(pk=resource.pk).status
    assert TITLE not in _status(app_server, city, city_column_url)[1]
    assert _status(app_server, province, policy_url)[0] == 404
