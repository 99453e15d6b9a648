"""The back-office home of a site shows, per site, the work an editor and a reviewer
start their day with (tenants/dashboard): my drafts, awaiting my review (with its age,
never my own submissions), returned to me with the reviewer's comment, check findings
to resolve, scheduled publishing, my submissions in review. Each item links to its
page; another site's items never appear; the queries do not grow with the items."""
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import tenant_context
from wagtail.models import TaskState

from jiyue.identity.models import SiteRole
from tenants.checks.services.dictionaries import add_term, create_dictionary
from tenants.dashboard import queries
from tenants.review.services.checks import acknowledge_check_warnings, record_revision_checks
from tests.factories import grant, make_user, staffed_site, unique
from tests.factories.clients import admin_url, signed_in
from tests.factories.content import add_article, approve, fresh, publish_through_review, submit

PANELS = ["jiyue_my_drafts", "jiyue_awaiting_my_review", "jiyue_returned_to_me", "jiyue_check_findings",
          "jiyue_scheduled", "jiyue_in_review"]


@pytest.fixture
def world():
    site, editor, reviewer = staffed_site()
    warned, blocked = f"提示词{unique()[-6:]}", f"禁词{unique()[-6:]}"
    dictionary = create_dictionary(acting_user=None, name="本站敏感词", kind="sensitive", site=site)
    add_term(dictionary, acting_user=None, text=warned, category="不规范", severity="warn")
    add_term(dictionary, acting_user=None, text=blocked, category="涉密", severity="block")
    return {"site": site, "editor": editor, "reviewer": reviewer, "warned": warned, "blocked": blocked}


def _home(client, site):
    response = client.get(admin_url(site, "wagtailadmin_home"))
    assert response.status_code == 200
    return response.content.decode()


def _panel(html, name):
    match = re.search(rf'<div class="jiyue-work-panel" data-work-panel="{name}" data-count="(\d+)">(.*?)'
                      rf'</div>\s*<!-- end {name} -->', html, re.S)
    assert match, f"no panel {name}"
    return int(match.group(1)), match.group(2)


def _return_with_comment(page, reviewer, comment):
    task_state = fresh(page).current_workflow_task_state
    task_state.task.specific.on_action(task_state, reviewer, "reject", comment=comment)


def _save_with_checks(page, user, body_text):
    """An edit saved as the back office saves it: a new revision, its checks stored."""
    page = fresh(page)
    page.body = [("paragraph", f"<p>{body_text}</p>")]
    revision = page.save_revision(user=user)
    record_revision_checks(revision)
    return revision


def test_a_draft_is_submitted_reviewed_and_returned_with_the_comment(world):
    site, editor, reviewer = world["site"], world["editor"], world["reviewer"]
    with tenant_context(site):
        draft = add_article(user=editor, title="尚未提交的新闻稿")
    editor_client, reviewer_client = signed_in(editor), signed_in(reviewer)
    edit_url = admin_url(site, "wagtailadmin_pages:edit", draft.pk)

    home = _home(editor_client, site)
    count, drafts = _panel(home, "jiyue_my_drafts")
    assert count == 1 and "尚未提交的新闻稿" in drafts and f'href="{edit_url}"' in drafts
    assert "保存于" in drafts
    assert _panel(_home(reviewer_client, site), "jiyue_my_drafts")[0] == 0

    with tenant_context(site):
        submit(draft, editor)
    home = _home(editor_client, site)
    assert _panel(home, "jiyue_my_drafts")[0] == 0, "submitted: no longer a draft"
    assert _panel(home, "jiyue_awaiting_my_review")[0] == 0, "never my own submission"
    count, in_review = _panel(home, "jiyue_in_review")
    assert count == 1 and "尚未提交的新闻稿" in in_review and "审核" in in_review

    count, awaiting = _panel(_home(reviewer_client, site), "jiyue_awaiting_my_review")
    assert count == 1 and "尚未提交的新闻稿" in awaiting and f'href="{edit_url}"' in awaiting
    assert re.search(r"提交于\s*0\s*分钟前", awaiting), awaiting
    with tenant_context(site):
        task_state = fresh(draft).current_workflow_task_state
        TaskState.objects.filter(pk=task_state.pk).update(started_at=timezone.now() - timedelta(days=3, hours=2))
        reject_url = admin_url(site, "wagtailadmin_pages:workflow_action", draft.pk, "reject", task_state.pk)
    awaiting = _panel(_home(reviewer_client, site), "jiyue_awaiting_my_review")[1]
    assert re.search(r"提交于\s*3\s*天前", awaiting), awaiting
    assert f'data-workflow-action-url="{reject_url}"' in awaiting and "退回修改" in awaiting
    assert "通过（保密审查）" in awaiting

    with tenant_context(site):
        _return_with_comment(draft, reviewer, "标题请改为规范表述")
    home = _home(editor_client, site)
    count, returned = _panel(home, "jiyue_returned_to_me")
    assert count == 1 and "尚未提交的新闻稿" in returned and f'href="{edit_url}"' in returned
    assert "标题请改为规范表述" in returned and reviewer.get_username() in returned
    assert _panel(home, "jiyue_my_drafts")[0] == 0 and _panel(home, "jiyue_in_review")[0] == 0
    assert _panel(_home(reviewer_client, site), "jiyue_awaiting_my_review")[0] == 0


