from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# Labels that are common English words carry a context: all apps' catalogues share one
# namespace, and a word may need another rendering elsewhere.


class JobStatus(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("site opening", "Queued")
    RUNNING = "running", pgettext_lazy("site opening", "Running")
    SUCCEEDED = "succeeded", pgettext_lazy("site opening", "Completed")
    FAILED = "failed", pgettext_lazy("site opening", "Failed")


class ProvisioningJob(models.Model):
    """One attempt to create a site's schema and initial content; the console shows it."""

    site = models.ForeignKey("registry.Site", on_delete=models.CASCADE, related_name="provisioning_jobs")
    status = models.CharField(pgettext_lazy("site opening", "status"), max_length=20,
                              choices=JobStatus.choices, default=JobStatus.QUEUED)
    step = models.CharField(_("current step"), max_length=60, blank=True)
    # The site ends pre-launch (lifecycle workflow) rather than online (ops registration).
    prelaunch = models.BooleanField(_("ends pre-launch"), default=False)
    error = models.TextField(pgettext_lazy("site opening", "error message"), blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("opening job")
        verbose_name_plural = _("opening jobs")
        ordering = ["-created_at"]
        constraints = [
            # At most one job in flight per site.
            models.UniqueConstraint(fields=["site"], condition=models.Q(status__in=["queued", "running"]),
                                    name="provisioning_one_active_job_per_site"),
        ]
