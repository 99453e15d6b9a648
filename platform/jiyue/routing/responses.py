"""Plain responses the router gives before any view runs. The router runs before
LocaleMiddleware, so the language comes from the request itself (cookie or
Accept-Language, as LocaleMiddleware would choose it), except on a site's public host,
where it is LANGUAGE_CODE like the site's pages. Each page is built once per
language, so that refusing an unknown host costs no more than the lookup itself."""
import datetime

from django.conf import settings
from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.utils.html import escape
from django.utils.http import http_date
from django.utils import translation
from django.utils.translation import gettext_lazy as _

_PAGE = (
    '<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
    "<title>{title}</title></head><body><h1>{title}</h1><p>{message}</p></body></html>"
)


def html_lang(language: str) -> str:
    """The HTML lang attribute for a Django language code (zh-hans is written zh-CN)."""
    return "zh-CN" if language.startswith("zh") else language


class Page:
    """A static page, rendered once per language."""

    def __init__(self, title, message):
        self.title, self.message = title, message
        self._bodies: dict[str, bytes] = {}

    def body(self, language: str) -> bytes:
        body = self._bodies.get(language)
        if body is None:
            with translation.override(language):
                body = _PAGE.format(lang=html_lang(language), title=self.title, message=self.message).encode("utf-8")
            self._bodies[language] = body
        return body


UNKNOWN_HOST_PAGE = Page(_("404 Site not found"),
                         _("The site you requested does not exist. Please check that the address is correct."))
UNKNOWN_SITE_CODE_PAGE = Page(_("404 Site not found"), _("The site code in the address does not exist."))
NOT_OPEN_PAGE = Page(_("Site not opened yet"), _("This site has not been opened yet and cannot be visited."))
RETIRED_PAGE = Page(_("Site offline"), _("This site has been taken offline permanently."))
BACKOFFICE_NOT_READY_PAGE = Page(_("Site not opened yet"),
                                 _("The opening of this site is not complete yet; its back office is not available."))
NO_GRANT_PAGE = Page(_("403 Access denied"),
                     _("You do not have permission to manage this site. To get access, "
                       "contact the site administrator."))


def html(request, page: Page, status: int, *, public: bool = False) -> HttpResponse:
    """The page in the request's language; on a site's public host (`public`) in
    LANGUAGE_CODE, as the site's own pages are (see LanguageMiddleware)."""
    language = settings.LANGUAGE_CODE if public else translation.get_language_from_request(request)
    body = page.body(language)
    return HttpResponse(body, status=status, content_type="text/html; charset=utf-8")


def _public_page(title: str, message: str) -> bytes:
    return _PAGE.format(lang=html_lang(settings.LANGUAGE_CODE), title=escape(title), message=escape(message)).encode()


def temporarily_offline(request, route) -> HttpResponse:
    """503 naming the site, the reason and the planned return date, with Retry-After."""
    with translation.override(settings.LANGUAGE_CODE):
        title = _("%(site)s is temporarily offline") % {"site": route.name}
        if route.offline_until:
            message = _("%(site)s is temporarily offline: %(reason)s. It is planned to be back on %(date)s.") % {
                "site": route.name, "reason": route.offline_reason or "—",
                "date": route.offline_until.strftime("%Y-%m-%d")}
        else:
            message = _("%(site)s is temporarily offline. Please visit again later.") % {"site": route.name}
        body = _public_page(str(title), str(message))
    response = HttpResponse(body, status=503, content_type="text/html; charset=utf-8")
    if route.offline_until:
        from zoneinfo import ZoneInfo

        back = datetime.datetime.combine(route.offline_until, datetime.time(), ZoneInfo(settings.TIME_ZONE))
        response["Retry-After"] = http_date(back.timestamp())
    return response


def retired(request, route) -> HttpResponse:
    """A closed site's hosts send visitors to its parent portal (410 without one)."""
    if route.parent_host:
        return HttpResponsePermanentRedirect(f"{request.scheme}://{route.parent_host}/")
    return html(request, RETIRED_PAGE, 410, public=True)


def moved_domain(request, route, new_host: str) -> HttpResponse:
    """An old domain after a domain change: 301 to the same path on the new domain, with
    a notice in the body for clients that do not follow redirects."""
    target = f"{request.scheme}://{new_host}{request.get_full_path()}"
    response = HttpResponsePermanentRedirect(target)
    with translation.override(settings.LANGUAGE_CODE):
        title = _("%(site)s has moved") % {"site": route.name}
        message = _("%(site)s is now at %(host)s; this address forwards there for a transition period.") % {
            "site": route.name, "host": new_host}
        response.content = _public_page(str(title), str(message))
    response["Content-Type"] = "text/html; charset=utf-8"
    return response
