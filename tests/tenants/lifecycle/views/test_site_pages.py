"""The site-side lifecycle pages of the console over HTTP: the site list with status
filters scoped to the offices a person oversees, the hierarchy with counts, the site's
lifecycle page and its action forms, roles, and the operation log (page and CSV)."""
import csv
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jiyue.audit.models import OperationLog
from jiyue.identity.models import PlatformRole, PlatformRoleGrant, SiteRole, SiteRoleGrant
from tenants.lifecycle.models import RequestKind, SecurityCheck
from tenants.lifecycle.services.opening import submit_opening
from tenants.registry.models import Site, SiteStatus
from tests.factories import apply_site, grant, identity_code, make_user
from tests.factories.clients import signed_in
from tests.factories.lifecycle import approve_all, county_site, department, in_days, make_province_tree, opening_data

CSV_HEADER = ["时间", "操作人", "角色", "来源IP", "操作", "决定", "意见", "变更前", "变更后"]


@pytest.fixture
def tree():
    return make_province_tree()


def _link(site):
    return f"/lifecycle/sites/{site.short_code}/"


def _row(page, unit):
    match = re.search(rf'<tr data-unit="{unit.code}">(.*?)</tr>', page, re.S)
    assert match, f"{unit.name} is in the tree"
    return match.group(1)


# -- site list and hierarchy -------------------------------------------------------------
def test_site_list_filters_by_status_with_counts(tree):
    applying = apply_site(department("测试市教育局", tree.city))
    client = signed_in(tree.city_approver)
    page = client.get("/sites/").content.decode()
    assert _link(applying) in page and _link(tree.city_site) in page
    assert '/sites/?status=applying">' in page and '/sites/?status=online">' in page
    assert "/lifecycle/hierarchy/" in page

    online = client.get("/sites/?status=online").content.decode()
    assert _link(tree.city_site) in online and _link(applying) not in online
    pending = client.get("/sites/?status=applying").content.decode()
    assert _link(applying) in pending and _link(tree.city_site) not in pending


def test_city_approver_sees_the_city_s_sites_but_not_another_city_s(tree):
    other = make_province_tree()
    county, _admin = county_site(tree)
    response = signed_in(tree.city_approver).get("/sites/")
    page = response.content.decode()
    assert response.status_code == 200
    assert _link(tree.city_site) in page and _link(county) in page
    assert _link(other.city_site) not in page and _link(tree.province_site) not in page
    # Not the province's registry pages, which are for province-wide staff.
    assert f'href="/sites/{tree.city_site.short_code}/"' not in page
    assert signed_in(tree.city_approver).get(_link(other.city_site)).status_code == 404
    assert signed_in(tree.applicant).get("/sites/").status_code == 403


def test_hierarchy_shows_the_tree_with_counts_per_status(tree):
    county, _admin = county_site(tree)
    apply_site(department("测试市财政局", tree.city))
    response = signed_in(tree.city_approver).get("/lifecycle/hierarchy/")
    assert response.status_code == 200
    page = response.content.decode()
    city_row, county_row = _row(page, tree.city), _row(page, tree.county)
    assert 'data-status="online">已上线 2<' in city_row and 'data-status="applying">' in city_row
    assert 'data-status="online">已上线 1<' in county_row and "applying" not in county_row
    assert _link(tree.city_site) in city_row and _link(county) in county_row
    assert page.index(tree.city.code) < page.index(tree.county.code)
    assert f'data-unit="{tree.province.code}"' not in page
    assert signed_in(tree.applicant).get("/lifecycle/hierarchy/").status_code == 403


