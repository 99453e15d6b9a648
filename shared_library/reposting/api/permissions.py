"""What a site's API token may reach: its user's permissions (checked by the services)
on its own site only. A path naming another site, or a subscription or mandate of
another site, is refused with a 403 here, before any service runs."""
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from rest_framework.permissions import BasePermission

from jiyue.identity.models import SiteApiToken


class HasSiteToken(BasePermission):
    def has_permission(self, request, view):
        return isinstance(request.auth, SiteApiToken) and request.user.is_authenticated


def check_site_of_token(token: SiteApiToken, site_code: str) -> None:
    if site_code != token.site.short_code:
        raise PermissionDenied(_("This API token belongs to %(site)s and cannot act for the site “%(code)s”")
                               % {"site": token.site.name, "code": site_code})


def check_owned_by_token_site(token: SiteApiToken, site_id: int) -> None:
    """A subscription (of its target site) or a mandate (of its issuer) of another site."""
    if site_id != token.site_id:
        raise PermissionDenied(_("This belongs to another site: the API token of %(site)s cannot reach it")
                               % {"site": token.site.name})
