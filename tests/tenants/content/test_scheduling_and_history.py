"""Scheduling and history of content, with Wagtail's own features: go-live and expiry
times (Wagtail's publish_scheduled, run by tenants.content.tasks in each site with due work),
revisions compared and rolled back (a rollback is a new draft that needs review
again), and page locks (an editor's lock, the review workflow's lock, the schedule's
lock). Time passes by moving the stored times into the past, not by sleeping."""
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone, translation
from django.utils.translation import gettext
from django_tenants.utils import tenant_context
from wagtail.models import PageLogEntry
from wagtail.test.utils.form_data import nested_form_data, querydict_from_html, rich_text, streamfield

from jiyue.audit.models import OperationLog
from jiyue.identity.models import SiteRole
from tenants.checks.services.dictionaries import add_term, create_dictionary
from tenants.content.services.scheduling import publish_scheduled_in_site
from tenants.review.models import SecrecyReview
from tenants.review.services.errors import PublishBlocked
from tests.celery_worker import celery_worker  # noqa: F401 -- fixture
from tests.factories import grant, make_online_site, make_user, staffed_site, unique
from tests.factories.clients import CONSOLE, admin_url, signed_in
from tests.factories.content import add_article, approve, fresh, publish_through_review, submit
from tests.factories.scheduling import in_the_past, revisions_of, time_reaches_expiry, time_reaches_go_live


@pytest.fixture
def world():
    site = make_online_site()
    editor, other_editor = make_user("editor"), make_user("editor")
    reviewer, other_reviewer = make_user("reviewer"), make_user("reviewer")
    for user in (editor, other_editor):
        grant(user, site, SiteRole.EDITOR)
    for user in (reviewer, other_reviewer):
        grant(user, site, SiteRole.REVIEWER)
    return {"site": site, "editor": editor, "other_editor": other_editor, "reviewer": reviewer,
            "other_reviewer": other_reviewer}






def _public(site, page):
    """The page on the site's own host, as the public sees it."""
    with tenant_context(site):
        path = fresh(page).get_url_parts()[2]
    return Client().get(path, HTTP_HOST=site.primary_host)


def _wagtail_message(text):
    with translation.override(settings.LANGUAGE_CODE):
        return gettext(text)








def _edit_form(client, path, **changes):
    """The admin edit form as the browser would send it, with `changes`. The body is a
    StreamField the browser builds in JavaScript, so it is always given here."""
    response = client.get(path, HTTP_HOST=CONSOLE)
    assert response.status_code == 200
    data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
    body = changes.pop("body_text", None)
    if body is not None:
        data.update(nested_form_data({"body": streamfield([("paragraph", rich_text(f"<p>{body}</p>"))])}))
    data.update(changes)
    return data


def _messages(response):
    return [str(message).strip() for message in response.context["messages"]] if response.context else []


# Scheduled publishing ----------------------------------------------------------------

def test_scheduled_page_goes_live_only_after_go_live_time(world):
    site = world["site"]
    with tenant_context(site):
        page = add_article(user=world["editor"], title="定时发布的新闻",
                           go_live_at=timezone.now() + timedelta(hours=2))
        submit(page, world["editor"])
        approve(page, world["reviewer"])
        page = fresh(page)
        scheduled = page.scheduled_revision
        assert not page.live and scheduled is not None
        assert SecrecyReview.objects.filter(revision=scheduled).exists()

        publish_scheduled_in_site()
        assert not fresh(page).live, "not before its go-live time"
    assert _public(site, page).status_code == 404

    with tenant_context(site):
        time_reaches_go_live(page)
        publish_scheduled_in_site()
        page = fresh(page)
        assert page.live and page.live_revision_id == scheduled.pk
        assert page.scheduled_revision is None
        assert PageLogEntry.objects.filter(page=page, action="wagtail.publish.scheduled").exists()
    response = _public(site, page)
    assert response.status_code == 200 and "定时发布的新闻" in response.content.decode()


