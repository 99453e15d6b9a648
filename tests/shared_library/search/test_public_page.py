"""/search/ on a site's own host, over HTTP: results with highlighted snippets, facets
and pages; a portal searches the whole province by default, another site itself; a
query too long is a 400 with a Chinese message, one of punctuation only a prompt."""
from django.test import Client
from django_tenants.utils import tenant_context

from shared_library.search.lib.query import MAX_QUERY_CHARS
from tenants.publishing.services.outbox import dispatch_pending_events
from tenants.registry.models import OrgUnitKind
from tests.factories import grant, make_online_site, make_unit, make_user, staffed_site
from tests.factories.content import add_article, publish_through_review
from jiyue.identity.models import SiteRole


def _get(host_site, **params):
    return Client().get("/search/", params, HTTP_HOST=host_site.primary_host)


def _department_of(portal):
    department = make_online_site(make_unit(portal.org_unit, kind=OrgUnitKind.DEPARTMENT))
    editor, reviewer = make_user("editor"), make_user("reviewer")
    grant(editor, department, SiteRole.EDITOR)
    grant(reviewer, department, SiteRole.REVIEWER)
    return department, editor, reviewer


def _publish(site, editor, reviewer, titles, body):
    with tenant_context(site):
        for title in titles:
            publish_through_review(add_article(user=editor, title=title, body_text=body), editor, reviewer)
    dispatch_pending_events()


def test_the_search_page_of_a_portal_and_of_a_department_site():
    portal, editor, reviewer = staffed_site()
    department, dept_editor, dept_reviewer = _department_of(portal)
    _publish(portal, editor, reviewer, ["门户关于河湖长制的通知"], "全面推行河湖长制&lt;script&gt;管护")
    _publish(department, dept_editor, dept_reviewer, [f"部门河湖长制工作动态{n}" for n in range(12)],
             "水利厅推进河湖长制")

    page = _get(portal, q="河湖长制")
    html = page.content.decode()
    assert page.status_code == 200 and '<html lang="zh-CN">' in html
    assert '<label for="search-q">检索词</label>' in html
    assert "找到 13 条与“河湖长制”相关的结果" in html
    # Escaped text, the words marked: the body's <script> stays text.
    assert "全面推行<mark>河湖</mark><mark>长制</mark>&lt;script&gt;管护" in html, html[html.find("search-snippet"):][:600]
    assert "按网站" in html and f"{department.name}</a> (12)" in html and "按年份" in html
    assert 'rel="next"' in html and "第 1 页，共 2 页" in html
    second = _get(portal, q="河湖长制", page=2).content.decode()
    assert "第 2 页，共 2 页" in second and 'rel="prev"' in second
    # The switch to this site only.
    own = _get(portal, q="河湖长制", scope="site").content.decode()
    assert "找到 1 条与“河湖长制”相关的结果" in own and "按网站" not in own
    # A facet link narrows to one site.
    narrowed = _get(portal, q="河湖长制", site=department.pk).content.decode()
    assert "找到 12 条" in narrowed

    # A department site searches itself by default, the whole province on request.
    assert "找到 12 条" in _get(department, q="河湖长制").content.decode()
    assert "找到 13 条" in _get(department, q="河湖长制", scope="province").content.decode()
    newest = _get(department, q="河湖长制", order="date").content.decode()
    assert newest.index("工作动态11</a>") < newest.index("工作动态10</a>") < newest.index("工作动态9</a>")


def test_bad_input_is_answered_without_an_error_or_a_scan():
    site, *_ = staffed_site()
    too_long = _get(site, q="政" * 10_000)
    assert too_long.status_code == 400
    assert f"检索词不能超过 {MAX_QUERY_CHARS} 个字" in too_long.content.decode()
    for text in ["", "   ", "，。！？、……", "!!!---***", "《》“”"]:
        page = _get(site, q=text)
        assert page.status_code == 200, text
        assert "请输入检索词" in page.content.decode(), text
    # Nonsense parameters fall back to their defaults.
    assert _get(site, q="通知", page="x", order="evil", scope="nowhere", year="abc", site="-1").status_code == 200
