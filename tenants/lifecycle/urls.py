"""Console pages of the site lifecycle (included at /lifecycle/ on the console host):
applications and their review (urls_requests), sites' lifecycle, roles and the
operation log (urls_sites)."""
from django.urls import include, path

urlpatterns = [
    path("", include("tenants.lifecycle.urls_requests")),
    path("", include("tenants.lifecycle.urls_sites")),
]
