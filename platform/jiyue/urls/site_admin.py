"""A site's back office, mounted at /s/<site-code>/ on the console host."""
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from jiyue.media import serve_site_media

urlpatterns = [
    path("", RedirectView.as_view(url="admin/", permanent=False)),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # Image thumbnails in the back office (the storage's URLs carry the /s/<code>/ prefix).
    re_path(r"^media/(?P<path>.+)$", serve_site_media, name="site_admin_media"),
]
