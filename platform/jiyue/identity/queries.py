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


def is_platform_staff(user) -> bool:
    """Approvers and ops see every site in the console."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or PlatformRoleGrant.objects.filter(user=user).exists()


def sites_for_user(user):
    """The sites a person may open in the back office, for the console's site list."""
    from tenants.registry.models import Site

    if user.is_superuser:
        return Site.objects.all()
    return Site.objects.filter(role_grants__user=user).distinct()


def roles_on_site(user, site) -> set[str]:
    return set(SiteRoleGrant.objects.filter(user=user, site=site).values_list("role", flat=True))
