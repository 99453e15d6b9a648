"""What the migration made of the archive: extracted pages, the rules that map them,
the URL mapping, and what was imported into the target site."""
from django.db import models
from django.utils.translation import gettext_lazy as _

from .crawl import ArchiveRecord
from .jobs import MigrationJob


class ExtractedPage(models.Model):
    """The fields read from one archived HTML page (lib/extract.py)."""

    job = models.ForeignKey(MigrationJob, on_delete=models.CASCADE, related_name="pages")
    record = models.OneToOneField(ArchiveRecord, on_delete=models.CASCADE, related_name="page")
    url = models.TextField()
    url_hash = models.CharField(max_length=40)
    kind = models.CharField(max_length=20)
    title = models.CharField(max_length=300, blank=True)
    pub_date = models.DateTimeField(null=True, blank=True)
    body_html = models.TextField(blank=True)
    body_text = models.TextField(blank=True)
    metadata = models.JSONField(default=dict)
    attachments = models.JSONField(default=list)
    images = models.JSONField(default=list)
    links = models.JSONField(default=list)  # absolute URLs linked from the main content
    next_pages = models.JSONField(default=list)  # a list page's pagination
    column_path = models.CharField(max_length=300, blank=True)
    column_name = models.CharField(max_length=100, blank=True)
    encoding = models.CharField(max_length=40, blank=True)
    extracted_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["job", "url_hash"], name="retirement_page_url"),
                   models.Index(fields=["job", "kind"], name="retirement_page_kind")]


class RuleMatch(models.TextChoices):
    URL_PREFIX = "url_prefix", _("URL path starts with")
    URL_REGEX = "url_regex", _("URL matches the regular expression")
    COLUMN_PATH = "column_path", _("old column path is")
    COLUMN_NAME = "column_name", _("old column name is")


class MappingRule(models.Model):
    """Pages that match go into a column of the target site as a content type; the
    first matching rule (by position) wins. No target column: the pages stay in the
    archive only (their old URLs answer 410 with a link to the archived copy)."""

    job = models.ForeignKey(MigrationJob, on_delete=models.CASCADE, related_name="rules")
    position = models.PositiveIntegerField(default=0)
    match_on = models.CharField(_("match on"), max_length=20, choices=RuleMatch.choices, default=RuleMatch.URL_PREFIX)
    pattern = models.CharField(_("pattern"), max_length=300)
    # A column page of the target site, by id (no key across schemas).
    target_column_id = models.IntegerField(_("target column"), null=True, blank=True)
    target_column_title = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(_("content type"), max_length=20, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["position", "id"]


class MappingStatus(models.TextChoices):
    REDIRECT = "redirect", _("Redirected (301)")
    ARCHIVE = "archive", _("Archived copy (410)")
    UNRESOLVED = "unresolved", _("Unresolved (410)")


class UrlMapping(models.Model):
    """Where an old URL goes after retirement: what the redirect serving answers."""

    job = models.ForeignKey(MigrationJob, on_delete=models.CASCADE, related_name="mappings")
    old_url = models.TextField()
    url_hash = models.CharField(max_length=40)
    new_url = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=MappingStatus.choices, default=MappingStatus.UNRESOLVED)
    note = models.CharField(max_length=300, blank=True)
    # Set by ops (CSV import or the console): a later import does not overwrite it.
    edited = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "url_hash"], name="retirement_mapping_unique")]


class ImportState(models.TextChoices):
    PUBLISHED = "published", _("Published")
    DRAFT = "draft", _("Draft with findings")
    FAILED = "failed", _("Failed")


class ImportedItem(models.Model):
    """One extracted page imported as a page of the target site (ids, not keys: the
    page lives in the site's schema). `content_hash` makes a re-run update a changed
    page and leave an unchanged one alone."""

    job = models.ForeignKey(MigrationJob, on_delete=models.CASCADE, related_name="imported")
    source = models.OneToOneField(ExtractedPage, on_delete=models.CASCADE, related_name="imported")
    rule = models.ForeignKey(MappingRule, null=True, on_delete=models.SET_NULL, related_name="+")
    site_id = models.IntegerField()
    page_id = models.IntegerField(null=True, blank=True)  # in the target site's schema
    state = models.CharField(max_length=10, choices=ImportState.choices)
    content_hash = models.CharField(max_length=40, blank=True)
    findings = models.JSONField(default=list)
    error = models.CharField(max_length=500, blank=True)
    imported_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)


class ImportedAsset(models.Model):
    """An attachment or image of the old site, stored once as a document or image of the target site."""

    job = models.ForeignKey(MigrationJob, on_delete=models.CASCADE, related_name="assets")
    url = models.TextField()
    url_hash = models.CharField(max_length=40)
    kind = models.CharField(max_length=10)  # document | image
    object_id = models.IntegerField()
    site_id = models.IntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "url_hash"], name="retirement_asset_unique")]


class RetiredHost(models.Model):
    """A host of a retired site that the platform keeps answering (redirect serving)."""

    job = models.ForeignKey(MigrationJob, on_delete=models.CASCADE, related_name="retired_hosts")
    host = models.CharField(max_length=255, unique=True)
    # The origin the crawl archived it under (scheme://host[:port]): old URLs are looked up there.
    origin = models.CharField(max_length=300)
    home_url = models.TextField()  # where the old home page goes: the target site's home
    activated_at = models.DateTimeField(auto_now_add=True)
