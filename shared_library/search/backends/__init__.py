"""The search backend interface. The one in use is named by the setting
`JIYUE_SEARCH_BACKEND` (a dotted path to a class); `get_backend()` returns it.

A backend is small: `index(resource)` (which also takes a resource out of the index
when it is no longer searchable), `remove(resource)`, and `search(query)` →
`SearchResults`. README.md describes how OpenSearch would take the PostgreSQL
backend's place."""
import datetime
import math
from dataclasses import dataclass, field
from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

ORDER_RANKED = "ranked"
ORDER_DATE = "date"
ORDERS = (ORDER_RANKED, ORDER_DATE)


@dataclass(frozen=True)
class SearchQuery:
    """What to look for. `words`: the query's lexemes (lib/query.py), ANDed.
    `site_ids`: the sites in scope (the caller passes online sites only); a facet
    filter narrows within them."""

    words: tuple[str, ...]
    site_ids: tuple[int, ...]
    order: str = ORDER_RANKED
    site_id: int | None = None
    topic_code: str | None = None
    year: int | None = None
    page: int = 1
    per_page: int = 10


@dataclass
class Hit:
    resource_id: int
    title: str
    url: str
    site_id: int
    site_name: str
    date: datetime.datetime | None
    # HTML: escaped text with the query's words in <mark>.
    title_html: str
    snippet_html: str


@dataclass
class FacetValue:
    value: str
    label: str
    count: int


@dataclass
class SearchResults:
    query: SearchQuery
    total: int
    hits: list[Hit]
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)

    @property
    def page(self) -> int:
        return self.query.page

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(self.total / self.query.per_page))


class SearchBackend:
    def index(self, resource) -> None:
        raise NotImplementedError

    def index_many(self, resources) -> None:
        """For rebuilds; a backend may do it in one request."""
        for resource in resources:
            self.index(resource)

    def remove(self, resource) -> None:
        raise NotImplementedError

    def search(self, query: SearchQuery) -> SearchResults:
        raise NotImplementedError


@cache
def _backend_class(path: str):
    return import_string(path)


def get_backend() -> SearchBackend:
    return _backend_class(settings.JIYUE_SEARCH_BACKEND)()
