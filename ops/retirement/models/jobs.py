"""A migration job (one retired site into the platform) and the runs of its stages."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Stage(models.TextChoices):
    CRAWL = "crawl", _("Crawl and archive")
    EXTRACT = "extract", _("Extract")
    MAP = "map", pgettext_lazy("migration stage", "Map")
    IMPORT = "import", _("Import")
    REDIRECT = "redirect", _("Redirect")


class MigrationJob(models.Model):
    """One retired site: where to crawl, how politely, and which site receives it.

    Archives live under the prefix of the retired site when it is one of the
    platform's own sites, else under the target site's (jiyue.storage.site_storage)."""

    code = models.SlugField(_("code"), max_length=40, unique=True,
                            help_text=_("Letters, digits and hyphens; used by `jiyue retire` and in storage keys"))
    name = models.CharField(_("name of the retired site"), max_length=100)
    source_site = models.ForeignKey("registry.Site", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="retirements", verbose_name=_("retired platform site"))
    target_site = models.ForeignKey("registry.Site", on_delete=models.PROTECT, related_name="migrations_in",
                                    verbose_name=_("target site"))
    lifecycle_request = models.ForeignKey("lifecycle.LifecycleRequest", null=True, blank=True,
                                          on_delete=models.SET_NULL, related_name="migration_jobs",
                                          verbose_name=_("permanent offline request"))
    start_urls = models.JSONField(_("start URLs"), default=list)
    allowed_hosts = models.JSONField(_("allowed hosts"), default=list)
    ignore_robots = models.BooleanField(_("ignore robots.txt"), default=False)
    ignore_robots_reason = models.CharField(_("why robots.txt is ignored"), max_length=200, blank=True)
    requests_per_second = models.FloatField(_("requests per second per host"), default=4.0)
    concurrency = models.PositiveSmallIntegerField(_("parallel requests per host"), default=2)
    max_depth = models.PositiveSmallIntegerField(_("maximum link depth"), default=20)
    max_pages = models.PositiveIntegerField(_("maximum number of URLs fetched"), default=100_000)
    max_bytes = models.BigIntegerField(_("largest response archived (bytes)"), default=200 * 1024 * 1024)
    timeout_seconds = models.FloatField(_("timeout per request (seconds)"), default=20.0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    retired_at = models.DateTimeField(_("redirects active since"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("migration job")

    def __str__(self):
        return f"{self.name} ({self.code})"

    @property
    def archive_schema(self) -> str:
        return (self.source_site or self.target_site).schema_name


class RunState(models.TextChoices):
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    STOPPED = "stopped", _("Stopped")
    FAILED = "failed", _("Failed")


class StageRun(models.Model):
    """One run of one stage: its progress while it runs (shown by the console and the
    CLI), its outcome after. A run whose heartbeat stopped was killed: the next run
    resumes from the stage's own persisted state, not from here."""

    job = models.ForeignKey(MigrationJob, on_delete=models.CASCADE, related_name="runs")
    stage = models.CharField(max_length=10, choices=Stage.choices)
    state = models.CharField(max_length=10, choices=RunState.choices, default=RunState.RUNNING)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(null=True, blank=True)
    message = models.CharField(max_length=300, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    heartbeat_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["-started_at", "-id"]


class JobIssue(models.Model):
    """Something a stage could not do for one URL or row, kept for the report: the
    pipeline goes on with the rest."""

    job = models.ForeignKey(MigrationJob, on_delete=models.CASCADE, related_name="issues")
    stage = models.CharField(max_length=10, choices=Stage.choices)
    url = models.TextField(blank=True)
    message = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["job", "stage"], name="retirement_issue_job_stage")]