def test_no_self_approval_nobody_reviews_their_own_submission_or_revision(world):
    site, editor, reviewer = world["site"], world["editor"], world["reviewer"]
    both = make_user("both")
    grant(both, site, SiteRole.EDITOR)
    grant(both, site, SiteRole.REVIEWER)
    with tenant_context(site):
        own = add_article(user=both, title="自己提交的稿件")
        submit(own, both)
        edited = add_article(user=editor, title="审核员改过的稿件")
        edited.save_revision(user=both)  # both wrote the latest revision
        submit(edited, editor)
        assert queries.awaiting_my_review(both).total == 0
        titles = {item.title for item in queries.awaiting_my_review(reviewer).items}
        assert titles == {"自己提交的稿件", "审核员改过的稿件"}


def test_unresolved_check_findings_of_the_latest_revision(world):
    site, editor, reviewer = world["site"], world["editor"], world["reviewer"]
    with tenant_context(site):
        warned = add_article(user=editor, title="含提示词的新闻")
        _save_with_checks(warned, editor, f"这里有{world['warned']}。")
        blocked = add_article(user=editor, title="含禁词的新闻")
        _save_with_checks(blocked, editor, f"这里有{world['blocked']}。")
        clean = add_article(user=editor, title="没有问题的新闻")
        _save_with_checks(clean, editor, "正文没有问题。")
        fixed = add_article(user=editor, title="已改正的新闻")
        _save_with_checks(fixed, editor, f"这里有{world['blocked']}。")
        _save_with_checks(fixed, editor, "改好了。")  # the latest revision counts
    count, panel = _panel(_home(signed_in(editor), site), "jiyue_check_findings")
    assert count == 2
    assert "含提示词的新闻" in panel and "含禁词的新闻" in panel
    assert "没有问题的新闻" not in panel and "已改正的新闻" not in panel
    assert "1 个禁用词" in panel and "1 条提示未确认" in panel and world["blocked"] in panel
    assert f'href="{admin_url(site, "wagtailadmin_pages:edit", warned.pk)}"' in panel

    with tenant_context(site):
        submit(warned, editor)
        # The reviewer sees the unacknowledged warning beside the item to review.
        item = queries.awaiting_my_review(reviewer).items[0]
        assert (item.title, item.warnings, item.blocking) == ("含提示词的新闻", 1, 0)
        acknowledge_check_warnings(fresh(warned).get_latest_revision(), acting_user=reviewer)
        assert [item.title for item in queries.check_findings(editor).items] == ["含禁词的新闻"]


