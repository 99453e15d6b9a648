"""Mandatory reposts (the 12-hour rule): a portal mandates its item for sites below it;
target sites see it in their queue or accept automatically; the issuer's dashboard
marks each site in time, late or missing; reminders go out before the deadline; the
overdue report exports as CSV and xlsx."""
import csv
import datetime
import io

import openpyxl
import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from jiyue.identity.models import SiteRole
from shared_library.reposting.models import Mandate, MandateTarget, Repost, RepostStatus
from shared_library.reposting.services import mandates
from shared_library.reposting.services.reposts import RepostRefused
from shared_library.resources.models import Resource
from tenants.columns.models import ColumnType
from tenants.lifecycle.models import Notification
from tenants.publishing.services.outbox import dispatch_pending_events
from tests.factories import grant, make_online_site, make_user
from tests.factories.clients import admin_url, signed_in
from tests.factories.content import add_article, approve, publish_through_review
from tests.factories.lifecycle import department, make_province_tree
from tests.shared_library.reposting.support import page_url, public_get


def _staff(site):
    editor, reviewer, admin = make_user("editor"), make_user("reviewer"), make_user("siteadmin")
    grant(editor, site, SiteRole.EDITOR)
    grant(reviewer, site, SiteRole.REVIEWER)
    grant(admin, site, SiteRole.SITE_ADMIN)
    return {"site": site, "editor": editor, "reviewer": reviewer, "admin": admin}


@pytest.fixture
def province():
    tree = make_province_tree()
    sites = {
        "province": _staff(tree.province_site), "city": _staff(tree.city_site),
        "county": _staff(make_online_site(tree.county)),
        "department": _staff(make_online_site(department("测试省教育厅", tree.province))),
        "elsewhere": _staff(make_online_site()),  # a portal of another province
    }
    issuer = sites["province"]
    with tenant_context(issuer["site"]):
        page = publish_through_review(add_article(user=issuer["editor"], title="关于做好全省冬季安全生产工作的通知",
                                                  body_text="各地要压实责任"), issuer["editor"], issuer["reviewer"])
    dispatch_pending_events()
    sites["resource"] = Resource.objects.get(site=issuer["site"], page_id=page.pk)
    return sites


def _mandate(province, targets=("city", "county"), **kwargs):
    issuer = province["province"]
    return mandates.issue_mandate(province["resource"], issuer_site=issuer["site"],
                                  target_sites=[province[name]["site"] for name in targets],
                                  column_type=ColumnType.PUBLISHING, acting_user=issuer["editor"], **kwargs)


def _state(mandate, name, province, now=None):
    return {row.target.site_id: row.state for row in mandates.states(mandate, now=now)}[province[name]["site"].pk]


def test_a_mandate_defaults_to_twelve_hours_and_reaches_the_queue_of_each_target(province):
    before = timezone.now()
    mandate = _mandate(province)
    assert datetime.timedelta(hours=12) <= mandate.deadline - before < datetime.timedelta(hours=12, minutes=1)
    for name in ("city", "county"):
        client = signed_in(province[name]["editor"])
        html = client.get(admin_url(province[name]["site"], "jiyue_mandate_queue")).content.decode()
        assert "关于做好全省冬季安全生产工作的通知" in html and 'data-state="pending"' in html
    html = signed_in(province["department"]["editor"]).get(
        admin_url(province["department"]["site"], "jiyue_mandate_queue")).content.decode()
    assert "冬季安全生产" not in html
    assert _state(mandate, "city", province) == mandates.Compliance.PENDING


def test_auto_accept_reposts_within_the_deadline_and_the_dashboard_shows_it_in_time(province):
    mandates.set_auto_accept(province["county"]["site"], True, acting_user=province["county"]["admin"])
    mandate = _mandate(province)
    assert mandates.auto_accept(mandate.pk) == 1
    record = Repost.objects.get(target_site=province["county"]["site"])
    assert record.status == RepostStatus.LIVE and record.accepted_directly and record.published_at <= mandate.deadline
    county = province["county"]["site"]
    html = public_get(county, page_url(county, record.page_id)).content.decode()
    assert "各地要压实责任" in html and f"来源：<a href=\"{province['resource'].url}\">" in html
    assert _state(mandate, "county", province) == mandates.Compliance.ON_TIME
    assert _state(mandate, "city", province) == mandates.Compliance.PENDING
    assert mandates.auto_accept(mandate.pk) == 0, "running it again reposts nothing twice"


