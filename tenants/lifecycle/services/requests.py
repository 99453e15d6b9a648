"""The review workflow every lifecycle request shares: submission builds the chain of
review steps from the org hierarchy, each step approves, rejects with a reason or
returns for changes, the applicant resubmits (a new version, a new round), and the
final approval hands over to the request kind's own effects (opening.py,
offline.py, changes.py). The request's transitions are declared on the model."""
import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from jiyue.audit.services import log_operation
from jiyue.identity.models import PlatformRole, PlatformRoleGrant
from jiyue.identity.queries import has_province_role
from tenants.registry.models import Level

from ..lib.chain import review_chain
from ..lib.working_days import add_working_days
from ..models import Decision, LifecycleRequest, RequestKind, RequestVersion, ReviewStep, StepState
from .notifications import notify, reviewers_of


class StepAlreadyDecided(ValidationError):
    """The step a reviewer acted on was decided meanwhile (the API answers 409)."""


def step_due_date(office, start: datetime.date | None = None) -> datetime.date:
    days = settings.JIYUE_LIFECYCLE_STEP_DAYS.get(office.level, 5)
    return add_working_days(start or timezone.localdate(), days)


def may_review(user, office) -> bool:
    """Whether the person reviews for this office (an approver of that government, or
    a province-wide approver for the provincial office)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if office.level == Level.PROVINCE and has_province_role(user, PlatformRole.APPROVER):
        return True
    return PlatformRoleGrant.objects.filter(user=user, role=PlatformRole.APPROVER, org_unit=office).exists()


def office_role(office) -> str:
    return _("approver of %(office)s") % {"office": office.name}


def _handler(kind):
    from . import changes, offline, opening

    return {RequestKind.OPENING: opening, RequestKind.TEMPORARY_OFFLINE: offline.TEMPORARY,
            RequestKind.PERMANENT_OFFLINE: offline.PERMANENT, RequestKind.CHANGE: changes}[kind]


def _start_round(request: LifecycleRequest, *, chain) -> ReviewStep:
    today = timezone.localdate()
    steps = [ReviewStep(request=request, round=request.round, order=index, office=office,
                        state=StepState.PENDING if index == 0 else StepState.WAITING,
                        started_at=timezone.now() if index == 0 else None,
                        due_date=step_due_date(office, today) if index == 0 else None)
             for index, office in enumerate(chain)]
    ReviewStep.objects.bulk_create(steps)
    return steps[0]


def create_request(*, kind: str, site, org_unit, acting_user, payload: dict, chain=None,
                   role: str = "") -> LifecycleRequest:
    """Register a submitted request and start its first review round. Called inside the
    kind's own submit service, after its checks."""
    chain = chain if chain is not None else review_chain(org_unit)
    try:
        with transaction.atomic():
            request = LifecycleRequest.objects.create(kind=kind, site=site, org_unit=org_unit,
                                                      applicant=acting_user, payload=payload)
    except IntegrityError as exc:
        raise ValidationError(_("%(site)s already has an open “%(kind)s” request; finish or withdraw it first")
                              % {"site": site.name, "kind": RequestKind(kind).label}) from exc
    RequestVersion.objects.create(request=request, number=1, payload=payload, created_by=acting_user)
    first = _start_round(request, chain=chain)
    log_operation(f"submit_{kind}", acting_user=acting_user, site=site, lifecycle_request=request,
                  role=role or _("applicant"), decision="submit", after=payload)
    notify(reviewers_of(first.office), _("%(kind)s of %(site)s awaits your review (due %(due)s)")
           % {"kind": request.get_kind_display(), "site": site.name, "due": first.due_date}, request=request)
    notify([acting_user], _("Your %(kind)s of %(site)s was submitted to %(office)s")
           % {"kind": request.get_kind_display(), "site": site.name, "office": first.office.name}, request=request)
    return request


def lock_request(request_id: int) -> LifecycleRequest:
    try:
        return (LifecycleRequest.objects.select_for_update(of=("self",))
                .select_related("site", "org_unit", "applicant").get(pk=request_id))
    except LifecycleRequest.DoesNotExist:
        raise ValidationError(_("The request does not exist")) from None


