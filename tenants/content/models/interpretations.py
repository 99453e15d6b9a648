from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, PageChooserPanel
from wagtail.models import Page

from tenants.review.panels import ContentCheckPanel

from .base import ContentPage


class InterpretationKind(models.TextChoices):
    TEXT = "text", _("Text interpretation")
    GRAPHIC = "graphic", _("Graphic interpretation")
    VIDEO = "video", _("Video interpretation")
    EXPERT = "expert", _("Expert interpretation")


class InterpretationPage(ContentPage):
    """政策解读, linked to the policy document it explains; each page shows the other."""

    # Nullable so that deleting a policy keeps its interpretations (they then say so).
    policy = models.ForeignKey("content.PolicyDocumentPage", verbose_name=_("policy document interpreted"), null=True,
                               blank=False, on_delete=models.SET_NULL, related_name="interpretations")
    kind = models.CharField(_("form of interpretation"), max_length=20, choices=InterpretationKind.choices,
                            default=InterpretationKind.TEXT)
    interpreting_organ = models.CharField(_("interpreting authority"), max_length=100, blank=True)
    summary = models.TextField(_("summary"), blank=True)

    checked_text_fields = [("title", _("Title")), ("interpreting_organ", _("Interpreting authority")),
                           ("summary", pgettext_lazy("content check field", "Summary"))]
    content_panels = [ContentCheckPanel()] + Page.content_panels + [
        PageChooserPanel("policy", "content.PolicyDocumentPage"),
        MultiFieldPanel([FieldPanel("kind"), FieldPanel("interpreting_organ"), FieldPanel("publish_time")],
                        heading=_("Interpretation details")),
        FieldPanel("summary"),
        FieldPanel("body"),
    ]
    template = "content/interpretation_page.html"

    class Meta:
        verbose_name = _("policy interpretation")
        verbose_name_plural = _("policy interpretations")

    def clean(self):
        super().clean()
        if self.policy_id is None:
            raise ValidationError({"policy": _("Choose the policy document that this interprets")})
