"""Reads of the checks app, and the permission-checked lookups the console uses.

Who may manage a dictionary: platform-wide ones, platform staff (approvers, ops);
a site's own, platform staff or that site's administrator (site_admin)."""
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from jiyue.identity.models import SiteRole, SiteRoleGrant
from jiyue.identity.queries import is_platform_staff
from tenants.registry.models import Site

from .models import Dictionary, DictionaryVersion


def can_manage_dictionaries(user, site) -> bool:
    """``site`` None means the platform-wide dictionaries."""
    if is_platform_staff(user):
        return True
    if site is None or not user.is_authenticated or not user.is_active:
        return False
    return SiteRoleGrant.objects.filter(user=user, site=site, role=SiteRole.SITE_ADMIN).exists()


def manageable_sites(user):
    """The sites whose own dictionaries this person may manage."""
    if is_platform_staff(user):
        return Site.objects.order_by("level", "name")
    if not user.is_authenticated or not user.is_active:
        return Site.objects.none()
    return (Site.objects.filter(role_grants__user=user, role_grants__role=SiteRole.SITE_ADMIN)
            .distinct().order_by("level", "name"))


def may_use_dictionary_console(user) -> bool:
    return is_platform_staff(user) or manageable_sites(user).exists()


def dictionaries_for_user(user):
    dictionaries = Dictionary.objects.select_related("site", "active_version")
    if not is_platform_staff(user):
        dictionaries = dictionaries.filter(site__in=manageable_sites(user))
    return dictionaries.order_by("site__name", "kind", "name")


def access_dictionary(user, dictionary_id: int) -> Dictionary:
    """The dictionary, for someone who may manage it (404 if there is none, 403 if not theirs)."""
    try:
        dictionary = Dictionary.objects.select_related("site", "active_version").get(pk=dictionary_id)
    except Dictionary.DoesNotExist:
        raise Http404(_("Dictionary not found")) from None
    if not can_manage_dictionaries(user, dictionary.site):
        if dictionary.site is None:
            raise PermissionDenied(_("Only provincial approvers and ops staff can manage province-wide dictionaries"))
        raise PermissionDenied(_("Only platform staff or the site administrators of %(site)s can manage this "
                                 "dictionary") % {"site": dictionary.site.name})
    return dictionary


def access_version(user, dictionary_id: int, number: int) -> DictionaryVersion:
    dictionary = access_dictionary(user, dictionary_id)
    try:
        version = dictionary.versions.select_related("created_by").get(number=number)
    except DictionaryVersion.DoesNotExist:
        raise Http404(_("Dictionary version not found")) from None
    version.dictionary = dictionary
    return version
