"""The site's page tree: a home page, and columns (栏目) below it. The editorial
issue adds the government content types and the column metadata editors manage."""
from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django import forms
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from tenants.content.lib import preview, short_urls
from tenants.publishing.page_mixins import AtomicPublishingMixin

# Labels that are common English words carry a context: all apps' catalogues share one
# namespace, and a word may need another rendering elsewhere (a table's column, ...).


class ColumnType(models.TextChoices):
    PUBLISHING = "publishing", _("Information publishing")
    INTERPRETATION = "interpretation", _("Interpretation and response")
    SERVICE = "service", _("Government services")
    INTERACTION = "interaction", pgettext_lazy("site tree", "Interaction")
    SPECIAL = "special", _("Special topics")


class UpdateFrequency(models.TextChoices):
    DAILY = "daily", pgettext_lazy("site tree", "Daily")
    WEEKLY = "weekly", pgettext_lazy("site tree", "Weekly")
    MONTHLY = "monthly", pgettext_lazy("site tree", "Monthly")
    QUARTERLY = "quarterly", pgettext_lazy("site tree", "Quarterly")
    YEARLY = "yearly", pgettext_lazy("site tree", "Yearly")
    ON_DEMAND = "on_demand", pgettext_lazy("site tree", "As needed")


class SiteHomePage(AtomicPublishingMixin, Page):
    """The root of a site's public pages (one per site schema)."""

    intro = RichTextField(_("home page introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1
    template = "columns/site_home_page.html"
    preview_sizes = preview.PREVIEW_SIZES
    default_preview_size = preview.DEFAULT_PREVIEW_SIZE

    class Meta:
        verbose_name = _("site home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["columns"] = self.get_children().live().in_menu().specific()
        return context


class ColumnPage(AtomicPublishingMixin, Page):
    """A column (栏目): a node of the site's tree that lists what is published in it."""

    column_type = models.CharField(_("column type"), max_length=20, choices=ColumnType.choices,
                                   default=ColumnType.PUBLISHING)
    # Description and keywords feed the page's meta tags (ColumnDescription, ColumnKeywords).
    description = models.TextField(_("column description"), blank=True)
    keywords = models.CharField(pgettext_lazy("site tree", "keywords"), max_length=200, blank=True,
                                help_text=_("Separate keywords with commas"))
    responsible_department = models.CharField(_("responsible department"), max_length=100, blank=True)
    responsible_person = models.CharField(_("responsible person"), max_length=50, blank=True)
    update_frequency = models.CharField(_("update frequency"), max_length=20,
                                        choices=UpdateFrequency.choices, default=UpdateFrequency.ON_DEMAND)
    # Reposts from these sites are published without this site's review (转载免审); only
    # the site administrator sets them (the panel's permission).
    accept_reposts_from = ParentalManyToManyField(
        "registry.Site", blank=True, related_name="+", verbose_name=_("sources accepted without review"),
        help_text=_("Reposts from these sites into this column are published without review"))

    content_panels = Page.content_panels + [
        FieldPanel("column_type"),
        FieldPanel("description"),
        FieldPanel("keywords"),
        MultiFieldPanel([FieldPanel("responsible_department"), FieldPanel("responsible_person"),
                         FieldPanel("update_frequency")], heading=_("Maintenance responsibility")),
        FieldPanel("accept_reposts_from", widget=forms.SelectMultiple,
                   permission="reposts.accept_direct_reposts"),
    ]
    parent_page_types = ["columns.SiteHomePage", "columns.ColumnPage"]
    template = "columns/column_page.html"
    preview_sizes = preview.PREVIEW_SIZES
    default_preview_size = preview.DEFAULT_PREVIEW_SIZE

    class Meta:
        verbose_name = pgettext_lazy("site tree", "column")
        verbose_name_plural = pgettext_lazy("site tree", "columns")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        from tenants.reposts.queries import attach_sources

        context["children"] = attach_sources(self.get_children().live().specific())
        return context

    def route(self, request, path_components):
        # `<yyyymm>/t<yyyymmdd>_<id>.html` names a content page of this column by its id
        # and first publication day (tenants/content/lib/short_urls.py); a wrong day or
        # an id of another column's page is a 404 (a moved page's old URL is then
        # answered by its redirect).
        key = short_urls.parse(path_components)
        if key is None:
            return super().route(request, path_components)
        child = self.get_children().filter(pk=key.page_id).first()
        if child is None:
            raise Http404
        child = child.specific
        if not short_urls.matches(child, key):
            raise Http404
        child._cached_parent_obj = self
        return child.route(request, [])
