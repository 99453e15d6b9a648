"""Site-side lifecycle pages (under /lifecycle/ on the console host): the hierarchy, a
site's lifecycle page and its action forms, its roles and operation log, and the
province's platform roles."""
from django.urls import path

from .views import sites

urlpatterns = [
    path("hierarchy/", sites.hierarchy, name="lifecycle_hierarchy"),
    path("platform-roles/", sites.platform_roles, name="lifecycle_platform_roles"),
    path("platform-roles/<int:grant_id>/revoke/", sites.revoke_platform_role, name="lifecycle_platform_role_revoke"),
    path("sites/<str:short_code>/", sites.site_detail, name="lifecycle_site"),
    path("sites/<str:short_code>/security-check/", sites.record_security_check, name="lifecycle_site_security_check"),
    path("sites/<str:short_code>/go-live/", sites.go_live, name="lifecycle_site_go_live"),
    path("sites/<str:short_code>/temporary-offline/", sites.apply_for_temporary_offline,
         name="lifecycle_site_temporary_offline"),
    path("sites/<str:short_code>/offline-periods/<int:period_id>/return/", sites.return_from_offline,
         name="lifecycle_site_return"),
    path("sites/<str:short_code>/permanent-offline/", sites.apply_for_permanent_offline,
         name="lifecycle_site_permanent_offline"),
    path("sites/<str:short_code>/closure/<int:request_id>/", sites.complete_closure_item,
         name="lifecycle_site_closure_item"),
    path("sites/<str:short_code>/change/", sites.file_change, name="lifecycle_site_change"),
    path("sites/<str:short_code>/roles/", sites.site_roles, name="lifecycle_site_roles"),
    path("sites/<str:short_code>/roles/<int:grant_id>/revoke/", sites.revoke_site_role,
         name="lifecycle_site_role_revoke"),
    path("sites/<str:short_code>/log/", sites.site_log, name="lifecycle_site_log"),
    path("sites/<str:short_code>/log.csv", sites.site_log_csv, name="lifecycle_site_log_csv"),
]
