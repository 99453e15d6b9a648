from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RepostsConfig(AppConfig):
    name = "tenants.reposts"
    label = "reposts"
    verbose_name = _("Reposts from the library")
