from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from tenants.checks.engine import CheckedField
from tenants.publishing.page_mixins import AtomicPublishingMixin
from tenants.review.page_mixins import ReviewedPageMixin

from ..blocks import BodyBlock
from ..lib.body_text import stream_fields, text_fields


class ContentPage(AtomicPublishingMixin, ReviewedPageMixin, Page):
    """What every content type shares: it lives in a column, has a body, is reviewed
    before publishing, and tells the content checks which texts to read."""

    publish_time = models.DateTimeField(_("publication time"), default=timezone.now,
                                        help_text=_("The publication time shown on the page"))
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    parent_page_types = ["columns.ColumnPage"]
    subpage_types = []
    # (field, label) pairs the content checks read, besides the body.
    checked_text_fields = [("title", _("Title"))]

    search_fields = Page.search_fields + [index.SearchField("body")]

    class Meta:
        abstract = True

    def content_check_fields(self) -> list[CheckedField]:
        return text_fields(self, self.checked_text_fields) + stream_fields(self.body)
