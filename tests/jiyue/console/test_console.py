"""The provincial console over HTTP: sign-in, the site list, applying, approving and
provisioning, with clear Chinese messages for bad input and nothing half-written."""
import time

import pytest
from django.test import Client

from jiyue.identity.models import PlatformRole, SiteRole
from tenants.provisioning.models import JobStatus
from tenants.registry.models import Site, SiteStatus
from tests.celery_worker import celery_worker  # noqa: F401 -- fixture
from tests.factories import apply_site, grant, identity_code, make_online_site, make_province, make_user, unique
from tests.factories.clients import CONSOLE, signed_in


def test_wrong_password_gets_a_chinese_message():
    user = make_user()
    response = Client(HTTP_HOST=CONSOLE).post("/login/", {"username": user.username, "password": "wrong"})
    assert response.status_code == 200 and "用户名或密码不正确" in response.content.decode()


def test_home_lists_the_granted_sites_with_back_office_links():
    site_a, site_b, other = make_online_site(), make_online_site(), make_online_site()
    user = make_user()
    grant(user, site_a, SiteRole.EDITOR)
    grant(user, site_b, SiteRole.REVIEWER)
    page = signed_in(user).get("/").content.decode()
    assert f"/s/{site_a.short_code}/admin/" in page and f"/s/{site_b.short_code}/admin/" in page
    assert other.name not in page


def _application(unit, **overrides):
    code = unique("s")
    data = {"org_unit": unit.pk, "name": f"{unit.name}网站", "short_code": code,
            "hosts": f"www.{code}.test.localhost", "sponsor": unit.name, "identity_code": identity_code()}
    data.update(overrides)
    return data


def test_apply_approve_and_provision_through_the_console(celery_worker):
    ops = make_user(platform_role=PlatformRole.OPS)
    approver = make_user(platform_role=PlatformRole.APPROVER)
    data = _application(make_province())
    response = signed_in(ops).post("/sites/apply/", data)
    assert response.status_code == 302
    site = Site.objects.get(short_code=data["short_code"])
    assert site.status == SiteStatus.APPLYING and site.applied_by == ops

    assert signed_in(approver).post(f"/sites/{site.short_code}/approve/").status_code == 302
    assert signed_in(ops).post(f"/sites/{site.short_code}/provision/").status_code == 302
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and site.status != SiteStatus.ONLINE:
        time.sleep(0.2)
        site.refresh_from_db()
    assert site.status == SiteStatus.ONLINE
    detail = signed_in(ops).get(f"/sites/{site.short_code}/").content.decode()
    assert "已上线" in detail and "已完成" in detail
    assert site.provisioning_jobs.get().status == JobStatus.SUCCEEDED


@pytest.mark.parametrize("field, value, message", [
    ("identity_code", "12345", "网站标识码应为10位数字"),
    ("short_code", "Bad-Code", "网站代号只能由小写字母开头"),
    ("hosts", "not a host", "域名格式不正确"),
])
def test_bad_application_input_gets_a_400_with_a_chinese_message_and_writes_nothing(field, value, message):
    ops = make_user(platform_role=PlatformRole.OPS)
    data = _application(make_province(), **{field: value})
    response = signed_in(ops).post("/sites/apply/", data)
    assert response.status_code == 400 and message in response.content.decode()
    assert not Site.objects.filter(name=data["name"]).exists()


def test_duplicate_host_in_the_console_is_refused():
    taken = make_online_site()
    ops = make_user(platform_role=PlatformRole.OPS)
    data = _application(make_province(), hosts=taken.primary_host)
    response = signed_in(ops).post("/sites/apply/", data)
    assert response.status_code == 400 and "已被其他网站使用" in response.content.decode()


def test_approving_ones_own_application_is_refused_with_403():
    approver = make_user(platform_role=PlatformRole.APPROVER)
    site = apply_site(make_province(), applicant=approver)
    response = signed_in(approver).post(f"/sites/{site.short_code}/approve/")
    assert response.status_code == 403 and "不能审批自己提交的申请" in response.content.decode()
    site.refresh_from_db()
    assert site.status == SiteStatus.APPLYING


def test_unknown_site_code_in_the_console_is_404():
    ops = make_user(platform_role=PlatformRole.OPS)
    assert signed_in(ops).get("/sites/no_such_site/").status_code == 404
