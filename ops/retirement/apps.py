from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RetirementConfig(AppConfig):
    name = "ops.retirement"
    label = "retirement"
    verbose_name = _("Retired-site migration")
