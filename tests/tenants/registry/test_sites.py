"""The registry rules of DESIGN.md, enforced by tenants.registry.services.sites."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jiyue.audit.models import OperationLog
from tenants.registry.models import Domain, Level, OrgUnitKind, Site, SiteStatus
from tenants.registry.services.sites import (
    add_domain, approve_site_application, update_site_info,
)
from tests.factories import (
    apply_site, approver, make_online_site, make_province, make_unit, make_user, unique,
)


def _error(excinfo):
    return "；".join(excinfo.value.messages)


def test_one_site_per_unit_refuses_a_second_site():
    province = make_province()
    apply_site(province)
    with pytest.raises(ValidationError) as excinfo:
        apply_site(province)
    assert "一个单位最多开设一个网站" in _error(excinfo)


def test_county_department_gets_no_site():
    province = make_province()
    city = make_unit(province)
    county = make_unit(city)
    department = make_unit(county, kind=OrgUnitKind.DEPARTMENT)
    apply_site(province)
    apply_site(city)
    apply_site(county)
    with pytest.raises(ValidationError) as excinfo:
        apply_site(department)
    assert "县级政府部门" in _error(excinfo)
    assert not Site.objects.filter(org_unit=department).exists()


def test_township_gets_no_site():
    province = make_province()
    city = make_unit(province)
    county = make_unit(city)
    township = make_unit(county)
    assert township.level == Level.TOWNSHIP
    with pytest.raises(ValidationError) as excinfo:
        apply_site(township)
    assert "乡镇" in _error(excinfo)


def test_parent_site_follows_the_org_hierarchy():
    province = make_province()
    province_site = apply_site(province)
    city = make_unit(province)
    city_site = apply_site(city)
    assert city_site.parent == province_site
    department = make_unit(city, kind=OrgUnitKind.DEPARTMENT)
    county = make_unit(city)
    # A county portal under the provincial portal skips a level.
    with pytest.raises(ValidationError) as excinfo:
        apply_site(county, parent=province_site)
    assert "上级网站层级不正确" in _error(excinfo)
    assert apply_site(department).parent == city_site


def test_parent_must_exist_before_child():
    province = make_province()
    city = make_unit(province)
    with pytest.raises(ValidationError) as excinfo:
        apply_site(city)
    assert "请先开设上级网站" in _error(excinfo)


def test_duplicate_host_is_refused_and_nothing_is_written():
    host = f"www.{unique()}.localhost"
    apply_site(make_province(), hosts=[host])
    province = make_province()
    code = unique("s")
    with pytest.raises(ValidationError) as excinfo:
        apply_site(province, code=code, hosts=[f"a.{code}.localhost", host.upper()])
    assert "已被其他网站使用" in _error(excinfo)
    assert not Site.objects.filter(short_code=code).exists()
    assert not Domain.objects.filter(domain=f"a.{code}.localhost").exists()


def test_duplicate_short_code_is_refused():
    site = apply_site(make_province())
    with pytest.raises(ValidationError) as excinfo:
        apply_site(make_province(), code=site.short_code)
    assert "网站代号" in _error(excinfo)


@pytest.mark.parametrize("code", ["123456789", "12345678901", "32000000ab", "9900000001"])
def test_invalid_identity_code_is_refused(code):
    with pytest.raises(ValidationError) as excinfo:
        apply_site(make_province(), identity_code=code)
    assert "网站标识码" in _error(excinfo)


def test_duplicate_identity_code_is_refused():
    site = apply_site(make_province())
    with pytest.raises(ValidationError) as excinfo:
        apply_site(make_province(), identity_code=site.identity_code)
    assert "已被使用" in _error(excinfo)


def test_console_host_cannot_be_a_site_host():
    with pytest.raises(ValidationError):
        apply_site(make_province(), hosts=["console.localhost"])


def test_nobody_approves_their_own_application():
    applicant = approver()
    site = apply_site(make_province(), applicant=applicant)
    with pytest.raises(PermissionDenied) as excinfo:
        approve_site_application(site, acting_user=applicant)
    assert "不能审批自己提交的申请" in str(excinfo.value)
    site.refresh_from_db()
    assert site.status == SiteStatus.APPLYING


def test_approval_needs_the_approver_role():
    site = apply_site(make_province())
    with pytest.raises(PermissionDenied):
        approve_site_application(site, acting_user=make_user())
    approve_site_application(site, acting_user=approver())
    site.refresh_from_db()
    assert site.status == SiteStatus.APPROVED
    assert OperationLog.objects.filter(site=site, action="approve_site_application").exists()


def test_codes_are_immutable_once_online_but_basic_info_is_filed():
    site = make_online_site()
    with pytest.raises(ValidationError) as excinfo:
        update_site_info(site, acting_user=None, identity_code="3299999999")
    assert "不能修改" in _error(excinfo)
    with pytest.raises(ValidationError):
        update_site_info(site, acting_user=None, short_code=unique("s"))
    update_site_info(site, acting_user=None, sponsor="新主办单位")
    site.refresh_from_db()
    assert site.sponsor == "新主办单位"
    assert OperationLog.objects.filter(site=site, action="update_site_info").exists()


def test_codes_may_change_while_applying():
    site = apply_site(make_province())
    new_code = unique("s")
    update_site_info(site, acting_user=None, short_code=new_code)
    site.refresh_from_db()
    assert site.short_code == new_code and site.schema_name == f"site_{new_code}"


def test_added_domain_is_unique_and_normalised():
    site = apply_site(make_province())
    domain = add_domain(site, f"Alias.{site.short_code}.LOCALHOST.", acting_user=None)
    assert domain.domain == f"alias.{site.short_code}.localhost"
    with pytest.raises(ValidationError):
        add_domain(apply_site(make_province()), domain.domain, acting_user=None)
