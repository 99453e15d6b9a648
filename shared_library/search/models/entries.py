"""The PostgreSQL backend's index: one row per searchable resource (published, valid).
The text-search indexes on `vector` are made by the migration: RUM where the server
has the extension, GIN otherwise (backends/postgres.py)."""
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# Raised when what goes into `vector` changes (segmentation, weights, markers):
# `jiyue search reindex` then rebuilds every row of an older format.
INDEX_FORMAT = 1


class SearchEntry(models.Model):
    resource = models.OneToOneField("resources.Resource", primary_key=True, on_delete=models.CASCADE,
                                    related_name="search_entry", verbose_name=_("library resource"))
    site = models.ForeignKey("registry.Site", on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("owning site"))
    vector = SearchVectorField(_("search vector"))
    # The publication time truncated to the minute plus the resource id's last digits
    # as microseconds: unique, so that date order is the same from either index.
    sort_date = models.DateTimeField(_("sort time"))
    year = models.SmallIntegerField(pgettext_lazy("search index", "year"), null=True)
    topic_code = models.CharField(_("topic code"), max_length=20, blank=True)
    source_updated_at = models.DateTimeField(_("resource updated at"))
    index_format = models.PositiveSmallIntegerField(_("index format"), default=INDEX_FORMAT)

    class Meta:
        db_table = "search_entry"
        verbose_name = _("search index entry")
        verbose_name_plural = _("search index entries")

    def __str__(self):
        return str(self.resource_id)
