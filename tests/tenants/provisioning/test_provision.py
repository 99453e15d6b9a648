"""Provisioning: a complete site or nothing, idempotent, by a real Celery worker,
and its time does not depend on how many sites exist (bench/provision.py measures)."""
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django_tenants.utils import schema_context
from wagtail.models import Page
from wagtail.models import Site as WagtailSite

from jiyue.identity.models import PlatformRole
from tenants.columns.models import ColumnPage, SiteHomePage
from tenants.provisioning.models import JobStatus, ProvisioningJob
from tenants.provisioning.services.provision import provision_site, request_provisioning, run_provisioning_job
from tenants.registry.models import OrgUnitKind, Site, SiteStatus
from tenants.registry.services.sites import approve_site_application
from tenants.schemas.sql import schema_exists
from tests.celery_worker import celery_worker  # noqa: F401 -- fixture
from tests.factories import apply_site, approver, make_online_site, make_province, make_unit, make_user


def _approved_site(unit=None):
    site = apply_site(unit or make_province())
    approve_site_application(site, acting_user=approver())
    return site


def _schema_exists(name):
    with connection.cursor() as cursor:
        return schema_exists(cursor, name)


def test_portal_gets_root_page_wagtail_site_and_portal_column_tree():
    site = make_online_site()
    assert site.status == SiteStatus.ONLINE
    with schema_context(site.schema_name):
        home = SiteHomePage.objects.get()
        assert home.title == site.name and home.live
        wagtail_site = WagtailSite.objects.get()
        assert wagtail_site.hostname == site.primary_host and wagtail_site.root_page_id == home.pk
        top = [page.title for page in home.get_children()]
        assert top == ["政务公开", "政务服务", "互动交流", "概况", "新闻动态", "专题专栏"]
        assert ColumnPage.objects.get(slug="zcwj").get_parent().slug == "zwgk"


def test_department_site_gets_the_smaller_department_tree():
    province = make_province()
    make_online_site(province)
    department = make_unit(province, kind=OrgUnitKind.DEPARTMENT)
    site = make_online_site(department)
    with schema_context(site.schema_name):
        top = [page.title for page in SiteHomePage.objects.get().get_children()]
    assert top == ["机构概况", "新闻动态", "政务公开", "政务服务", "互动交流"]


def test_failure_at_the_last_step_leaves_no_schema_and_a_retry_succeeds(monkeypatch, in_process_tasks):
    site = _approved_site()
    from tenants.provisioning.services import provision

    def fail(*args, **kwargs):
        raise RuntimeError("模拟故障")
    monkeypatch.setattr(provision, "mark_site_provisioned", fail)
    job = request_provisioning(site, acting_user=None)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "模拟故障" in job.error
    assert not _schema_exists(site.schema_name)  # the clone was rolled back with the rest
    site.refresh_from_db()
    assert site.status == SiteStatus.PROVISIONING

    monkeypatch.undo()
    job = request_provisioning(site, acting_user=None)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    site.refresh_from_db()
    assert site.status == SiteStatus.ONLINE and _schema_exists(site.schema_name)


def test_provisioning_a_provisioned_site_changes_nothing():
    site = make_online_site()
    with schema_context(site.schema_name):
        pages_before = Page.objects.count()
    again = provision_site(Site.objects.get(pk=site.pk))
    assert again.status == SiteStatus.ONLINE
    with schema_context(site.schema_name):
        assert Page.objects.count() == pages_before

def test_a_redelivered_task_does_not_provision_twice(in_process_tasks):
    job = request_provisioning(_approved_site(), acting_user=None)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    assert run_provisioning_job(job.pk).status == JobStatus.SUCCEEDED  # the same task again


def test_a_site_that_is_not_approved_cannot_be_provisioned():
    site = apply_site(make_province())
    with pytest.raises(ValidationError) as excinfo:
        request_provisioning(site, acting_user=None)
    assert "只有已批准的网站可以开通" in "".join(excinfo.value.messages)
    assert not ProvisioningJob.objects.filter(site=site).exists()


def test_only_ops_or_approvers_request_provisioning():
    from django.core.exceptions import PermissionDenied

    site = _approved_site()
    with pytest.raises(PermissionDenied):
        request_provisioning(site, acting_user=make_user())


@pytest.mark.celery
def test_a_real_celery_worker_provisions_the_site_and_the_job_shows_progress(celery_worker):
    ops = make_user("ops", PlatformRole.OPS)
    site = _approved_site()
    job = request_provisioning(site, acting_user=ops)  # commits; on_commit sends the task
    assert job.status == JobStatus.QUEUED
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status in (JobStatus.SUCCEEDED, JobStatus.FAILED):
            break
        time.sleep(0.2)
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert job.duration_ms is not None and job.finished_at is not None
    site.refresh_from_db()
    assert site.status == SiteStatus.ONLINE
    with schema_context(site.schema_name):
        assert SiteHomePage.objects.count() == 1
