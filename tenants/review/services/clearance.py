"""The two gates of review: what may be submitted, and what may go live."""
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..models import ImportAcceptance, RepostAcceptance, SecrecyReview
from .checks import record_revision_checks, summarize_blocking
from .errors import PublishBlocked, SubmissionBlocked


def ensure_submittable(revision) -> None:
    record = record_revision_checks(revision)
    if record.blocking_count:
        raise SubmissionBlocked(
            _("The content contains forbidden words %(words)s and cannot be submitted for review. The draft has "
              "been saved; edit it and submit it again.") % {"words": summarize_blocking(record)},
            page_id=revision.object_id)


def ensure_publishable(page, revision) -> None:
    """Raise PublishBlocked unless this revision has a 保密审查 record (or is a repost
    accepted directly, RepostAcceptance, or a migrated page, ImportAcceptance) and its content checks have no blocking finding
    and no unacknowledged warning."""
    if not hasattr(page, "content_check_fields"):
        return  # columns and home pages are structure, not content
    if not SecrecyReview.objects.filter(revision=revision).exists() \
            and not RepostAcceptance.objects.filter(revision=revision).exists() \
            and not ImportAcceptance.objects.filter(revision=revision).exists():
        raise PublishBlocked(_("This revision has not passed a secrecy review and cannot be published; submit it "
                               "for review, and it is published once a reviewer confirms that it “contains no "
                               "classified information”."), page_id=page.pk)
    record = record_revision_checks(revision)
    if record.blocking_count:
        raise PublishBlocked(_("The content contains forbidden words %(words)s and cannot be published.")
                             % {"words": summarize_blocking(record)}, page_id=page.pk)
    if record.warning_count and record.acknowledged_at is None:
        raise PublishBlocked(ngettext(
            "The content check has %(count)s unacknowledged warning and cannot be published.",
            "The content check has %(count)s unacknowledged warnings and cannot be published.",
            record.warning_count) % {"count": record.warning_count}, page_id=page.pk)
