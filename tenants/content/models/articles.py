from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import Page
from wagtail.search import index

from tenants.review.panels import ContentCheckPanel

from .base import ContentPage


class ArticlePage(ContentPage):
    """新闻/动态."""

    subtitle = models.CharField("副标题", max_length=200, blank=True)
    source = models.CharField("来源", max_length=100, blank=True)
    author = models.CharField("作者", max_length=100, blank=True)
    summary = models.TextField("摘要", blank=True)

    checked_text_fields = [("title", "标题"), ("subtitle", "副标题"), ("source", "来源"), ("author", "作者"),
                           ("summary", "摘要")]
    search_fields = ContentPage.search_fields + [index.SearchField("subtitle"), index.SearchField("summary")]

    content_panels = [ContentCheckPanel()] + Page.content_panels + [
        FieldPanel("subtitle"),
        MultiFieldPanel([FieldPanel("source"), FieldPanel("author"), FieldPanel("publish_time")],
                        heading="来源与作者"),
        FieldPanel("summary"),
        FieldPanel("body"),
    ]
    template = "content/article_page.html"

    class Meta:
        verbose_name = "新闻动态"
        verbose_name_plural = "新闻动态"
