"""The site's page tree: a home page, and columns (栏目) below it. The editorial
issue adds the government content types and the column metadata editors manage."""
from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from tenants.publishing.page_mixins import AtomicPublishingMixin


class ColumnType(models.TextChoices):
    PUBLISHING = "publishing", "信息发布"
    INTERPRETATION = "interpretation", "解读回应"
    SERVICE = "service", "办事服务"
    INTERACTION = "interaction", "互动交流"
    SPECIAL = "special", "专题专栏"


class UpdateFrequency(models.TextChoices):
    DAILY = "daily", "每日"
    WEEKLY = "weekly", "每周"
    MONTHLY = "monthly", "每月"
    QUARTERLY = "quarterly", "每季度"
    YEARLY = "yearly", "每年"
    ON_DEMAND = "on_demand", "不定期"


class SiteHomePage(AtomicPublishingMixin, Page):
    """The root of a site's public pages (one per site schema)."""

    intro = RichTextField("首页简介", blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1
    template = "columns/site_home_page.html"

    class Meta:
        verbose_name = "网站首页"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["columns"] = self.get_children().live().in_menu().specific()
        return context


class ColumnPage(AtomicPublishingMixin, Page):
    """A column (栏目): a node of the site's tree that lists what is published in it."""

    column_type = models.CharField("栏目类型", max_length=20, choices=ColumnType.choices,
                                   default=ColumnType.PUBLISHING)
    # Description and keywords feed the page's meta tags (ColumnDescription, ColumnKeywords).
    description = models.TextField("栏目描述", blank=True)
    keywords = models.CharField("关键词", max_length=200, blank=True, help_text="多个关键词用逗号分隔")
    responsible_department = models.CharField("责任部门", max_length=100, blank=True)
    responsible_person = models.CharField("责任人", max_length=50, blank=True)
    update_frequency = models.CharField("更新频率", max_length=20, choices=UpdateFrequency.choices,
                                        default=UpdateFrequency.ON_DEMAND)

    content_panels = Page.content_panels + [
        FieldPanel("column_type"),
        FieldPanel("description"),
        FieldPanel("keywords"),
        MultiFieldPanel([FieldPanel("responsible_department"), FieldPanel("responsible_person"),
                         FieldPanel("update_frequency")], heading="维护责任"),
    ]
    parent_page_types = ["columns.SiteHomePage", "columns.ColumnPage"]
    template = "columns/column_page.html"

    class Meta:
        verbose_name = "栏目"
        verbose_name_plural = "栏目"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["children"] = self.get_children().live().specific()
        return context
