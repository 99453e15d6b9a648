"""Temporary offline (once a year, at most 30 days, a 503 naming the site, the reason
and the return date, back by the beat, escalated when late) and permanent offline
(checklist, retired, hosts redirect to the parent portal, escalated when late)."""
import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client, override_settings
from django_tenants.utils import tenant_context

from jiyue.identity.models import SiteRole
from tenants.content.models import AnnouncementKind, AnnouncementPage
from tenants.lifecycle.models import ClosureItem, Notification, OfflinePeriod, RequestState
from tenants.lifecycle.services.offline import (apply_for_permanent_offline, apply_for_temporary_offline,
                                               complete_closure_item)
from tenants.lifecycle.services.schedule import run_lifecycle_schedule
from tenants.registry.models import Site, SiteStatus
from tests.factories import grant, make_user
from tests.factories.lifecycle import approve_all, county_site, in_days, make_province_tree


def _error(excinfo):
    return "；".join(getattr(excinfo.value, "messages", None) or [str(excinfo.value)])


@pytest.fixture
def tree():
    return make_province_tree()


def _offline(tree, site, admin, *, starts=0, days=10, reason="机房搬迁"):
    request = apply_for_temporary_offline(site, acting_user=admin, reason=reason, starts_on=in_days(starts),
                                          planned_return_on=in_days(starts + days))
    return approve_all(request, tree.approvers_for(tree.county))


def _get(host, path="/"):
    return Client(HTTP_HOST=host).get(path)


def test_temporary_offline_return_date_beyond_30_days_is_refused(tree):
    site, admin = county_site(tree)
    with pytest.raises(ValidationError) as excinfo:
        apply_for_temporary_offline(site, acting_user=admin, reason="改版", planned_return_on=in_days(31))
    assert "30" in _error(excinfo) and "天" in _error(excinfo)
    assert not site.lifecycle_requests.exists()


def test_temporary_offline_needs_the_site_admin(tree):
    site, _admin = county_site(tree)
    editor = make_user("editor")
    grant(editor, site, SiteRole.EDITOR)
    with pytest.raises(PermissionDenied):
        apply_for_temporary_offline(site, acting_user=editor, reason="改版", planned_return_on=in_days(5))


def test_temporary_offline_takes_the_site_down_with_a_503_naming_reason_and_return_date(tree):
    site, admin = county_site(tree)
    request = _offline(tree, site, admin, days=10, reason="机房搬迁")
    assert request.state == RequestState.APPROVED
    site.refresh_from_db()
    assert site.status == SiteStatus.TEMPORARILY_OFFLINE
    response = _get(site.primary_host)
    body = response.content.decode()
    assert response.status_code == 503
    assert site.name in body and "机房搬迁" in body and in_days(10).isoformat() in body
    assert response["Retry-After"]
    # Announced on the site (before it went down) and on its parent portal.
    for where in (site, tree.city_site):
        with tenant_context(where):
            assert AnnouncementPage.objects.filter(kind=AnnouncementKind.TEMPORARY_OFFLINE, live=True).exists()


def test_temporary_offline_refused_second_time_in_a_year(tree):
    site, admin = county_site(tree)
    _offline(tree, site, admin, days=3)
    run_lifecycle_schedule(today=in_days(3))
    site.refresh_from_db()
    assert site.status == SiteStatus.ONLINE
    with pytest.raises(ValidationError) as excinfo:
        apply_for_temporary_offline(site, acting_user=admin, reason="再次改版", starts_on=in_days(5),
                                    planned_return_on=in_days(8))
    assert "每年最多临时下线一次" in _error(excinfo)


def test_beat_brings_the_site_back_on_the_planned_date_and_records_it(tree):
    site, admin = county_site(tree)
    request = _offline(tree, site, admin, days=5)
    period = OfflinePeriod.objects.get(request=request)
    run_lifecycle_schedule(today=in_days(4))
    period.refresh_from_db()
    assert period.returned_at is None
    run_lifecycle_schedule(today=in_days(5))
    site.refresh_from_db()
    period.refresh_from_db()
    assert site.status == SiteStatus.ONLINE and period.returned_at is not None
    request.refresh_from_db()
    assert request.state == RequestState.COMPLETED
    assert _get(site.primary_host).status_code == 200


