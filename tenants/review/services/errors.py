"""Refusals of the review rules. PermissionDenied subclasses, so that whatever entry
point hits one gets a 403 at worst; the back office turns them into a message on
the edit page (middleware.ReviewRefusalMiddleware)."""
from django.core.exceptions import PermissionDenied


class ReviewRefusal(PermissionDenied):
    def __init__(self, message: str, *, page_id=None):
        super().__init__(message)
        self.message = message
        self.page_id = page_id


class SubmissionBlocked(ReviewRefusal):
    """Blocking content-check findings: the draft is kept, the submission is not made."""


class SelfApprovalRefused(ReviewRefusal):
    """Nobody approves their own submission."""


class PublishBlocked(ReviewRefusal):
    """A revision without 保密审查 or with unresolved check findings cannot go live."""
