"""Approving a review step: not one's own submission, 保密审查 recorded on the
revision being approved, check warnings acknowledged."""
from django.db import connection, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.models import Page

from jiyue.audit.services import log_operation

from ..models import SecrecyReview
from .checks import acknowledge_check_warnings, record_revision_checks, summarize_blocking
from .errors import PublishBlocked, SelfApprovalRefused


def is_own_submission(workflow_state, obj, user) -> bool:
    """The submitter, or the author of the revision under review, is the user."""
    if workflow_state.requested_by_id == user.pk:
        return True
    revision = obj.get_latest_revision()
    return revision is not None and revision.user_id == user.pk


def ensure_not_own_submission(task_state, user) -> None:
    workflow_state = task_state.workflow_state
    obj = workflow_state.content_object
    if is_own_submission(workflow_state, obj, user):
        raise SelfApprovalRefused(_("You cannot approve content that you submitted or edited yourself; another "
                                    "reviewer must review it."), page_id=workflow_state.object_id)


@transaction.atomic
def record_secrecy_review(revision, *, acting_user, comment: str = "") -> SecrecyReview:
    review = SecrecyReview.objects.create(revision=revision, reviewer=acting_user, comment=comment)
    log_operation("record_secrecy_review", acting_user=acting_user, site=getattr(connection, "tenant", None),
                  page_id=revision.object_id, revision_id=revision.pk, conclusion=review.conclusion)
    return review


@transaction.atomic
def approve_review_step(task_state, *, acting_user, task, secrecy_confirmed=False, acknowledge_warnings=False,
                        comment=""):
    ensure_not_own_submission(task_state, acting_user)
    obj = task_state.workflow_state.content_object
    # The latest revision is the one the workflow publishes when it finishes.
    revision = obj.get_latest_revision()
    record = record_revision_checks(revision)
    if record.blocking_count:
        raise PublishBlocked(_("The content contains forbidden words %(words)s and cannot be approved.")
                             % {"words": summarize_blocking(record)}, page_id=obj.pk)
    if task.requires_secrecy_review:
        if not secrecy_confirmed:
            raise PublishBlocked(_("Before approving, confirm that the secrecy review concludes “contains no "
                                   "classified information”."), page_id=obj.pk)
        if record.warning_count and record.acknowledged_at is None:
            if not acknowledge_warnings:
                raise PublishBlocked(ngettext(
                    "The content check has %(count)s warning: read and acknowledge it before approving.",
                    "The content check has %(count)s warnings: read and acknowledge them before approving.",
                    record.warning_count) % {"count": record.warning_count}, page_id=obj.pk)
            acknowledge_check_warnings(revision, acting_user=acting_user)
        record_secrecy_review(revision, acting_user=acting_user, comment=comment)
    if task_state.revision_id != revision.pk:
        # Edited during review (by another reviewer): the approval is of what was read.
        task_state.revision = revision
        task_state.save(update_fields=["revision"])
    task_state.approve(user=acting_user, comment=comment)
    return None


def approve_current_step(page, *, acting_user, secrecy_confirmed=False, acknowledge_warnings=False, comment=""):
    """Approve the step the page is at, as the reviewer's 通过 does (outside the admin:
    the demo, imports)."""
    page = Page.objects.get(pk=page.pk).specific
    task_state = page.current_workflow_task_state
    if task_state is None:
        raise PublishBlocked(_("This content is not in review; submit it for review first."), page_id=page.pk)
    return task_state.task.specific.on_action(
        task_state, acting_user, "approve", secrecy_confirmed=secrecy_confirmed,
        acknowledge_warnings=acknowledge_warnings, comment=comment)
