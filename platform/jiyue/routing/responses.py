"""Plain responses the router gives before any view runs. The router runs before
LocaleMiddleware, so the language comes from the request itself (cookie or
Accept-Language, as LocaleMiddleware would choose it), except on a site's public host,
where it is LANGUAGE_CODE like the site's pages. Each page is built once per
language, so that refusing an unknown host costs no more than the lookup itself."""
from django.conf import settings
from django.http import HttpResponse
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
TEMPORARILY_OFFLINE_PAGE = Page(_("Site temporarily offline"),
                                _("This site is temporarily offline for maintenance. Please visit again later."))
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
