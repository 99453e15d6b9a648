from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# Rows younger than this cannot be deleted (a trigger refuses it, see migration 0005);
# no row can ever be updated.
RETENTION_DAYS = 183


class OperationLog(models.Model):
    """One row per state change made through a service: who, in which role, from
    where, what was decided, before and after. Append-only in the database itself, and
    kept at least 6 months (RETENTION_DAYS)."""

    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    acting_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The role the person acted in (approver of which office, ops, applicant…).
    role = models.CharField(pgettext_lazy("audit", "role"), max_length=100, blank=True)
    source_ip = models.GenericIPAddressField(_("source IP"), null=True, blank=True)
    action = models.CharField(pgettext_lazy("audit", "action"), max_length=60, db_index=True)
    site = models.ForeignKey("registry.Site", null=True, blank=True, on_delete=models.DO_NOTHING,
                             db_constraint=False, related_name="+")
    lifecycle_request = models.ForeignKey("lifecycle.LifecycleRequest", null=True, blank=True,
                                          on_delete=models.DO_NOTHING, db_constraint=False, related_name="log")
    decision = models.CharField(pgettext_lazy("audit", "decision"), max_length=30, blank=True)
    comment = models.TextField(pgettext_lazy("audit", "comment"), blank=True)
    before = models.JSONField(pgettext_lazy("audit", "before"), null=True, blank=True)
    after = models.JSONField(pgettext_lazy("audit", "after"), null=True, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("operation log entry")
        verbose_name_plural = _("operation log entries")
        ordering = ["-created_at"]
