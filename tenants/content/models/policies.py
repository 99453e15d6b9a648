from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.functional import lazy
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.models import Orderable, Page
from wagtail.search import index

from shared_library.taxonomy.standard_lists import GENRE, TOPIC
from tenants.checks.engine import CheckedField
from tenants.review.panels import ContentCheckPanel

from ..forms import PolicyDocumentForm
from ..panels import LinkedInterpretationsPanel
from .base import ContentPage


class Validity(models.TextChoices):
    VALID = "valid", _("Valid")
    AMENDED = "amended", _("Amended")
    REPEALED = "repealed", _("Repealed")


def _not_a_choice(label) -> str:
    return gettext("%(label)s does not exist or has been deactivated; choose one from the list") % {
        "label": capfirst(label)}


_not_a_choice_lazy = lazy(_not_a_choice, str)


def _term_field(taxonomy_code, verbose_name):
    # Terms live in the public schema (shared library); no FK constraint crosses schemas.
    message = _not_a_choice_lazy(verbose_name)
    return models.ForeignKey(
        "taxonomy.Term", verbose_name=verbose_name, on_delete=models.PROTECT, related_name="+",
        limit_choices_to={"taxonomy__code": taxonomy_code, "is_active": True},
        error_messages={"invalid": message, "invalid_choice": message},
    )


class PolicyDocumentPage(ContentPage):
    """政策文件 with the metadata of government information disclosure."""

    index_number = models.CharField(_("index number"), max_length=140, unique=True, blank=True,
                                    help_text=_("Generated on saving, by this site's index number rule"))
    issuing_organ = models.CharField(_("issuing authority"), max_length=100)
    document_number = models.CharField(_("document number"), max_length=100, blank=True)
    written_date = models.DateField(_("date written"))
    publish_date = models.DateField(_("publication date"))
    topic = _term_field(TOPIC, _("topic"))
    genre = _term_field(GENRE, _("genre"))
    validity = models.CharField(_("validity"), max_length=10, choices=Validity.choices, default=Validity.VALID)
    superseded_by = models.ForeignKey("self", verbose_name=_("amended or repealed by"), null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="supersedes")

    checked_text_fields = [("title", _("Title")), ("issuing_organ", _("Issuing authority")),
                           ("document_number", _("Document number"))]
    search_fields = ContentPage.search_fields + [index.SearchField("document_number"),
                                                 index.FilterField("index_number")]
    # A copy is a new document: it gets its own 索引号.
    exclude_fields_in_copy = ["index_number"]

    content_panels = [ContentCheckPanel()] + Page.content_panels + [
        MultiFieldPanel([
            FieldPanel("index_number", read_only=True),
            FieldRowPanel([FieldPanel("issuing_organ"), FieldPanel("document_number")]),
            FieldRowPanel([FieldPanel("written_date"), FieldPanel("publish_date")]),
            FieldRowPanel([FieldPanel("topic"), FieldPanel("genre")]),
            FieldRowPanel([FieldPanel("validity"), PageChooserPanel("superseded_by", "content.PolicyDocumentPage")]),
        ], heading=_("Disclosure metadata")),
        FieldPanel("body"),
        InlinePanel("attachments", label=_("Attachment"), heading=_("Attachments")),
        LinkedInterpretationsPanel(),
    ]
    template = "content/policy_document_page.html"
    base_form_class = PolicyDocumentForm

    class Meta:
        verbose_name = _("policy document")
        verbose_name_plural = _("policy documents")

    def clean(self):
        super().clean()
        errors = {}
        if self.validity == Validity.VALID and self.superseded_by_id:
            errors["superseded_by"] = _("A valid document should not link to a document that supersedes it")
        if self.validity == Validity.AMENDED and not self.superseded_by_id:
            errors["superseded_by"] = _("An amended document must link to the document that amends it")
        if self.superseded_by_id and self.superseded_by_id == self.pk:
            errors["superseded_by"] = _("A document cannot supersede itself")
        if self.written_date and self.publish_date and self.written_date > self.publish_date:
            errors["publish_date"] = _("The publication date cannot be earlier than the date written")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        if self.index_number:
            return super().save(*args, **kwargs)
        from ..services.index_numbers import allocate_index_number, attach_index_number

        # One transaction: a failed save gives the number back, so numbers stay sequential.
        with transaction.atomic():
            self.index_number = allocate_index_number()
            result = super().save(*args, **kwargs)
            attach_index_number(self.index_number, page_id=self.pk)
        return result

    def content_check_fields(self) -> list[CheckedField]:
        attachments = [CheckedField(key=f"attachments.{index}",
                                    label=gettext("Attachment name (no. %(number)s)") % {"number": index + 1},
                                    text=attachment.title)
                       for index, attachment in enumerate(self.attachments.all()) if attachment.title]
        return super().content_check_fields() + attachments

    def live_interpretations(self):
        return self.interpretations.live().order_by("-publish_time")


class PolicyAttachment(Orderable):
    page = ParentalKey(PolicyDocumentPage, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey("wagtaildocs.Document", verbose_name=_("file"), on_delete=models.PROTECT,
                                 related_name="+")
    title = models.CharField(_("display name"), max_length=200, blank=True)

    panels = [FieldPanel("document"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def display_title(self):
        return self.title or self.document.title
