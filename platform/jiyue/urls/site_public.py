"""What the public sees on a site's own hosts."""
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.documents import urls as wagtaildocs_urls

from jiyue.media import serve_site_media

urlpatterns = [
    re_path(r"^media/(?P<path>.+)$", serve_site_media, name="site_media"),
    path("documents/", include(wagtaildocs_urls)),
    path("", include(wagtail_urls)),
]
