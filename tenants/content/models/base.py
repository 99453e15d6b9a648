from django.db import models
from django.http import HttpResponsePermanentRedirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from tenants.checks.engine import CheckedField
from tenants.publishing.page_mixins import AtomicPublishingMixin
from tenants.review.page_mixins import ReviewedPageMixin

from ..blocks import BodyBlock
from ..lib import preview, short_urls
from ..lib.body_text import stream_fields, text_fields


class ShortUrlPageMixin:
    """A page under a column with the permanent URL form of government sites
    (lib/short_urls.py); ColumnPage.route resolves it."""

    def get_url_parts(self, request=None):
        """The permanent URL once the page has been published (lib/short_urls.py):
        its column's path, then `<yyyymm>/t<yyyymmdd>_<id>.html`."""
        parts = super().get_url_parts(request)
        leaf = short_urls.leaf_path(self)
        if parts is None or parts[2] is None or leaf is None:
            return parts
        site_id, root_url, page_path = parts
        column_path = page_path.rstrip("/").rpartition("/")[0] + "/"
        return site_id, root_url, column_path + leaf

    def serve(self, request, *args, **kwargs):
        # Reached by its slug path (a link from before the short form, or a crafted
        # one): answer with the permanent URL, so that each page has one address.
        parts = self.get_url_parts(request)
        if parts is not None and parts[2] is not None and request.path != parts[2]:
            query = request.META.get("QUERY_STRING", "")
            return HttpResponsePermanentRedirect(parts[2] + (f"?{query}" if query else ""))
        return super().serve(request, *args, **kwargs)


class ContentPage(ShortUrlPageMixin, AtomicPublishingMixin, ReviewedPageMixin, Page):
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
    # Preview renders the public theme's template at phone, tablet and desktop widths.
    preview_sizes = preview.PREVIEW_SIZES
    default_preview_size = preview.DEFAULT_PREVIEW_SIZE

    class Meta:
        abstract = True

    def content_check_fields(self) -> list[CheckedField]:
        return text_fields(self, self.checked_text_fields) + stream_fields(self.body)
