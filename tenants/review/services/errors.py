"""Refusals of the review rules. The back office turns them into a message on the
edit page (middleware.ReviewRefusalMiddleware). Not PermissionDenied: Wagtail's admin
would catch that and send the editor to the dashboard with a generic message."""


class ReviewRefusal(Exception):
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
