"""The index follows the library: a page published on a site is found by a word inside
a longer phrase as soon as the outbox has been dispatched; withdrawn, deleted, invalid
pages and pages of sites that are not online are not found."""
from django.db import transaction
from django_tenants.utils import tenant_context
from wagtail.models import Page

from shared_library.resources.models import Resource
from shared_library.search.backends import SearchQuery, get_backend
from shared_library.search.lib.query import parse_query
from shared_library.search.models import SearchEntry
from shared_library.search.queries import SCOPE_PROVINCE, SCOPE_SITE, scope_site_ids
from tenants.publishing.services.outbox import dispatch_pending_events
from tests.factories import staffed_site
from tests.factories.content import add_article, fresh, publish_through_review


def _search(site, text, scope=SCOPE_SITE):
    return get_backend().search(SearchQuery(words=parse_query(text), site_ids=scope_site_ids(site, scope)))


def _publish(site, editor, reviewer, **fields):
    with tenant_context(site):
        page = publish_through_review(add_article(user=editor, **fields), editor, reviewer)
    dispatch_pending_events()
    return page


def test_a_published_page_is_found_by_a_word_inside_a_longer_phrase_and_highlighted():
    site, editor, reviewer = staffed_site()
    page = _publish(site, editor, reviewer, title="关于进一步优化营商环境的实施意见",
                    body_text="为深入推进政务服务一网通办，全面提升企业和群众办事体验，现提出如下意见。")
    resource = Resource.objects.get(site=site, page_id=page.pk)
    assert SearchEntry.objects.filter(resource=resource).exists()

    for word in ("营商", "环境", "营商环境", "一网通办", "政务服务"):
        results = _search(site, word)
        assert [hit.resource_id for hit in results.hits] == [resource.pk], word
    hit = _search(site, "政务服务").hits[0]
    assert hit.title == "关于进一步优化营商环境的实施意见" and hit.site_name == site.name
    assert hit.url == resource.url and hit.date == resource.pub_date
    # Marked in the original text: no spaces from the segmentation between the characters.
    assert "推进<mark>政务</mark><mark>服务</mark>一网通办" in hit.snippet_html
    assert str(_search(site, "营商环境").hits[0].title_html) == \
        "关于进一步优化<mark>营商</mark><mark>环境</mark>的实施意见"
    assert _search(site, "营商 不存在的词").total == 0


def test_a_withdrawn_or_deleted_page_is_no_longer_found():
    site, editor, reviewer = staffed_site()
    withdrawn = _publish(site, editor, reviewer, title="关于撤回测试的新闻", body_text="撤回以后检索不到")
    deleted = _publish(site, editor, reviewer, title="关于删除测试的新闻", body_text="删除以后检索不到")
    assert _search(site, "检索不到").total == 2
    with tenant_context(site):
        with transaction.atomic():
            fresh(withdrawn).unpublish()
        with transaction.atomic():
            Page.objects.get(pk=deleted.pk).delete()
    dispatch_pending_events()
    assert _search(site, "检索不到").total == 0
    assert not SearchEntry.objects.filter(resource__site=site).exists()
    # Published again: found again.
    with tenant_context(site):
        publish_through_review(fresh(withdrawn), editor, reviewer)
    dispatch_pending_events()
    assert [hit.title for hit in _search(site, "检索不到").hits] == ["关于撤回测试的新闻"]


def test_a_resource_with_schema_issues_is_not_found_until_fixed():
    site, editor, reviewer = staffed_site()
    page = _publish(site, editor, reviewer, title="元数据问题测试", body_text="规范性检查")
    resource = Resource.objects.get(site=site, page_id=page.pk)
    resource.schema_issues = [{"path": "title", "message": "标题不符合规范"}]
    resource.save()
    assert _search(site, "规范性").total == 0
    resource.schema_issues = []
    resource.save()
    assert _search(site, "规范性").total == 1


def test_a_site_that_is_not_online_is_not_found_province_wide():
    site, editor, reviewer = staffed_site()
    other, *_ = staffed_site()
    _publish(site, editor, reviewer, title="临时下线网站的新闻", body_text="下线期间不提供检索")
    assert _search(other, "下线期间", SCOPE_PROVINCE).total == 1
    site.take_offline()
    site.save()
    assert _search(other, "下线期间", SCOPE_PROVINCE).total == 0
    site.bring_back()
    site.save()
    assert _search(other, "下线期间", SCOPE_PROVINCE).total == 1
