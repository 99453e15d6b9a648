"""The dashboard's business rules: what counts as my draft, as awaiting my review, as
returned to me… on one site (the schema of the request). Reads only.

Each queue is one SQL query whatever the number of items: at most ``limit`` rows, the
total counted in the same query (a window count), and what a row shows (the column's
title, the reviewer, the check counts) joined or annotated in, never fetched per row.
Pages are read as base ``Page`` rows (no ``.specific()``), so the number of content
types does not add queries either.

Content pages are the page types the content checks read (``content_check_fields``:
tenants.content's ContentPage types); columns and the home page are structure."""
import operator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import reduce

from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    BooleanField,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    Window,
)
from django.db.models.functions import Cast, Coalesce, Length, Substr
from django.utils import timezone
from wagtail.models import GroupApprovalTask, Page, Revision, Task, TaskState, WorkflowState, get_page_models

from tenants.review.models import ContentCheckRecord, ReviewTask

LIMIT = 10
# Live pages whose expiry (到期下线) falls within this window are listed with the scheduled ones.
EXPIRY_WINDOW = timedelta(days=7)
# Group-approval task types: a member of one of the task's groups may act on it.
GROUP_TASK_MODELS = (ReviewTask, GroupApprovalTask)


@dataclass
class Item:
    page_id: int
    title: str
    column: str = ""
    when: datetime | None = None
    who: str = ""
    comment: str = ""
    task_state_id: int | None = None
    task_name: str = ""
    secrecy_review: bool = False
    blocking: int = 0
    warnings: int = 0
    findings: list = field(default_factory=list)
    kind: str = ""


@dataclass
class Queue:
    items: list[Item]
    total: int


def content_page_models() -> list:
    return [model for model in get_page_models() if hasattr(model, "content_check_fields")]


def content_type_ids():
    """The content types of the content pages, as a subquery. Not ContentType's cache:
    django-tenants clears it whenever the schema changes, i.e. on every request."""
    return ContentType.objects.filter(reduce(operator.or_, [
        Q(app_label=model._meta.app_label, model=model._meta.model_name) for model in content_page_models()
    ])).values("pk")


def _page_type_id():
    """Wagtail's base Page content type (of workflow states and revisions), as a subquery."""
    return ContentType.objects.filter(app_label=Page._meta.app_label, model=Page._meta.model_name).values("pk")


def _content_pages():
    return Page.objects.filter(content_type_id__in=content_type_ids())


def _mine(user) -> Q:
    """Created by the user, or last edited (latest revision saved) by them."""
    return Q(owner=user) | Q(latest_revision__user=user)


def _column_title(path_ref):
    """The title of the page's column (its parent in the tree), as a subquery."""
    parent_path = Substr(path_ref, 1, Length(path_ref) - Page.steplen)
    return Subquery(Page.objects.filter(path=parent_path).values("title")[:1])


def _page_of(object_id_ref):
    return Page.objects.filter(pk=Cast(object_id_ref, output_field=IntegerField()))


def _with_total(queryset):
    return queryset.annotate(dashboard_total=Window(expression=Count("pk")))


def _queue(queryset, limit, build) -> Queue:
    rows = list(_with_total(queryset)[:limit])
    return Queue(items=[build(row) for row in rows], total=rows[0].dashboard_total if rows else 0)


def _name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _active_workflow_exists(*statuses):
    return Exists(WorkflowState.objects.filter(
        status__in=statuses, base_content_type_id__in=_page_type_id(),
        object_id=Cast(OuterRef("pk"), output_field=CharField())))


def my_drafts(user, *, limit=LIMIT) -> Queue:
    """我的草稿: content pages I created or last edited, with changes not yet published,
    not in a review workflow (in review, or returned: 退回给我 lists those) and not
    approved for a scheduled go-live (定时发布 lists those). Newest edit first."""
    queryset = (_content_pages().filter(_mine(user), has_unpublished_changes=True)
                .exclude(_active_workflow_exists(WorkflowState.STATUS_IN_PROGRESS, WorkflowState.STATUS_NEEDS_CHANGES))
                .exclude(latest_revision__approved_go_live_at__isnull=False)
                .annotate(column=_column_title(OuterRef("path")))
                .only("pk", "draft_title", "path", "latest_revision_created_at")
                .order_by("-latest_revision_created_at", "-pk"))
    return _queue(queryset, limit, lambda page: Item(
        page_id=page.pk, title=page.draft_title, column=page.column or "", when=page.latest_revision_created_at))


