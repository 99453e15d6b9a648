"""What an editor and a reviewer start their day with, on one site (the current schema):
each function returns at most `limit` items, oldest or soonest first where age matters,
and the total, in a fixed number of queries whatever the number of items."""
from dataclasses import dataclass
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Cast
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page, Revision, TaskState, WorkflowState

from tenants.review.models import ContentCheckRecord

CONTENT_APP = "content"  # the content types editors write (tenants.content)


@dataclass(frozen=True)
class Item:
    page: Page
    since: datetime | None = None
    comment: str = ""
    who: str = ""


@dataclass(frozen=True)
class Listing:
    items: list[Item]
    total: int


def _content_pages():
    return Page.objects.filter(content_type__app_label=CONTENT_APP)


def _in_active_workflow():
    return Exists(WorkflowState.objects.active().filter(
        base_content_type=ContentType.objects.get_for_model(Page),
        object_id=Cast(OuterRef("pk"), output_field=CharField())))


def _pages_by_id(ids) -> dict[int, Page]:
    return {page.pk: page for page in Page.objects.filter(pk__in=ids).specific()}


def _listing(queryset, limit, build) -> Listing:
    rows = list(queryset[:limit])
    total = len(rows) if len(rows) < limit else queryset.count()
    return Listing(items=build(rows), total=total)


def my_drafts(user, *, limit=10) -> Listing:
    """Content pages whose latest revision is mine, with changes not yet published and
    not in review."""
    queryset = (_content_pages().filter(has_unpublished_changes=True, latest_revision__user=user)
                .exclude(_in_active_workflow()).order_by("-latest_revision_created_at"))
    return _listing(queryset.specific(), limit,
                    lambda pages: [Item(page=page, since=page.latest_revision_created_at) for page in pages])


def awaiting_my_review(user, *, limit=10) -> Listing:
    """Review steps I may act on, the oldest first; never my own submissions."""
    queryset = (TaskState.objects.reviewable_by(user).exclude(workflow_state__requested_by=user)
                .filter(workflow_state__base_content_type=ContentType.objects.get_for_model(Page))
                .select_related("workflow_state__requested_by").order_by("started_at"))

    def build(states):
        pages = _pages_by_id(int(state.workflow_state.object_id) for state in states)
        return [Item(page=pages[int(state.workflow_state.object_id)], since=state.started_at,
                     who=_name(state.workflow_state.requested_by))
                for state in states if int(state.workflow_state.object_id) in pages]

    return _listing(queryset, limit, build)


def returned_to_me(user, *, limit=10) -> Listing:
    """My submissions a reviewer returned for changes, with the reviewer's comment."""
    rejection = TaskState.objects.filter(workflow_state=OuterRef("pk"), status=TaskState.STATUS_REJECTED) \
        .order_by("-finished_at")
    queryset = (WorkflowState.objects.filter(status=WorkflowState.STATUS_NEEDS_CHANGES, requested_by=user,
                                             base_content_type=ContentType.objects.get_for_model(Page))
                .annotate(comment=Subquery(rejection.values("comment")[:1]),
                          returned_at=Subquery(rejection.values("finished_at")[:1]),
                          returned_by=Subquery(rejection.values("finished_by")[:1]))
                .order_by("-returned_at"))

    def build(states):
        pages = _pages_by_id(int(state.object_id) for state in states)
        reviewers = {reviewer.pk: reviewer for reviewer in
                     get_user_model().objects.filter(pk__in={state.returned_by for state in states})}
        return [Item(page=pages[int(state.object_id)], since=state.returned_at, comment=state.comment or "",
                     who=_name(reviewers.get(state.returned_by)))
                for state in states if int(state.object_id) in pages]

    return _listing(queryset, limit, build)


def check_findings(*, limit=10) -> Listing:
    """Pages whose latest revision has blocking findings, or warnings not acknowledged."""
    unresolved = ContentCheckRecord.objects.filter(revision_id=OuterRef("latest_revision_id")).filter(
        Q(blocking_count__gt=0) | Q(warning_count__gt=0, acknowledged_at__isnull=True))
    queryset = (_content_pages().filter(Exists(unresolved))
                .annotate(blocking=Subquery(unresolved.values("blocking_count")[:1]),
                          warnings=Subquery(unresolved.values("warning_count")[:1]))
                .order_by("-latest_revision_created_at"))
    return _listing(queryset.specific(), limit, lambda pages: [
        Item(page=page, since=page.latest_revision_created_at, comment=_findings(page)) for page in pages])


def scheduled(*, limit=10) -> Listing:
    """Revisions approved to go live later, the soonest first."""
    queryset = (Revision.page_revisions.filter(approved_go_live_at__gt=timezone.now())
                .select_related("user").order_by("approved_go_live_at"))

    def build(revisions):
        pages = _pages_by_id(int(revision.object_id) for revision in revisions)
        return [Item(page=pages[int(revision.object_id)], since=revision.approved_go_live_at,
                     who=_name(revision.user)) for revision in revisions if int(revision.object_id) in pages]

    return _listing(queryset, limit, build)


def _findings(page) -> str:
    parts = []
    if page.blocking:
        parts.append(_("%(count)s to fix") % {"count": page.blocking})
    if page.warnings:
        parts.append(_("%(count)s to confirm") % {"count": page.warnings})
    return ", ".join(parts)


def _name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()
