"""Review before publishing: an editor submits, a reviewer approves with 保密审查;
nobody approves their own submission; blocking words stop a submission (the draft is
kept); a revision without 保密审查 or with unacknowledged warnings never goes live;
administrators may add steps."""
import pytest
from django_tenants.utils import tenant_context
from wagtail.models import Page, Revision, Workflow, WorkflowState, WorkflowTask
from wagtail.test.utils.form_data import nested_form_data, querydict_from_html, rich_text, streamfield

from jiyue.audit.models import OperationLog
from jiyue.identity.models import SiteRole
from tenants.checks.services.dictionaries import add_term, create_dictionary
from tenants.review.models import ContentCheckRecord, ReviewTask, SecrecyReview
from tenants.review.services.errors import PublishBlocked, SelfApprovalRefused, SubmissionBlocked
from tests.factories import grant, make_user, staffed_site, unique
from tests.factories.clients import CONSOLE, admin_url, signed_in
from tests.factories.content import add_article, add_policy, approve, column, fresh, publish_through_review, submit


@pytest.fixture
def world():
    site, editor, reviewer = staffed_site()
    blocked, warned = f"禁词{unique()[-6:]}", f"提示词{unique()[-6:]}"
    sensitive = create_dictionary(acting_user=None, name="本站敏感词", kind="sensitive", site=site)
    add_term(sensitive, acting_user=None, text=blocked, category="涉密", severity="block")
    add_term(sensitive, acting_user=None, text=warned, category="不规范", severity="warn")
    return {"site": site, "editor": editor, "reviewer": reviewer, "blocked": blocked, "warned": warned}


def test_reviewer_approval_with_secrecy_review_publishes_and_records_who_and_when(world):
    with tenant_context(world["site"]):
        page = add_policy(user=world["editor"])
        submit(page, world["editor"])
        assert not fresh(page).live
        approve(page, world["reviewer"], comment="同意发布")
        page = fresh(page)
        assert page.live
        review = SecrecyReview.objects.get(revision=page.live_revision)
        assert review.reviewer_id == world["reviewer"].pk
        assert review.conclusion == "不涉密" and review.confirmed_at is not None
    log = OperationLog.objects.get(action="record_secrecy_review", site=world["site"],
                                   detail__revision_id=review.revision_id)
    assert (log.acting_user_id, log.site_id) == (world["reviewer"].pk, world["site"].pk)


def test_self_approval_refused_even_for_a_reviewer(world):
    both = make_user("both")
    grant(both, world["site"], SiteRole.EDITOR)
    grant(both, world["site"], SiteRole.REVIEWER)
    with tenant_context(world["site"]):
        page = add_policy(user=both)
        submit(page, both)
        page = fresh(page)
        task = page.current_workflow_task
        assert [name for name, *_ in task.get_actions(page, both)] == ["reject"]
        assert "approve" in [name for name, *_ in task.get_actions(page, world["reviewer"])]
        with pytest.raises(SelfApprovalRefused, match="不能审核通过自己"):
            approve(page, both)
        assert not fresh(page).live
        assert not SecrecyReview.objects.filter(revision__object_id=str(page.pk)).exists()
        approve(page, world["reviewer"])
        assert fresh(page).live


def test_blocking_word_stops_submission_and_keeps_the_draft(world):
    with tenant_context(world["site"]):
        page = add_policy(user=world["editor"], body_text=f"本文含有{world['blocked']}一词")
        with pytest.raises(SubmissionBlocked, match=world["blocked"]):
            submit(page, world["editor"])
        assert not WorkflowState.objects.filter(object_id=str(page.pk)).exists()
        draft = fresh(page).get_latest_revision().as_object()
        assert world["blocked"] in str(draft.body)


def test_secrecy_review_required_for_publishing(world):
    with tenant_context(world["site"]):
        page = add_policy(user=world["editor"])
        submit(page, world["editor"])
        with pytest.raises(PublishBlocked, match="保密审查"):
            approve(page, world["reviewer"], secrecy_confirmed=False)
        assert not fresh(page).live
        # Not through a direct publish either, whoever asks.
        revision = fresh(page).get_latest_revision()
        with pytest.raises(PublishBlocked, match="未经保密审查"):
            revision.publish(user=world["reviewer"], skip_permission_checks=True)
        assert not fresh(page).live