def test_scheduled_go_live_and_expiry_soon(world):
    site, editor, reviewer = world["site"], world["editor"], world["reviewer"]
    with tenant_context(site):
        later = add_article(user=editor, title="明天上线的新闻", go_live_at=timezone.now() + timedelta(days=1, hours=1))
        submit(later, editor)
        approve(later, reviewer)
        assert fresh(later).scheduled_revision is not None
        expiring = publish_through_review(
            add_article(user=editor, title="三天后下线的通知", expire_at=timezone.now() + timedelta(days=3, hours=1)),
            editor, reviewer)
        publish_through_review(add_article(user=editor, title="一月后下线的通知",
                                           expire_at=timezone.now() + timedelta(days=30)), editor, reviewer)
    home = _home(signed_in(reviewer), site)
    count, panel = _panel(home, "jiyue_scheduled")
    assert count == 2
    assert panel.index("明天上线的新闻") < panel.index("三天后下线的通知"), "soonest first"
    assert "一月后下线的通知" not in panel
    assert 'data-when="go_live"' in panel and 'data-when="expire"' in panel
    assert f'href="{admin_url(site, "wagtailadmin_pages:edit", later.pk)}"' in panel
    assert f'href="{admin_url(site, "wagtailadmin_pages:edit", expiring.pk)}"' in panel
    assert _panel(_home(signed_in(editor), site), "jiyue_my_drafts")[0] == 0, "scheduled is not a draft"


def test_each_site_dashboard_shows_only_its_own_items(world):
    site_a, editor, reviewer = world["site"], world["editor"], world["reviewer"]
    site_b, _, _ = staffed_site()
    grant(editor, site_b, SiteRole.EDITOR)
    grant(reviewer, site_b, SiteRole.REVIEWER)
    for site in (site_a, site_b):
        with tenant_context(site):
            tag = site.short_code
            add_article(user=editor, title=f"草稿{tag}")
            submit(add_article(user=editor, title=f"待审{tag}"), editor)
            returned = add_article(user=editor, title=f"退回{tag}")
            submit(returned, editor)
            _return_with_comment(returned, reviewer, f"意见{tag}")
            _save_with_checks(add_article(user=editor, title=f"问题{tag}"), editor, "有绝密内容")  # platform-wide
            scheduled = add_article(user=editor, title=f"定时{tag}", go_live_at=timezone.now() + timedelta(days=2))
            submit(scheduled, editor)
            approve(scheduled, reviewer)
    for site, other in ((site_a, site_b), (site_b, site_a)):
        editor_home, reviewer_home = _home(signed_in(editor), site), _home(signed_in(reviewer), site)
        for home in (editor_home, reviewer_home):
            for name in PANELS:
                panel = _panel(home, name)[1]
                assert other.short_code not in panel, f"{other.short_code}'s item on {site.short_code}'s {name}"
        assert _panel(editor_home, "jiyue_my_drafts")[0] == 2, "the draft, and the page with a check finding"
        assert _panel(editor_home, "jiyue_returned_to_me")[0] == 1
        assert f"意见{site.short_code}" in _panel(editor_home, "jiyue_returned_to_me")[1]
        assert _panel(editor_home, "jiyue_check_findings")[0] == 1
        assert _panel(reviewer_home, "jiyue_awaiting_my_review")[0] == 1
        assert _panel(reviewer_home, "jiyue_scheduled")[0] == 1


def test_wagtail_panels_ours_cover_are_replaced_and_empty_states_shown(world):
    html = _home(signed_in(world["editor"]), world["site"])
    for name in PANELS:
        count, panel = _panel(html, name)
        assert count == 0 and "data-empty" in panel and "暂无" in panel
    for wagtail_panel in ("awaiting-review", "recent-edits", "Your pages in workflow moderation",
                          "您在工作流审核中的页面"):
        assert wagtail_panel not in html
    assert queries.overdue_columns(world["editor"]) is None, "monitoring fills it later; no panel yet"
    assert "overdue" not in html


