"""The public's query: checked and segmented before any search runs."""
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .segmentation import query_words

MAX_QUERY_CHARS = 100
MAX_QUERY_WORDS = 12


class QueryTooLong(ValidationError):
    pass


def parse_query(text: str) -> tuple[str, ...]:
    """The query's words (lexemes), at most MAX_QUERY_WORDS of them; an empty tuple
    for an empty or punctuation-only query. Longer than MAX_QUERY_CHARS: QueryTooLong."""
    text = (text or "").strip()
    if len(text) > MAX_QUERY_CHARS:
        raise QueryTooLong(_("The search terms may be at most %(limit)s characters long (%(length)s given)")
                           % {"limit": MAX_QUERY_CHARS, "length": len(text)})
    return tuple(query_words(text)[:MAX_QUERY_WORDS])
