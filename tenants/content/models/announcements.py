from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from tenants.review.panels import ContentCheckPanel

from .base import ContentPage


class AnnouncementKind(models.TextChoices):
    GENERAL = "general", _("Notice")
    OPENING = "opening", _("Opening announcement")
    TEMPORARY_OFFLINE = "temporary_offline", _("Temporary offline announcement")
    PERMANENT_OFFLINE = "permanent_offline", _("Permanent offline announcement")
    DOMAIN_CHANGE = "domain_change", _("Domain change announcement")


class AnnouncementPage(ContentPage):
    """公告; the lifecycle workflows publish the opening and offline notices as these."""

    kind = models.CharField(_("announcement type"), max_length=20, choices=AnnouncementKind.choices,
                            default=AnnouncementKind.GENERAL)
    issuing_organ = models.CharField(_("issuing authority"), max_length=100, blank=True)

    checked_text_fields = [("title", _("Title")), ("issuing_organ", _("Issuing authority"))]
    content_panels = [ContentCheckPanel()] + Page.content_panels + [
        FieldPanel("kind"), FieldPanel("issuing_organ"), FieldPanel("publish_time"), FieldPanel("body"),
    ]
    template = "content/announcement_page.html"

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