def test_check_warnings_must_be_acknowledged_by_the_reviewer(world):
    with tenant_context(world["site"]):
        page = add_article(user=world["editor"], body_text=f"这里有{world['warned']}。")
        submit(page, world["editor"])  # warnings do not stop a submission
        with pytest.raises(PublishBlocked, match="1 条提示"):
            approve(page, world["reviewer"])
        approve(page, world["reviewer"], acknowledge_warnings=True)
        page = fresh(page)
        assert page.live
        record = ContentCheckRecord.objects.get(revision=page.live_revision)
        assert record.acknowledged_by_id == world["reviewer"].pk and record.warning_count == 1


def test_admin_added_leader_step_needs_its_own_approval(world):
    leader = make_user("leader")
    grant(leader, world["site"], SiteRole.SITE_ADMIN)
    with tenant_context(world["site"]):
        from django.contrib.auth.models import Group
        from django.contrib.contenttypes.models import ContentType

        workflow = Workflow.objects.get(name="审核流程")
        sign_off = ReviewTask.objects.create(name="领导签发", requires_secrecy_review=False,
                                             content_type=ContentType.objects.get_for_model(ReviewTask))
        sign_off.groups.add(Group.objects.get(name="网站管理员"))
        WorkflowTask.objects.create(workflow=workflow, task=sign_off, sort_order=1)
        page = add_policy(user=world["editor"])
        submit(page, world["editor"])
        approve(page, world["reviewer"])
        page = fresh(page)
        assert not page.live and page.current_workflow_task.pk == sign_off.pk
        assert "保密审查" not in dict((n, v) for n, v, _ in page.current_workflow_task.get_actions(page, leader))["approve"]
        approve(page, leader, secrecy_confirmed=False)
        assert fresh(page).live
        WorkflowTask.objects.filter(task=sign_off).delete()


def test_blocking_word_stops_submission_in_the_back_office_with_highlight(world):
    site = world["site"]
    client = signed_in(world["editor"])
    with tenant_context(site):
        parent = column("zcwj")
        page = add_article(parent, user=world["editor"], title="待修改的新闻")
        edit_path = admin_url(site, "wagtailadmin_pages:edit", page.pk)
    form_page = client.get(edit_path, HTTP_HOST=CONSOLE)
    assert form_page.status_code == 200
    data = querydict_from_html(form_page.content.decode(), form_id="page-edit-form")
    data.update(nested_form_data({"title": f"关于{world['blocked']}的新闻", "action-submit": "1",
                                  "body": streamfield([("paragraph", rich_text("<p>正文</p>"))])}))
    response = client.post(edit_path, data, HTTP_HOST=CONSOLE)
    assert response.status_code == 302 and response["Location"].endswith(edit_path)
    with tenant_context(site):
        page = fresh(page)
        assert not WorkflowState.objects.filter(object_id=str(page.pk)).exists()
        assert page.get_latest_revision().as_object().title == f"关于{world['blocked']}的新闻"
        assert ContentCheckRecord.objects.get(revision=page.get_latest_revision()).blocking_count == 1
    shown = client.get(edit_path, HTTP_HOST=CONSOLE).content.decode()
    assert "不能提交审核" in shown
    assert '<mark class="check-block"' in shown and world["blocked"] in shown.split('class="check-block"', 1)[1][:200]


def test_revision_without_review_is_never_published_by_the_admin_publish_button(world):
    admin_user = make_user("siteadmin")
    grant(admin_user, world["site"], SiteRole.SITE_ADMIN)
    with tenant_context(world["site"]):
        page = add_policy(user=world["editor"])
        assert not Revision.objects.filter(object_id=str(page.pk), secrecy_reviews__isnull=False).exists()
        with pytest.raises(PublishBlocked):
            page.get_latest_revision().publish(user=admin_user)
        assert not fresh(page).live


