"""The library browser of a site's back office: an editor filters the other sites'
items, picks several and reposts them into a column in one go; refusals are listed one
by one; another site's editor cannot get in."""
import pytest
from django_tenants.utils import tenant_context
from wagtail.models import Page

from shared_library.reposting.models import Repost, RepostStatus
from tests.factories.clients import admin_url, signed_in
from tests.shared_library.reposting.support import column_id, published_article, source_site, target_site


@pytest.fixture
def world():
    source = source_site()
    first = published_article(source, title="全省优化营商环境大会召开", body_text="营商环境")
    second = published_article(source, title="全省防汛工作会议召开", body_text="防汛抗旱")
    other = source_site()
    third = published_article(other, title="市政府常务会议研究城市更新", body_text="城市更新")
    return {"source": source, "other": other, "items": [first[1], second[1], third[1]], "b": target_site()}


def _rows(html):
    return html.count("data-resource-id=")


def test_an_editor_filters_the_library_by_source_and_words(world):
    site, editor, _reviewer = world["b"]
    client = signed_in(editor)
    url = admin_url(site, "jiyue_library")
    html = client.get(url).content.decode()
    assert all(resource.title in html for resource in world["items"])
    assert "信息资源库" in html
    by_source = client.get(url, {"source": world["other"][0].pk}).content.decode()
    assert "市政府常务会议研究城市更新" in by_source and "全省防汛工作会议召开" not in by_source
    by_word = client.get(url, {"q": "防汛"}).content.decode()
    assert "全省防汛工作会议召开" in by_word and "营商环境大会" not in by_word
    assert "没有符合条件的信息" in client.get(url, {"q": "不存在的词语"}).content.decode()
    # The library holds other tests' sites too: the type filter is checked within one source.
    source = world["source"][0].pk
    assert _rows(client.get(url, {"type": "article", "source": source}).content.decode()) == 2
    assert _rows(client.get(url, {"type": "policy", "source": source}).content.decode()) == 0


def test_bulk_repost_from_the_browser_reports_reposts_and_each_refusal(world):
    site, editor, _reviewer = world["b"]
    client = signed_in(editor)
    first, second, _third = world["items"]
    into = column_id(site, "zwyw")
    response = client.post(admin_url(site, "jiyue_library_repost"),
                           {"resources": [first.pk, second.pk], "column": into, "mode": "reference"}, follow=True)
    html = response.content.decode()
    assert "已转载2条" in html and "其中2条待审核" in html
    records = Repost.objects.filter(target_site=site)
    assert {record.resource_id for record in records} == {first.pk, second.pk}
    assert all(record.status == RepostStatus.IN_REVIEW and record.created_by == editor for record in records)
    with tenant_context(site):
        assert all(Page.objects.get(pk=record.page_id).get_parent().pk == into for record in records)
    # Reposted items are marked in the browser; a second repost into the column is refused.
    assert client.get(admin_url(site, "jiyue_library")).content.decode().count("data-reposted") == 2
    again = client.post(admin_url(site, "jiyue_library_repost"),
                        {"resources": [first.pk], "column": into, "mode": "link"}, follow=True).content.decode()
    assert "已转载到栏目" in again
    wrong = client.post(admin_url(site, "jiyue_library_repost"),
                        {"resources": [world["items"][2].pk], "column": column_id(site, "ldxx"), "mode": "copy"},
                        follow=True).content.decode()
    assert "不能转载" in wrong and Repost.objects.filter(target_site=site).count() == 2
    empty = client.post(admin_url(site, "jiyue_library_repost"), {"column": into, "mode": "copy"}, follow=True)
    assert "请至少选择一条要转载的信息" in empty.content.decode()
    listing = client.get(admin_url(site, "jiyue_reposts_received")).content.decode()
    assert "全省优化营商环境大会召开" in listing and "审核中" in listing


def test_an_editor_of_another_site_cannot_open_the_browser_or_repost_into_this_site(world):
    site = world["b"][0]
    outsider = world["source"][1]
    client = signed_in(outsider)
    assert client.get(admin_url(site, "jiyue_library")).status_code in (302, 403, 404)
    response = client.post(admin_url(site, "jiyue_library_repost"),
                           {"resources": [world["items"][2].pk], "column": column_id(site, "zwyw"),
                            "mode": "reference"})
    assert response.status_code in (302, 403, 404)
    assert not Repost.objects.filter(target_site=site).exists()


def test_a_reviewer_sees_the_library_but_cannot_repost(world):
    site, _editor, reviewer = world["b"]
    client = signed_in(reviewer)
    html = client.get(admin_url(site, "jiyue_library")).content.decode()
    assert "全省防汛工作会议召开" in html and "data-repost-submit" not in html
    html = client.post(admin_url(site, "jiyue_library_repost"),
                       {"resources": [world["items"][0].pk], "column": column_id(site, "zwyw"), "mode": "reference"},
                       follow=True).content.decode()
    assert "不是" in html and not Repost.objects.filter(target_site=site).exists()
