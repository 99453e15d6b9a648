"""Submitting a page for review, as the editor's 提交审核 does."""
from wagtail.models import Page


def submit_for_review(page, *, acting_user):
    """Start the page's workflow (or resume it when it was sent back); the gate on the
    first step refuses blocking check findings (SubmissionBlocked)."""
    page = Page.objects.get(pk=page.pk).specific
    workflow_state = page.current_workflow_state
    if workflow_state is not None and workflow_state.status == workflow_state.STATUS_NEEDS_CHANGES:
        workflow_state.resume(acting_user)
        return workflow_state
    return page.get_workflow().start(page, acting_user)
