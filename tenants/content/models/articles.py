from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import Page
from wagtail.search import index

from tenants.review.panels import ContentCheckPanel

from .base import ContentPage


class ArticlePage(ContentPage):
    """新闻/动态."""

    subtitle = models.CharField(_("subtitle"), max_length=200, blank=True)
    source = models.CharField(_("source"), max_length=100, blank=True)
    author = models.CharField(_("author"), max_length=100, blank=True)
    summary = models.TextField(_("summary"), blank=True)

    checked_text_fields = [("title", _("Title")), ("subtitle", _("Subtitle")), ("source", _("Source")),
                           ("author", _("Author")), ("summary", pgettext_lazy("content check field", "Summary"))]
    search_fields = ContentPage.search_fields + [index.SearchField("subtitle"), index.SearchField("summary")]

    content_panels = [ContentCheckPanel()] + Page.content_panels + [
        FieldPanel("subtitle"),
        MultiFieldPanel([FieldPanel("source"), FieldPanel("author"), FieldPanel("publish_time")],
                        heading=_("Source and author")),
        FieldPanel("summary"),
        FieldPanel("body"),
    ]
    template = "content/article_page.html"

    class Meta:
        verbose_name = _("news article")
        verbose_name_plural = _("news articles")
