"""`jiyue search reindex` rebuilds the index from the library in batches, with a
progress line; a second run has nothing to do; --site limits it to one site."""
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from shared_library.resources.models import Resource
from shared_library.search.backends import SearchQuery, get_backend
from shared_library.search.lib.query import parse_query
from shared_library.search.models import SearchEntry
from tests.factories import make_online_site


def _search(site, text):
    return get_backend().search(SearchQuery(words=parse_query(text), site_ids=(site.pk,))).total


def _reindex(*args):
    out = StringIO()
    call_command("search", "reindex", *args, stdout=out)
    return out.getvalue()


def test_reindex_rebuilds_a_site_resumably():
    site, other = make_online_site(), make_online_site()
    for number in range(7):
        Resource.objects.create(site=site, page_id=number + 1, content_type="article", schema_version=1,
                                metadata={}, title=f"重建索引测试{number}", body_text="索引重建", url="",
                                pub_date=timezone.now())
    Resource.objects.create(site=other, page_id=1, content_type="article", schema_version=1, metadata={},
                            title="另一网站", body_text="索引重建", url="")
    ids = list(Resource.objects.filter(site=site).order_by("pk").values_list("pk", flat=True))
    SearchEntry.objects.filter(resource__site__in=[site, other]).delete()  # an index that lost its rows
    assert _search(site, "索引重建") == 0

    output = _reindex("--site", site.short_code, "--batch-size", "3")
    assert [line for line in output.splitlines() if line.startswith("[")] == [
        "[3/7] 已索引 3，已移除 0，至资源 ID " + str(ids[2]), "[6/7] 已索引 6，已移除 0，至资源 ID " + str(ids[5]),
        "[7/7] 已索引 7，已移除 0，至资源 ID " + str(ids[6])]
    assert "检索索引已是最新：检查 7 条资源，索引 7 条，移除 0 条" in output
    assert _search(site, "索引重建") == 7 and _search(other, "索引重建") == 0
    # A second run finds nothing to do; a withdrawn resource whose row was left is removed.
    withdrawn = Resource.objects.filter(site=site).first()
    Resource.objects.filter(pk=withdrawn.pk).update(status="withdrawn")  # no signal: the index is behind
    assert "检查 7 条资源，索引 0 条，移除 1 条" in _reindex("--site", site.short_code)
    assert _search(site, "索引重建") == 6
    assert "检查 7 条资源，索引 6 条，移除 1 条" in _reindex("--site", site.short_code, "--full")
