"""Reads for reposting: what a site's editors may browse in the library, and the
reposts a site has received."""
from django.db.models import Q

from shared_library.resources.queries import live_resources
from tenants.registry.models.sites import Site, SiteStatus

from .models import Repost, RepostStatus


def browsable_resources(site, *, source_site_id=None, topic_code="", content_type="", date_from=None,
                        date_to=None, text=""):
    """Live, valid resources of the other online sites, newest first, filtered."""
    resources = live_resources().exclude(site=site).filter(site__status=SiteStatus.ONLINE) \
        .select_related("site").order_by("-pub_date", "-pk")
    if source_site_id:
        resources = resources.filter(site_id=source_site_id)
    if topic_code:
        resources = resources.filter(topic_code=topic_code)
    if content_type:
        resources = resources.filter(content_type=content_type)
    if date_from:
        resources = resources.filter(pub_date__date__gte=date_from)
    if date_to:
        resources = resources.filter(pub_date__date__lte=date_to)
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
