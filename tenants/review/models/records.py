from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SecrecyReview(models.Model):
    """保密审查: who confirmed, and when, that this revision is 不涉密."""

    revision = models.ForeignKey("wagtailcore.Revision", on_delete=models.CASCADE, related_name="secrecy_reviews",
                                 verbose_name=pgettext_lazy("review record", "revision"))
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, related_name="+",
                                 verbose_name=_("reviewer"))
    confirmed_at = models.DateTimeField(_("confirmed at"), auto_now_add=True)
    # The stored conclusion is data (the record's wording), not the UI language.
    conclusion = models.CharField(_("conclusion"), max_length=20, default="不涉密", editable=False)
    comment = models.TextField(pgettext_lazy("secrecy review", "comment"), blank=True)

    class Meta:
        verbose_name = _("secrecy review record")
        verbose_name_plural = _("secrecy review records")
        ordering = ["-confirmed_at"]


class ContentCheckRecord(models.Model):
    """The content checks of one revision, and who acknowledged its warnings."""

    revision = models.OneToOneField("wagtailcore.Revision", on_delete=models.CASCADE, related_name="check_record",
                                    verbose_name=pgettext_lazy("review record", "revision"))
    report = models.JSONField(_("check results"))
    blocking_count = models.PositiveIntegerField(_("blocking findings"), default=0)
    warning_count = models.PositiveIntegerField(_("warnings"), default=0)
    checked_at = models.DateTimeField(_("checked at"), auto_now=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, related_name="+",
                                        null=True, blank=True, verbose_name=_("acknowledged by"))
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)

    class Meta:
        verbose_name = _("content check record")
        verbose_name_plural = _("content check records")

    @property
    def passes(self) -> bool:
        return self.blocking_count == 0 and (self.warning_count == 0 or self.acknowledged_at is not None)


class RepostAcceptance(models.Model):
    """A revision that is an unchanged repost (转载) of a library resource, published
    without this site's review because the column accepts its source directly (set by
    the site administrator) or the site accepts mandated reposts. The source site's
    review (its 保密审查) cleared the content; this site's content checks still apply."""

    revision = models.OneToOneField("wagtailcore.Revision", on_delete=models.CASCADE,
                                    related_name="repost_acceptance",
                                    verbose_name=pgettext_lazy("review record", "revision"))
    resource_id = models.BigIntegerField(_("library resource ID"))
    source_site_code = models.CharField(_("source site"), max_length=40)
    reason = models.CharField(_("reason"), max_length=20)
    accepted_at = models.DateTimeField(_("accepted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("repost acceptance record")
        verbose_name_plural = _("repost acceptance records")


class ImportAcceptance(models.Model):
    """A revision that is a page migrated from a retired site (ops.retirement), as the
    old site published it, imported by ops and published without this site's review
    because its content checks found nothing; the old site's own review cleared it.
    Pages with findings are imported as drafts and go through review as usual."""

    revision = models.OneToOneField("wagtailcore.Revision", on_delete=models.CASCADE,
                                    related_name="import_acceptance",
                                    verbose_name=pgettext_lazy("review record", "revision"))
    job_code = models.CharField(_("migration job"), max_length=40)
    old_url = models.TextField(_("old URL"))
    archive_record_id = models.BigIntegerField(_("archive record ID"))
    accepted_at = models.DateTimeField(_("accepted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("migration import record")
        verbose_name_plural = _("migration import records")
