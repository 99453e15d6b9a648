"""Reads of the library."""
import datetime

from django.utils import timezone

from .models import Resource, ResourceStatus


def live_resources():
    """What the library offers for reposting and search: published, and valid."""
    return Resource.objects.filter(status=ResourceStatus.LIVE, schema_issues=[])


def resources_with_schema_issues(site):
    """A site's published items whose metadata fails the schema (for its editors)."""
    return Resource.objects.filter(site=site, status=ResourceStatus.LIVE).exclude(schema_issues=[]) \
        .order_by("-pub_date", "pk")


def public_resources(*, site_code: str = "", content_type: str = "", topic_code: str = "", date_from=None,
                     date_to=None):
    """What the library's public read API serves: live, valid resources of online sites,
    newest first, filtered (dates are publication dates, inclusive)."""
    from tenants.registry.models.sites import SiteStatus

    resources = live_resources().filter(site__status=SiteStatus.ONLINE).select_related("site") \
        .order_by("-pub_date", "-pk")
    if site_code:
        resources = resources.filter(site__short_code=site_code)
    if content_type:
        resources = resources.filter(content_type=content_type)
    if topic_code:
        resources = resources.filter(topic_code=topic_code)
    # As bounds on the column itself (local midnights), so the (status, -pub_date) index serves them.
    if date_from:
        resources = resources.filter(pub_date__gte=_local_midnight(date_from))
    if date_to:
        resources = resources.filter(pub_date__lt=_local_midnight(date_to + datetime.timedelta(days=1)))
    return resources


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