# -- roles ------------------------------------------------------------------------------
def test_site_admin_grants_an_editor_role_and_it_is_logged(tree):
    site, admin = county_site(tree)
    editor = make_user("editor")
    client = signed_in(admin)
    assert client.get(f"{_link(site)}roles/").status_code == 200
    before = timezone.now()
    response = client.post(f"{_link(site)}roles/", {"user": editor.username, "role": "editor"})
    assert response.status_code == 302
    assert SiteRoleGrant.objects.filter(user=editor, site=site, role=SiteRole.EDITOR).exists()
    entry = OperationLog.objects.get(site=site, action="grant_site_role", after__user=editor.username)
    assert entry.acting_user == admin and entry.created_at >= before and entry.source_ip == "127.0.0.1"
    roles_page = client.get(f"{_link(site)}roles/").content.decode()
    assert f'data-user="{editor.username}" data-role="editor"' in roles_page
    log_page = client.get(f"{_link(site)}log/").content.decode()
    assert "授予网站角色" in log_page and admin.username in log_page and editor.username in log_page


def test_site_admin_cannot_make_themselves_editor(tree):
    site, admin = county_site(tree)
    response = signed_in(admin).post(f"{_link(site)}roles/", {"user": admin.username, "role": "editor"})
    assert response.status_code == 400
    assert "不能同时担任编辑或审核" in response.content.decode()
    assert not SiteRoleGrant.objects.filter(user=admin, site=site, role=SiteRole.EDITOR).exists()


def test_an_editor_cannot_open_the_roles_page(tree):
    site, _admin = county_site(tree)
    editor = make_user("editor")
    grant(editor, site, SiteRole.EDITOR)
    client = signed_in(editor)
    assert client.get(f"{_link(site)}roles/").status_code == 403
    assert client.post(f"{_link(site)}roles/", {"user": editor.username, "role": "reviewer"}).status_code == 403
    assert not SiteRoleGrant.objects.filter(user=editor, site=site, role=SiteRole.REVIEWER).exists()


def test_site_admin_revokes_a_role(tree):
    site, admin = county_site(tree)
    editor = make_user("editor")
    granted = grant(editor, site, SiteRole.EDITOR)
    response = signed_in(admin).post(f"{_link(site)}roles/{granted.pk}/revoke/")
    assert response.status_code == 302 and not SiteRoleGrant.objects.filter(pk=granted.pk).exists()
    assert OperationLog.objects.filter(site=site, action="revoke_site_role", acting_user=admin).exists()


def test_the_province_grants_a_county_scoped_approver_role(tree):
    person = make_user("countyapprover")
    client = signed_in(tree.province_approver)
    assert client.get("/lifecycle/platform-roles/").status_code == 200
    response = client.post("/lifecycle/platform-roles/",
                           {"user": person.username, "role": "approver", "org_unit": tree.county.pk})
    assert response.status_code == 302
    granted = PlatformRoleGrant.objects.get(user=person)
    assert granted.role == PlatformRole.APPROVER and granted.org_unit == tree.county
    assert person.username in client.get("/lifecycle/platform-roles/").content.decode()
    # Ops cannot be limited to a unit: the service's message, on the page.
    refused = client.post("/lifecycle/platform-roles/",
                          {"user": person.username, "role": "ops", "org_unit": tree.county.pk})
    assert refused.status_code == 400 and not PlatformRoleGrant.objects.filter(user=person, role="ops").exists()
    # A city's approver is not the provincial office.
    assert signed_in(tree.city_approver).get("/lifecycle/platform-roles/").status_code == 403