def _moderated_task_ids(user):
    """Active tasks the user may act on: group-approval tasks of one of their groups
    (in this site's schema), or every active task for a superuser. As a subquery."""
    tasks = Task.objects.filter(active=True)
    if user.is_superuser:
        return tasks.values("pk")
    groups = Group.objects.filter(user=user).values("pk")
    in_groups = Q()
    for model in GROUP_TASK_MODELS:
        in_groups |= Q(pk__in=model.objects.filter(groups__in=groups).values("pk"))
    return tasks.filter(in_groups).values("pk")


def _unresolved_counts(revision_ref):
    """(blocking, unacknowledged warnings) of a revision's stored check record."""
    record = ContentCheckRecord.objects.filter(revision_id=revision_ref)
    warnings = record.filter(acknowledged_at__isnull=True).values("warning_count")[:1]
    return (Coalesce(Subquery(record.values("blocking_count")[:1]), 0, output_field=IntegerField()),
            Coalesce(Subquery(warnings), 0, output_field=IntegerField()))


def awaiting_my_review(user, *, limit=LIMIT) -> Queue:
    """等待我审核: in-progress steps of pages' review workflows that the user may act on,
    never their own: not submitted by them and not on a page whose latest revision
    is theirs (tenants.review's no-self-approval rule). Longest waiting first; the
    age is since the step started (the submission, or the resubmission)."""
    page = _page_of(OuterRef("workflow_state__object_id"))
    blocking, warnings = _unresolved_counts(OuterRef("page_latest_revision"))
    queryset = (TaskState.objects
                .filter(status=TaskState.STATUS_IN_PROGRESS, task_id__in=_moderated_task_ids(user),
                        workflow_state__status=WorkflowState.STATUS_IN_PROGRESS,
                        workflow_state__base_content_type_id__in=_page_type_id(),
                        workflow_state__content_type_id__in=content_type_ids())
                .exclude(workflow_state__requested_by=user)
                .annotate(latest_author=Coalesce(Subquery(page.values("latest_revision__user_id")[:1]), Value(0),
                                                 output_field=IntegerField()),
                          page_latest_revision=Subquery(page.values("latest_revision_id")[:1], output_field=IntegerField()),
                          title=Subquery(page.values("draft_title")[:1]),
                          page_path=Subquery(page.values("path")[:1]),
                          secrecy=Coalesce(F("task__reviewtask__requires_secrecy_review"), Value(False),
                                           output_field=BooleanField()),
                          )
                .exclude(latest_author=user.pk)
                .annotate(column=_column_title(OuterRef("page_path")), blocking=blocking, warnings=warnings)
                .select_related("task", "workflow_state__requested_by")
                .order_by("started_at", "pk"))
    return _queue(queryset, limit, lambda state: Item(
        page_id=int(state.workflow_state.object_id), title=state.title or "", column=state.column or "",
        when=state.started_at, who=_name(state.workflow_state.requested_by), task_state_id=state.pk,
        task_name=state.task.name, secrecy_review=state.secrecy, blocking=state.blocking, warnings=state.warnings))


def _my_workflows(user, status):
    page = _page_of(OuterRef("object_id"))
    return (WorkflowState.objects
            .filter(status=status, base_content_type_id__in=_page_type_id(), content_type_id__in=content_type_ids())
            .filter(Q(requested_by=user) | Exists(page.filter(owner=user)))
            .annotate(title=Subquery(page.values("draft_title")[:1]), page_path=Subquery(page.values("path")[:1]))
            .annotate(column=_column_title(OuterRef("page_path")))
            .select_related("current_task_state__task", "current_task_state__finished_by"))


def returned_to_me(user, *, limit=LIMIT) -> Queue:
    """退回给我: review workflows of pages I submitted (or own) that a reviewer sent back
    (退回修改, Wagtail's status "needs changes"), with the reviewer and their comment:
    the rejected step's TaskState.comment. Most recently returned first."""
    queryset = (_my_workflows(user, WorkflowState.STATUS_NEEDS_CHANGES)
                .order_by(F("current_task_state__finished_at").desc(nulls_last=True), "-pk"))

    def build(state):
        task_state = state.current_task_state
        return Item(page_id=int(state.object_id), title=state.title or "", column=state.column or "",
                    when=task_state.finished_at if task_state else None,
                    who=_name(task_state.finished_by) if task_state else "",
                    comment=task_state.comment if task_state else "",
                    task_name=task_state.task.name if task_state else "")

    return _queue(queryset, limit, build)


