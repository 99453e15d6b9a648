"""A content page of a site as a library document (schemas/v<N>.json): what each
content type contributes, the body as sanitised HTML, the page's public address.

Runs in the site's schema (the outbox consumer is inside `tenant_context`). The body is
written from the StreamField's data, not rendered through the theme, so that building
a document has no side effects (no image renditions) and does not change with the
theme."""
from dataclasses import dataclass
from html import escape

import nh3
from django.utils import timezone
from wagtail.rich_text import expand_db_html

from tenants.content.lib.body_text import rich_text_to_plain

from ..lib.metadata_schema import CURRENT_VERSION

# Wagtail content type ("app_label.model") -> the document's content_type.
CONTENT_TYPES = {
    "content.articlepage": "article",
    "content.policydocumentpage": "policy",
    "content.interpretationpage": "interpretation",
    "content.announcementpage": "announcement",
}
ALLOWED_TAGS = {
    "a", "b", "blockquote", "br", "caption", "code", "div", "em", "figcaption", "figure", "h2", "h3", "h4",
    "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre", "span", "strong", "sub", "sup", "table", "tbody",
    "td", "tfoot", "th", "thead", "tr", "u", "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"}, "img": {"src", "alt", "width", "height"}, "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
}


@dataclass(frozen=True)
class Document:
    metadata: dict
    body_text: str


def content_type_key(page) -> str:
    return f"{page._meta.app_label}.{page._meta.model_name}"


def is_library_type(content_type: str) -> bool:
    return content_type in CONTENT_TYPES


def build_document(page, *, revision_id: int | None, url: str, site) -> Document:
    """The document of `page` (a specific page, possibly a revision's object)."""
    body_html = sanitise(_body_html(page))
    column = page.get_parent()
    metadata = {
        "schema_version": CURRENT_VERSION,
        "content_type": CONTENT_TYPES[content_type_key(page)],
        "title": page.title,
        "pub_date": timezone.localtime(page.publish_time or page.first_published_at or timezone.now())
        .strftime("%Y-%m-%d %H:%M"),
        "body": body_html,
        "column": {"id": column.pk, "title": column.title, "path": _site_path(column.url_path)},
        "origin": {
            "site_code": site.short_code, "site_name": site.name,
            "site_id_code": getattr(site, "identity_code", "") or "",
            "page_id": page.pk, "revision_id": revision_id, "url": url,
        },
    }
    metadata.update(_type_fields(page))
    attachments = _attachments(page)
    if attachments:
        metadata["attachments"] = attachments
    return Document(metadata=metadata, body_text=rich_text_to_plain(body_html))


def sanitise(html: str) -> str:
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, link_rel="noopener noreferrer",
                     url_schemes={"http", "https", "mailto"})


def public_url(page) -> str:
    """The page's public address (absolute, on its site's primary host)."""
    return page.get_full_url() or ""


def _site_path(url_path: str) -> str:
    # url_path is "/home/zwgk/zcwj/": the site's public path is what follows the home.
    return "/" + url_path.strip("/").partition("/")[2] + "/" if url_path.count("/") > 2 else "/"


def _text(value) -> str:
    return (value or "").strip()


def _type_fields(page) -> dict:
    kind = CONTENT_TYPES[content_type_key(page)]
    fields = {}
    if kind == "article":
        fields.update(source=_text(page.source), author=_text(page.author), summary=_text(page.summary))
    elif kind == "policy":
        fields.update(
            index_number=_text(page.index_number), issuing_organ=_text(page.issuing_organ),
            document_number=_text(page.document_number),
            written_date=page.written_date.isoformat() if page.written_date else None,
            publish_date=page.publish_date.isoformat() if page.publish_date else None,
            topic=_term(page.topic_id), genre=_term(page.genre_id), validity=page.validity,
        )
    elif kind == "interpretation":
        fields.update(issuing_organ=_text(page.interpreting_organ), summary=_text(page.summary))
        policy = page.policy if page.policy_id else None
        if policy is not None:
            fields["related_policy"] = {"page_id": policy.pk, "title": policy.title, "url": public_url(policy)}
    elif kind == "announcement":
        fields.update(issuing_organ=_text(page.issuing_organ))
    # Empty optional fields are left out rather than sent as "" or null.
    return {key: value for key, value in fields.items() if value not in ("", None)}


def _term(term_id) -> dict | None:
    if term_id is None:
        return None
    from shared_library.taxonomy.models import Term

    term = Term.objects.filter(pk=term_id).first()
    return {"code": term.code, "name": term.name} if term else None


def _attachments(page) -> list[dict]:
    found = []
    if hasattr(page, "attachments"):
        for attachment in page.attachments.all():
            document = attachment.document
            found.append({"title": attachment.title or document.title, "url": document.url,
                          "file_size": document.file_size})
    for block in page.body or []:
        if block.block_type == "attachment" and block.value.get("document"):
            document = block.value["document"]
            found.append({"title": block.value.get("title") or document.title, "url": document.url,
                          "file_size": document.file_size})
    return found


def _body_html(page) -> str:
    parts = []
    for block in page.body or []:
        value = block.value
        if block.block_type == "paragraph":
            parts.append(expand_db_html(value.source))
        elif block.block_type == "image" and value.get("image"):
            image = value["image"]
            caption = f"<figcaption>{escape(value['caption'])}</figcaption>" if value.get("caption") else ""
            parts.append(f'<figure><img src="{escape(image.file.url)}" alt="{escape(value.get("alt") or "")}">'
                         f"{caption}</figure>")
        elif block.block_type == "table":
            parts.append(str(block.render()))
        elif block.block_type == "attachment" and value.get("document"):
            document = value["document"]
            parts.append(f'<p><a href="{escape(document.url)}">{escape(value.get("title") or document.title)}</a></p>')
        elif block.block_type == "video":
            parts.append(f'<p><a href="{escape(value["url"])}">{escape(value.get("title") or value["url"])}</a></p>')
    return "\n".join(parts)
