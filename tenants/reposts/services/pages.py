"""The target site's side of a repost, run in its schema: the page that a repost puts
into a column, and publishing it when the column (or the site) accepts it without review."""
import datetime

from django.utils import timezone
from wagtail.models import Page
from wagtail.rich_text import RichText

from shared_library.taxonomy.models import Term
from tenants.content.models import AnnouncementPage, ArticlePage, PolicyDocumentPage
from tenants.review.models import RepostAcceptance

from ..models import RepostPage

# The library's content type -> the page type of a full copy. An interpretation has no
# copy: it must point at a policy of the same site (InterpretationPage.policy).
COPY_TYPES = {"article": ArticlePage, "policy": PolicyDocumentPage, "announcement": AnnouncementPage}


def create_reference_page(column, resource, mode: str, *, user) -> Page:
    page = RepostPage(title=resource.title[:255], resource_id=resource.pk, mode=mode, live=False)
    column.add_child(instance=page)
    page.save_revision(user=user)
    return page


def create_copy_page(column, resource, *, user) -> Page:
    """An independent page of the site with the resource's content and metadata."""
    metadata = resource.metadata
    model = COPY_TYPES[metadata["content_type"]]
    body = metadata.get("body", "") + _attachment_list(metadata.get("attachments") or [])
    page = model(title=resource.title[:255], body=[("paragraph", RichText(body))], live=False,
                 **_copied_fields(metadata))
    column.add_child(instance=page)
    page.save_revision(user=user)
    return page


def publish_accepted(page, *, resource, reason: str) -> None:
    """Publish the repost's first revision without review: recorded as accepted
    (tenants.review's gate takes the record in place of this site's 保密审查)."""
    revision = page.latest_revision
    RepostAcceptance.objects.create(revision=revision, resource_id=resource.pk,
                                    source_site_code=resource.site.short_code, reason=reason)
    revision.publish(user=None)


def _copied_fields(metadata: dict) -> dict:
    kind = metadata["content_type"]
    origin = metadata["origin"]["site_name"]
    if kind == "article":
        return {"source": (metadata.get("source") or origin)[:100], "author": metadata.get("author", "")[:100],
                "summary": metadata.get("summary", "")}
    if kind == "announcement":
        return {"issuing_organ": metadata.get("issuing_organ", "")[:100]}
    today = timezone.localdate()
    return {
        "issuing_organ": metadata.get("issuing_organ", origin)[:100],
        "document_number": metadata.get("document_number", "")[:100],
        "written_date": _date(metadata.get("written_date")) or today,
        "publish_date": _date(metadata.get("publish_date")) or today,
        "topic": _term("topic", metadata.get("topic")), "genre": _term("genre", metadata.get("genre")),
        "validity": metadata.get("validity", "valid"),
    }


def _term(taxonomy: str, value: dict | None):
    if not value:
        return None
    return Term.objects.filter(taxonomy__code=taxonomy, code=value.get("code")).first()


def _date(value: str | None):
    return datetime.date.fromisoformat(value) if value else None


def _attachment_list(attachments: list[dict]) -> str:
    from html import escape

    if not attachments:
        return ""
    items = "".join(f'<li><a href="{escape(item["url"])}">{escape(item["title"])}</a></li>' for item in attachments)
    return f"<ol>{items}</ol>"
