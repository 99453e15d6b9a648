"""The library API (included at /api/v1/library/ by tenants.lifecycle.api.urls, on the
console host). See views.py."""
from django.urls import path

from . import views

urlpatterns = [
    path("resources/", views.ResourceListView.as_view(), name="library_api_resources"),
    path("resources/<int:resource_id>/", views.ResourceDetailView.as_view(), name="library_api_resource"),
    path("sites/<str:code>/reposts/", views.RepostView.as_view(), name="library_api_reposts"),
    path("sites/<str:code>/subscriptions/", views.SubscriptionListView.as_view(),
         name="library_api_subscriptions"),
    path("sites/<str:code>/subscriptions/<int:subscription_id>/", views.SubscriptionDetailView.as_view(),
         name="library_api_subscription"),
    path("sites/<str:code>/mandates/", views.MandateListView.as_view(), name="library_api_mandates"),
    path("sites/<str:code>/mandates/<int:mandate_id>/", views.MandateDetailView.as_view(),
         name="library_api_mandate"),
]
