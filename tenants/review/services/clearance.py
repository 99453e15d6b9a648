"""The two gates of review: what may be submitted, and what may go live."""
from ..models import SecrecyReview
from .checks import record_revision_checks, summarize_blocking
from .errors import PublishBlocked, SubmissionBlocked


def ensure_submittable(revision) -> None:
    record = record_revision_checks(revision)
    if record.blocking_count:
        raise SubmissionBlocked(
            f"内容含禁止使用的词语{summarize_blocking(record)}，不能提交审核。草稿已保存，请修改后再提交。",
            page_id=revision.object_id)


def ensure_publishable(page, revision) -> None:
    """Raise PublishBlocked unless this revision has a 保密审查 record and its content
    checks have no blocking finding and no unacknowledged warning."""
    if not hasattr(page, "content_check_fields"):
        return  # columns and home pages are structure, not content
    if not SecrecyReview.objects.filter(revision=revision).exists():
        raise PublishBlocked("该版本未经保密审查，不能发布；请提交审核，由审核人确认“不涉密”后发布。",
                             page_id=page.pk)
    record = record_revision_checks(revision)
    if record.blocking_count:
        raise PublishBlocked(f"内容含禁止使用的词语{summarize_blocking(record)}，不能发布。", page_id=page.pk)
    if record.warning_count and record.acknowledged_at is None:
        raise PublishBlocked(f"内容检查有 {record.warning_count} 条提示尚未确认，不能发布。", page_id=page.pk)