@transaction.atomic
def decide_step(request: LifecycleRequest, *, acting_user, decision: str, comment: str = "",
                step_id: int | None = None) -> LifecycleRequest:
    """One reviewer's decision on the request's current step. `step_id` names the step
    the reviewer saw: a step decided meanwhile (by a colleague) is refused, not decided twice."""
    decision = Decision(decision)
    request = lock_request(request.pk)
    step = request.current_step()
    if request.state != "in_review" or step is None or (step_id is not None and step.pk != int(step_id)):
        raise StepAlreadyDecided(_("This step has already been decided (the request is now “%(state)s”); reload "
                                   "the page to see the decision") % {"state": request.get_state_display()})
    if not may_review(acting_user, step.office):
        raise PermissionDenied(_("Only approvers of %(office)s can decide this step") % {"office": step.office.name})
    if acting_user.pk == request.applicant_id:
        raise PermissionDenied(_("You cannot review an application you submitted yourself"))
    if request.steps.filter(round=request.round, decided_by=acting_user).exists():
        raise PermissionDenied(_("You have already decided an earlier step of this request; another approver "
                                 "must decide this one"))
    comment = comment.strip()
    if decision != Decision.APPROVE and not comment:
        raise ValidationError(_("Give a reason when rejecting or returning a request"))
    now = timezone.now()
    step.decided_by, step.decided_at, step.comment, step.version_number = acting_user, now, comment, request.version
    step.state = {Decision.APPROVE: StepState.APPROVED, Decision.REJECT: StepState.REJECTED,
                  Decision.RETURN: StepState.RETURNED}[decision]
    step.save()
    before = {"state": request.state, "step": step.order}
    handler = _handler(request.kind)
    next_step = None
    if decision == Decision.APPROVE:
        next_step = request.steps.filter(round=request.round, order=step.order + 1).select_related("office").first()
        if next_step is not None:
            next_step.state, next_step.started_at = StepState.PENDING, now
            next_step.due_date = step_due_date(next_step.office)
            next_step.save(update_fields=["state", "started_at", "due_date"])
        else:
            request.approve()
            request.decided_at = now
    elif decision == Decision.REJECT:
        request.reject()
        request.decided_at = now
    else:
        request.return_for_changes()
    request.save()
    log_operation(f"decide_{request.kind}", acting_user=acting_user, site=request.site, lifecycle_request=request,
                  role=office_role(step.office), decision=decision, comment=comment, before=before,
                  after={"state": request.state, "step": next_step.order if next_step else None})
    _notify_decision(request, step, next_step, decision)
    if request.state == "approved":
        handler.on_approved(request, acting_user=acting_user)
    elif request.state == "rejected":
        handler.on_rejected(request, acting_user=acting_user)
    return request


def _notify_decision(request, step, next_step, decision):
    names = {"kind": request.get_kind_display(), "site": request.site.name, "office": step.office.name,
             "comment": step.comment}
    if next_step is not None:
        notify(reviewers_of(next_step.office), _("%(kind)s of %(site)s awaits your review (due %(due)s)")
               % {**names, "due": next_step.due_date}, request=request)
        notify([request.applicant], _("%(office)s approved your %(kind)s of %(site)s") % names, request=request)
    elif decision == Decision.APPROVE:
        notify([request.applicant], _("Your %(kind)s of %(site)s was approved") % names, request=request)
    elif decision == Decision.REJECT:
        notify([request.applicant], _("%(office)s rejected your %(kind)s of %(site)s: %(comment)s") % names,
               request=request)
    else:
        notify([request.applicant], _("%(office)s returned your %(kind)s of %(site)s for changes: %(comment)s")
               % names, request=request)


@transaction.atomic
def resubmit_request(request: LifecycleRequest, *, acting_user, changes: dict) -> LifecycleRequest:
    """The applicant's edited version after a return: a new version, a new round from
    the first office of the chain (what was approved was the old version)."""
    request = lock_request(request.pk)
    if acting_user.pk != request.applicant_id:
        raise PermissionDenied(_("Only the applicant can resubmit the request"))
    if not can_proceed(request.resubmit):
        raise ValidationError(_("The request is “%(state)s”; only a request returned for changes can be "
                                "resubmitted") % {"state": request.get_state_display()})
    handler = _handler(request.kind)
    before = request.payload
    payload = handler.revise_payload(request, {**request.payload, **changes}, acting_user=acting_user)
    request.resubmit()
    request.payload, request.version, request.round = payload, request.version + 1, request.round + 1
    request.save()
    RequestVersion.objects.create(request=request, number=request.version, payload=payload, created_by=acting_user)
    first = _start_round(request, chain=[step.office for step in
                                         request.steps.filter(round=request.round - 1).select_related("office")])
    log_operation(f"resubmit_{request.kind}", acting_user=acting_user, site=request.site, lifecycle_request=request,
                  role=_("applicant"), decision="resubmit", before=before, after=payload)
    notify(reviewers_of(first.office), _("%(kind)s of %(site)s was resubmitted and awaits your review (due %(due)s)")
           % {"kind": request.get_kind_display(), "site": request.site.name, "due": first.due_date},
           request=request)
    return request


@transaction.atomic
def withdraw_request(request: LifecycleRequest, *, acting_user, comment: str = "") -> LifecycleRequest:
    request = lock_request(request.pk)
    if acting_user.pk != request.applicant_id:
        raise PermissionDenied(_("Only the applicant can withdraw the request"))
    if not can_proceed(request.withdraw):
        raise ValidationError(_("The request is “%(state)s” and can no longer be withdrawn")
                              % {"state": request.get_state_display()})
    before = {"state": request.state}
    request.withdraw()
    request.save()
    request.steps.filter(state__in=[StepState.PENDING, StepState.WAITING]).update(state=StepState.CANCELLED)
    log_operation(f"withdraw_{request.kind}", acting_user=acting_user, site=request.site, lifecycle_request=request,
                  role=_("applicant"), decision="withdraw", comment=comment, before=before,
                  after={"state": request.state})
    _handler(request.kind).on_rejected(request, acting_user=acting_user)
    return request


def complete_request(request: LifecycleRequest, *, acting_user, action: str, role: str = "") -> None:
    """The request's effects are all done (site online, back, retired, change applied)."""
    request.complete()
    request.completed_at = timezone.now()
    request.save(update_fields=["state", "completed_at", "updated_at"])
    log_operation(action, acting_user=acting_user, site=request.site, lifecycle_request=request, role=role,
                  decision="complete", after={"state": request.state})
