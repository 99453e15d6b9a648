from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediaConfig(AppConfig):
    name = "tenants.media"
    label = "sitemedia"
    verbose_name = _("Images and documents")
