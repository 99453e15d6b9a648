"""Chooses the site for each request from its Host header.

- the console host (JIYUE_CONSOLE_HOST) serves the provincial console in the public
  schema, and each site's back office under /s/<site-code>/ in that site's schema;
- any other host is looked up in the host map and served from its site's schema;
- a retired site's host (ops.retirement) answers from its migration's URL mapping.

The site's code is in the URL, not in the session, so two tabs on two sites never
interfere, and one sign-in (the session cookie of the console host) serves all."""
import re
from contextvars import ContextVar

from django.conf import settings
from django.db import connection
from django.http import HttpResponse, HttpResponseRedirect
from django.http.request import split_domain_port
from django.middleware.locale import LocaleMiddleware
from django.urls import get_script_prefix, set_script_prefix, set_urlconf
from django.utils import translation
from django.utils.http import urlencode

from . import responses
from .hostmap import host_map

SITE_PREFIX = re.compile(r"^/s/(?P<code>[^/]+)(?P<rest>/.*)?$")

CONSOLE_URLCONF = "jiyue.urls.console"
SITE_ADMIN_URLCONF = "jiyue.urls.site_admin"
SITE_PUBLIC_URLCONF = "jiyue.urls.site_public"

# The site the request being handled has entered (for Wagtail's preview requests, below).
_entered_route = ContextVar("jiyue_entered_route", default=None)


class SiteRoutingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == "/healthz":
            return HttpResponse("ok", content_type="text/plain")
        if getattr(request, "is_dummy", False):
            return self._serve_preview_request(request)
        host, _port = split_domain_port(request._get_raw_host())
        host = host.lower()
        request.site_route = None
        previous_prefix = get_script_prefix()
        if host == settings.JIYUE_CONSOLE_HOST:
            refusal = self._route_console(request)
        else:
            refusal = self._route_site_host(request, host)
        if refusal is not None:
            return refusal
        token = _entered_route.set(request.site_route)
        try:
            return self.get_response(request)
        finally:
            _entered_route.reset(token)
            connection.set_schema_to_public()
            set_script_prefix(previous_prefix)

    def _serve_preview_request(self, request):
        """Wagtail's preview (and the moderators' view of a draft) renders a page through
        a fake request (`is_dummy`, set by code, never by a client) run through the
        middleware inside the back-office request. It shows the page as the public sees
        it, on the site the back-office request has entered: public URLconf and root
        script prefix, and the schema left as it is for the request that continues."""
        route = _entered_route.get()
        if route is None:
            return responses.html(request, responses.UNKNOWN_HOST_PAGE, 404, public=True)
        request.site_route = route
        request.tenant = connection.tenant
        request.urlconf = SITE_PUBLIC_URLCONF
        previous_prefix = get_script_prefix()
        set_script_prefix("/")
        set_urlconf(SITE_PUBLIC_URLCONF)
        try:
            return self.get_response(request)
        finally:
            set_script_prefix(previous_prefix)

    def _route_console(self, request):
        match = SITE_PREFIX.match(request.path_info)
        if match is None:
            connection.set_schema_to_public()
            request.tenant = None
            request.urlconf = CONSOLE_URLCONF
            return None
        route = host_map.by_code(match["code"])
        if route is None:
            return responses.html(request, responses.UNKNOWN_SITE_CODE_PAGE, 404)
        if not route.is_provisioned:
            return responses.html(request, responses.BACKOFFICE_NOT_READY_PAGE, 404)
        prefix = f"{request.META.get('SCRIPT_NAME', '').rstrip('/')}/s/{route.short_code}"
        request.path_info = match["rest"] or "/"
        request.META["SCRIPT_NAME"] = prefix
        set_script_prefix(prefix + "/")
        self._enter(request, route, SITE_ADMIN_URLCONF)
        return None

    def _route_site_host(self, request, host):
        retired = host_map.retired_host(host)
        if retired is not None:
            from ops.retirement.views.redirects import serve_retired_host

            return serve_retired_host(request, retired)
        route = host_map.by_host(host)
        if route is None:
            return responses.html(request, responses.UNKNOWN_HOST_PAGE, 404, public=True)
        new_host = host_map.redirect_for(host)
        if new_host is not None:
            return responses.moved_domain(request, route, new_host)
        if route.status == "temporarily_offline":
            return responses.temporarily_offline(request, route)
        if route.status == "retired":
            return responses.retired(request, route)
        if not route.is_online:
            return responses.html(request, responses.NOT_OPEN_PAGE, 404, public=True)
        self._enter(request, route, SITE_PUBLIC_URLCONF)
        return None

    @staticmethod
    def _enter(request, route, urlconf):
        request.site_route = route
        request.tenant = route.as_tenant()
        request.urlconf = urlconf
        connection.set_tenant(request.tenant)


class SiteAccessMiddleware:
    """Only people granted a role on a site reach its back office."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        route = getattr(request, "site_route", None)
        if route is None or request.urlconf != SITE_ADMIN_URLCONF:
            return self.get_response(request)
        user = request.user
        if not user.is_authenticated:
            return HttpResponseRedirect(
                f"{settings.LOGIN_URL}?{urlencode({'next': request.get_full_path()})}"
            )
        from jiyue.identity.queries import can_enter_site

        if not can_enter_site(user, route.site_id):
            return responses.html(request, responses.NO_GRANT_PAGE, 403)
        return self.get_response(request)


class LanguageMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware for the console and back offices (English falls back
    for people whose browser asks for it); a site's public pages are always in the
    platform's language, LANGUAGE_CODE, whatever the visitor's browser asks: the
    pages are Chinese content, and a label such as a policy's validity must not turn
    English around it. Traditional Chinese is a conversion of the page, not a locale."""

    def process_request(self, request):
        if getattr(request, "urlconf", None) == SITE_PUBLIC_URLCONF:
            translation.activate(settings.LANGUAGE_CODE)
            request.LANGUAGE_CODE = settings.LANGUAGE_CODE
            return None
        return super().process_request(request)

    def process_response(self, request, response):
        if getattr(request, "urlconf", None) == SITE_PUBLIC_URLCONF:
            # The page does not vary with Accept-Language: no Vary header for caches.
            response.headers.setdefault("Content-Language", settings.LANGUAGE_CODE)
            return response
        return super().process_response(request, response)
