"""Reads about who may do what (permission-checked lookups live here too)."""
from .models import PlatformRole, PlatformRoleGrant, SiteRoleGrant


def can_enter_site(user, site_id: int) -> bool:
    if not user.is_active:
        return False
    if user.is_superuser:
        return True
    return SiteRoleGrant.objects.filter(user=user, site_id=site_id).exists()


def has_platform_role(user, role: PlatformRole) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return PlatformRoleGrant.objects.filter(user=user, role=role).exists()


def _province_wide(grants):
    """Grants not scoped to a unit below the province."""
    from django.db.models import Q
    from tenants.registry.models import Level

    return grants.filter(Q(org_unit__isnull=True) | Q(org_unit__level=Level.PROVINCE))


def has_province_role(user, role: PlatformRole) -> bool:
    """The role province-wide (the provincial office), not only for a city or county."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return _province_wide(PlatformRoleGrant.objects.filter(user=user, role=role)).exists()


def is_platform_staff(user) -> bool:
    """Province-wide approvers and ops see every site in the console (an approver of a
    city or county office sees the sites under that office: tenants.lifecycle)."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or _province_wide(PlatformRoleGrant.objects.filter(user=user)).exists()


def approver_unit_ids(user) -> set[int | None]:
    """The governments whose office this person reviews for (None: province-wide)."""
    if not user.is_authenticated or not user.is_active:
        return set()
    return set(PlatformRoleGrant.objects.filter(user=user, role=PlatformRole.APPROVER)
               .values_list("org_unit_id", flat=True))


def sites_for_user(user):
    """The sites a person may open in the back office, for the console's site list."""
    from tenants.registry.models import Site

    if user.is_superuser:
        return Site.objects.all()
    return Site.objects.filter(role_grants__user=user).distinct()


def roles_on_site(user, site) -> set[str]:
    return set(SiteRoleGrant.objects.filter(user=user, site=site).values_list("role", flat=True))
