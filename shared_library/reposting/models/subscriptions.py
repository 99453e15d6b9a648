"""A column of a site subscribed to a source: a column of another site, or a 主题分类
term. New items of the source are reposted into it automatically, in the chosen mode."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .reposts import RepostMode


class Subscription(models.Model):
    target_site = models.ForeignKey("registry.Site", on_delete=models.CASCADE, related_name="subscriptions",
                                    verbose_name=_("target site"))
    column_id = models.IntegerField(_("column ID"))
    mode = models.CharField(_("repost mode"), max_length=20, choices=RepostMode.choices,
                            default=RepostMode.REFERENCE)
    # Either a column of another site…
    source_site = models.ForeignKey("registry.Site", null=True, blank=True, on_delete=models.CASCADE,
                                    related_name="+", verbose_name=_("source site"))
    source_column_id = models.IntegerField(_("source column ID"), null=True, blank=True)
    source_column_title = models.CharField(_("source column"), max_length=255, blank=True)
    # …or a topic term, from any site.
    topic_code = models.CharField(_("topic code"), max_length=20, blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("subscribed by"))
    created_at = models.DateTimeField(_("subscribed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.CheckConstraint(
                condition=(Q(source_column_id__isnull=False, source_site__isnull=False, topic_code="")
                           | (Q(source_column_id__isnull=True, source_site__isnull=True) & ~Q(topic_code=""))),
                name="reposting_subscription_one_source"),
        ]
        indexes = [models.Index(fields=["source_site", "source_column_id"], name="reposting_sub_column"),
                   models.Index(fields=["topic_code"], name="reposting_sub_topic")]

    def __str__(self):
        return f"{self.target_site_id}/{self.column_id}"
