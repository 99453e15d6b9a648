from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from wagtail.forms import TaskStateCommentForm
from wagtail.models import AbstractGroupApprovalTask

from ..forms import SecrecyApprovalForm


class ReviewTask(AbstractGroupApprovalTask):
    """审核: a group approves or sends back; nobody approves their own submission; the
    step that carries 保密审查 records it on the revision it approves."""

    requires_secrecy_review = models.BooleanField(
        "需要保密审查", default=True, help_text="通过时审核人须确认内容不涉密；领导签发等后续步骤可不勾选")

    admin_form_fields = AbstractGroupApprovalTask.admin_form_fields + ["requires_secrecy_review"]

    class Meta:
        verbose_name = "审核步骤"
        verbose_name_plural = "审核步骤"

    def get_actions(self, obj, user):
        from ..services.approval import is_own_submission

        actions = super().get_actions(obj, user)
        if not actions:
            return actions
        actions = [("reject", "退回修改", True)]
        workflow_state = obj.current_workflow_state
        if workflow_state is None or not is_own_submission(workflow_state, obj, user):
            actions.append(("approve", "通过" + ("（保密审查）" if self.requires_secrecy_review else ""), True))
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
        raise PermissionDenied("未知的审核操作")

    @classmethod
    def get_description(cls):
        return "指定用户组的成员审核通过或退回；不能审核自己提交的内容；可要求保密审查"
