"""One repost: a library resource placed into a column of another site, in one of the
three modes of the commercial 站群 products."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RepostMode(models.TextChoices):
    COPY = "copy", _("Full copy")  # 完整复制: an independent page on the target site
    LINK = "link", _("Link to the source")  # 引用地址: listed on the target, opens the source
    REFERENCE = "reference", _("Live reference")  # 引用内容: shows the source's current content


class RepostStatus(models.TextChoices):
    IN_REVIEW = "in_review", pgettext_lazy("repost", "In review")
    LIVE = "live", pgettext_lazy("repost", "Published")
    REMOVED = "removed", pgettext_lazy("repost", "Taken down")


class Repost(models.Model):
    """The target page is a plain id in the target site's schema (no constraint crosses
    schemas); its publish events keep `status` in step (services/tracking.py)."""

    resource = models.ForeignKey("resources.Resource", on_delete=models.PROTECT, related_name="reposts",
                                 verbose_name=_("library resource"))
    source_site = models.ForeignKey("registry.Site", on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("source site"))
    target_site = models.ForeignKey("registry.Site", on_delete=models.PROTECT, related_name="reposts_received",
                                    verbose_name=_("target site"))
    column_id = models.IntegerField(_("column ID"))
    page_id = models.IntegerField(_("page ID"))
    mode = models.CharField(_("repost mode"), max_length=20, choices=RepostMode.choices)
    status = models.CharField(pgettext_lazy("repost", "status"), max_length=20, choices=RepostStatus.choices)
    accepted_directly = models.BooleanField(_("accepted without review"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("reposted by"))
    created_at = models.DateTimeField(_("reposted at"), auto_now_add=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("repost")
        verbose_name_plural = _("reposts")
        constraints = [
            models.UniqueConstraint(fields=["target_site", "page_id"], name="reposting_one_per_page"),
            # Once per column: a second repost of the same item there is refused.
            models.UniqueConstraint(fields=["resource", "target_site", "column_id"],
                                    condition=~Q(status="removed"), name="reposting_once_per_column"),
        ]
        indexes = [models.Index(fields=["resource", "status"], name="reposting_resource_status")]

    def __str__(self):
        return f"{self.resource_id} → {self.target_site_id}/{self.page_id}"
