"""The naming rule of government websites (政府网站发展指引): a government portal is
called "<region>人民政府" or "<region>人民政府门户网站", a department's site
"<region><department>" or "<region><department>网站"."""
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from tenants.registry.models import OrgUnit, OrgUnitKind

GOVERNMENT_SUFFIX = "人民政府"


def region_of(org_unit: OrgUnit) -> str:
    government = org_unit if org_unit.kind == OrgUnitKind.GOVERNMENT else org_unit.parent
    return government.name.removesuffix(GOVERNMENT_SUFFIX) if government else ""


def allowed_site_names(org_unit: OrgUnit) -> list[str]:
    region = region_of(org_unit)
    full = org_unit.name if org_unit.name.startswith(region) else region + org_unit.name
    if org_unit.kind == OrgUnitKind.GOVERNMENT:
        return [full, full + "门户网站"]
    return [full, full + "网站"]


def check_site_name(org_unit: OrgUnit, name: str) -> str:
    name = name.strip()
    allowed = allowed_site_names(org_unit)
    if name not in allowed:
        raise ValidationError(
            _("The site name must follow the naming rule of government websites: for %(unit)s use “%(names)s”, "
              "not “%(name)s”")
            % {"unit": org_unit.name, "names": "” or “".join(allowed), "name": name})
    return name
