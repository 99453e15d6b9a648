"""Plain text of a page's fields, as the content checks see it: one piece per field
and per body block, so that a finding's position points into one of them."""
from html import unescape as unescape_entities

from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tenants.checks.engine import CheckedField

BLOCK_LABELS = {"paragraph": gettext_lazy("Body text"), "image": gettext_lazy("Image"), "table": gettext_lazy("Table"),
                "attachment": gettext_lazy("Attachment"), "video": gettext_lazy("Video")}


def rich_text_to_plain(html: str) -> str:
    return unescape_entities(strip_tags(html.replace("</p>", "</p>\n"))).strip()


def block_text(block) -> str:
    value = block.value
    if block.block_type == "paragraph":
        return rich_text_to_plain(value.source)
    if block.block_type == "image":
        return "\n".join(part for part in (value.get("alt"), value.get("caption")) if part)
    if block.block_type == "table":
        rows = (value or {}).get("data") or []
        return "\n".join(" ".join(cell or "" for cell in row) for row in rows)
    if block.block_type == "attachment":
        return value.get("title") or ""
    if block.block_type == "video":
        return value.get("title") or ""
    return ""


def stream_fields(stream, *, key: str = "body") -> list[CheckedField]:
    fields = []
    for index, block in enumerate(stream or []):
        text = block_text(block)
        if text:
            label = _("%(block)s (block %(number)s)") % {
                "block": BLOCK_LABELS.get(block.block_type, BLOCK_LABELS["paragraph"]), "number": index + 1}
            fields.append(CheckedField(key=f"{key}.{index}", label=label, text=text))
    return fields


def text_fields(page, names: list[tuple[str, str]]) -> list[CheckedField]:
    """(attribute, label) pairs -> the non-empty ones as checked fields (a lazy label
    is rendered in the active language)."""
    return [CheckedField(key=name, label=str(label), text=str(getattr(page, name) or ""))
            for name, label in names if getattr(page, name, None)]
