"""What follows an approval: the security check before go-live, the periods a site is
temporarily offline, the checklist of a permanent closure, and notifications."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CheckResult(models.TextChoices):
    PASSED = "passed", _("Passed")
    FAILED = "failed", pgettext_lazy("security check", "Failed")


class SecurityCheck(models.Model):
    """安全检测 of a pre-launch site: who, when, result, the report."""

    site = models.ForeignKey("registry.Site", on_delete=models.PROTECT, related_name="security_checks")
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("checked by"))
    checked_at = models.DateTimeField(_("checked at"), auto_now_add=True)
    result = models.CharField(_("result"), max_length=10, choices=CheckResult.choices)
    summary = models.TextField(_("summary"), blank=True)
    report = models.ForeignKey("lifecycle.Attachment", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("report"))

    class Meta:
        ordering = ["-checked_at", "-id"]


class OfflinePeriod(models.Model):
    """One approved temporary offline: planned and actual dates."""

    site = models.ForeignKey("registry.Site", on_delete=models.PROTECT, related_name="offline_periods")
    request = models.OneToOneField("lifecycle.LifecycleRequest", on_delete=models.PROTECT,
                                   related_name="offline_period")
    reason = models.CharField(_("reason"), max_length=200)
    starts_on = models.DateField(_("starts on"))
    planned_return_on = models.DateField(_("planned return date"))
    started_at = models.DateTimeField(_("taken offline at"), null=True, blank=True)
    returned_at = models.DateTimeField(_("back online at"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)

    class Meta:
        ordering = ["-starts_on"]


class ClosureItem(models.TextChoices):
    CONTENT_INTEGRATED = "content_integrated", _("Content integrated into the parent site")
    PARENT_ANNOUNCEMENT = "parent_announcement", _("Announcement on the parent portal")
    PAGES_ARCHIVED = "pages_archived", _("Pages archived")
    DOMAIN_DEREGISTERED = "domain_deregistered", _("Domain deregistered")


class ClosureTask(models.Model):
    """One item of a permanent closure's checklist; when all are done the site retires."""

    request = models.ForeignKey("lifecycle.LifecycleRequest", on_delete=models.CASCADE, related_name="closure_tasks")
    item = models.CharField(_("item"), max_length=30, choices=ClosureItem.choices)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+", verbose_name=_("done by"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    note = models.TextField(pgettext_lazy("lifecycle", "note"), blank=True)
    attachment = models.ForeignKey("lifecycle.Attachment", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["request", "item"], name="lifecycle_closure_item_unique")]


class Notification(models.Model):
    """An in-console notice (also sent by e-mail to people who have an address)."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    request = models.ForeignKey("lifecycle.LifecycleRequest", null=True, blank=True, on_delete=models.CASCADE,
                                related_name="notifications")
    message = models.CharField(_("message"), max_length=300)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
