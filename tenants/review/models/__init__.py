"""Review before publishing: the review task, 保密审查 records and content-check
records, all per revision, in the site's schema."""
from .records import ContentCheckRecord, RepostAcceptance, SecrecyReview
from .tasks import ReviewTask

__all__ = ["ContentCheckRecord", "RepostAcceptance", "ReviewTask", "SecrecyReview"]
