from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    name = "tenants.access"
    label = "siteaccess"
    verbose_name = _("Site permissions")