def _populate(world, n):
    """n items in every queue of the editor and the reviewer."""
    site, editor, reviewer = world["site"], world["editor"], world["reviewer"]
    with tenant_context(site):
        for i in range(n):
            add_article(user=editor, title=f"草稿{i}")
            submit(add_article(user=editor, title=f"待审{i}"), editor)
            returned = add_article(user=editor, title=f"退回{i}")
            submit(returned, editor)
            _return_with_comment(returned, reviewer, f"意见{i}")
            _save_with_checks(add_article(user=editor, title=f"问题{i}"), editor, f"有{world['warned']}")
            scheduled = add_article(user=editor, title=f"定时{i}", go_live_at=timezone.now() + timedelta(days=2))
            submit(scheduled, editor)
            approve(scheduled, reviewer)


def _statements(captured):
    """The queries run, without django-tenants' `SET search_path` before each cursor."""
    return [query["sql"] for query in captured.captured_queries if not query["sql"].startswith("SET search_path")]


def _dashboard_queries(client, site):
    with CaptureQueriesContext(connection) as captured:
        _home(client, site)
    return _statements(captured)


def test_queries_stay_bounded_whatever_the_number_of_items(world):
    site, editor, reviewer = world["site"], world["editor"], world["reviewer"]
    editor_client, reviewer_client = signed_in(editor), signed_in(reviewer)
    _populate(world, 1)
    _home(editor_client, site), _home(reviewer_client, site)  # warm the caches
    one = (_dashboard_queries(editor_client, site), _dashboard_queries(reviewer_client, site))
    _populate(world, 19)  # 20 of each: 40 drafts (the pages with check findings are drafts too)
    # New pages invalidate the per-site caches (site tree, checks): warm them again, so that
    # both counts are of a request with warm caches.
    _home(editor_client, site), _home(reviewer_client, site)
    twenty = (_dashboard_queries(editor_client, site), _dashboard_queries(reviewer_client, site))
    counts = ([len(statements) for statements in one], [len(statements) for statements in twenty])
    print(f"dashboard queries with 1 item per queue: {counts[0]}; with 20: {counts[1]} (editor, reviewer)")
    # Not more with 20 than with 1 (Wagtail's own caches may save a few on the second look).
    for first, later in zip(one, twenty):
        extra = [statement for statement in later if statement not in first]
        assert len(later) <= len(first), (counts, extra)

    home = _home(editor_client, site)
    count, drafts = _panel(home, "jiyue_my_drafts")
    assert count == 40 and drafts.count("data-page-id=") == queries.LIMIT and "data-view-all" in drafts
    assert _panel(home, "jiyue_returned_to_me")[0] == 20
    count, awaiting = _panel(_home(reviewer_client, site), "jiyue_awaiting_my_review")
    assert count == 20 and awaiting.count("data-page-id=") == queries.LIMIT
    assert admin_url(site, "wagtailadmin_reports:workflow_tasks") + "?reviewable=true" in awaiting
    # The links lead somewhere: 查看全部 lists and the review action's modal.
    for client, panel in ((editor_client, drafts), (editor_client, _panel(home, "jiyue_returned_to_me")[1]),
                          (reviewer_client, awaiting)):
        link = re.search(r'<a href="([^"]+)" data-view-all>', panel).group(1).replace("&amp;", "&")
        assert client.get(link).status_code == 200, link
    action = re.search(r'data-workflow-action-url="([^"]+/approve/\d+/)"', awaiting).group(1)
    assert reviewer_client.get(action).status_code == 200

    with tenant_context(site):
        for queue in (queries.my_drafts, queries.awaiting_my_review, queries.returned_to_me,
                      queries.check_findings, queries.in_review):
            for user in (editor, reviewer):
                with CaptureQueriesContext(connection) as captured:
                    queue(user)
                assert len(_statements(captured)) == 1, f"{queue.__name__} of {user}: one query"
        with CaptureQueriesContext(connection) as captured:
            assert queries.scheduled().total == 20
        assert len(_statements(captured)) == 2, "scheduled: go-live revisions and expiring pages"
