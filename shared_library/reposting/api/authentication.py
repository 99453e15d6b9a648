"""`Authorization: Token <key>`: the key of a site's API token (jiyue.identity.SiteApiToken,
issued by jiyue.identity.services.tokens.issue_site_api_token). The request then acts as
the token's user, and `request.auth` is the token, whose site is the only one the call
may act for (permissions.py). No session authentication, hence no CSRF token. The same
header as the lifecycle API (tenants.lifecycle.api.authentication), another key."""
from drf_spectacular.extensions import OpenApiAuthenticationExtension

from jiyue.identity.services.tokens import find_site_api_token, note_site_token_use
from tenants.lifecycle.api.authentication import TokenAuthentication


class SiteTokenAuthentication(TokenAuthentication):
    def find_token(self, key):
        return find_site_api_token(key)

    def note_use(self, token):
        note_site_token_use(token)


class SiteTokenScheme(OpenApiAuthenticationExtension):
    """The token in the OpenAPI document (drf-spectacular)."""

    target_class = SiteTokenAuthentication
    name = "siteToken"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization",
                "description": "`Token <key>`: a site API token (`jiyue issue_site_api_token`). It acts as its "
                               "user, for its own site only."}
