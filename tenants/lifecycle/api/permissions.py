"""What a unit API token may reach: its user's permissions (checked by the services)
intersected with its org unit's subtree. Lookups of requests and sites pass
`within_unit=token.org_unit` to the access_* queries (out of scope reads as 404, as
for anything the user may not see); naming a unit out of scope in a new application
is refused with a 403 here."""
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from rest_framework.permissions import BasePermission

from ..lib.chain import units_below
from ..models import UnitApiToken


class HasUnitToken(BasePermission):
    def has_permission(self, request, view):
        return isinstance(request.auth, UnitApiToken) and request.user.is_authenticated


def check_unit_in_scope(token: UnitApiToken, org_unit) -> None:
    if org_unit.pk not in units_below(token.org_unit):
        raise PermissionDenied(_("This API token is limited to %(scope)s and the units under it; %(unit)s is "
                                 "outside its scope") % {"scope": token.org_unit.name, "unit": org_unit.name})
