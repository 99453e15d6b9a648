"""Full-text search in PostgreSQL: one row per searchable resource (`search_entry`),
its text segmented by rjieba into a `tsvector` (lib/segmentation.py).

Two index kinds, the same results (README.md):
- RUM (the `rum` extension, where the server has it): `search_entry_rum_rank`
  (`rum_tsvector_ops`) ranks from the index (`vector <=> query`), and
  `search_entry_rum_date` (`rum_tsvector_addon_ops`, `sort_date` attached) serves
  newest-first from the index (`sort_date <=| pivot`);
- GIN (`search_entry_gin`) where it has not: the matches are read and ranked here with
  RUM's own formula (lib/ranking.py); newest first is a sort of the matches.

Filters travel inside the tsquery as position-less marker lexemes (`~s<site id>`,
`~t<topic code>`, `~y<year>`) so that both index kinds serve them (a site's search
reads only that site's matches). The ranking query holds the words alone. A scope of
several sites is a plain `site_id = ANY(...)` condition: nearly every site is in it.

Ranked order: distance, then newer first, then resource id. RUM returns equal
distances in no fixed order, so rows are read in distance order until the page's last
distance is passed (at most TIE_WINDOW rows past the page) and sorted here."""
import datetime

from django.db import connection, transaction
from django.utils import timezone

from shared_library.resources.models import ResourceStatus

from ..lib import highlight, ranking, segmentation
from ..models import INDEX_FORMAT
from . import ORDER_DATE, FacetValue, Hit, SearchBackend, SearchQuery, SearchResults

RUM_RANK_INDEX = "search_entry_rum_rank"
# Newest first = nearest to a pivot in the future; sort_date's microseconds stay exact
# in a float8 number of seconds up to 142 years away from it.
DATE_PIVOT = "2100-01-01 00:00:00+00"
TIE_WINDOW = 2000
# Text beyond this is not indexed (tsvector positions stop at 16,383 anyway).
MAX_BODY_CHARS = 30000
SORT_DATE_SPREAD = 60_000_000  # microseconds in a minute
SEARCH_WORK_MEM = "64MB"

_rum_in_use: dict[str, bool] = {}


def is_searchable(resource) -> bool:
    """What `shared_library.resources.queries.live_resources()` offers: published and
    valid. Whether its site is online is decided per query (the scope)."""
    return resource.status == ResourceStatus.LIVE and not resource.schema_issues


def marker(kind: str, value) -> str:
    return f"~{kind}{value}"


def _resource_date(resource):
    return resource.pub_date or resource.created_at or timezone.now()


def entry_row(resource) -> tuple:
    metadata = resource.metadata or {}
    date = _resource_date(resource)
    sort_date = date.replace(second=0, microsecond=0) + datetime.timedelta(
        microseconds=resource.pk % SORT_DATE_SPREAD)
    year = timezone.localtime(date).year
    secondary = " ".join(filter(None, [
        metadata.get("summary") or "", " ".join(metadata.get("keywords") or []),
        metadata.get("document_number") or "", metadata.get("issuing_organ") or ""]))
    markers = [marker("s", resource.site_id), marker("y", year)]
    if resource.topic_code:
        markers.append(marker("t", resource.topic_code))
    vector = segmentation.document_vector(
        [(resource.title, "A"), (secondary, "B"), ((resource.body_text or "")[:MAX_BODY_CHARS], "D")], markers)
    return (resource.pk, resource.site_id, vector, sort_date, year, resource.topic_code or "",
            resource.updated_at or timezone.now(), INDEX_FORMAT)


UPSERT = """
    INSERT INTO search_entry (resource_id, site_id, vector, sort_date, year, topic_code, source_updated_at,
                              index_format)
    VALUES {values}
    ON CONFLICT (resource_id) DO UPDATE SET
        site_id = EXCLUDED.site_id, vector = EXCLUDED.vector, sort_date = EXCLUDED.sort_date,
        year = EXCLUDED.year, topic_code = EXCLUDED.topic_code,
        source_updated_at = EXCLUDED.source_updated_at, index_format = EXCLUDED.index_format"""
