"""索引号: the site's rule (a Wagtail site setting), a counter per scope, and every
number ever issued, kept after its page is deleted so that none is issued twice."""
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, HelpPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from ..lib.index_number_rules import DEFAULT_PATTERN, parse_rule


def validate_index_number_pattern(value):
    parse_rule(value)


@register_setting(icon="list-ol")
class IndexNumberSettings(BaseSiteSetting):
    pattern = models.CharField(_("index number rule"), max_length=100, default=DEFAULT_PATTERN,
                               validators=[validate_index_number_pattern],
                               help_text=_("Placeholders: {unit_code} unit code, {year} year, {month} month, "
                                           "{seq:5} five-digit sequence number (exactly one is required)"))
    unit_code = models.CharField(_("unit code"), max_length=32, blank=True,
                                 help_text=_("Leave blank to use the unit code registered for this unit on the "
                                             "platform"))

    panels = [
        HelpPanel(content=_("An index number is generated when a policy document is created. It is unique within "
                            "the site and never used again, even after the document is deleted. Changing the rule "
                            "affects only the index numbers generated afterwards.")),
        FieldPanel("pattern"),
        FieldPanel("unit_code"),
    ]

    class Meta:
        verbose_name = _("index number rule")
        verbose_name_plural = _("index number rules")


class IndexNumberCounter(models.Model):
    scope = models.CharField(_("scope"), max_length=120, unique=True)
    last_value = models.PositiveIntegerField(_("last sequence number"), default=0)

    class Meta:
        verbose_name = _("index number counter")
        verbose_name_plural = _("index number counters")


class IssuedIndexNumber(models.Model):
    number = models.CharField(_("index number"), max_length=140, unique=True)
    # Not a foreign key: the record outlives the page.
    page_id = models.BigIntegerField(_("page"), null=True, blank=True)
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)

    class Meta:
        verbose_name = _("issued index number")
        verbose_name_plural = _("issued index numbers")
