from django.conf import settings
from django.db import models


class JobStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "进行中"
    SUCCEEDED = "succeeded", "已完成"
    FAILED = "failed", "失败"


class ProvisioningJob(models.Model):
    """One attempt to create a site's schema and initial content; the console shows it."""

    site = models.ForeignKey("registry.Site", on_delete=models.CASCADE, related_name="provisioning_jobs")
    status = models.CharField("状态", max_length=20, choices=JobStatus.choices, default=JobStatus.QUEUED)
    step = models.CharField("当前步骤", max_length=60, blank=True)
    error = models.TextField("错误信息", blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = "开通任务"
        verbose_name_plural = "开通任务"
        ordering = ["-created_at"]
        constraints = [
            # At most one job in flight per site.
            models.UniqueConstraint(fields=["site"], condition=models.Q(status__in=["queued", "running"]),
                                    name="provisioning_one_active_job_per_site"),
        ]