def test_expired_page_leaves_the_public_site(world):
    site = world["site"]
    with tenant_context(site):
        page = add_article(user=world["editor"], title="到期下线的通知",
                           expire_at=timezone.now() + timedelta(days=7))
        page = publish_through_review(page, world["editor"], world["reviewer"])
        assert page.live
        publish_scheduled_in_site()
        assert fresh(page).live, "not before its expiry time"
    assert _public(site, page).status_code == 200

    with tenant_context(site):
        time_reaches_expiry(page)
        publish_scheduled_in_site()
        page = fresh(page)
        assert not page.live and page.expired
        assert PageLogEntry.objects.filter(page=page, action="wagtail.unpublish.scheduled").exists()
    assert _public(site, page).status_code == 404


def test_scheduled_page_is_locked_until_its_schedule_is_cancelled(world):
    """Wagtail locks a scheduled page for everyone (ScheduledForPublishLock): what
    goes live is what was reviewed. A reviewer cancels the schedule (取消预定的发布);
    the page then stays offline at the go-live time, and the editor may change it."""
    site = world["site"]
    with tenant_context(site):
        page = add_article(user=world["editor"], title="预定发布",
                           go_live_at=timezone.now() + timedelta(hours=2))
        submit(page, world["editor"])
        approve(page, world["reviewer"])
        scheduled = fresh(page).scheduled_revision
        count = revisions_of(page).count()
    editor = signed_in(world["editor"])
    edit_path = admin_url(site, "wagtailadmin_pages:edit", page.pk)
    data = _edit_form(editor, edit_path, title="预定发布（改）", body_text="改动")
    response = editor.post(edit_path, data, HTTP_HOST=CONSOLE)
    assert response.status_code == 200
    assert _wagtail_message("The page could not be saved as it is locked.") in _messages(response)
    with tenant_context(site):
        assert revisions_of(page).count() == count

    unschedule = admin_url(site, "wagtailadmin_pages:revisions_unschedule", page.pk, scheduled.pk)
    editor.post(unschedule, HTTP_HOST=CONSOLE)
    with tenant_context(site):
        assert fresh(page).scheduled_revision == scheduled, "editors cannot cancel a schedule"
    reviewer = signed_in(world["reviewer"])
    assert reviewer.post(unschedule, HTTP_HOST=CONSOLE).status_code == 302
    with tenant_context(site):
        assert fresh(page).scheduled_revision is None
        time_reaches_go_live(page)
        publish_scheduled_in_site()
        assert not fresh(page).live

    response = editor.post(edit_path, _edit_form(editor, edit_path, title="预定发布（改）", body_text="改动"),
                           HTTP_HOST=CONSOLE)
    assert response.status_code == 302
    with tenant_context(site):
        assert fresh(page).get_latest_revision().as_object().title == "预定发布（改）"


def test_scheduled_revision_blocked_at_go_live_is_unscheduled_and_the_others_still_go_live(world):
    """The publish gate runs again at go-live. A word added to the dictionaries after
    the approval blocks that revision: its schedule is cancelled (logged), and pages
    scheduled after it still go live instead of waiting behind it for ever."""
    site = world["site"]
    word = f"新禁词{unique()[-6:]}"
    with tenant_context(site):
        blocked = add_article(user=world["editor"], title="先到时间的新闻", body_text=f"其中提到{word}。",
                              go_live_at=timezone.now() + timedelta(hours=1))
        later = add_article(user=world["editor"], title="后到时间的新闻",
                            go_live_at=timezone.now() + timedelta(hours=2))
        for page in (blocked, later):
            submit(page, world["editor"])
            approve(page, world["reviewer"])
    dictionary = create_dictionary(acting_user=None, name="本站敏感词", kind="sensitive", site=site)
    add_term(dictionary, acting_user=None, text=word, category="涉密", severity="block")

    with tenant_context(site):
        scheduled = fresh(blocked).scheduled_revision
        time_reaches_go_live(blocked, when=in_the_past(minutes=10))
        time_reaches_go_live(later, when=in_the_past(minutes=5))
        with pytest.raises(PublishBlocked):
            scheduled.publish()  # what Wagtail's command alone would stop at
        result = publish_scheduled_in_site()
        assert result.unscheduled_page_ids == [blocked.pk]
        assert fresh(later).live
        blocked = fresh(blocked)
        assert not blocked.live and blocked.scheduled_revision is None
        assert PageLogEntry.objects.filter(page=blocked, action="wagtail.schedule.cancel").exists()
        # Page ids repeat across site schemas: the site is part of the lookup.
        log = OperationLog.objects.get(action="unschedule_blocked_revision", site=site, detail__page_id=blocked.pk)
        assert word in log.detail["reason"]
        # The next run has nothing left to refuse.
        assert publish_scheduled_in_site().unscheduled_page_ids == []


