"""A repost by link or live reference: a page of the site that points at a library
resource and holds none of its content, so the source's updates, moves and withdrawal
show on this site at once, and nobody here can change the source through it."""
from django.db import models
from django.http import Http404, HttpResponseRedirect
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from shared_library.resources.models import Resource, ResourceStatus
from tenants.checks.engine import CheckedField
from tenants.content.lib import preview
from tenants.content.lib.body_text import text_fields
from tenants.content.models.base import ShortUrlPageMixin
from tenants.publishing.page_mixins import AtomicPublishingMixin
from tenants.review.page_mixins import ReviewedPageMixin


class ReferenceMode(models.TextChoices):
    # The same codes as shared_library.reposting's RepostMode.
    LINK = "link", _("Link to the source")
    REFERENCE = "reference", _("Live reference")


class RepostPage(ShortUrlPageMixin, AtomicPublishingMixin, ReviewedPageMixin, Page):
    # A plain id: no constraint crosses schemas (the library's rows are never deleted).
    resource_id = models.BigIntegerField(_("library resource ID"))
    mode = models.CharField(_("repost mode"), max_length=20, choices=ReferenceMode.choices)

    # Only the title (as listed here) is the site's; the content is the source's.
    content_panels = [FieldPanel("title")]
    promote_panels = []
    parent_page_types = ["columns.ColumnPage"]
    subpage_types = []
    # Made from the library (转载), not from "add a page".
    is_creatable = False
    template = "reposts/repost_page.html"
    preview_sizes = preview.PREVIEW_SIZES
    default_preview_size = preview.DEFAULT_PREVIEW_SIZE

    class Meta:
        verbose_name = _("repost")
        verbose_name_plural = _("reposts")
        permissions = [("accept_direct_reposts", _("Can set the sources a column accepts without review"))]

    @cached_property
    def source(self):
        """The resource as the library holds it now (one query; a column's listing
        attaches them all at once, `queries.attach_sources`)."""
        return Resource.objects.select_related("site").get(pk=self.resource_id)

    @property
    def source_is_live(self) -> bool:
        return self.source.status == ResourceStatus.LIVE and self.source.is_valid

    def listing_url(self, request=None) -> str:
        return self.source.url if self.mode == ReferenceMode.LINK else self.get_url(request)

    def content_check_fields(self) -> list[CheckedField]:
        # This site's checks read what it adds: the title it lists the item under.
        return text_fields(self, [("title", _("Title"))])

    def serve(self, request, *args, **kwargs):
        # A withdrawn (or deleted) source is gone from every site that references it.
        if not self.source_is_live:
            raise Http404
        if self.mode == ReferenceMode.LINK:
            return HttpResponseRedirect(self.source.url)
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["source"] = self.source
        context["metadata"] = metadata = self.source.metadata
        if metadata.get("validity"):
            from tenants.content.models import Validity

            context["validity_label"] = Validity(metadata["validity"]).label
        return context
