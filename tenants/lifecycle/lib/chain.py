"""The review chain of a request, from the org hierarchy: the office of the unit's own
government first, then each government above it, the provincial office last.

  county unit (or county government)  ->  county office -> city office -> provincial office
  city unit or city government        ->  city office -> provincial office
  provincial department or government ->  provincial office"""
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from tenants.registry.models import Level, OrgUnit, OrgUnitKind


def review_chain(org_unit: OrgUnit) -> list[OrgUnit]:
    government = org_unit if org_unit.kind == OrgUnitKind.GOVERNMENT else org_unit.parent
    chain = []
    seen = set()
    while government is not None:
        if government.pk in seen:  # a loop in the hierarchy is a data error, not a chain
            raise ValidationError(_("The unit hierarchy above %(unit)s contains a loop") % {"unit": org_unit.name})
        seen.add(government.pk)
        chain.append(government)
        if government.level == Level.PROVINCE:
            return chain
        government = government.parent
    raise ValidationError(_("%(unit)s is not under a provincial government, so its review chain cannot be "
                            "determined") % {"unit": org_unit.name})


def units_below(org_unit: OrgUnit) -> list[int]:
    """Ids of the unit and every unit under it (one query per level, the tree is shallow)."""
    ids, frontier = [org_unit.pk], [org_unit.pk]
    while frontier:
        frontier = list(OrgUnit.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        ids.extend(frontier)
    return ids