def test_the_dashboard_marks_a_site_late_after_the_deadline_and_one_missing_without_a_repost(province):
    mandate = _mandate(province)
    city = province["city"]
    target = MandateTarget.objects.get(mandate=mandate, site=city["site"])
    record = mandates.accept_mandate(target, acting_user=city["editor"])
    assert record.status == RepostStatus.IN_REVIEW
    assert _state(mandate, "city", province) == mandates.Compliance.IN_REVIEW
    # The city's review takes too long: the deadline passes before it publishes.
    Mandate.objects.filter(pk=mandate.pk).update(deadline=timezone.now() - datetime.timedelta(minutes=5))
    mandate.refresh_from_db()
    with tenant_context(city["site"]):
        from wagtail.models import Page

        approve(Page.objects.get(pk=record.page_id).specific, city["reviewer"])
    dispatch_pending_events()
    assert _state(mandate, "city", province) == mandates.Compliance.LATE
    assert _state(mandate, "county", province) == mandates.Compliance.MISSING

    client = signed_in(province["province"]["editor"])
    site = province["province"]["site"]
    html = client.get(admin_url(site, "jiyue_mandate", mandate.pk)).content.decode()
    assert f'data-site="{city["site"].short_code}" data-state="late"' in html
    assert f'data-site="{province["county"]["site"].short_code}" data-state="missing"' in html
    assert "echarts-6.1.0.min.js" in html and 'id="compliance-data"' in html

    exported = client.get(admin_url(site, "jiyue_mandate_export", mandate.pk, "csv"))
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["网站", "网站代码", "转载情况"]
    assert {(row[1], row[2]) for row in rows[1:]} == {(city["site"].short_code, "逾期转载"),
                                                      (province["county"]["site"].short_code, "逾期未转载")}
    workbook = openpyxl.load_workbook(io.BytesIO(client.get(
        admin_url(site, "jiyue_mandate_export", mandate.pk, "xlsx")).content))
    sheet = workbook.active
    assert sheet["A1"].value == province["resource"].title and sheet.max_row == 4
    # Another site cannot see the dashboard.
    other = province["city"]
    assert signed_in(other["editor"]).get(admin_url(other["site"], "jiyue_mandate", mandate.pk)).status_code == 404


def test_reminders_go_to_the_editors_of_sites_that_have_not_reposted_before_the_deadline(province):
    mandate = _mandate(province, deadline=timezone.now() + datetime.timedelta(hours=3))
    mandates.set_auto_accept(province["county"]["site"], True, acting_user=None)
    mandates.auto_accept(mandate.pk)
    assert mandates.send_reminders() == 0, "three hours before the deadline is too early"
    later = timezone.now() + datetime.timedelta(hours=1, minutes=30)
    assert mandates.send_reminders(now=later) == 1
    notices = Notification.objects.filter(recipient=province["city"]["editor"])
    assert notices.count() == 1 and "冬季安全生产" in notices.get().message
    assert not Notification.objects.filter(recipient=province["county"]["editor"]).exists()
    assert mandates.send_reminders(now=later) == 0, "once per site"


def test_a_mandate_to_sites_outside_the_issuers_hierarchy_is_refused_and_nothing_is_written(province):
    with pytest.raises(RepostRefused, match=province["elsewhere"]["site"].name):
        _mandate(province, targets=("city", "elsewhere"))
    city = province["city"]
    with pytest.raises(RepostRefused, match="门户"):  # a department site is no portal
        mandates.issue_mandate(province["resource"], issuer_site=province["department"]["site"],
                               target_sites=[city["site"]], column_type=ColumnType.PUBLISHING,
                               acting_user=province["department"]["editor"])
    with pytest.raises(RepostRefused, match="本站"):  # the city mandates the province's item
        mandates.issue_mandate(province["resource"], issuer_site=city["site"],
                               target_sites=[province["county"]["site"]], column_type=ColumnType.PUBLISHING,
                               acting_user=city["editor"])
    with pytest.raises(RepostRefused, match="栏目"):  # news into an interaction column
        mandates.issue_mandate(
            province["resource"], issuer_site=province["province"]["site"], target_sites=[city["site"]],
            column_type=ColumnType.INTERACTION, acting_user=province["province"]["editor"])
    assert not Mandate.objects.filter(resource=province["resource"]).exists()


def test_only_the_site_administrator_switches_auto_accept_on(province):
    county = province["county"]
    with pytest.raises(RepostRefused):
        mandates.set_auto_accept(county["site"], True, acting_user=county["editor"])
    response = signed_in(county["admin"]).post(admin_url(county["site"], "jiyue_mandate_preference"),
                                               {"auto_accept": "on"})
    assert response.status_code == 302
    county["site"].refresh_from_db()
    assert county["site"].mandate_preference.auto_accept


def test_the_issuer_mandates_from_the_back_office_form(province):
    issuer = province["province"]
    client = signed_in(issuer["editor"])
    url = admin_url(issuer["site"], "jiyue_mandate_new", province["resource"].pk)
    form = client.get(url).content.decode()
    assert province["city"]["site"].name in form and province["elsewhere"]["site"].name not in form
    deadline = timezone.localtime() + datetime.timedelta(hours=6)
    response = client.post(url, {"targets": [province["city"]["site"].pk, province["department"]["site"].pk],
                                 "column_type": "publishing", "mode": "reference",
                                 "deadline": deadline.strftime("%Y-%m-%dT%H:%M"), "note": "请于今日转载"})
    assert response.status_code == 302, response.content.decode()[:2000]
    mandate = Mandate.objects.get(resource=province["resource"])
    assert {target.site_id for target in mandate.targets.all()} == {province["city"]["site"].pk,
                                                                    province["department"]["site"].pk}
    refused = client.post(url, {"targets": [], "column_type": "publishing", "mode": "reference",
                                "deadline": deadline.strftime("%Y-%m-%dT%H:%M")})
    assert refused.status_code == 400 and "请至少选择一个" in refused.content.decode()
