"""The lifecycle JSON API (included at /api/v1/ on the console host). See views.py;
the OpenAPI document is at schema/."""
from django.urls import include, path, re_path

from . import views
from .errors import not_found

urlpatterns = [
    path("schema/", views.SchemaView.as_view(), name="lifecycle_api_schema"),
    path("lifecycle/requests/", views.RequestListView.as_view(), name="lifecycle_api_requests"),
    path("lifecycle/requests/<int:request_id>/", views.RequestDetailView.as_view(), name="lifecycle_api_request"),
    path("lifecycle/requests/<int:request_id>/decision/", views.DecisionView.as_view(),
         name="lifecycle_api_decision"),
    path("lifecycle/requests/<int:request_id>/resubmit/", views.ResubmitView.as_view(),
         name="lifecycle_api_resubmit"),
    path("lifecycle/requests/<int:request_id>/withdraw/", views.WithdrawView.as_view(),
         name="lifecycle_api_withdraw"),
    path("lifecycle/sites/<str:code>/", views.SiteDetailView.as_view(), name="lifecycle_api_site"),
    path("lifecycle/sites/<str:code>/temporary-offline/", views.TemporaryOfflineView.as_view(),
         name="lifecycle_api_temporary_offline"),
    path("lifecycle/sites/<str:code>/permanent-offline/", views.PermanentOfflineView.as_view(),
         name="lifecycle_api_permanent_offline"),
    path("lifecycle/sites/<str:code>/change-filings/", views.ChangeFilingView.as_view(),
         name="lifecycle_api_change_filing"),
    path("lifecycle/sites/<str:code>/security-checks/", views.SecurityCheckView.as_view(),
         name="lifecycle_api_security_check"),
    path("lifecycle/sites/<str:code>/go-live/", views.GoLiveView.as_view(), name="lifecycle_api_go_live"),
    path("library/", include("shared_library.reposting.api.urls")),
    # Anything else under /api/v1/: a JSON 404.
    re_path(r"^.*$", not_found),
]