ROW_PLACEHOLDER = "(%s, %s, %s::tsvector, %s, %s, %s, %s, %s)"


def rum_index_exists() -> bool:
    """Whether the migration made the RUM indexes here (cached per database)."""
    name = connection.settings_dict["NAME"]
    if name not in _rum_in_use:
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [f"public.{RUM_RANK_INDEX}"])
            _rum_in_use[name] = cursor.fetchone()[0]
    return _rum_in_use[name]


class PostgresBackend(SearchBackend):
    """`use_rum=None` uses the RUM indexes where the migration made them; False forces
    the GIN path (tests compare the two)."""

    def __init__(self, use_rum: bool | None = None):
        self._use_rum = use_rum

    @property
    def use_rum(self) -> bool:
        return rum_index_exists() if self._use_rum is None else self._use_rum

    # -- writes ------------------------------------------------------------------
    def index(self, resource) -> None:
        if not is_searchable(resource):
            self.remove(resource)
            return
        self.index_many([resource])

    def index_many(self, resources) -> None:
        """Upsert the searchable ones of `resources` and remove the others (one statement each)."""
        rows = [entry_row(resource) for resource in resources if is_searchable(resource)]
        gone = [resource.pk for resource in resources if not is_searchable(resource)]
        with connection.cursor() as cursor:
            if rows:
                cursor.execute(UPSERT.format(values=", ".join([ROW_PLACEHOLDER] * len(rows))),
                               [value for row in rows for value in row])
            if gone:
                cursor.execute("DELETE FROM search_entry WHERE resource_id = ANY(%s)", [gone])

    def remove(self, resource) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_entry WHERE resource_id = %s", [resource.pk])

    # -- reads -------------------------------------------------------------------
    def search(self, query: SearchQuery) -> SearchResults:
        if not query.words or not query.site_ids:
            return SearchResults(query=query, total=0, hits=[], facets={"site": [], "topic": [], "year": []})
        total, facets = self.counts(query)
        hits = self.page(query) if (query.page - 1) * query.per_page < total else []
        return SearchResults(query=query, total=total, hits=hits, facets=facets)

    def counts(self, query: SearchQuery):
        """(total, facets) of the query's matches."""
        return self._facets(*self._conditions(query))

    def page(self, query: SearchQuery) -> list[Hit]:
        """The hits of the query's page, in its order."""
        where, params = self._conditions(query)
        offset = (query.page - 1) * query.per_page
        with transaction.atomic():
            # RUM sorts every match by its distance or date: in memory, not in temp files.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL work_mem = %s", [SEARCH_WORK_MEM])
            if query.order == ORDER_DATE:
                ids = self._by_date(where, params, offset, query.per_page)
            elif self.use_rum:
                ids = self._ranked_rum(query, where, params, offset)
            else:
                ids = self._ranked_gin(query, where, params, offset)
        return self._hits(ids, query.words)

    def _conditions(self, query: SearchQuery):
        lexemes = list(query.words)
        if len(query.site_ids) == 1:
            lexemes.append(marker("s", query.site_ids[0]))
        if query.site_id is not None:
            lexemes.append(marker("s", query.site_id))
        if query.topic_code:
            lexemes.append(marker("t", query.topic_code))
        if query.year is not None:
            lexemes.append(marker("y", query.year))
        where = "vector @@ %s::tsquery"
        params = [segmentation.tsquery_literal(lexemes)]
        if len(query.site_ids) > 1:
            where += " AND site_id = ANY(%s)"
            params.append(list(query.site_ids))
        return where, params

    def _facets(self, where, params):
        sql = f"""
            SELECT GROUPING(site_id, topic_code, year), site_id, topic_code, year, count(*)
            FROM search_entry WHERE {where}
            GROUP BY GROUPING SETS ((site_id), (topic_code), (year), ())"""
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        total = 0
        by_site, by_topic, by_year = {}, {}, {}
        for grouping, site_id, topic_code, year, count in rows:
            if grouping == 0b111:
                total = count
            elif grouping == 0b011:
                by_site[site_id] = count
            elif grouping == 0b101:
                if topic_code:
                    by_topic[topic_code] = count
            elif year is not None:
                by_year[year] = count
        return total, {
            "site": _labelled(by_site, _site_names(by_site)),
            "topic": _labelled(by_topic, _topic_names(by_topic)),
            "year": sorted((FacetValue(str(year), str(year), count) for year, count in by_year.items()),
                           key=lambda value: value.value, reverse=True),
        }

    def _by_date(self, where, params, offset, limit):
        order = (f"sort_date <=| '{DATE_PIVOT}'::timestamptz" if self.use_rum
                 else "sort_date DESC, resource_id DESC")
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT resource_id FROM search_entry WHERE {where} ORDER BY {order} "
                           "LIMIT %s OFFSET %s", [*params, limit, offset])
            return [row[0] for row in cursor.fetchall()]

    def _ranked_rum(self, query, where, params, offset):
        rank = segmentation.tsquery_literal(query.words)
        end = offset + query.per_page
        # One read of the page (+1 row); a second, TIE_WINDOW rows longer, when the page
        # ends inside a run of equal distances.
        for wanted in (end + 1, end + TIE_WINDOW):
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT resource_id, (vector <=> %s::tsquery)::float8, sort_date FROM search_entry "
                    f"WHERE {where} ORDER BY vector <=> %s::tsquery LIMIT %s", [rank, *params, rank, wanted])
                rows = cursor.fetchall()
            if len(rows) < wanted or rows[-1][1] > rows[end - 1][1]:
                break
        return _ranked_page(rows, offset, query.per_page)

    def _ranked_gin(self, query, where, params, offset):
        words = list(query.words)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT resource_id, sort_date, lexeme, positions, weights FROM search_entry, unnest(vector) "
                f"WHERE {where} AND lexeme = ANY(%s)", [*params, words])
            found = cursor.fetchall()
        documents = {}
        for resource_id, sort_date, lexeme, positions, weights in found:
            entry = documents.setdefault(resource_id, (sort_date, {}))
            entry[1][lexeme] = list(zip(positions or [0], weights or ["D"]))
        rows = [(resource_id, ranking.distance(ranking.document(lexemes, words), len(words)), sort_date)
                for resource_id, (sort_date, lexemes) in documents.items()]
        return _ranked_page(rows, offset, query.per_page)

    def _hits(self, ids, words):
        if not ids:
            return []
        with connection.cursor() as cursor:
            cursor.execute("""
                SELECT r.id, r.title, r.url, r.site_id, s.name, r.pub_date, left(r.body_text, %s)
                FROM resources_resource r JOIN registry_site s ON s.id = r.site_id
                WHERE r.id = ANY(%s)""", [MAX_BODY_CHARS, ids])
            rows = {row[0]: row for row in cursor.fetchall()}
        hits = []
        for resource_id in ids:
            if resource_id not in rows:
                continue
            _id, title, url, site_id, site_name, pub_date, body = rows[resource_id]
            hits.append(Hit(resource_id=resource_id, title=title, url=url, site_id=site_id, site_name=site_name,
                            date=pub_date, title_html=highlight.mark(title, words),
                            snippet_html=highlight.snippet(body, words)))
        return hits


def _ranked_page(rows, offset, limit):
    """rows: (resource id, distance, sort_date); ranked order is distance, newer, id."""
    rows = sorted(rows, key=lambda row: (row[1], -row[2].timestamp(), -row[0]))
    return [row[0] for row in rows[offset:offset + limit]]


def _labelled(counts: dict, labels: dict) -> list[FacetValue]:
    values = [FacetValue(str(key), labels.get(key, str(key)), count) for key, count in counts.items()]
    return sorted(values, key=lambda value: (-value.count, value.label))


def _site_names(by_site):
    from tenants.registry.models import Site

    return dict(Site.objects.filter(pk__in=list(by_site)).values_list("pk", "name"))


def _topic_names(by_topic):
    from shared_library.taxonomy.models import Term

    return dict(Term.objects.filter(taxonomy__code="topic", code__in=list(by_topic)).values_list("code", "name"))
