"""Granting and revoking roles. The public grant row is the source of truth; the
membership of the matching Wagtail group inside the site's schema is written in the
same transaction, so the two never disagree."""
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from jiyue.audit.services import log_operation
from tenants.access.models import GroupMembership
from tenants.access.roles import GROUP_FOR_ROLE

from ..models import CONTENT_ROLES, PlatformRole, PlatformRoleGrant, SiteRole, SiteRoleGrant
from ..queries import has_platform_role, has_province_role, roles_on_site


def _check_may_grant(acting_user, site) -> str:
    """Refuses unless the person may manage the site's roles; returns the role they act in."""
    if acting_user is None:  # bootstrap (demo seed, CLI run by ops on the server)
        return ""
    if has_platform_role(acting_user, PlatformRole.OPS):
        return PlatformRole.OPS.label
    if SiteRole.SITE_ADMIN in roles_on_site(acting_user, site):
        return SiteRole.SITE_ADMIN.label
    raise PermissionDenied(_("Only ops staff or an administrator of this site can grant roles"))


def _check_separation(user, site, role) -> None:
    held = roles_on_site(user, site)
    if role == SiteRole.SITE_ADMIN and held & CONTENT_ROLES:
        raise ValidationError(_("A site administrator cannot also be an editor or reviewer of the same site "
                                "(system administration is kept apart from content work)"))
    if role in CONTENT_ROLES and SiteRole.SITE_ADMIN in held:
        raise ValidationError(_("An administrator of this site cannot also be its editor or reviewer "
                                "(system administration is kept apart from content work)"))


@transaction.atomic
def grant_site_role(user, site, role: str, *, acting_user) -> SiteRoleGrant:
    role = SiteRole(role)
    acting_role = _check_may_grant(acting_user, site)
    if not site.is_provisioned:
        raise ValidationError(_("The site has not been opened yet; no roles can be granted on it"))
    _check_separation(user, site, role)
    grant, created = SiteRoleGrant.objects.get_or_create(
        user=user, site=site, role=role, defaults={"granted_by": acting_user}
    )
    with schema_context(site.schema_name):
        group = Group.objects.get(name=GROUP_FOR_ROLE[role])
        GroupMembership.objects.get_or_create(user=user, group=group)
    if created:
        log_operation("grant_site_role", acting_user=acting_user, site=site, role=acting_role,
                      after={"user": user.username, "role": role})
    return grant


@transaction.atomic
def revoke_site_role(user, site, role: str, *, acting_user) -> None:
    role = SiteRole(role)
    acting_role = _check_may_grant(acting_user, site)
    deleted, _by_model = SiteRoleGrant.objects.filter(user=user, site=site, role=role).delete()
    if site.is_provisioned:
        with schema_context(site.schema_name):
            GroupMembership.objects.filter(user=user, group__name=GROUP_FOR_ROLE[role]).delete()
    if deleted:
        log_operation("revoke_site_role", acting_user=acting_user, site=site, role=acting_role,
                      before={"user": user.username, "role": role})


def _check_may_grant_platform_role(acting_user) -> str:
    if acting_user is None:  # bootstrap (demo seed, CLI run on the server)
        return ""
    if acting_user.is_superuser or has_province_role(acting_user, PlatformRole.APPROVER):
        return _("provincial office")
    raise PermissionDenied(_("Only the provincial office (a province-wide approver) can grant platform roles"))


@transaction.atomic
def grant_platform_role(user, role: str, *, acting_user, org_unit=None) -> PlatformRoleGrant:
    """Grant approver or ops; an approver's grant may be scoped to a government's office
    (`org_unit`), which then reviews the lifecycle requests of the units under it."""
    role = PlatformRole(role)
    acting_role = _check_may_grant_platform_role(acting_user)
    if org_unit is not None and role != PlatformRole.APPROVER:
        raise ValidationError(_("Only the approver role can be limited to a unit"))
    if org_unit is not None and org_unit.kind != "government":
        raise ValidationError(_("Approvers review for a government's office; %(unit)s is a department")
                              % {"unit": org_unit.name})
    grant, created = PlatformRoleGrant.objects.get_or_create(user=user, role=role, org_unit=org_unit,
                                                             defaults={"granted_by": acting_user})
    if created:
        log_operation("grant_platform_role", acting_user=acting_user, role=acting_role,
                      after={"user": user.username, "role": role, "unit": org_unit.name if org_unit else None})
    return grant


@transaction.atomic
def revoke_platform_role(user, role: str, *, acting_user, org_unit=None) -> None:
    role = PlatformRole(role)
    acting_role = _check_may_grant_platform_role(acting_user)
    if acting_user is not None and acting_user.pk == user.pk:
        raise ValidationError(_("You cannot revoke your own platform role"))
    deleted, _by_model = PlatformRoleGrant.objects.filter(user=user, role=role, org_unit=org_unit).delete()
    if deleted:
        log_operation("revoke_platform_role", acting_user=acting_user, role=acting_role,
                      before={"user": user.username, "role": role, "unit": org_unit.name if org_unit else None})
