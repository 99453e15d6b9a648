"""Highlighting: the query's words marked in the original text (never in the
segmented one, so no spaces appear between Chinese characters), everything else
HTML-escaped."""
import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

SNIPPET_CHARS = 160
BEFORE_FIRST_MATCH = 40
ELLIPSIS = "\u2026"


def _pattern(words):
    words = sorted({word for word in words if word}, key=len, reverse=True)
    return re.compile("|".join(re.escape(word) for word in words), re.IGNORECASE) if words else None


def _marked(text: str, pattern) -> str:
    if pattern is None:
        return escape(text)
    parts, last = [], 0
    for match in pattern.finditer(text):
        parts.append(escape(text[last:match.start()]))
        parts.append(f"<mark>{escape(match.group())}</mark>")
        last = match.end()
    parts.append(escape(text[last:]))
    return "".join(parts)


def mark(text: str, words) -> SafeString:
    return mark_safe(_marked(text or "", _pattern(words)))  # noqa: S308 - escaped above


def snippet(text: str, words, length: int = SNIPPET_CHARS) -> SafeString:
    """About `length` characters of `text` from shortly before the first word found."""
    text = " ".join((text or "").split())
    pattern = _pattern(words)
    first = pattern.search(text) if pattern else None
    start = max(0, first.start() - BEFORE_FIRST_MATCH) if first else 0
    end = min(len(text), start + length)
    # A match cut at the window's end is taken whole.
    if pattern:
        for match in pattern.finditer(text, start, min(len(text), end + 20)):
            if match.start() < end < match.end():
                end = match.end()
    body = _marked(text[start:end], pattern)
    return mark_safe((ELLIPSIS if start else "") + body + (ELLIPSIS if end < len(text) else ""))  # noqa: S308
