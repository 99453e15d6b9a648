"""Reads of the library."""
from .models import Resource, ResourceStatus


def live_resources():
    """What the library offers for reposting and search: published, and valid."""
    return Resource.objects.filter(status=ResourceStatus.LIVE, schema_issues=[])


def resources_with_schema_issues(site):
    """A site's published items whose metadata fails the schema (for its editors)."""
    return Resource.objects.filter(site=site, status=ResourceStatus.LIVE).exclude(schema_issues=[]) \
        .order_by("-pub_date", "pk")
