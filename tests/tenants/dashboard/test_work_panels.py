"""The back office's dashboard shows, per site, the work an editor and a reviewer start
their day with: my drafts, awaiting my review (with age, never my own submissions),
returned to me with the reviewer's comment, check findings to resolve, scheduled
publishing; each item links to its page; another site's items never appear; the number
of queries does not grow with the number of items."""
import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import tenant_context

from tenants.checks.services.dictionaries import add_term, create_dictionary
from tenants.review.services.checks import record_revision_checks
from tests.factories import staffed_site
from tests.factories.clients import admin_url, signed_in
from tests.factories.content import add_article, approve, fresh, submit


@pytest.fixture
def people():
    return staffed_site()


def _panel(html, name):
    match = re.search(rf'<section [^>]*data-work-panel="{name}".*?</section>', html, re.S)
    assert match, f"no panel {name}"
    return match.group()


def _dashboard(client, site):
    response = client.get(admin_url(site, "wagtailadmin_home"))
    assert response.status_code == 200
    return response.content.decode()


def _return_with_comment(page, reviewer, comment):
    task_state = fresh(page).current_workflow_task_state
    task_state.task.specific.on_action(task_state, reviewer, "reject", comment=comment)


def test_a_draft_then_review_then_return_with_the_comment(people):
    site, editor, reviewer = people
    with tenant_context(site):
        draft = add_article(user=editor, title="尚未提交的新闻稿")
    editor_client, reviewer_client = signed_in(editor), signed_in(reviewer)
    drafts = _panel(_dashboard(editor_client, site), "jiyue_my_drafts")
    assert "尚未提交的新闻稿" in drafts and admin_url(site, "wagtailadmin_pages:edit", draft.pk) in drafts
    assert "尚未提交的新闻稿" not in _panel(_dashboard(reviewer_client, site), "jiyue_my_drafts")

    with tenant_context(site):
        submit(draft, editor)
    home = _dashboard(editor_client, site)
    assert "尚未提交的新闻稿" not in _panel(home, "jiyue_my_drafts")
    assert "尚未提交的新闻稿" not in _panel(home, "jiyue_awaiting_my_review"), "not my own submission"
    review = _panel(_dashboard(reviewer_client, site), "jiyue_awaiting_my_review")
    assert "尚未提交的新闻稿" in review and re.search(r"提交于\s*0\xa0分钟前|提交于 0 分钟前", review), review

    with tenant_context(site):
        _return_with_comment(draft, reviewer, "请补充信息来源")
    returned = _panel(_dashboard(editor_client, site), "jiyue_returned_to_me")
    assert "尚未提交的新闻稿" in returned and "请补充信息来源" in returned
    assert "尚未提交的新闻稿" not in _panel(_dashboard(reviewer_client, site), "jiyue_awaiting_my_review")


def test_check_findings_and_scheduled_publishing(people):
    site, editor, reviewer = people
    dictionary = create_dictionary(acting_user=None, name="测试敏感词", kind="sensitive", site=site)
    add_term(dictionary, acting_user=None, text="待确认词", severity="warn")
    with tenant_context(site):
        flagged = add_article(user=editor, title="含有待确认词的新闻")
        clean = add_article(user=editor, title="按时发布的新闻")
        revision = clean.save_revision(user=editor, approved_go_live_at=timezone.now() + datetime.timedelta(days=2))
        record_revision_checks(flagged.get_latest_revision())  # as the back office's save does
    html = _dashboard(signed_in(editor), site)
    findings = _panel(html, "jiyue_check_findings")
    assert "含有待确认词的新闻" in findings and "1 项待确认" in findings
    assert "按时发布的新闻" not in findings
    scheduled = _panel(html, "jiyue_scheduled")
    assert "按时发布的新闻" in scheduled and timezone.localtime(revision.approved_go_live_at).strftime("%Y-%m-%d") in scheduled
    assert flagged.pk and "data-empty" not in scheduled


def test_another_sites_items_never_appear(people):
    site, editor, reviewer = people
    other, other_editor, _other_reviewer = staffed_site()
    with tenant_context(other):
        add_article(user=other_editor, title="另一个网站的草稿")
    from tests.factories import grant

    grant(editor, other, "editor")  # the same person works on both sites
    with tenant_context(other):
        add_article(user=editor, title="我在另一个网站的草稿")
    with tenant_context(site):
        add_article(user=editor, title="我在本网站的草稿")
    html = _dashboard(signed_in(editor), site)
    assert "我在本网站的草稿" in html
    assert "另一个网站的草稿" not in html and "我在另一个网站的草稿" not in html


def test_empty_panels_say_so(people):
    site, _editor, reviewer = people
    html = _dashboard(signed_in(reviewer), site)
    assert "暂无待审核的信息" in _panel(html, "jiyue_awaiting_my_review")
    assert 'data-count>0<' in _panel(html, "jiyue_my_drafts")


def test_the_number_of_queries_does_not_grow_with_the_items(people):
    site, editor, reviewer = people
    client = signed_in(reviewer)

    def add(first, last):
        with tenant_context(site):
            for n in range(first, last):
                submit(add_article(user=editor, title=f"待审核新闻{n}"), editor)
                add_article(user=reviewer, title=f"审核员的草稿{n}")

    def measure():
        _dashboard(client, site)
        with CaptureQueriesContext(connection) as captured:
            html = _dashboard(client, site)
        return len(captured), html

    add(0, 11)  # over the 10 a panel lists: it counts the rest too
    fewer, _html = measure()
    add(11, 20)
    more, html = measure()
    assert "待审核新闻0" in html and "还有 10 条" in _panel(html, "jiyue_awaiting_my_review")
    assert more == fewer, f"queries with 11 items: {fewer}, with 20: {more}"

