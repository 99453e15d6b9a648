"""Change filing (变更备案): filed with the supervising office; a domain change keeps
the old domain answering with 301s (and a notice) for a configured period, and an
announcement goes on the site."""
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django_tenants.utils import tenant_context

from jiyue.audit.models import OperationLog
from jiyue.identity.models import SiteRole
from tenants.content.models import AnnouncementKind, AnnouncementPage
from tenants.lifecycle.models import RequestState
from tenants.lifecycle.services.changes import file_change
from tenants.lifecycle.services.requests import decide_step
from tenants.lifecycle.services.schedule import run_lifecycle_schedule
from tenants.registry.models import Domain, Site
from tests.factories import grant, make_online_site, make_user, unique
from tests.factories.lifecycle import make_province_tree


def _error(excinfo):
    return "；".join(excinfo.value.messages)


@pytest.fixture
def county_site():
    tree = make_province_tree()
    site = make_online_site(tree.county)
    admin = make_user("siteadmin")
    grant(admin, site, SiteRole.SITE_ADMIN)
    return tree, site, admin


def test_change_filing_goes_to_the_supervising_office_only_and_applies_on_approval(county_site):
    tree, site, admin = county_site
    request = file_change(site, acting_user=admin, sponsor=f"{tree.county.name}办公室", responsible_person="李主任",
                          reason="机构调整")
    assert [step.office for step in request.steps.all()] == [tree.county]
    assert Site.objects.get(pk=site.pk).sponsor == site.sponsor  # nothing changes before approval
    decide_step(request, acting_user=tree.county_approver, decision="approve")
    request.refresh_from_db()
    site.refresh_from_db()
    assert request.state == RequestState.COMPLETED
    assert site.sponsor == f"{tree.county.name}办公室" and site.responsible_person == "李主任"
    entry = OperationLog.objects.get(lifecycle_request=request, action="apply_change_filing")
    assert entry.before["sponsor"] != entry.after["sponsor"]


def test_change_filing_that_changes_nothing_is_refused(county_site):
    _tree, site, admin = county_site
    with pytest.raises(ValidationError) as excinfo:
        file_change(site, acting_user=admin, sponsor=site.sponsor)
    assert "没有需要变更" in _error(excinfo)


def test_change_filing_refuses_a_taken_domain(county_site):
    tree, site, admin = county_site
    with pytest.raises(ValidationError) as excinfo:
        file_change(site, acting_user=admin, domain=tree.city_site.primary_host)
    assert "已被其他网站使用" in _error(excinfo)


def test_domain_change_keeps_the_old_domain_answering_301_then_expires(county_site):
    tree, site, admin = county_site
    old = site.primary_host
    new = f"www.{unique('n')}.gov.cn"
    request = file_change(site, acting_user=admin, domain=new, reason="域名规范化")
    decide_step(request, acting_user=tree.county_approver, decision="approve")
    site.refresh_from_db()
    assert site.primary_host == new
    response = Client(HTTP_HOST=old).get("/zwgk/zcwj/?page=2")
    assert response.status_code == 301
    assert response["Location"] == f"http://{new}/zwgk/zcwj/?page=2"
    assert new in response.content.decode()  # the notice, for clients that do not follow
    assert Client(HTTP_HOST=new).get("/").status_code == 200
    with tenant_context(site):
        notice = AnnouncementPage.objects.get(kind=AnnouncementKind.DOMAIN_CHANGE)
        assert notice.live and new in str(notice.body) and old in str(notice.body)
    old_domain = Domain.objects.get(domain=old)
    run_lifecycle_schedule(today=old_domain.redirect_until)
    assert Domain.objects.filter(domain=old).exists()
    run_lifecycle_schedule(today=old_domain.redirect_until + datetime.timedelta(days=1))
    assert not Domain.objects.filter(domain=old).exists()
    assert Client(HTTP_HOST=old).get("/").status_code == 404
