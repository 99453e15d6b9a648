"""`Authorization: Token <key>`: the key of a UnitApiToken (issued by
services.tokens.issue_api_token). The request then acts as the token's user, and
`request.auth` is the token, whose org unit bounds what the call may reach
(permissions.py, and the `within_unit` of tenants.lifecycle.queries). No session
authentication: the API takes no cookies, so it needs no CSRF token."""
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from ..models import UnitApiToken
from ..models.tokens import hash_key
from ..services.tokens import note_token_use

KEYWORD = "Token"


class TokenAuthentication(BaseAuthentication):
    """The header's parsing and refusals, shared by the platform's token kinds; a
    subclass says how a key is found and its use noted."""

    def find_token(self, key: str):
        raise NotImplementedError

    def note_use(self, token) -> None:
        raise NotImplementedError

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
        token = self.find_token(key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("The API token is unknown or has been revoked"))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("The user of this API token is deactivated"))
        self.note_use(token)
        return token.user, token

    def authenticate_header(self, request):
        # Makes DRF answer 401 (not 403) when the token is missing or refused.
        return KEYWORD


class UnitTokenAuthentication(TokenAuthentication):
    def find_token(self, key):
        return (UnitApiToken.objects.select_related("user", "org_unit")
                .filter(key_hash=hash_key(key), revoked_at__isnull=True).first())

    def note_use(self, token):
        note_token_use(token)


class UnitTokenScheme(OpenApiAuthenticationExtension):
    """The token in the OpenAPI document (drf-spectacular)."""

    target_class = UnitTokenAuthentication
    name = "unitToken"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization",
                "description": "`Token <key>`: a unit API token (`jiyue issue_api_token`). It acts as its user, "
                               "within its org unit and the units under it."}
