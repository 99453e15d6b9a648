"""The outbox consumer: each publish event of a content page becomes the library's
current state of that page and one more version of it.

`ingest_event` is registered with the outbox (apps.py) and runs inside
`tenant_context(event.site)`, inside the dispatcher's transaction: its writes commit
together with the event's processed mark, or not at all (tenants/publishing/README.md),
so a consumer killed mid-batch loses nothing, and the unique `event_id` of a version
makes an event handed over again add nothing. The outbox hands a page's events over in
order."""
import logging
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from wagtail.models import Page, Revision

from tenants.publishing.models import EventKind

from ..lib import metadata_schema
from ..models import Resource, ResourceStatus, ResourceVersion
from ..models.resources import VersionKind
from .documents import Document, build_document, is_library_type, public_url

logger = logging.getLogger(__name__)

STATUS_AFTER = {EventKind.UNPUBLISH: ResourceStatus.WITHDRAWN, EventKind.DELETE: ResourceStatus.DELETED}


def ingest_event(event) -> None:
    content_type = (event.payload or {}).get("content_type", "")
    if not is_library_type(content_type):
        return
    if ResourceVersion.objects.filter(event_id=event.id).exists():
        return
    if event.kind == EventKind.PUBLISH:
        page = _published_object(event)
        if page is None:  # the page is gone already; its delete event follows
            return
        document = build_document(page, revision_id=event.revision_id, url=public_url(_live(page)), site=event.site)
        store_document(event.site, event.page_id, document, kind=VersionKind.PUBLISH, event_id=event.id,
                       revision_id=event.revision_id, status=ResourceStatus.LIVE)
        return
    resource = Resource.objects.select_for_update().filter(site=event.site, page_id=event.page_id).first()
    if resource is None:  # never published into the library (e.g. a draft deleted)
        return
    if event.kind == EventKind.MOVE:
        page = Page.objects.filter(pk=event.page_id).specific().first()
        if page is not None:
            _apply_move(resource, page)
        add_version(resource, kind=VersionKind.MOVE, event_id=event.id, revision_id=event.revision_id)
    else:
        resource.status = STATUS_AFTER[event.kind]
        add_version(resource, kind=VersionKind(event.kind), event_id=event.id, revision_id=None)


def store_document(site, page_id: int, document: Document, *, kind: str, event_id: int | None,
                   revision_id: int | None, status: str) -> Resource:
    """Make `document` the resource's current state and add it as a version. A document
    that fails its schema is stored with its issues (and logged), never dropped."""
    issues = [issue.as_dict() for issue in metadata_schema.validate(document.metadata)]
    if issues:
        logger.warning("library: page %s of site %s fails the metadata schema: %s", page_id, site.short_code,
                       "; ".join(issue["message"] for issue in issues))
    metadata = document.metadata
    with transaction.atomic():
        resource = Resource.objects.select_for_update().filter(site=site, page_id=page_id).first()
        if resource is None:
            resource = Resource(site=site, page_id=page_id)
        resource.content_type = metadata["content_type"]
        resource.status = status
        resource.schema_version = metadata["schema_version"]
        resource.metadata = metadata
        resource.body_text = document.body_text
        resource.title = metadata["title"][:255]
        resource.url = metadata["origin"]["url"]
        resource.pub_date = _parse_pub_date(metadata.get("pub_date"))
        resource.topic_code = (metadata.get("topic") or {}).get("code", "")
        resource.genre_code = (metadata.get("genre") or {}).get("code", "")
        resource.schema_issues = issues
        add_version(resource, kind=kind, event_id=event_id, revision_id=revision_id)
    return resource


def add_version(resource: Resource, *, kind: str, event_id: int | None, revision_id: int | None) -> None:
    resource.version += 1
    resource.save()
    ResourceVersion.objects.create(
        resource=resource, number=resource.version, kind=kind, event_id=event_id, revision_id=revision_id,
        status=resource.status, schema_version=resource.schema_version, metadata=resource.metadata)


def _apply_move(resource: Resource, page) -> None:
    column = page.get_parent()
    metadata = dict(resource.metadata)
    metadata["column"] = {"id": column.pk, "title": column.title,
                          "path": "/" + column.url_path.strip("/").partition("/")[2] + "/"}
    metadata["origin"] = {**metadata["origin"], "url": public_url(page)}
    resource.metadata = metadata
    resource.url = metadata["origin"]["url"]


def _published_object(event):
    """The page as the event published it: its revision's content, where it is now."""
    revision = Revision.page_revisions.filter(pk=event.revision_id).first() if event.revision_id else None
    if revision is not None:
        return revision.as_object()
    return Page.objects.filter(pk=event.page_id).specific().first()


def _live(page):
    # The public URL is the page's as it stands (tree position, first publication).
    return Page.objects.filter(pk=page.pk).specific().first() or page


def _parse_pub_date(value: str | None):
    if not value:
        return None
    try:
        return timezone.make_aware(datetime.strptime(value, "%Y-%m-%d %H:%M"))
    except ValueError:
        return None