# -- operation log --------------------------------------------------------------------------
def test_log_page_lists_entries_and_the_csv_has_bom_header_and_rows(tree):
    site, admin = county_site(tree)
    for prefix in ("editor", "reviewer"):
        signed_in(admin).post(f"{_link(site)}roles/", {"user": make_user(prefix).username, "role": prefix})
    client = signed_in(admin)
    page = client.get(f"{_link(site)}log/")
    assert page.status_code == 200
    body = page.content.decode()
    entries = OperationLog.objects.filter(site=site)
    assert body.count("<tr data-action=") == entries.count()
    only_grants = client.get(f"{_link(site)}log/?action=grant_site_role").content.decode()
    assert only_grants.count("<tr data-action=") == entries.filter(action="grant_site_role").count()

    response = client.get(f"{_link(site)}log.csv")
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"].startswith("text/csv")
    raw = b"".join(response.streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == CSV_HEADER
    assert len(rows) - 1 == entries.count()
    newest = entries.order_by("-created_at", "-id").first()
    assert rows[1][1] == admin.username and rows[1][3] == "127.0.0.1" and rows[1][4] == "授予网站角色"
    assert newest.action == "grant_site_role"
    grants = list(csv.reader(io.StringIO(
        b"".join(client.get(f"{_link(site)}log.csv?action=grant_site_role").streaming_content).decode("utf-8-sig"))))
    assert len(grants) == 1 + entries.filter(action="grant_site_role").count() == 4


def test_log_is_paginated_by_50(tree):
    site, admin = county_site(tree)
    for _ in range(26):  # each grant and revoke is one entry
        user = make_user("editor")
        granted = grant(user, site, SiteRole.EDITOR)
        signed_in(admin).post(f"{_link(site)}roles/{granted.pk}/revoke/")
    total = OperationLog.objects.filter(site=site).count()
    assert total > 50
    client = signed_in(admin)
    first = client.get(f"{_link(site)}log/").content.decode()
    assert first.count("<tr data-action=") == 50 and "page=2" in first
    second = client.get(f"{_link(site)}log/?page=2").content.decode()
    assert second.count("<tr data-action=") == total - 50


def test_the_log_is_not_shown_to_someone_who_does_not_oversee_the_site(tree):
    site, _admin = county_site(tree)
    other = make_province_tree()
    assert signed_in(other.city_approver).get(f"{_link(site)}log/").status_code == 404
    assert signed_in(other.city_approver).get(f"{_link(site)}log.csv").status_code == 404


# -- the site's lifecycle page and its actions -----------------------------------------------
def _prelaunch_site(tree):
    request = submit_opening(acting_user=tree.applicant, org_unit=tree.county, **opening_data(tree.county))
    approve_all(request, tree.approvers_for(tree.county))
    site = Site.objects.get(pk=request.site_id)
    assert site.status == SiteStatus.PRELAUNCH
    return site, request


def test_ops_record_a_security_check_and_go_live_through_the_page(tree, in_process_tasks):
    site, request = _prelaunch_site(tree)
    client = signed_in(tree.ops)
    page = client.get(_link(site)).content.decode()
    assert 'id="form-security-check"' in page and 'id="form-go-live"' in page
    assert f"/lifecycle/requests/{request.pk}/" in page and site.primary_host in page
    approver_page = signed_in(tree.county_approver).get(_link(site))
    assert approver_page.status_code == 200 and 'id="form-security-check"' not in approver_page.content.decode()

    refused = client.post(f"{_link(site)}go-live/", {"identity_code": identity_code()})
    assert refused.status_code == 400 and "安全检测" in refused.content.decode()

    report = SimpleUploadedFile("检测报告.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
                                content_type="application/pdf")
    response = client.post(f"{_link(site)}security-check/", {"result": "passed", "summary": "无高危漏洞",
                                                             "report": report})
    assert response.status_code == 302
    check = SecurityCheck.objects.get(site=site)
    assert check.checked_by == tree.ops and check.report is not None

    code = identity_code()
    response = client.post(f"{_link(site)}go-live/", {"identity_code": code})
    assert response.status_code == 302
    site.refresh_from_db()
    assert site.status == SiteStatus.ONLINE and site.identity_code == code
    page = client.get(_link(site)).content.decode()
    assert "无高危漏洞" in page and 'id="form-go-live"' not in page
    for label in ("提交开办申请", "记录安全检测", "上线"):
        assert label in page


def test_a_failed_check_without_summary_is_refused_on_the_page(tree, in_process_tasks):
    site, _request = _prelaunch_site(tree)
    response = signed_in(tree.ops).post(f"{_link(site)}security-check/", {"result": "failed", "summary": ""})
    assert response.status_code == 400 and 'id="form-security-check"' in response.content.decode()
    assert not SecurityCheck.objects.filter(site=site).exists()


def test_temporary_offline_beyond_30_days_shows_the_message_with_400(tree):
    site, admin = county_site(tree)
    response = signed_in(admin).post(f"{_link(site)}temporary-offline/", {
        "reason": "改版", "planned_return_on": in_days(40).isoformat()})
    assert response.status_code == 400
    body = response.content.decode()
    assert "最长不超过 30 天" in body and "改版" in body  # the form keeps what was typed
    assert not site.lifecycle_requests.exists()


def test_temporary_offline_application_through_the_page(tree):
    site, admin = county_site(tree)
    response = signed_in(admin).post(f"{_link(site)}temporary-offline/", {
        "reason": "机房搬迁", "planned_return_on": in_days(10).isoformat()})
    assert response.status_code == 302
    request = site.lifecycle_requests.get()
    assert request.kind == RequestKind.TEMPORARY_OFFLINE and request.applicant == admin


def test_an_editor_sees_no_action_forms_and_cannot_post_them(tree):
    site, _admin = county_site(tree)
    editor = make_user("editor")
    grant(editor, site, SiteRole.EDITOR)
    client = signed_in(editor)
    assert client.get(_link(site)).status_code == 404  # not overseen nor administered
    response = signed_in(tree.city_approver).get(_link(site))
    assert response.status_code == 200 and 'id="form-temporary-offline"' not in response.content.decode()
    refused = signed_in(tree.city_approver).post(f"{_link(site)}temporary-offline/", {
        "reason": "改版", "planned_return_on": in_days(5).isoformat()})
    assert refused.status_code == 403 and not site.lifecycle_requests.exists()


def test_change_filing_sends_only_the_changed_fields(tree):
    site, admin = county_site(tree)
    client = signed_in(admin)
    page = client.get(_link(site)).content.decode()
    assert 'id="form-change"' in page
    data = {"name": site.name, "sponsor": site.sponsor, "operator": site.operator,
            "responsible_person": "李主任", "contact_phone": site.contact_phone,
            "contact_email": site.contact_email, "domain": site.primary_host, "reason": "负责人调整"}
    response = client.post(f"{_link(site)}change/", data)
    assert response.status_code == 302
    request = site.lifecycle_requests.get(kind=RequestKind.CHANGE)
    assert request.payload["changes"] == {"responsible_person": "李主任"}


def test_permanent_offline_checklist_items_are_recorded_through_the_page(tree):
    from tenants.lifecycle.models import ClosureItem, ClosureTask
    from tenants.lifecycle.services.offline import apply_for_permanent_offline

    site, admin = county_site(tree)
    request = apply_for_permanent_offline(site, acting_user=admin, reason="机构改革，并入市门户")
    approve_all(request, tree.approvers_for(tree.county))
    client = signed_in(admin)
    page = client.get(_link(site)).content.decode()
    assert 'id="closure"' in page and f"/lifecycle/sites/{site.short_code}/closure/{request.pk}/" in page
    item = ClosureItem.PAGES_ARCHIVED
    empty = client.post(f"{_link(site)}closure/{request.pk}/", {"item": item, f"{item}-item": item})
    assert empty.status_code == 400 and not ClosureTask.objects.get(request=request, item=item).done_at
    response = client.post(f"{_link(site)}closure/{request.pk}/",
                           {"item": item, f"{item}-item": item, f"{item}-note": "已归档至 WARC"})
    assert response.status_code == 302
    task = ClosureTask.objects.get(request=request, item=item)
    assert task.done_by == admin and task.note == "已归档至 WARC"
