"""One row per content page of any site, with its metadata document (schemas/v<N>.json),
and every version the library has received of it."""
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ResourceStatus(models.TextChoices):
    LIVE = "live", pgettext_lazy("library resource", "Published")
    WITHDRAWN = "withdrawn", pgettext_lazy("library resource", "Withdrawn")
    DELETED = "deleted", pgettext_lazy("library resource", "Deleted")


class VersionKind(models.TextChoices):
    PUBLISH = "publish", pgettext_lazy("library resource", "Published")
    UNPUBLISH = "unpublish", pgettext_lazy("library resource", "Withdrawn")
    MOVE = "move", pgettext_lazy("library resource", "Moved")
    DELETE = "delete", pgettext_lazy("library resource", "Deleted")
    REBUILD = "rebuild", pgettext_lazy("library resource", "Rebuilt from the site")
    UPGRADE = "upgrade", pgettext_lazy("library resource", "Schema upgraded")


# The document's content_type (schemas/v<N>.json) as editors name it.
CONTENT_TYPE_LABELS = {
    "article": pgettext_lazy("library resource", "News"),
    "policy": pgettext_lazy("library resource", "Policy document"),
    "interpretation": pgettext_lazy("library resource", "Interpretation"),
    "announcement": pgettext_lazy("library resource", "Announcement"),
}


class Resource(models.Model):
    """A content page of a site as the library holds it. The page is a plain id in the
    site's schema (no constraint crosses schemas). A document that fails its schema is
    kept, with its issues, and left out of reposting and search until the site fixes
    the page: nothing is dropped, and the site's editors see the issues."""

    site = models.ForeignKey("registry.Site", verbose_name=pgettext_lazy("library resource", "site"),
                             on_delete=models.PROTECT, related_name="library_resources")
    page_id = models.IntegerField(_("page ID"))
    content_type = models.CharField(_("content type"), max_length=20)
    status = models.CharField(pgettext_lazy("library resource", "status"), max_length=20,
                              choices=ResourceStatus.choices, default=ResourceStatus.LIVE)
    schema_version = models.PositiveIntegerField(_("schema version"))
    metadata = models.JSONField(_("metadata"), encoder=DjangoJSONEncoder)
    body_text = models.TextField(_("body text"), blank=True)
    # Denormalised from the metadata for listing, filters and ordering.
    title = models.CharField(pgettext_lazy("library resource", "title"), max_length=255)
    url = models.CharField(_("public URL"), max_length=500, blank=True)
    pub_date = models.DateTimeField(_("publication time"), null=True, blank=True)
    topic_code = models.CharField(_("topic code"), max_length=20, blank=True)
    genre_code = models.CharField(_("genre code"), max_length=20, blank=True)
    schema_issues = models.JSONField(_("schema issues"), default=list, blank=True)
    version = models.PositiveIntegerField(pgettext_lazy("library resource", "version"), default=0)
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("library resource")
        verbose_name_plural = _("library resources")
        constraints = [models.UniqueConstraint(fields=["site", "page_id"], name="resources_one_per_page")]
        indexes = [
            models.Index(fields=["status", "-pub_date"], name="resources_status_date"),
            models.Index(fields=["site", "status", "-pub_date"], name="resources_site_status_date"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_valid(self) -> bool:
        return not self.schema_issues

    def get_content_type_label(self) -> str:
        return str(CONTENT_TYPE_LABELS.get(self.content_type, self.content_type))


class ResourceVersion(models.Model):
    """What the library received of a page, one row per event (or rebuild), in order.
    `event_id` is unique: an event handed over twice adds one version."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="versions",
                                 verbose_name=_("library resource"))
    number = models.PositiveIntegerField(pgettext_lazy("library resource", "version"))
    kind = models.CharField(_("change"), max_length=20, choices=VersionKind.choices)
    event_id = models.BigIntegerField(_("publish event ID"), null=True, blank=True, unique=True)
    revision_id = models.IntegerField(_("revision ID"), null=True, blank=True)
    status = models.CharField(pgettext_lazy("library resource", "status"), max_length=20,
                              choices=ResourceStatus.choices)
    schema_version = models.PositiveIntegerField(_("schema version"))
    metadata = models.JSONField(_("metadata"), encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(_("received at"), auto_now_add=True)

    class Meta:
        verbose_name = _("resource version")
        verbose_name_plural = _("resource versions")
        ordering = ["resource_id", "number"]
        constraints = [models.UniqueConstraint(fields=["resource", "number"], name="resources_version_number")]

    def __str__(self):
        return f"{self.resource_id} v{self.number}"