def in_review(user, *, limit=LIMIT) -> Queue:
    """审核中: my submissions (or pages I own) still in review, with the step they are
    at and since when. Longest waiting first."""
    queryset = _my_workflows(user, WorkflowState.STATUS_IN_PROGRESS).order_by(
        F("current_task_state__started_at").asc(nulls_last=True), "pk")

    def build(state):
        task_state = state.current_task_state
        return Item(page_id=int(state.object_id), title=state.title or "", column=state.column or "",
                    when=task_state.started_at if task_state else state.created_at,
                    task_name=task_state.task.name if task_state else "")

    return _queue(queryset, limit, build)


def check_findings(user, *, limit=LIMIT, findings_shown=3) -> Queue:
    """待处理的检查问题: content pages I created or last edited whose latest revision's
    stored check record (tenants.review ContentCheckRecord) has blocking findings, or
    warnings nobody has acknowledged yet. Only stored records: the dashboard runs no
    checks (every save stores one). Newest edit first."""
    unresolved = (Q(latest_revision__check_record__blocking_count__gt=0)
                  | Q(latest_revision__check_record__warning_count__gt=0,
                      latest_revision__check_record__acknowledged_at__isnull=True))
    queryset = (_content_pages().filter(_mine(user)).filter(unresolved)
                .annotate(column=_column_title(OuterRef("path")))
                .select_related("latest_revision__check_record")
                .order_by("-latest_revision_created_at", "-pk"))

    def build(page):
        record = page.latest_revision.check_record
        warnings = record.warning_count if record.acknowledged_at is None else 0
        shown = [finding for finding in record.report.get("findings", [])
                 if finding.get("severity") == "block" or warnings][:findings_shown]
        return Item(page_id=page.pk, title=page.draft_title, column=page.column or "",
                    when=page.latest_revision_created_at, blocking=record.blocking_count, warnings=warnings,
                    findings=shown)

    return _queue(queryset, limit, build)


SCHEDULED, EXPIRING = "go_live", "expire"


def scheduled(*, limit=LIMIT, now=None) -> Queue:
    """定时发布: the site's content revisions approved to go live later (Wagtail's
    approved_go_live_at in the future), and live content pages that go offline
    (expire_at) within EXPIRY_WINDOW. Soonest first. Site-wide: what the site
    publishes next concerns every editor and reviewer. Two queries."""
    now = now or timezone.now()
    page = _page_of(OuterRef("object_id"))
    revisions = (Revision.objects
                 .filter(approved_go_live_at__gt=now, base_content_type_id__in=_page_type_id(),
                         content_type_id__in=content_type_ids())
                 .annotate(page_path=Subquery(page.values("path")[:1]))
                 .annotate(column=_column_title(OuterRef("page_path")))
                 .select_related("user").order_by("approved_go_live_at", "pk"))
    going = _queue(revisions, limit, lambda revision: Item(
        page_id=int(revision.object_id), title=revision.object_str, column=revision.column or "",
        when=revision.approved_go_live_at, who=_name(revision.user), kind=SCHEDULED))
    expiring_pages = (_content_pages().filter(live=True, expire_at__gt=now, expire_at__lte=now + EXPIRY_WINDOW)
                      .annotate(column=_column_title(OuterRef("path")))
                      .only("pk", "title", "path", "expire_at").order_by("expire_at", "pk"))
    expiring = _queue(expiring_pages, limit, lambda page: Item(
        page_id=page.pk, title=page.title, column=page.column or "", when=page.expire_at, kind=EXPIRING))
    items = sorted(going.items + expiring.items, key=lambda item: item.when)[:limit]
    return Queue(items=items, total=going.total + expiring.total)


def overdue_columns(user, *, limit=LIMIT) -> Queue | None:
    """Extension point for monitoring (not built yet): the columns of this site that
    are overdue for an update by the national inspection's rules (动态/要闻 idle two
    weeks, 通知公告/政策文件 six months…).

    Returns None: there is no panel until monitoring computes idle columns. Monitoring
    replaces this function's body with its query (one query, at most ``limit`` Items,
    each linking to the column's explorer page) and then adds its panel through
    ``construct_homepage_panels`` (see wagtail_hooks.py); the dashboard shows nothing
    made up in the meantime."""
    return None