def test_beat_task_runs_scheduled_publishing_in_every_online_site(world, celery_worker):  # noqa: F811
    from jiyue.celery_app import app

    other_site, editor, reviewer = staffed_site()
    pages = {}
    for site, (site_editor, site_reviewer) in ((world["site"], (world["editor"], world["reviewer"])),
                                               (other_site, (editor, reviewer))):
        with tenant_context(site):
            page = add_article(user=site_editor, title=f"{site.name}定时新闻",
                               go_live_at=timezone.now() + timedelta(hours=1))
            submit(page, site_editor)
            approve(page, site_reviewer)
            time_reaches_go_live(page)
            pages[site] = page

    entry = settings.CELERY_BEAT_SCHEDULE["publish-scheduled-pages"]
    assert entry["schedule"] <= 60
    # The test worker's queue given explicitly: Celery builds its router once, at the
    # first send of the process, so the fixture's catch-all route may come too late.
    result = app.send_task(entry["task"], queue=celery_worker, **entry.get("options", {})).get(timeout=120)
    assert result["failed"] == {}
    for site, page in pages.items():
        with tenant_context(site):
            assert fresh(page).live, site.schema_name
        assert _public(site, page).status_code == 200


# Revisions: compare and rollback -----------------------------------------------------

def test_revisions_compare_shows_the_change_between_tworevisions_of(world):
    site = world["site"]
    with tenant_context(site):
        page = add_article(user=world["editor"], title="关于春季防火工作的通知", body_text="请各单位做好春季防火。")
        first = page.get_latest_revision()
        page = fresh(page)
        page.title = "关于秋季防火工作的通知"
        # The editor changes the text of the same paragraph (the block keeps its id).
        page.body = [{"type": "paragraph", "value": "<p>请各单位做好秋季防火。</p>", "id": page.body[0].id}]
        second = page.save_revision(user=world["editor"])
    client = signed_in(world["editor"])
    response = client.get(admin_url(site, "wagtailadmin_pages:revisions_compare", page.pk, first.pk, second.pk),
                          HTTP_HOST=CONSOLE)
    assert response.status_code == 200
    html = response.content.decode()
    # One changed character is marked, not the whole sentence (tenants/review/compare.py).
    assert '关于<span class="deletion">春</span><span class="addition">秋</span>季防火工作的通知' in html
    assert '请各单位做好<span class="deletion">春</span><span class="addition">秋</span>季防火。' in html


