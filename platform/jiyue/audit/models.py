from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OperationLog(models.Model):
    """One row per state change made through a service (kept at least 6 months)."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    acting_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=60, db_index=True)
    site = models.ForeignKey("registry.Site", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("operation log entry")
        verbose_name_plural = _("operation log entries")
        ordering = ["-created_at"]
