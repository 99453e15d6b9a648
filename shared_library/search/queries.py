"""Reads for the search page: which sites a search covers."""
from tenants.registry.models import Site, SiteKind, SiteStatus

SCOPE_SITE = "site"
SCOPE_PROVINCE = "province"
SCOPES = (SCOPE_SITE, SCOPE_PROVINCE)


def default_scope(site) -> str:
    """A portal (the provincial portal, a city's or county's) searches every online
    site by default; any other site itself."""
    kind = Site.objects.filter(pk=site.pk).values_list("kind", flat=True).first()
    return SCOPE_PROVINCE if kind == SiteKind.PORTAL else SCOPE_SITE


def scope_site_ids(site, scope: str) -> tuple[int, ...]:
    """The online sites a search in `scope` covers: sites not online are never found."""
    online = Site.objects.filter(status=SiteStatus.ONLINE)
    if scope == SCOPE_SITE:
        online = online.filter(pk=site.pk)
    return tuple(online.order_by("pk").values_list("pk", flat=True))