def test_rollback_makes_a_draft_that_needs_review_again(world):
    site = world["site"]
    with tenant_context(site):
        page = add_article(user=world["editor"], title="第一版标题", body_text="第一版正文")
        page = publish_through_review(page, world["editor"], world["reviewer"])
        first = page.live_revision
        page.title = "第二版标题"
        page.body = [("paragraph", "<p>第二版正文</p>")]
        page.save_revision(user=world["editor"])
        page = publish_through_review(page, world["editor"], world["reviewer"])
        second = page.live_revision
        assert second.pk != first.pk

    editor = signed_in(world["editor"])
    revert_path = admin_url(site, "wagtailadmin_pages:revisions_revert", page.pk, first.pk)
    data = _edit_form(editor, revert_path, body_text="第一版正文")
    assert data["title"] == "第一版标题", "the revert form holds the old revision"
    response = editor.post(revert_path, data, HTTP_HOST=CONSOLE)
    assert response.status_code == 302

    with tenant_context(site):
        page = fresh(page)
        reverted = page.get_latest_revision()
        assert reverted.pk not in (first.pk, second.pk)
        assert reverted.as_object().title == "第一版标题" and "第一版正文" in str(reverted.as_object().body)
        assert PageLogEntry.objects.filter(page=page, action="wagtail.revert", revision=reverted).exists()
        # Still live with the second version: the rollback is a draft, without 保密审查.
        assert page.live and page.live_revision_id == second.pk
        assert not SecrecyReview.objects.filter(revision=reverted).exists()
        with pytest.raises(PublishBlocked, match="未经保密审查"):
            reverted.publish(user=world["reviewer"], skip_permission_checks=True)
    assert "第二版标题" in _public(site, page).content.decode()

    with tenant_context(site):
        submit(page, world["editor"])
        approve(page, world["reviewer"])
        page = fresh(page)
        assert page.live_revision_id == reverted.pk and page.title == "第一版标题"
        assert SecrecyReview.objects.filter(revision=reverted, reviewer=world["reviewer"]).exists()
    assert "第一版标题" in _public(site, page).content.decode()


def test_reverted_draft_cannot_be_published_from_the_admin_without_review(world):
    site = world["site"]
    with tenant_context(site):
        page = add_article(user=world["editor"], title="原标题", body_text="原正文")
        page = publish_through_review(page, world["editor"], world["reviewer"])
        first = page.live_revision
        page.title = "新标题"
        page.save_revision(user=world["editor"])
        page = publish_through_review(page, world["editor"], world["reviewer"])
        second = page.live_revision

    # A reviewer has Wagtail's publish permission; "还原并发布" is a POST with action-publish.
    reviewer = signed_in(world["other_reviewer"])
    revert_path = admin_url(site, "wagtailadmin_pages:revisions_revert", page.pk, first.pk)
    data = _edit_form(reviewer, revert_path, body_text="原正文")
    data["action-publish"] = "action-publish"
    reviewer.post(revert_path, data, HTTP_HOST=CONSOLE)
    with tenant_context(site):
        page = fresh(page)
        assert page.live_revision_id == second.pk, "published without 保密审查"
        assert page.title == "新标题"


# Locking -----------------------------------------------------------------------------

def test_locked_page_cannot_be_saved_by_another_editor(world):
    """Wagtail's page lock (WAGTAILADMIN_GLOBAL_EDIT_LOCK unset: the holder may still
    edit). The holder here is a reviewer: by Wagtail's default group permissions only
    审核 (Moderators) may lock; see test_editor_may_lock_the_page_they_edit."""
    site = world["site"]
    with tenant_context(site):
        page = add_article(user=world["editor"], title="正在编辑的新闻")
        count = revisions_of(page).count()
    holder, other = signed_in(world["reviewer"]), signed_in(world["other_editor"])
    edit_path = admin_url(site, "wagtailadmin_pages:edit", page.pk)

    assert holder.post(admin_url(site, "wagtailadmin_pages:lock", page.pk), HTTP_HOST=CONSOLE).status_code == 302
    with tenant_context(site):
        page = fresh(page)
        assert page.locked and page.locked_by_id == world["reviewer"].pk

    response = other.post(edit_path, _edit_form(other, edit_path, title="别人的改动", body_text="别人的正文"),
                          HTTP_HOST=CONSOLE)
    assert response.status_code == 200
    assert _wagtail_message("The page could not be saved as it is locked.") in _messages(response)
    other.post(admin_url(site, "wagtailadmin_pages:unlock", page.pk), HTTP_HOST=CONSOLE)
    with tenant_context(site):
        assert revisions_of(page).count() == count
        assert fresh(page).locked, "nor can the other editor unlock it"

    response = holder.post(edit_path, _edit_form(holder, edit_path, title="持锁人的改动", body_text="正文"),
                           HTTP_HOST=CONSOLE)
    assert response.status_code == 302
    with tenant_context(site):
        assert revisions_of(page).count() == count + 1

    assert holder.post(admin_url(site, "wagtailadmin_pages:unlock", page.pk), HTTP_HOST=CONSOLE).status_code == 302
    response = other.post(edit_path, _edit_form(other, edit_path, title="解锁后的改动", body_text="正文"),
                          HTTP_HOST=CONSOLE)
    assert response.status_code == 302
    with tenant_context(site):
        assert not fresh(page).locked
        assert fresh(page).get_latest_revision().as_object().title == "解锁后的改动"


