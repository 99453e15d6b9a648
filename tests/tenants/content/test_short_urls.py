"""Content pages answer at `/<column path>/<yyyymm>/t<yyyymmdd>_<id>.html`, fixed at
first publication: stable across title changes, a 301 from older URLs and after a move,
a 404 for a crafted URL whose date or id is wrong."""
import datetime
import re

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone
from django_tenants.utils import tenant_context
from wagtail.models import Page

from tenants.columns.models import ColumnPage
from tests.factories import grant, make_user, staffed_site
from tests.factories.clients import admin_url, signed_in
from tests.factories.content import add_article, add_policy, column, fresh, publish_through_review

SHORT_POLICY_URL = re.compile(r"^/zwgk/zcwj/(\d{6})/t(\d{8})_(\d+)\.html$")


@pytest.fixture
def people():
    return staffed_site()


def _get(site, path):
    return Client().get(path, HTTP_HOST=site.primary_host)


def _published_policy(site, editor, reviewer, **fields):
    with tenant_context(site):
        return publish_through_review(add_policy(user=editor, **fields), editor, reviewer)


def test_a_published_policy_gets_the_short_url_of_its_first_publication(people):
    site, editor, reviewer = people
    policy = _published_policy(site, editor, reviewer, title="关于进一步优化营商环境的若干措施")
    with tenant_context(site):
        url = policy.url
        published = timezone.localtime(policy.first_published_at)
    match = SHORT_POLICY_URL.match(url)
    assert match, url
    assert match.groups() == (f"{published:%Y%m}", f"{published:%Y%m%d}", str(policy.pk))
    response = _get(site, url)
    assert response.status_code == 200
    assert "关于进一步优化营商环境的若干措施" in response.content.decode()


def test_the_url_stays_when_the_title_and_slug_change(people):
    site, editor, reviewer = people
    policy = _published_policy(site, editor, reviewer, title="关于旧标题的通知")
    with tenant_context(site):
        url = policy.url
        policy.title, policy.slug = "关于新标题的通知", "xin-biao-ti"
        policy.save_revision(user=editor)
        policy = publish_through_review(policy, editor, reviewer)
        assert policy.title == "关于新标题的通知" and policy.url == url
    response = _get(site, url)
    assert response.status_code == 200 and "关于新标题的通知" in response.content.decode()


def test_the_old_slug_url_answers_301_to_the_short_url(people):
    site, editor, reviewer = people
    policy = _published_policy(site, editor, reviewer, title="关于长标题的通知")
    with tenant_context(site):
        slug_path = "/" + policy.url_path.split("/", 2)[2]  # /zwgk/zcwj/<slug>/ below the home
        short = policy.url
    assert slug_path.startswith("/zwgk/zcwj/") and slug_path != short
    response = _get(site, slug_path + "?from=weixin")
    assert response.status_code == 301
    assert response["Location"] == short + "?from=weixin"


def test_a_moved_page_answers_at_its_new_column_and_301s_from_the_old_url(people):
    site, editor, reviewer = people
    with tenant_context(site):
        article = publish_through_review(add_article(column("zcwj"), user=editor, title="移动前的新闻"),
                                         editor, reviewer)
        old_url = article.url
        target = ColumnPage.objects.get(slug="zwyw")
        with transaction.atomic():  # as the back office's move does (outbox event included)
            Page.objects.get(pk=article.pk).move(target, pos="last-child")
        new_url = fresh(article).url
    assert old_url.startswith("/zwgk/zcwj/") and new_url != old_url
    assert new_url.endswith(old_url.rpartition("/zcwj/")[2]), "the date and id stay"
    assert _get(site, new_url).status_code == 200
    moved = _get(site, old_url)
    assert moved.status_code == 301 and moved["Location"].endswith(new_url)
    assert _get(site, moved["Location"]).status_code == 200
    # The site administrator sees the redirect among the site's redirects (设置 → 重定向).
    site_admin = make_user("siteadmin")
    grant(site_admin, site, "site_admin")
    listing = signed_in(site_admin).get(admin_url(site, "wagtailredirects:index"))
    assert listing.status_code == 200 and old_url in listing.content.decode()


@pytest.mark.parametrize("crafted", [
    "wrong day", "wrong month folder", "no such id", "another column's page", "not a date", "unpublished",
])
def test_a_crafted_html_url_with_a_wrong_date_or_id_is_404(people, crafted):
    site, editor, reviewer = people
    policy = _published_policy(site, editor, reviewer)
    with tenant_context(site):
        draft = add_policy(user=editor, title="尚未发布的文件")
        published = timezone.localtime(policy.first_published_at)
    month, day = f"{published:%Y%m}", f"{published:%Y%m%d}"
    other_day = (published - datetime.timedelta(days=1)).strftime("%Y%m%d")
    path = {
        "wrong day": f"/zwgk/zcwj/{other_day[:6]}/t{other_day}_{policy.pk}.html",
        "wrong month folder": f"/zwgk/zcwj/{int(month) - 1}/t{day}_{policy.pk}.html",
        "no such id": f"/zwgk/zcwj/{month}/t{day}_{policy.pk + 1000}.html",
        "another column's page": f"/zwgk/zwyw/{month}/t{day}_{policy.pk}.html",
        "not a date": f"/zwgk/zcwj/{month[:4]}13/t{month[:4]}1399_{policy.pk}.html",
        "unpublished": f"/zwgk/zcwj/{month}/t{day}_{draft.pk}.html",
    }[crafted]
    response = _get(site, path)
    assert response.status_code == 404, path


def test_two_pages_published_in_the_same_second_get_distinct_urls(people):
    site, editor, reviewer = people
    first = _published_policy(site, editor, reviewer, title="同一秒发布的第一份文件")
    second = _published_policy(site, editor, reviewer, title="同一秒发布的第二份文件")
    with tenant_context(site):
        same_second = first.first_published_at.replace(microsecond=0)
        Page.objects.filter(pk__in=[first.pk, second.pk]).update(first_published_at=same_second)
        urls = [fresh(first).url, fresh(second).url]
    assert urls[0] != urls[1]
    assert [SHORT_POLICY_URL.match(url).groups()[:2] for url in urls] == [SHORT_POLICY_URL.match(urls[0]).groups()[:2]] * 2
    assert "第一份" in _get(site, urls[0]).content.decode()
    assert "第二份" in _get(site, urls[1]).content.decode()


def test_the_column_lists_its_pages_by_their_short_urls(people):
    site, editor, reviewer = people
    policy = _published_policy(site, editor, reviewer, title="列表中的文件")
    with tenant_context(site):
        url, column_url = policy.url, column("zcwj").url
    html = _get(site, column_url).content.decode()
    assert f'href="{url}"' in html
