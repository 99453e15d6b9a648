"""The library against the sites: `verify_site` compares what the library holds of a
site with the site's live content pages; `rebuild_site` makes them agree. Both work one
site at a time (one transaction per site), so a rebuild stopped half-way is resumed by
running it again: the sites already in agreement are left as they are."""
from dataclasses import dataclass, field

from django.db import transaction
from django_tenants.utils import tenant_context
from wagtail.models import Page

from tenants.publishing.models import EventStatus, PublishEvent

from ..models import Resource, ResourceStatus
from ..models.resources import VersionKind
from .documents import CONTENT_TYPES, Document, build_document, public_url
from .ingest import add_version, store_document


@dataclass
class SiteCheck:
    site_code: str
    checked: int = 0
    missing: list[int] = field(default_factory=list)
    stale: list[int] = field(default_factory=list)
    extra: list[int] = field(default_factory=list)
    # Differences the outbox has not delivered yet (they may explain the others).
    pending_events: int = 0

    @property
    def in_agreement(self) -> bool:
        return not (self.missing or self.stale or self.extra)

    def as_dict(self) -> dict:
        return {"site": self.site_code, "checked": self.checked, "missing": self.missing, "stale": self.stale,
                "extra": self.extra, "pending_events": self.pending_events}


def live_documents(site) -> dict[int, Document]:
    """The document of every live content page of the site, as it stands."""
    documents = {}
    with tenant_context(site):
        pages = (Page.objects.live().filter(content_type__app_label="content",
                                            content_type__model__in=[key.split(".")[1] for key in CONTENT_TYPES])
                 .specific().order_by("pk"))
        for page in pages.iterator(chunk_size=200):
            documents[page.pk] = build_document(page, revision_id=page.live_revision_id, url=public_url(page),
                                                site=site)
    return documents


def verify_site(site, documents: dict[int, Document] | None = None) -> SiteCheck:
    documents = live_documents(site) if documents is None else documents
    check = SiteCheck(site_code=site.short_code, checked=len(documents))
    held = {resource.page_id: resource for resource in Resource.objects.filter(site=site)}
    for page_id, document in documents.items():
        resource = held.get(page_id)
        if resource is None or resource.status != ResourceStatus.LIVE:
            check.missing.append(page_id)
        elif resource.metadata != document.metadata:
            check.stale.append(page_id)
    check.extra = sorted(page_id for page_id, resource in held.items()
                         if resource.status == ResourceStatus.LIVE and page_id not in documents)
    check.pending_events = PublishEvent.objects.filter(site=site, status=EventStatus.PENDING).count()
    return check


def rebuild_site(site) -> SiteCheck:
    """Bring the library in line with the site; returns what was found (and fixed)."""
    documents = live_documents(site)
    check = verify_site(site, documents)
    if check.in_agreement:
        return check
    with transaction.atomic():
        for page_id in check.missing + check.stale:
            store_document(site, page_id, documents[page_id], kind=VersionKind.REBUILD, event_id=None,
                           revision_id=documents[page_id].metadata["origin"]["revision_id"],
                           status=ResourceStatus.LIVE)
        with tenant_context(site):
            existing = set(Page.objects.filter(pk__in=check.extra).values_list("pk", flat=True))
        for resource in Resource.objects.select_for_update().filter(site=site, page_id__in=check.extra):
            resource.status = ResourceStatus.WITHDRAWN if resource.page_id in existing else ResourceStatus.DELETED
            add_version(resource, kind=VersionKind.REBUILD, event_id=None, revision_id=None)
    return check
