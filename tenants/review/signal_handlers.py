from wagtail.signals import task_approved, task_submitted


def gate_task_start(sender, instance, user=None, **kwargs):
    """A submission (or the next step) starts only without blocking findings."""
    from .services.clearance import ensure_submittable

    if instance.revision_id is not None and hasattr(instance.revision.content_object, "content_check_fields"):
        ensure_submittable(instance.revision)


def refuse_self_approval(sender, instance, user=None, **kwargs):
    # For every task type an administrator may add, not only ReviewTask; raising
    # here rolls the approval (and any publish it caused) back.
    from .services.approval import ensure_not_own_submission

    if user is not None and not user.is_superuser:
        ensure_not_own_submission(instance, user)


def register_signal_handlers():
    task_submitted.connect(gate_task_start, dispatch_uid="review.gate_task_start")
    task_approved.connect(refuse_self_approval, dispatch_uid="review.refuse_self_approval")
