"""`Authorization: Token <key>`: the key of a site's API token (jiyue.identity.SiteApiToken,
issued by jiyue.identity.services.tokens.issue_site_api_token). The request then acts as
the token's user, and `request.auth` is the token, whose site is the only one the call
may act for (permissions.py). No session authentication, hence no CSRF token. The same
header as the lifecycle API (tenants.lifecycle.api.authentication), another key."""
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from jiyue.identity.services.tokens import find_site_api_token, note_site_token_use

KEYWORD = "Token"


class SiteTokenAuthentication(BaseAuthentication):
    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD.lower().encode():
            return None  # no token: the permission check answers 401
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Malformed Authorization header: send “Token <key>”"))
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("The API token is unknown or has been revoked")) from None
        token = find_site_api_token(key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("The API token is unknown or has been revoked"))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("The user of this API token is deactivated"))
        note_site_token_use(token)
        return token.user, token

    def authenticate_header(self, request):
        # Makes DRF answer 401 (not 403) when the token is missing or refused.
        return KEYWORD


class SiteTokenScheme(OpenApiAuthenticationExtension):
    """The token in the OpenAPI document (drf-spectacular)."""

    target_class = SiteTokenAuthentication
    name = "siteToken"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization",
                "description": "`Token <key>`: a site API token (`jiyue issue_site_api_token`). It acts as its "
                               "user, for its own site only."}
