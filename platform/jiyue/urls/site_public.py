"""What the public sees on a site's own hosts."""
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail import views as wagtail_views
from wagtail.documents import urls as wagtaildocs_urls

from jiyue.media import serve_site_media
from tenants.content.lib.short_urls import PATH_PATTERN as CONTENT_PAGE_PATH

urlpatterns = [
    re_path(r"^media/(?P<path>.+)$", serve_site_media, name="site_media"),
    path("documents/", include(wagtaildocs_urls)),
    # A content page's permanent URL ends in `.html`, which Wagtail's own pattern does
    # not take; the same view routes it through the page tree (ColumnPage.route).
    re_path(CONTENT_PAGE_PATH, wagtail_views.serve, name="content_page"),
    path("search/", include("shared_library.search.urls")),
    path("", include(wagtail_urls)),
]
