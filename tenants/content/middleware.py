"""Old public URLs of moved pages answer with a 301 to where the page is now."""
from wagtail.contrib.redirects.middleware import RedirectMiddleware


class PublicRedirectMiddleware(RedirectMiddleware):
    """Wagtail's redirects, on a site's public hosts only: the redirects table is in
    each site's schema, which the console (public schema) and back offices do not
    route public paths to."""

    def process_response(self, request, response):
        from jiyue.routing.middleware import SITE_PUBLIC_URLCONF

        if getattr(request, "urlconf", None) != SITE_PUBLIC_URLCONF:
            return response
        return super().process_response(request, response)
