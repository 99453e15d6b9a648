"""A province with a city and a county, their portals, and the people of the lifecycle
workflows: an applicant of the county, approvers of the county, city and provincial
offices, and ops. Everything through the real services."""
import datetime
from dataclasses import dataclass

from jiyue.identity.models import PlatformRole, SiteRole, User
from jiyue.identity.services.roles import grant_platform_role
from tenants.lifecycle.lib.naming import allowed_site_names
from tenants.lifecycle.services.requests import decide_step
from tenants.registry.models import Level, OrgUnit, OrgUnitKind, Site

from . import _counter, grant, make_online_site, make_user, unique


@dataclass
class Province:
    province: OrgUnit
    city: OrgUnit
    county: OrgUnit
    province_site: Site
    city_site: Site
    applicant: User
    county_approver: User
    city_approver: User
    province_approver: User
    ops: User

    def approvers_for(self, unit) -> list[User]:
        if unit.level == Level.COUNTY:
            return [self.county_approver, self.city_approver, self.province_approver]
        if unit.level == Level.CITY:
            return [self.city_approver, self.province_approver]
        return [self.province_approver]


def government(name, level, parent=None):
    return OrgUnit.objects.create(name=name, kind=OrgUnitKind.GOVERNMENT, level=level, parent=parent,
                                  code=unique("unit"))


def department(name, parent):
    return OrgUnit.objects.create(name=name, kind=OrgUnitKind.DEPARTMENT, level=parent.level, parent=parent,
                                  code=unique("unit"))


def make_province_tree() -> Province:
    n = next(_counter)
    province = government(f"测{n}省人民政府", Level.PROVINCE)
    city = government(f"测{n}市人民政府", Level.CITY, province)
    county = government(f"测{n}县人民政府", Level.COUNTY, city)
    province_site = make_online_site(province)
    city_site = make_online_site(city)
    approver_of = {}
    for unit in (county, city):
        approver_of[unit.pk] = make_user("approver")
        grant_platform_role(approver_of[unit.pk], PlatformRole.APPROVER, acting_user=None, org_unit=unit)
    return Province(
        province=province, city=city, county=county, province_site=province_site, city_site=city_site,
        applicant=make_user("applicant", org_unit=county), county_approver=approver_of[county.pk],
        city_approver=approver_of[city.pk], province_approver=make_user("shengban", PlatformRole.APPROVER),
        ops=make_user("ops", PlatformRole.OPS))


def opening_data(unit, code=None, **overrides) -> dict:
    code = code or unique("o")
    data = {
        "name": allowed_site_names(unit)[-1], "kind": "portal" if unit.kind == OrgUnitKind.GOVERNMENT else "department",
        "short_code": code, "hosts": [f"www.{code}.gov.cn"], "sponsor": unit.name, "operator": f"{unit.name}办公室",
        "responsible_person": "王主任", "contact_phone": "0571-88888888", "contact_email": "wang@example.gov.cn",
        "column_plan": "", "justification": "政府信息公开和政务服务需要",
    }
    data.update(overrides)
    return data


def approve_all(request, approvers):
    for approver in approvers:
        request = decide_step(request, acting_user=approver, decision="approve")
    return request


def in_days(days: int) -> datetime.date:
    from django.utils import timezone

    return timezone.localdate() + datetime.timedelta(days=days)


def county_site(tree):
    """An online county portal under the tree's city portal, with a site administrator:
    (site, admin)."""
    site = make_online_site(tree.county)
    admin = make_user("siteadmin")
    grant(admin, site, SiteRole.SITE_ADMIN)
    return site, admin