def test_planned_start_in_the_future_is_started_by_the_beat(tree):
    site, admin = county_site(tree)
    _offline(tree, site, admin, starts=2, days=5)
    site.refresh_from_db()
    assert site.status == SiteStatus.ONLINE
    run_lifecycle_schedule(today=in_days(2))
    site.refresh_from_db()
    assert site.status == SiteStatus.TEMPORARILY_OFFLINE


@override_settings(JIYUE_TEMPORARY_OFFLINE_AUTO_RETURN=False)
def test_site_still_down_past_its_date_is_escalated_to_the_province(tree):
    site, admin = county_site(tree)
    request = _offline(tree, site, admin, days=5)
    run_lifecycle_schedule(today=in_days(5))
    assert OfflinePeriod.objects.get(request=request).escalated_at is None
    run_lifecycle_schedule(today=in_days(6))
    run_lifecycle_schedule(today=in_days(7))  # escalated once, not every day
    notices = Notification.objects.filter(recipient=tree.province_approver, request=request,
                                          message__contains="超过计划恢复日期")
    assert notices.count() == 1 and site.name in notices.get().message
    assert OfflinePeriod.objects.get(request=request).escalated_at is not None


def _closure(tree, site, admin):
    request = apply_for_permanent_offline(site, acting_user=admin, reason="机构改革，并入市政府门户网站")
    return approve_all(request, tree.approvers_for(tree.county))


def test_permanent_offline_checklist_then_retired_and_hosts_redirect_to_the_parent(tree):
    site, admin = county_site(tree)
    request = _closure(tree, site, admin)
    tasks = {task.item: task for task in request.closure_tasks.all()}
    assert set(tasks) == set(ClosureItem.values)
    # The announcement on the parent portal is published and ticked off by approval.
    assert tasks[ClosureItem.PARENT_ANNOUNCEMENT].done_at is not None
    with tenant_context(tree.city_site):
        assert AnnouncementPage.objects.filter(kind=AnnouncementKind.PERMANENT_OFFLINE, live=True).exists()
    with pytest.raises(ValidationError):
        complete_closure_item(request, ClosureItem.PAGES_ARCHIVED, acting_user=tree.ops)  # no note, no file
    complete_closure_item(request, ClosureItem.CONTENT_INTEGRATED, acting_user=tree.ops, note="已迁入市门户")
    complete_closure_item(request, ClosureItem.PAGES_ARCHIVED, acting_user=tree.ops, note="WARC 已归档")
    site.refresh_from_db()
    assert site.status == SiteStatus.ONLINE
    complete_closure_item(request, ClosureItem.DOMAIN_DEREGISTERED, acting_user=admin, note="已注销")
    site.refresh_from_db()
    request.refresh_from_db()
    assert site.status == SiteStatus.RETIRED and request.state == RequestState.COMPLETED
    response = _get(site.primary_host, "/zwgk/")
    assert response.status_code == 301 and response["Location"] == f"http://{tree.city_site.primary_host}/"


def test_approved_closure_not_completed_in_time_is_escalated(tree):
    site, admin = county_site(tree)
    request = _closure(tree, site, admin)
    run_lifecycle_schedule(today=request.complete_by)
    request.refresh_from_db()
    assert request.escalated_at is None
    run_lifecycle_schedule(today=request.complete_by + datetime.timedelta(days=1))
    run_lifecycle_schedule(today=request.complete_by + datetime.timedelta(days=2))
    request.refresh_from_db()
    assert request.escalated_at is not None
    notice = Notification.objects.get(recipient=tree.province_approver, request=request, message__contains="未在")
    assert "内容整合至上级网站" in notice.message


def test_provincial_portal_cannot_be_closed_into_a_parent(tree):
    admin = make_user("siteadmin")
    grant(admin, tree.province_site, SiteRole.SITE_ADMIN)
    with pytest.raises(ValidationError):
        apply_for_permanent_offline(tree.province_site, acting_user=admin, reason="测试")
    assert Site.objects.get(pk=tree.province_site.pk).status == SiteStatus.ONLINE
