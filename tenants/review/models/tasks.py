from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _
from wagtail.forms import TaskStateCommentForm
from wagtail.models import AbstractGroupApprovalTask

from ..forms import SecrecyApprovalForm


class ReviewTask(AbstractGroupApprovalTask):
    """审核: a group approves or sends back; nobody approves their own submission; the
    step that carries 保密审查 records it on the revision it approves."""

    requires_secrecy_review = models.BooleanField(
        _("requires secrecy review"), default=True,
        help_text=_("On approval the reviewer must confirm that the content contains no classified information; "
                    "later steps such as a leader's sign-off may leave this unticked"))

    admin_form_fields = AbstractGroupApprovalTask.admin_form_fields + ["requires_secrecy_review"]

    class Meta:
        verbose_name = _("review step")
        verbose_name_plural = _("review steps")

    def get_actions(self, obj, user):
        from ..services.approval import is_own_submission

        actions = super().get_actions(obj, user)
        if not actions:
            return actions
        actions = [("reject", gettext("Request changes"), True)]
        workflow_state = obj.current_workflow_state
        if workflow_state is None or not is_own_submission(workflow_state, obj, user):
            label = (gettext("Approve (secrecy review)") if self.requires_secrecy_review
                     else pgettext("review step action", "Approve"))
            actions.append(("approve", label, True))
        return actions

    def get_form_for_action(self, action):
        if action == "approve" and self.requires_secrecy_review:
            return SecrecyApprovalForm
        return TaskStateCommentForm

    @transaction.atomic
    def on_action(self, task_state, user, action_name, **kwargs):
        from ..services.approval import approve_review_step

        if action_name == "approve":
            return approve_review_step(task_state, acting_user=user, task=self, **kwargs)
        if action_name == "reject":
            return super().on_action(task_state, user, action_name, comment=kwargs.get("comment", ""))
        raise PermissionDenied(gettext("Unknown review action"))

    @classmethod
    def get_description(cls):
        return gettext("Members of the chosen groups approve or request changes; nobody approves their own "
                       "submission; a secrecy review may be required")
