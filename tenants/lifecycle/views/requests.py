"""Console pages of the applicants and reviewers: the opening application, my
applications, the review queue, a request's page (its application, versions, review
rounds, attachments, lifecycle log and the actions the viewer may take) and the
notifications. Thin views: parse, look up with a permission check
(tenants.lifecycle.queries), call one service, render or redirect; a service's refusal
is shown on the page (400 for invalid input, 403 for a missing permission, 409 for a
step decided meanwhile) with what was typed kept."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy
from django.views.decorators.http import require_POST

from jiyue.audit.models import OperationLog
from jiyue.identity.queries import is_platform_staff
from tenants.registry.models import OrgUnit, OrgUnitKind, SiteKind

from .. import queries
from ..forms.requests import COLUMN_PLAN_LABELS, DecisionForm, OpeningForm, WithdrawForm, resubmit_form
from ..lib.naming import allowed_site_names
from ..models import Attachment, Notification, RequestState, ReviewStep, StepState
from ..services import notifications as notification_services
from ..services import requests as request_services
from ..services.opening import submit_opening
from .sites import action_label, decision_label, person

# What the keys of a request's payload mean, for people.
PAYLOAD_LABELS = {
    "name": gettext_lazy("Site name"),
    "kind": pgettext_lazy("lifecycle form", "Kind of site"),
    "short_code": gettext_lazy("Site code"),
    "hosts": gettext_lazy("Domains"),
    "domain": gettext_lazy("Primary domain"),
    "sponsor": gettext_lazy("Sponsor"),
    "operator": gettext_lazy("Operator"),
    "responsible_person": gettext_lazy("Responsible person"),
    "contact_phone": gettext_lazy("Contact phone"),
    "contact_email": gettext_lazy("Contact e-mail"),
    "column_plan": gettext_lazy("Column plan template"),
    "justification": gettext_lazy("Justification"),
    "reason": pgettext_lazy("lifecycle form", "Reason"),
    "starts_on": gettext_lazy("Start date"),
    "planned_return_on": gettext_lazy("Planned return date"),
    "changes": pgettext_lazy("lifecycle", "Changes filed"),
    "before": pgettext_lazy("lifecycle", "Current values"),
}


def _value_text(key, value) -> str:
    if value in (None, "", [], {}):
        return "—"
    if key == "kind" and value in SiteKind.values:
        return str(SiteKind(value).label)
    if key == "column_plan":
        return str(COLUMN_PLAN_LABELS.get(value, value))
    if isinstance(value, list):
        return "\n".join(str(item) for item in value)
    if isinstance(value, dict):
        return "\n".join(f"{PAYLOAD_LABELS.get(k, k)}: {_value_text(k, v)}" for k, v in value.items())
    return str(value)


def payload_rows(payload: dict) -> list[tuple[str, str]]:
    """(label, text) of each field of an application, in the order of the labels."""
    keys = [key for key in PAYLOAD_LABELS if key in payload] + [key for key in payload if key not in PAYLOAD_LABELS]
    return [(str(PAYLOAD_LABELS.get(key, key)), _value_text(key, payload[key])) for key in keys]


def version_changes(previous: dict, current: dict) -> list[tuple[str, str, str]]:
    """(label, before, after) of each field that differs between two versions."""
    keys = [key for key in PAYLOAD_LABELS if key in previous or key in current]
    keys += [key for key in {**previous, **current} if key not in PAYLOAD_LABELS]
    return [(str(PAYLOAD_LABELS.get(key, key)), _value_text(key, previous.get(key)), _value_text(key, current.get(key)))
            for key in keys if previous.get(key) != current.get(key)]


def _errors(error) -> list[str]:
    return list(error.messages) if isinstance(error, ValidationError) else [str(error)]


def _status(error) -> int:
    if isinstance(error, PermissionDenied):
        return 403
    if isinstance(error, request_services.StepAlreadyDecided):
        return 409
    return 400


# -- apply ------------------------------------------------------------------------------
def _units_for(user):
    if is_platform_staff(user):
        return OrgUnit.objects.order_by("level", "name")
    return OrgUnit.objects.filter(pk=user.org_unit_id) if user.org_unit_id else OrgUnit.objects.none()


@login_required
def apply(request):
    """开办申请 for the person's unit (any unit for the provincial office and ops)."""
    user = request.user
    own_unit = user.org_unit if user.org_unit_id else None
    initial = {}
    if own_unit is not None:
        initial = {"org_unit": own_unit.pk, "name": allowed_site_names(own_unit)[-1], "sponsor": own_unit.name,
                   "kind": SiteKind.PORTAL if own_unit.kind == OrgUnitKind.GOVERNMENT else SiteKind.DEPARTMENT}
    form = OpeningForm(request.POST or None, request.FILES or None, units=_units_for(user), initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = dict(form.cleaned_data)
            org_unit, attachments = data.pop("org_unit"), data.pop("attachments")
            try:
                lifecycle_request = submit_opening(acting_user=user, org_unit=org_unit, attachments=attachments,
                                                   **data)
            except (ValidationError, PermissionDenied) as error:
                for message in _errors(error):
                    form.add_error(None, message)
                status = _status(error)
            else:
                messages.success(request, _("Your application for %(site)s was submitted")
                                 % {"site": lifecycle_request.site.name})
                return redirect("lifecycle_request", request_id=lifecycle_request.pk)
    return render(request, "lifecycle/apply.html", {
        "form": form, "own_unit": own_unit, "may_apply": own_unit is not None or is_platform_staff(user),
        "suggested_names": allowed_site_names(own_unit) if own_unit is not None else [],
    }, status=status)


# -- lists ------------------------------------------------------------------------------
@login_required
def my_requests(request):
    pending = ReviewStep.objects.filter(state=StepState.PENDING).select_related("office")
    mine = list(queries.requests_of(request.user).prefetch_related(
        Prefetch("steps", queryset=pending, to_attr="pending_steps")))
    for item in mine:
        item.step = next((step for step in item.pending_steps if step.round == item.round), None)
    return render(request, "lifecycle/my_requests.html", {"requests": mine})


@login_required
def queue(request):
    return render(request, "lifecycle/queue.html", {"steps": queries.review_queue(request.user)})


# -- a request's page and its actions ---------------------------------------------------
def _versions(lifecycle_request):
    versions = list(lifecycle_request.versions.select_related("created_by"))
    previous = {}
    for version in versions:
        version.creator = person(version.created_by)
        version.changed = version_changes(previous, version.payload) if version.number > 1 else []
        previous = version.payload
    return versions


def _rounds(lifecycle_request):
    rounds: dict[int, list] = {}
    for step in lifecycle_request.steps.select_related("office", "decided_by"):
        step.decider = person(step.decided_by) if step.decided_by_id else ""
        rounds.setdefault(step.round, []).append(step)
    return sorted(rounds.items())


def _log(lifecycle_request):
    entries = list(OperationLog.objects.filter(lifecycle_request=lifecycle_request)
                   .select_related("acting_user").order_by("created_at", "id"))
    for entry in entries:
        entry.person = person(entry.acting_user)
        entry.action_label = action_label(entry.action)
        entry.decision_label = decision_label(entry.decision) if entry.decision else ""
    return entries


def _may_decide(user, lifecycle_request, step) -> bool:
    return (lifecycle_request.state == RequestState.IN_REVIEW and step is not None
            and user.pk != lifecycle_request.applicant_id and request_services.may_review(user, step.office))


def _request_page(request, lifecycle_request, *, forms=None, errors=(), status=200):
    forms = forms or {}
    user = request.user
    step = lifecycle_request.current_step()
    is_applicant = user.pk == lifecycle_request.applicant_id
    decision_form = None
    if _may_decide(user, lifecycle_request, step):
        decision_form = forms.get("decide")
        if decision_form is None or decision_form.data.get("step_id") != str(step.pk):
            # A decision typed on a page that showed an earlier step: keep what was typed,
            # for the step there is now.
            typed = decision_form.data if decision_form is not None else {}
            decision_form = DecisionForm(initial={"step_id": step.pk, "decision": typed.get("decision"),
                                                  "comment": typed.get("comment", "")})
    resubmit = None
    if is_applicant and lifecycle_request.state == RequestState.RETURNED:
        resubmit = forms.get("resubmit") or resubmit_form(lifecycle_request)
    withdraw = None
    if is_applicant and lifecycle_request.is_open:
        withdraw = forms.get("withdraw") or WithdrawForm()
    returned = (lifecycle_request.steps.filter(state=StepState.RETURNED, round=lifecycle_request.round)
                .select_related("office").first() if lifecycle_request.state == RequestState.RETURNED else None)
    return render(request, "lifecycle/request_detail.html", {
        "r": lifecycle_request, "payload": payload_rows(lifecycle_request.payload), "step": step,
        "returned_step": returned, "versions": _versions(lifecycle_request), "rounds": _rounds(lifecycle_request),
        "attachments": lifecycle_request.attachments.select_related("uploaded_by"), "log": _log(lifecycle_request),
        "decision_form": decision_form, "resubmit_form": resubmit, "withdraw_form": withdraw, "errors": errors,
    }, status=status)


@login_required
def request_detail(request, request_id):
    return _request_page(request, queries.access_request(request.user, request_id))


def _act(request, lifecycle_request, key, form, call, success):
    """Run one service with a valid form; on refusal show the page again with the form."""
    if not form.is_valid():
        return _request_page(request, lifecycle_request, forms={key: form}, status=400)
    try:
        call(form)
    except (ValidationError, PermissionDenied) as error:
        lifecycle_request.refresh_from_db()
        return _request_page(request, lifecycle_request, forms={key: form}, errors=_errors(error),
                             status=_status(error))
    messages.success(request, success)
    return redirect("lifecycle_request", request_id=lifecycle_request.pk)


@login_required
@require_POST
def decide(request, request_id):
    lifecycle_request = queries.access_request(request.user, request_id)
    form = DecisionForm(request.POST)
    return _act(request, lifecycle_request, "decide", form, lambda f: request_services.decide_step(
        lifecycle_request, acting_user=request.user, decision=f.cleaned_data["decision"],
        comment=f.cleaned_data["comment"], step_id=f.cleaned_data["step_id"]), _("Your decision was recorded"))


@login_required
@require_POST
def resubmit(request, request_id):
    lifecycle_request = queries.access_request(request.user, request_id)
    if request.user.pk != lifecycle_request.applicant_id:
        raise PermissionDenied(_("Only the applicant can resubmit the request"))
    form = resubmit_form(lifecycle_request, request.POST)
    return _act(request, lifecycle_request, "resubmit", form, lambda f: request_services.resubmit_request(
        lifecycle_request, acting_user=request.user, changes=f.changes()), _("The application was resubmitted"))


@login_required
@require_POST
def withdraw(request, request_id):
    lifecycle_request = queries.access_request(request.user, request_id)
    form = WithdrawForm(request.POST)
    return _act(request, lifecycle_request, "withdraw", form, lambda f: request_services.withdraw_request(
        lifecycle_request, acting_user=request.user, comment=f.cleaned_data["comment"]),
        _("The application was withdrawn"))


@login_required
def attachment(request, request_id, attachment_id):
    """A file of a request, for the people who may see the request (never a public URL)."""
    lifecycle_request = queries.access_request(request.user, request_id)
    try:
        item = lifecycle_request.attachments.get(pk=attachment_id)
    except Attachment.DoesNotExist:
        raise Http404(_("The attachment does not exist")) from None
    try:
        handle = default_storage.open(item.file.name, "rb")
    except (FileNotFoundError, OSError):
        raise Http404(_("The attachment does not exist")) from None
    return FileResponse(handle, as_attachment=True, filename=item.name)


# -- notifications ----------------------------------------------------------------------
NOTIFICATION_PAGE_SIZE = 200


@login_required
def notifications(request):
    notices = (Notification.objects.filter(recipient=request.user).select_related("request__site")
               [:NOTIFICATION_PAGE_SIZE])
    return render(request, "lifecycle/notifications.html", {"notices": notices})


@login_required
@require_POST
def mark_notifications_read(request):
    count = notification_services.mark_read(request.user)
    if count:
        messages.success(request, ngettext("Marked %(count)s notification as read",
                                           "Marked %(count)s notifications as read", count) % {"count": count})
    return redirect("lifecycle_notifications")
