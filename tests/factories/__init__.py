"""Test data made through the real services (Zulip's way: set up with do_* calls)."""
import itertools
import uuid

from jiyue.identity.models import PlatformRole, SiteRole
from jiyue.identity.services.roles import grant_platform_role, grant_site_role
from jiyue.identity.services.users import create_user
from tenants.provisioning.services.provision import provision_site
from tenants.registry.models import Level, OrgUnit, OrgUnitKind
from tenants.registry.services.sites import apply_for_site, approve_site_application

PASSWORD = "Jiyue-test-pass-2026"
_counter = itertools.count(1)


def unique(prefix="t"):
    return f"{prefix}{uuid.uuid4().hex[:10]}"


def make_user(prefix="user", platform_role=None, **kwargs):
    user = create_user(unique(prefix), PASSWORD, validate=False, **kwargs)
    if platform_role:
        grant_platform_role(user, platform_role, acting_user=None)
    return user


def make_province():
    return OrgUnit.objects.create(name=f"测试省{next(_counter)}", kind=OrgUnitKind.GOVERNMENT,
                                  level=Level.PROVINCE, code=unique("unit"))


def make_unit(parent, kind=OrgUnitKind.GOVERNMENT, level=None, name=None):
    return OrgUnit.objects.create(
        name=name or f"测试单位{next(_counter)}", kind=kind,
        level=level or (parent.level if kind == OrgUnitKind.DEPARTMENT else _below(parent.level)),
        parent=parent, code=unique("unit"))


def _below(level):
    return {Level.PROVINCE: Level.CITY, Level.CITY: Level.COUNTY, Level.COUNTY: Level.TOWNSHIP}[level]


def identity_code():
    return "32" + f"{uuid.uuid4().int % 10**8:08d}"


def apply_site(unit, *, applicant=None, code=None, hosts=None, **kwargs):
    code = code or unique("s")
    return apply_for_site(
        acting_user=applicant, org_unit=unit, name=kwargs.pop("name", f"{unit.name}网站"), short_code=code,
        hosts=hosts or [f"www.{code}.test.localhost"], sponsor=unit.name,
        identity_code=kwargs.pop("identity_code", identity_code()), **kwargs)


_approver = None


def approver():
    global _approver
    if _approver is None:
        _approver = make_user("approver", PlatformRole.APPROVER)
    return _approver


def make_online_site(unit=None, **kwargs):
    """A provisioned, online site (a province portal of its own unless a unit is given)."""
    site = apply_site(unit or make_province(), **kwargs)
    approve_site_application(site, acting_user=approver())
    return provision_site(site)


def grant(user, site, role):
    return grant_site_role(user, site, role, acting_user=None)


def staffed_site():
    """An online site with an editor and a reviewer: (site, editor, reviewer)."""
    site = make_online_site()
    editor, reviewer = make_user("editor"), make_user("reviewer")
    grant(editor, site, SiteRole.EDITOR)
    grant(reviewer, site, SiteRole.REVIEWER)
    return site, editor, reviewer