def test_editor_may_lock_the_page_they_edit(world):
    site = world["site"]
    with tenant_context(site):
        page = add_article(user=world["editor"], title="编辑加锁")
    editor = signed_in(world["editor"])
    editor.post(admin_url(site, "wagtailadmin_pages:lock", page.pk), HTTP_HOST=CONSOLE)
    with tenant_context(site):
        page = fresh(page)
        assert page.locked and page.locked_by_id == world["editor"].pk


def test_page_in_review_cannot_be_changed_by_its_submitter_until_sent_back(world):
    site = world["site"]
    with tenant_context(site):
        page = add_article(user=world["editor"], title="审核中的新闻")
        submit(page, world["editor"])
        count = revisions_of(page).count()
    editor = signed_in(world["editor"])
    edit_path = admin_url(site, "wagtailadmin_pages:edit", page.pk)

    response = editor.post(edit_path, _edit_form(editor, edit_path, title="审核中偷改", body_text="正文"),
                           HTTP_HOST=CONSOLE)
    assert response.status_code == 200
    assert _wagtail_message("The page could not be saved as it is locked.") in _messages(response)
    with tenant_context(site):
        assert revisions_of(page).count() == count

    with tenant_context(site):
        task_state = fresh(page).current_workflow_task_state
        task_state.task.specific.on_action(task_state, world["reviewer"], "reject", comment="请补充来源")
    response = editor.post(edit_path, _edit_form(editor, edit_path, title="按意见修改", body_text="正文"),
                           HTTP_HOST=CONSOLE)
    assert response.status_code == 302
    with tenant_context(site):
        assert revisions_of(page).count() == count + 1
        assert fresh(page).get_latest_revision().as_object().title == "按意见修改"


def test_reviewer_who_changes_a_page_in_review_leaves_the_approval_to_another(world):
    """Wagtail's workflow lock lets the step's reviewers edit; the edit makes the
    reviewer an author of the revision under review, so another reviewer approves it,
    once: the approval (and its 保密审查) is of the edited revision."""
    site = world["site"]
    with tenant_context(site):
        page = add_article(user=world["editor"], title="待审核")
        submit(page, world["editor"])
    reviewer = signed_in(world["reviewer"])
    edit_path = admin_url(site, "wagtailadmin_pages:edit", page.pk)
    response = reviewer.post(edit_path, _edit_form(reviewer, edit_path, title="审核人修改", body_text="正文"),
                             HTTP_HOST=CONSOLE)
    assert response.status_code == 302
    with tenant_context(site):
        edited = fresh(page).get_latest_revision()
        task = fresh(page).current_workflow_task
        assert [name for name, *_ in task.get_actions(fresh(page), world["reviewer"])] == ["reject"]
        approve(page, world["other_reviewer"])
        page = fresh(page)
        assert page.live and page.live_revision_id == edited.pk and page.title == "审核人修改"
        assert SecrecyReview.objects.filter(revision=edited, reviewer=world["other_reviewer"]).exists()
