"""Reads of a site's reposts, run in the site's schema."""
from shared_library.resources.models import Resource

from .models import RepostPage


def attach_sources(pages) -> list:
    """The pages of a column's listing without the reposts whose source is no longer
    live; each repost gets its library resource attached (one query for them all)."""
    reposts = [page for page in pages if isinstance(page, RepostPage)]
    if not reposts:
        return list(pages)
    sources = Resource.objects.select_related("site").in_bulk([page.resource_id for page in reposts])
    shown = []
    for page in pages:
        if isinstance(page, RepostPage):
            page.source = sources[page.resource_id]  # fills the cached_property
            if not page.source_is_live:
                continue
        shown.append(page)
    return shown

