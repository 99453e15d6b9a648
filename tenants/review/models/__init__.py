"""Review before publishing: the review task, 保密审查 records and content-check
records, all per revision, in the site's schema."""
from .records import ContentCheckRecord, ImportAcceptance, RepostAcceptance, SecrecyReview
from .tasks import ReviewTask

__all__ = ["ContentCheckRecord", "ImportAcceptance", "RepostAcceptance", "ReviewTask", "SecrecyReview"]
