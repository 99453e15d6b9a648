"""The lifecycle's daily and hourly work, run by Celery beat (tasks.py): offline periods
start and end on their dates, what runs late is escalated to the provincial office
(temporarily closed sites still down past their date, approved closures never
finished), reviewers hear of steps about to fall due, old domains stop redirecting,
and files of rolled-back uploads are removed. Each part is idempotent."""
import datetime
import logging

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiyue.audit.services import log_operation
from tenants.registry.models import Domain

from ..lib.working_days import add_working_days
from ..models import Attachment, LifecycleRequest, OfflinePeriod, RequestKind, RequestState, ReviewStep, StepState
from .notifications import notify, province_approvers, reviewers_of
from .offline import return_from_offline, start_offline_period

logger = logging.getLogger(__name__)
ATTACHMENT_ROOT = "lifecycle"


def start_due_offline_periods(today: datetime.date) -> int:
    due = OfflinePeriod.objects.filter(started_at__isnull=True, starts_on__lte=today, returned_at__isnull=True,
                                       request__state=RequestState.APPROVED)
    count = 0
    for period in due:
        start_offline_period(period)
        count += 1
    return count


def return_due_sites(today: datetime.date) -> int:
    if not settings.JIYUE_TEMPORARY_OFFLINE_AUTO_RETURN:
        return 0
    count = 0
    for period in OfflinePeriod.objects.filter(started_at__isnull=False, returned_at__isnull=True,
                                               planned_return_on__lte=today):
        try:
            return_from_offline(period)
            count += 1
        except Exception:  # one site's failure must not keep the others down
            logger.exception("bringing site %s back online failed", period.site_id)
    return count


@transaction.atomic
def escalate_overdue_offline(today: datetime.date) -> int:
    overdue = OfflinePeriod.objects.select_for_update(of=("self",)).select_related("site", "request").filter(
        started_at__isnull=False, returned_at__isnull=True, planned_return_on__lt=today, escalated_at__isnull=True)
    count = 0
    for period in overdue:
        period.escalated_at = timezone.now()
        period.save(update_fields=["escalated_at"])
        message = _("%(site)s is still temporarily offline, past its planned return date %(date)s")
        notify(province_approvers(), message % {"site": period.site.name, "date": period.planned_return_on},
               request=period.request)
        log_operation("escalate_overdue_offline", site=period.site, lifecycle_request=period.request,
                      role=_("system"), decision="escalate", after={"planned_return_on": str(period.planned_return_on)})
        count += 1
    return count


@transaction.atomic
def escalate_overdue_closures(today: datetime.date) -> int:
    overdue = LifecycleRequest.objects.select_for_update(of=("self",)).select_related("site").filter(
        kind=RequestKind.PERMANENT_OFFLINE, state=RequestState.APPROVED, complete_by__lt=today,
        escalated_at__isnull=True)
    count = 0
    for request in overdue:
        request.escalated_at = timezone.now()
        request.save(update_fields=["escalated_at", "updated_at"])
        left = ", ".join(task.get_item_display() for task in request.closure_tasks.filter(done_at__isnull=True))
        message = _("The approved closure of %(site)s is not complete by %(date)s; still to do: %(left)s")
        notify(province_approvers(), message % {"site": request.site.name, "date": request.complete_by, "left": left},
               request=request)
        log_operation("escalate_overdue_closure", site=request.site, lifecycle_request=request, role=_("system"),
                      decision="escalate", after={"complete_by": str(request.complete_by)})
        count += 1
    return count


@transaction.atomic
def remind_due_steps(today: datetime.date) -> int:
    horizon = add_working_days(today, settings.JIYUE_LIFECYCLE_REMIND_DAYS_BEFORE)
    steps = ReviewStep.objects.select_for_update(of=("self",)).select_related("request__site", "office").filter(
        state=StepState.PENDING, reminded_at__isnull=True, due_date__lte=horizon)
    count = 0
    for step in steps:
        step.reminded_at = timezone.now()
        step.save(update_fields=["reminded_at"])
        late = step.due_date < today
        message = (_("Overdue since %(due)s: %(kind)s of %(site)s awaits your review") if late
                   else _("Due on %(due)s: %(kind)s of %(site)s awaits your review"))
        notify(reviewers_of(step.office), message % {"due": step.due_date, "kind": step.request.get_kind_display(),
                                                      "site": step.request.site.name}, request=step.request)
        count += 1
    return count


@transaction.atomic
def expire_domain_redirects(today: datetime.date) -> int:
    expired = list(Domain.objects.select_related("tenant").filter(redirect_until__lt=today, is_primary=False))
    for domain in expired:
        domain.delete()  # a delete signal refreshes the host map
        log_operation("expire_domain_redirect", site=domain.tenant, role=_("system"), before={"host": domain.domain})
    return len(expired)


def remove_orphaned_files(*, older_than: datetime.timedelta = datetime.timedelta(hours=6),
                          request_ids=None) -> int:
    """Files under lifecycle/ that no attachment row names: left by a transaction that
    rolled back after the file was written. `request_ids` limits the sweep to those
    requests' folders."""
    try:
        request_dirs, _files = default_storage.listdir(ATTACHMENT_ROOT)
    except FileNotFoundError:
        return 0
    known = set(Attachment.objects.values_list("file", flat=True))
    cutoff = timezone.now() - older_than
    removed = 0
    if request_ids is not None:
        request_dirs = [folder for folder in request_dirs if folder in {str(pk) for pk in request_ids}]
    for folder in request_dirs:
        _dirs, files = default_storage.listdir(f"{ATTACHMENT_ROOT}/{folder}")
        for name in files:
            path = f"{ATTACHMENT_ROOT}/{folder}/{name}"
            if path in known:
                continue
            if default_storage.get_modified_time(path) > cutoff:
                continue  # maybe a transaction still in flight
            default_storage.delete(path)
            removed += 1
    return removed


def run_lifecycle_schedule(today: datetime.date | None = None) -> dict:
    today = today or timezone.localdate()
    return {
        "started_offline": start_due_offline_periods(today),
        "returned": return_due_sites(today),
        "escalated_offline": escalate_overdue_offline(today),
        "escalated_closures": escalate_overdue_closures(today),
        "reminded_steps": remind_due_steps(today),
        "expired_redirects": expire_domain_redirects(today),
    }
