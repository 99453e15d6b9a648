"""Reads for reposting: what a site's editors may browse in the library, and the
reposts a site has received."""
from django.db.models import Q

from shared_library.resources.queries import public_resources
from tenants.registry.models.sites import Site, SiteStatus

from .models import Repost, RepostStatus


def browsable_resources(site, *, source_site_id=None, topic_code="", content_type="", date_from=None,
                        date_to=None, text=""):
    """What the public read API serves (live, valid, online sites, newest first),
    without the site's own items, filtered further by source site and words."""
    resources = public_resources(content_type=content_type, topic_code=topic_code, date_from=date_from,
                                 date_to=date_to).exclude(site=site)
    if source_site_id:
        resources = resources.filter(site_id=source_site_id)
    if text:
        resources = resources.filter(Q(title__icontains=text) | Q(body_text__icontains=text))
    return resources


def source_sites(site):
    return Site.objects.filter(status=SiteStatus.ONLINE).exclude(pk=site.pk).order_by("name")


def reposted_ids(site, resource_ids) -> set[int]:
    """Which of these resources the site has reposted already (and not taken down)."""
    return set(Repost.objects.filter(target_site=site, resource_id__in=list(resource_ids))
               .exclude(status=RepostStatus.REMOVED).values_list("resource_id", flat=True))


def received_reposts(site):
    return Repost.objects.filter(target_site=site).select_related("resource", "source_site", "created_by") \
        .order_by("-created_at")
