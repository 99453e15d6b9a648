from django.contrib.auth import views as auth_views
from django.urls import include, path

from jiyue.console.forms import LoginForm
from jiyue.console.views import dashboard, sites, taxonomies

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="console/login.html",
                                                authentication_form=LoginForm), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", dashboard.home, name="console_home"),
    path("sites/", sites.site_list, name="console_sites"),
    path("sites/apply/", sites.apply_for_site, name="console_site_apply"),
    path("sites/<str:short_code>/", sites.site_detail, name="console_site_detail"),
    path("sites/<str:short_code>/approve/", sites.approve_site, name="console_site_approve"),
    path("sites/<str:short_code>/provision/", sites.provision_site, name="console_site_provision"),
    path("taxonomies/", taxonomies.taxonomy_list, name="console_taxonomies"),
    path("taxonomies/<slug:code>/", taxonomies.taxonomy_detail, name="console_taxonomy"),
    path("taxonomies/<slug:code>/terms/add/", taxonomies.term_add, name="console_term_add"),
    path("taxonomies/<slug:code>/terms/<int:term_id>/", taxonomies.term_edit, name="console_term"),
    path("taxonomies/<slug:code>/terms/<int:term_id>/deactivate/", taxonomies.term_deactivate,
         name="console_term_deactivate"),
    path("taxonomies/<slug:code>/terms/<int:term_id>/reactivate/", taxonomies.term_reactivate,
         name="console_term_reactivate"),
    path("taxonomies/<slug:code>/import/", taxonomies.term_import, name="console_term_import"),
    path("taxonomies/<slug:code>/import/apply/", taxonomies.term_import_apply, name="console_term_import_apply"),
    path("taxonomies/<slug:code>/export/", taxonomies.term_export, name="console_term_export"),
    path("dictionaries/", include("tenants.checks.urls")),
    path("lifecycle/", include("tenants.lifecycle.urls")),
    path("migrations/", include("ops.retirement.urls")),
    path("api/v1/", include("tenants.lifecycle.api.urls")),
]