def test_new_content_is_never_created_live_not_even_as_a_copy_kept_live(world):
    with tenant_context(world["site"]):
        from tenants.content.models import ArticlePage

        with pytest.raises(PublishBlocked, match="须先保存为草稿"):
            column("zcwj").add_child(instance=ArticlePage(title="直接上线的新闻", live=True))
        assert not ArticlePage.objects.filter(title="直接上线的新闻").exists()
        page = publish_through_review(add_policy(user=world["editor"], title="已发布的文件"), world["editor"],
                                      world["reviewer"])
        with pytest.raises(PublishBlocked):
            page.copy(update_attrs={"title": "复制件", "slug": "copy-kept-live"}, keep_live=True)
        assert not Page.objects.filter(slug="copy-kept-live").exists()
        draft = page.copy(update_attrs={"title": "复制件", "slug": "copy-as-draft"}, keep_live=False)
        assert not draft.live and draft.specific.index_number != page.index_number


def test_site_admin_adds_a_leader_sign_off_step_in_the_back_office(world):
    site = world["site"]
    admin_user, leader = make_user("siteadmin"), make_user("leader")
    grant(admin_user, site, SiteRole.SITE_ADMIN)
    grant(leader, site, SiteRole.SITE_ADMIN)
    client = signed_in(admin_user)
    with tenant_context(site):
        from django.contrib.auth.models import Group

        workflow = Workflow.objects.get(name="审核流程")
        admin_group = Group.objects.get(name="网站管理员")
        add_task = admin_url(site, "wagtailadmin_workflows:add_task", "review", "reviewtask")
        edit_workflow = admin_url(site, "wagtailadmin_workflows:edit", workflow.pk)
    response = client.post(add_task, {"name": "领导签发", "groups": [admin_group.pk]}, HTTP_HOST=CONSOLE)
    assert response.status_code == 302
    with tenant_context(site):
        sign_off = ReviewTask.objects.get(name="领导签发")
        assert not sign_off.requires_secrecy_review
    form = client.get(edit_workflow, HTTP_HOST=CONSOLE)
    assert form.status_code == 200 and "审核" in form.content.decode()
    data = querydict_from_html(form.content.decode())  # the page's first form is the workflow's
    total = int(data["workflow_tasks-TOTAL_FORMS"])
    data.update({"workflow_tasks-TOTAL_FORMS": str(total + 1), f"workflow_tasks-{total}-task": str(sign_off.pk),
                 f"workflow_tasks-{total}-id": "", f"workflow_tasks-{total}-ORDER": str(total + 1),
                 f"workflow_tasks-{total}-DELETE": ""})
    response = client.post(edit_workflow, data, HTTP_HOST=CONSOLE)
    assert response.status_code == 302, response.content.decode()[:3000]
    with tenant_context(site):
        assert [task.name for task in workflow.tasks] == ["审核", "领导签发"]
        page = add_policy(user=world["editor"])
        submit(page, world["editor"])
        approve(page, world["reviewer"])
        assert not fresh(page).live
        approve(page, leader, secrecy_confirmed=False)
        assert fresh(page).live
        WorkflowTask.objects.filter(task=sign_off).delete()


def test_blocking_word_in_an_attachment_name_stops_submission_too(world):
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document

    from tenants.content.models import PolicyAttachment
    from tenants.review.services.checks import record_revision_checks

    with tenant_context(world["site"]):
        document = Document.objects.create(title="附件", file=ContentFile(b"%PDF-1.4\n", name="fujian.pdf"))
        page = add_policy(user=world["editor"])
        page.attachments.add(PolicyAttachment(document=document, title=f"{world['blocked']}清单"))
        page.save_revision(user=world["editor"])
        with pytest.raises(SubmissionBlocked, match=world["blocked"]):
            submit(page, world["editor"])
        record = record_revision_checks(fresh(page).get_latest_revision())
        assert [f["label"] for f in record.report["findings"]] == ["附件名称（第1个）"]
