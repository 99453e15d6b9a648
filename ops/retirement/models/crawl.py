"""The crawl frontier, the hosts it visits and the WARC archive it writes."""
from django.db import models
from django.utils.translation import gettext_lazy as _

from .jobs import MigrationJob


class UrlState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    FETCHING = "fetching", _("Being fetched")
    FETCHED = "fetched", _("Fetched")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Skipped")


class CrawlHost(models.Model):
    """A host of a job: its robots.txt, read once and kept so a resumed crawl obeys the same rules."""

    job = models.ForeignKey(MigrationJob, on_delete=models.CASCADE, related_name="hosts")
    host = models.CharField(max_length=255)
    robots_txt = models.TextField(blank=True)
    robots_status = models.PositiveSmallIntegerField(null=True, blank=True)
    fetched_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "host"], name="retirement_host_unique")]


class CrawlUrl(models.Model):
    """One canonical URL of the frontier (lib/urls.canonicalize). Claimed with a lease;
    a crawl killed while fetching leaves leases that expire and are queued again."""

    job = models.ForeignKey(MigrationJob, on_delete=models.CASCADE, related_name="urls")
    url = models.TextField()
    url_hash = models.CharField(max_length=40)
    depth = models.PositiveSmallIntegerField(default=0)
    found_on = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    state = models.CharField(max_length=10, choices=UrlState.choices, default=UrlState.QUEUED)
    lease_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    content_type = models.CharField(max_length=150, blank=True)
    size = models.BigIntegerField(null=True, blank=True)
    redirect_to = models.TextField(blank=True)
    error = models.CharField(max_length=500, blank=True)
    fetched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "url_hash"], name="retirement_url_unique")]
        indexes = [models.Index(fields=["job", "state", "depth", "id"], name="retirement_url_frontier")]


class WarcState(models.TextChoices):
    WRITING = "writing", _("Being written")
    COMPLETE = "complete", _("Complete")
    DISCARDED = "discarded", _("Discarded")


class WarcFile(models.Model):
    """One WARC file in object storage. Its row is committed (writing) before the upload
    and completed with its records in one transaction, so a crash leaves either a
    complete file with its index or a 'writing' row whose object the next run deletes."""

    job = models.ForeignKey(MigrationJob, on_delete=models.CASCADE, related_name="warc_files")
    name = models.CharField(max_length=300)
    state = models.CharField(max_length=10, choices=WarcState.choices, default=WarcState.WRITING)
    records = models.PositiveIntegerField(default=0)
    size = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]


class ArchiveRecord(models.Model):
    """The index of the archive (a CDX in a table): where a response record lies in its WARC file."""

    job = models.ForeignKey(MigrationJob, on_delete=models.CASCADE, related_name="records")
    warc = models.ForeignKey(WarcFile, on_delete=models.CASCADE, related_name="index")
    crawl_url = models.OneToOneField(CrawlUrl, on_delete=models.CASCADE, related_name="record")
    url = models.TextField()
    url_hash = models.CharField(max_length=40)
    captured_at = models.DateTimeField()
    status_code = models.PositiveSmallIntegerField()
    content_type = models.CharField(max_length=150, blank=True)
    offset = models.BigIntegerField()
    length = models.BigIntegerField()
    payload_digest = models.CharField(max_length=80, blank=True)
    record_id = models.CharField(max_length=80)

    class Meta:
        indexes = [models.Index(fields=["job", "url_hash"], name="retirement_record_url")]
