"""A whole opening in Chromium, as the people do it: a county unit applies, the county,
city and provincial offices approve in their queues, a Celery worker provisions the site,
ops record the security check and take it live, and the public sees the 开通公告 on the
new site and on the city portal. Then a temporary offline: the public gets the 503 page
naming the reason and the return date, and the beat's run brings the site back."""
import datetime
import re
import time

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from jiyue.identity.models import SiteRole
from tenants.lifecycle.models import LifecycleRequest, RequestState
from tenants.lifecycle.services.schedule import run_lifecycle_schedule
from tenants.registry.models import Site, SiteStatus
from tests.e2e.support import set_server_password, sign_in
from tests.factories import PASSWORD, grant, make_user, unique
from tests.factories.lifecycle import make_province_tree

pytestmark = pytest.mark.browser


def _approve(browser, server, user, request_id):
    """The reviewer finds the request in their queue and approves it."""
    context = browser.new_context(locale="zh-CN")
    try:
        page = sign_in(context, server, user)
        page.goto(server.console("/lifecycle/queue/"))
        page.locator(f"a[href='/lifecycle/requests/{request_id}/']").first.click()
        page.wait_for_load_state()
        form = page.locator("form.decide")
        form.locator("input[name=decision][value=approve]").check()
        form.locator("textarea[name=comment]").fill("同意")
        form.locator("button[type=submit]").click()
        page.wait_for_load_state()
        expect(page.locator("form.decide")).to_have_count(0)
    finally:
        context.close()


def _wait_for(predicate, what, timeout=90):
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.5)


def _public(page, server, host, path="/"):
    return page.goto(f"http://{host}:{server.port}{path}")


def test_county_opening_walks_up_the_hierarchy_goes_live_and_returns_from_a_temporary_offline(
        browser, app_server, app_worker):
    tree = make_province_tree()
    people = [tree.applicant, tree.county_approver, tree.city_approver, tree.province_approver, tree.ops]
    for person in people:
        set_server_password(person, PASSWORD)
    code = unique("kb")
    host = f"www.{code}.localhost"
    site_name = f"{tree.county.name}门户网站"

    # The county's applicant applies.
    context = browser.new_context(locale="zh-CN")
    page = sign_in(context, app_server, tree.applicant)
    page.goto(app_server.console("/lifecycle/apply/"))
    form = page.locator("form").filter(has=page.locator("input[name=short_code]"))
    form.locator("input[name=name]").fill(site_name)
    form.locator("input[name=short_code]").fill(code)
    form.locator("textarea[name=hosts]").fill(host)
    form.locator("input[name=sponsor]").fill(tree.county.name)
    form.locator("input[name=responsible_person]").fill("王主任")
    form.locator("input[name=contact_phone]").fill("0571-88888888")
    form.locator("textarea[name=justification]").fill("政务公开和政务服务需要")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    expect(page).to_have_url(re.compile(r"/lifecycle/requests/\d+/$"))
    request_id = int(re.search(r"/requests/(\d+)/", page.url)[1])
    context.close()

    # County, city and provincial offices approve, each from their queue.
    for approver in (tree.county_approver, tree.city_approver, tree.province_approver):
        _approve(browser, app_server, approver, request_id)
    assert LifecycleRequest.objects.get(pk=request_id).state == RequestState.APPROVED
    site = Site.objects.get(short_code=code)
    _wait_for(lambda: Site.objects.get(pk=site.pk).status == SiteStatus.PRELAUNCH, "provisioning by the worker")

    # Pre-launch: the public gets "not yet open".
    context = browser.new_context(locale="zh-CN")
    public = context.new_page()
    assert _public(public, app_server, host).status == 404

    # Ops record the security check and take the site live.
    ops_context = browser.new_context(locale="zh-CN")
    ops = sign_in(ops_context, app_server, tree.ops)
    ops.goto(app_server.console(f"/lifecycle/sites/{code}/"))
    check = ops.locator(f"form[action='/lifecycle/sites/{code}/security-check/']")
    check.locator("select[name=result]").select_option("passed")
    check.locator("textarea[name=summary]").fill("漏洞扫描和渗透测试通过")
    check.locator("button[type=submit]").click()
    ops.wait_for_load_state()
    live = ops.locator(f"form[action='/lifecycle/sites/{code}/go-live/']")
    live.locator("input[name=identity_code]").fill("3201990042")
    live.locator("button[type=submit]").click()
    ops.wait_for_load_state()
    assert Site.objects.get(pk=site.pk).status == SiteStatus.ONLINE
    ops_context.close()

    # The public sees the site and its opening announcement, and the same on the city portal.
    title = f"关于{site_name}开通的公告"
    _wait_for(lambda: _public(public, app_server, host).status == 200, "the new site to answer")
    for where in (host, tree.city_site.primary_host):
        _public(public, app_server, where, "/xwdt/tzgg/")
        public.get_by_role("link", name=title).click()
        public.wait_for_load_state()
        expect(public.locator("h1")).to_contain_text(title)
        expect(public.locator("body")).to_contain_text("3201990042")

    # A temporary offline, applied for by the site's administrator and approved up the chain.
    admin = make_user("guanli")
    site.refresh_from_db()
    grant(admin, site, SiteRole.SITE_ADMIN)
    set_server_password(admin, PASSWORD)
    back_on = timezone.localdate() + datetime.timedelta(days=3)
    admin_context = browser.new_context(locale="zh-CN")
    admin_page = sign_in(admin_context, app_server, admin)
    admin_page.goto(app_server.console(f"/lifecycle/sites/{code}/"))
    offline = admin_page.locator(f"form[action='/lifecycle/sites/{code}/temporary-offline/']")
    offline.locator("input[name=reason]").fill("机房搬迁")
    offline.locator("input[name=planned_return_on]").fill(back_on.isoformat())
    offline.locator("button[type=submit]").click()
    admin_page.wait_for_load_state()
    admin_context.close()
    offline_request = LifecycleRequest.objects.get(site=site, kind="temporary_offline")
    for approver in (tree.county_approver, tree.city_approver, tree.province_approver):
        _approve(browser, app_server, approver, offline_request.pk)

    def down():
        response = _public(public, app_server, host)
        return response.status == 503
    _wait_for(down, "the 503 page")
    body = public.locator("body")
    expect(body).to_contain_text(site_name)
    expect(body).to_contain_text("机房搬迁")
    expect(body).to_contain_text(back_on.isoformat())

    # The beat's run on the planned date brings it back.
    run_lifecycle_schedule(today=back_on)
    _wait_for(lambda: _public(public, app_server, host).status == 200, "the site to come back")
    assert LifecycleRequest.objects.get(pk=offline_request.pk).state == RequestState.COMPLETED
    context.close()
