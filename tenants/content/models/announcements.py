from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from tenants.review.panels import ContentCheckPanel

from .base import ContentPage


class AnnouncementKind(models.TextChoices):
    GENERAL = "general", "通知公告"
    OPENING = "opening", "开通公告"
    TEMPORARY_OFFLINE = "temporary_offline", "临时下线公告"
    PERMANENT_OFFLINE = "permanent_offline", "永久下线公告"
    DOMAIN_CHANGE = "domain_change", "域名变更公告"


class AnnouncementPage(ContentPage):
    """公告; the lifecycle workflows publish the opening and offline notices as these."""

    kind = models.CharField("公告类型", max_length=20, choices=AnnouncementKind.choices,
                            default=AnnouncementKind.GENERAL)
    issuing_organ = models.CharField("发布机构", max_length=100, blank=True)

    checked_text_fields = [("title", "标题"), ("issuing_organ", "发布机构")]
    content_panels = [ContentCheckPanel()] + Page.content_panels + [
        FieldPanel("kind"), FieldPanel("issuing_organ"), FieldPanel("publish_time"), FieldPanel("body"),
    ]
    template = "content/announcement_page.html"

    class Meta:
        verbose_name = "公告"
        verbose_name_plural = "公告"
