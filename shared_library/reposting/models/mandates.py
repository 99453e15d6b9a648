"""Mandatory reposts (必转, the 12-hour rule): a portal marks one of its items mandatory for
sites below it, into a type of column, with a deadline; each target site's compliance is
read from its repost."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .reposts import RepostMode


class Mandate(models.Model):
    resource = models.ForeignKey("resources.Resource", on_delete=models.PROTECT, related_name="mandates",
                                 verbose_name=_("library resource"))
    issuer_site = models.ForeignKey("registry.Site", on_delete=models.PROTECT, related_name="mandates_issued",
                                    verbose_name=_("issuing site"))
    column_type = models.CharField(_("column type"), max_length=20)
    mode = models.CharField(_("repost mode"), max_length=20, choices=RepostMode.choices,
                            default=RepostMode.REFERENCE)
    deadline = models.DateTimeField(_("deadline"))
    note = models.CharField(pgettext_lazy("mandate", "note"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("issued by"))
    created_at = models.DateTimeField(_("issued at"), auto_now_add=True)

    class Meta:
        verbose_name = _("mandatory repost")
        verbose_name_plural = _("mandatory reposts")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.resource_id} → {self.column_type}"


class MandateTarget(models.Model):
    """One site a mandate is for. `repost` is the site's repost of the item (by whatever
    way it came: the queue, auto-accept, or the library browser)."""

    mandate = models.ForeignKey(Mandate, on_delete=models.CASCADE, related_name="targets",
                                verbose_name=_("mandatory repost"))
    site = models.ForeignKey("registry.Site", on_delete=models.PROTECT, related_name="mandates_received",
                             verbose_name=pgettext_lazy("mandate", "site"))
    repost = models.OneToOneField("reposting.Repost", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="mandate_target", verbose_name=_("repost"))
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("mandate target")
        verbose_name_plural = _("mandate targets")
        constraints = [models.UniqueConstraint(fields=["mandate", "site"], name="reposting_mandate_target_once")]

    def __str__(self):
        return f"{self.mandate_id}/{self.site_id}"


class MandatePreference(models.Model):
    """A site's choice to accept mandated reposts automatically (set by its administrator):
    they are then published at once, into the first column of the mandated type."""

    site = models.OneToOneField("registry.Site", on_delete=models.CASCADE, related_name="mandate_preference",
                                verbose_name=pgettext_lazy("mandate", "site"))
    auto_accept = models.BooleanField(_("accept mandatory reposts automatically"), default=False)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("mandatory repost preference")
        verbose_name_plural = _("mandatory repost preferences")
