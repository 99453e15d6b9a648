"""The PostgreSQL backend over real rows: site scoping, facet counts, date order,
pagination, and the RUM and GIN paths giving the same results (where the server has
RUM; the GIN path is then forced)."""
import datetime
import random

import pytest
from django.db import connection
from django.utils import timezone

from shared_library.resources.models import Resource
from shared_library.search.backends import ORDER_DATE, ORDER_RANKED, SearchQuery
from shared_library.search.backends.postgres import PostgresBackend, rum_index_exists
from shared_library.search.lib import ranking, segmentation
from shared_library.search.lib.query import parse_query
from tests.factories import make_online_site

WORDS = ["营商环境", "政务服务", "数字政府", "乡村振兴", "生态环境", "安全生产", "一网通办", "人民政府",
         "办公厅", "实施意见", "工作要点", "通知", "高质量发展", "公共服务", "民生", "就业"]
TOPICS = ["01", "02", "03"]


def _resource(site, page_id, title, body, *, topic="01", date=None):
    return Resource.objects.create(
        site=site, page_id=page_id, content_type="article", schema_version=1,
        metadata={"title": title}, body_text=body, title=title, url=f"https://example.test/{page_id}.html",
        pub_date=date or timezone.now(), topic_code=topic)


@pytest.fixture(scope="module")
def corpus(django_db_setup, django_db_blocker):
    """Two online sites with 150 generated documents each (made once for the module)."""
    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        rng = random.Random(7)
        sites = [make_online_site(), make_online_site()]
        start = timezone.make_aware(datetime.datetime(2024, 1, 1, 9, 0))
        made = []
        for number in range(300):
            site = sites[number % 2]
            title = "".join(rng.sample(WORDS, rng.randint(1, 3)))
            body = "，".join("".join(rng.choice(WORDS) for _ in range(rng.randint(1, 5)))
                            for _ in range(rng.randint(0, 12)))
            # Some documents share a publication minute (date-order ties).
            date = start + datetime.timedelta(hours=rng.randint(0, 24 * 600), minutes=rng.choice([0, 0, 30]))
            made.append(_resource(site, 10_000 + number, title, body, topic=rng.choice(TOPICS), date=date))
        yield sites, made


def _query(sites, text, **kwargs):
    return SearchQuery(words=parse_query(text), site_ids=tuple(site.pk for site in sites), **kwargs)


def _all(backend, query):
    """Every hit id of `query`, page by page."""
    ids, page = [], 1
    while True:
        results = backend.search(SearchQuery(**{**query.__dict__, "page": page, "per_page": 25}))
        ids += [hit.resource_id for hit in results.hits]
        if page >= results.num_pages:
            return ids, results.total
        page += 1


def test_site_scoping_and_facet_counts(corpus):
    sites, made = corpus
    backend = PostgresBackend()
    both = backend.search(_query(sites, "营商"))
    own = backend.search(_query(sites[:1], "营商"))
    expected = [r for r in made if "营商" in r.title + r.body_text]
    assert both.total == len(expected) > own.total > 0
    assert own.total == sum(1 for r in expected if r.site_id == sites[0].pk)
    assert {hit.site_id for hit in own.hits} == {sites[0].pk}
    assert {value.value: value.count for value in both.facets["site"]} == {
        str(site.pk): sum(1 for r in expected if r.site_id == site.pk) for site in sites}
    assert {value.value: value.count for value in both.facets["topic"]} == {
        topic: sum(1 for r in expected if r.topic_code == topic) for topic in TOPICS
        if any(r.topic_code == topic for r in expected)}
    assert {value.value: value.count for value in both.facets["year"]} == {
        str(year): sum(1 for r in expected if timezone.localtime(r.pub_date).year == year)
        for year in {timezone.localtime(r.pub_date).year for r in expected}}
    # A facet narrows: by site within the province, by topic and by year.
    narrowed = backend.search(_query(sites, "营商", site_id=sites[1].pk, topic_code="02", year=2024))
    assert narrowed.total == sum(1 for r in expected if r.site_id == sites[1].pk and r.topic_code == "02"
                                 and timezone.localtime(r.pub_date).year == 2024)
    assert all(value.value == str(sites[1].pk) for value in narrowed.facets["site"])
    assert [value.label for value in narrowed.facets["site"]] == [sites[1].name]


def test_date_order_is_newest_first_with_ties_broken_by_id(corpus):
    sites, made = corpus
    ids, total = _all(PostgresBackend(), _query(sites, "政务", order=ORDER_DATE))
    expected = sorted((r for r in made if "政务" in r.title + r.body_text),
                      key=lambda r: (r.pub_date, r.pk), reverse=True)
    assert total == len(expected) and ids == [r.pk for r in expected]


def test_ranked_order_puts_title_matches_first(corpus):
    sites, made = corpus
    results = PostgresBackend().search(_query(sites, "乡村振兴", per_page=5))
    assert all("乡村振兴" in hit.title for hit in results.hits)


@pytest.mark.parametrize("text", ["营商", "数字政府", "就业 民生", "政务 服务 通知", "人民政府 办公厅", "不存在"])
@pytest.mark.parametrize("order", [ORDER_RANKED, ORDER_DATE])
def test_rum_and_gin_give_the_same_results(corpus, text, order):
    if not rum_index_exists():
        pytest.skip("the server has no rum extension: only the GIN path exists here")
    sites, _made = corpus
    for scope in (sites, sites[:1]):
        query = _query(scope, text, order=order)
        rum, gin = _all(PostgresBackend(use_rum=True), query), _all(PostgresBackend(use_rum=False), query)
        assert rum == gin
        assert PostgresBackend(use_rum=True).search(query).facets == PostgresBackend(use_rum=False).search(query).facets


def test_the_python_ranking_is_rums_distance(corpus):
    """The GIN path ranks with lib/ranking.py; it must equal the extension's operator."""
    if not rum_index_exists():
        pytest.skip("the server has no rum extension")
    sites, made = corpus
    for text in ["营商", "数字政府 就业", "政务 服务 通知"]:
        words = list(parse_query(text))
        with connection.cursor() as cursor:
            cursor.execute("SELECT resource_id, (vector <=> %s::tsquery)::float8 FROM search_entry "
                           "WHERE site_id = ANY(%s) AND vector @@ %s::tsquery",
                           [segmentation.tsquery_literal(words), [s.pk for s in sites],
                            segmentation.tsquery_literal(words)])
            from_rum = dict(cursor.fetchall())
        assert from_rum
        by_id = {r.pk: r for r in made}
        for resource_id, distance in from_rum.items():
            resource = by_id[resource_id]
            positions = segmentation.Positions()
            positions.add_text(resource.title, "A")
            positions.add_text("", "B")
            positions.add_text(resource.body_text, "D")
            assert ranking.distance(ranking.document(positions.entries, words), len(words)) == distance
