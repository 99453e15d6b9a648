"""Console pages of a site's lifecycle: the hierarchy, the site's lifecycle page with its
action forms, its roles, the province's platform roles, and the operation log (page and
CSV). Thin views: parse, look up with a permission check (tenants.lifecycle.queries),
call one service, render or redirect; a service's refusal is shown on the page (400 for
invalid input, 403 for a missing permission) with what was typed kept."""
import csv
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy
from django.views.decorators.http import require_POST

from jiyue.audit.models import OperationLog
from jiyue.identity.models import PlatformRole, PlatformRoleGrant, SiteRole, SiteRoleGrant
from jiyue.identity.queries import has_platform_role, has_province_role, roles_on_site
from jiyue.identity.services import roles as role_services
from tenants.registry.models import Site, SiteStatus

from .. import queries
from ..forms.sites import (ChangeFilingForm, ClosureItemForm, GoLiveForm, LogFilterForm, PermanentOfflineForm,
                           PlatformRoleForm, SecurityCheckForm, SiteRoleForm, TemporaryOfflineForm)
from ..models import OPEN_STATES, CheckResult, ClosureItem, Decision, RequestKind, RequestState
from ..services import changes, offline, opening

LOG_PAGE_SIZE = 50

# What the operation log's action codes mean, for people.
ACTION_LABELS = {
    "apply_for_site": pgettext_lazy("operation log", "Registered a site application"),
    "approve_site_application": pgettext_lazy("operation log", "Approved the site application"),
    "reject_site_application": pgettext_lazy("operation log", "Rejected the site application"),
    "request_provisioning": pgettext_lazy("operation log", "Requested provisioning"),
    "provision_site": pgettext_lazy("operation log", "Provisioned the site"),
    "site_prelaunch": pgettext_lazy("operation log", "Site in pre-launch"),
    "update_site_info": pgettext_lazy("operation log", "Updated the site information"),
    "replace_application_domains": pgettext_lazy("operation log", "Replaced the application's domains"),
    "add_domain": pgettext_lazy("operation log", "Added a domain"),
    "remove_domain": pgettext_lazy("operation log", "Removed a domain"),
    "change_primary_domain": pgettext_lazy("operation log", "Changed the primary domain"),
    "expire_domain_redirect": pgettext_lazy("operation log", "Old domain's redirect expired"),
    "retire_site": pgettext_lazy("operation log", "Retired the site"),
    "create_migration_job": pgettext_lazy("operation log", "Created a site migration job"),
    "add_migration_rule": pgettext_lazy("operation log", "Added a migration mapping rule"),
    "import_migration_mapping": pgettext_lazy("operation log", "Imported an edited URL mapping"),
    "retire_migration_hosts": pgettext_lazy("operation log", "Let the platform answer for a retired site's hosts"),
    "grant_site_role": pgettext_lazy("operation log", "Granted a site role"),
    "revoke_site_role": pgettext_lazy("operation log", "Revoked a site role"),
    "submit_opening": pgettext_lazy("operation log", "Applied for the opening"),
    "submit_temporary_offline": pgettext_lazy("operation log", "Applied for a temporary offline"),
    "submit_permanent_offline": pgettext_lazy("operation log", "Applied for a permanent offline"),
    "submit_change": pgettext_lazy("operation log", "Filed a change"),
    "decide_opening": pgettext_lazy("operation log", "Reviewed the opening"),
    "decide_temporary_offline": pgettext_lazy("operation log", "Reviewed the temporary offline"),
    "decide_permanent_offline": pgettext_lazy("operation log", "Reviewed the permanent offline"),
    "decide_change": pgettext_lazy("operation log", "Reviewed the change filing"),
    "resubmit_opening": pgettext_lazy("operation log", "Resubmitted the opening application"),
    "resubmit_temporary_offline": pgettext_lazy("operation log", "Resubmitted the temporary offline application"),
    "resubmit_permanent_offline": pgettext_lazy("operation log", "Resubmitted the permanent offline application"),
    "resubmit_change": pgettext_lazy("operation log", "Resubmitted the change filing"),
    "withdraw_opening": pgettext_lazy("operation log", "Withdrew the opening application"),
    "withdraw_temporary_offline": pgettext_lazy("operation log", "Withdrew the temporary offline application"),
    "withdraw_permanent_offline": pgettext_lazy("operation log", "Withdrew the permanent offline application"),
    "withdraw_change": pgettext_lazy("operation log", "Withdrew the change filing"),
    "record_security_check": pgettext_lazy("operation log", "Recorded a security check"),
    "go_live": pgettext_lazy("operation log", "Went live"),
    "complete_opening": pgettext_lazy("operation log", "Completed the opening"),
    "start_temporary_offline": pgettext_lazy("operation log", "Went temporarily offline"),
    "return_from_temporary_offline": pgettext_lazy("operation log", "Back online"),
    "complete_temporary_offline": pgettext_lazy("operation log", "Completed the temporary offline"),
    "escalate_overdue_offline": pgettext_lazy("operation log", "Escalated an overdue return"),
    "complete_closure_item": pgettext_lazy("operation log", "Completed a closure step"),
    "complete_permanent_offline": pgettext_lazy("operation log", "Completed the permanent offline"),
    "escalate_overdue_closure": pgettext_lazy("operation log", "Escalated an overdue closure"),
    "apply_change_filing": pgettext_lazy("operation log", "Applied the change filing"),
    "complete_change": pgettext_lazy("operation log", "Completed the change filing"),
}

DECISION_LABELS = {
    **dict(Decision.choices), **dict(CheckResult.choices), **dict(ClosureItem.choices),
    "online": SiteStatus.ONLINE.label, "offline": SiteStatus.TEMPORARILY_OFFLINE.label,
    **dict(SiteRole.choices), **dict(PlatformRole.choices),
}


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


def decision_label(decision: str) -> str:
    return str(DECISION_LABELS.get(decision, decision))


def person(user) -> str:
    if user is None:
        return pgettext("operation log", "System")
    return user.get_full_name() or user.username


def as_json(value) -> str:
    return "" if value in (None, {}, []) else json.dumps(value, ensure_ascii=False, sort_keys=True)


def _describe(entries):
    """Labels of each log entry for the templates (a list: the entries are read once)."""
    entries = list(entries)
    for entry in entries:
        entry.person = person(entry.acting_user)
        entry.action_label = action_label(entry.action)
        entry.decision_label = decision_label(entry.decision)
        entry.before_text = as_json(entry.before)
        # Grants and the like carry what they changed in `detail` (whom, which role).
        entry.after_text = as_json(entry.after) or as_json(entry.detail)
    return entries


def _errors(error) -> list[str]:
    return list(error.messages) if isinstance(error, ValidationError) else [str(error)]


def _status(error) -> int:
    return 403 if isinstance(error, PermissionDenied) else 400


def _status_counts(counts: dict[str, int]) -> list[tuple[str, str, int]]:
    return [(value, label, counts[value]) for value, label in SiteStatus.choices if counts.get(value)]


# -- hierarchy ------------------------------------------------------------------------
@login_required
def hierarchy(request):
    if queries.scoped_unit_ids(request.user) == set():
        raise PermissionDenied(_("You do not oversee any unit"))
    rows = [(unit, depth, site, _status_counts(counts)) for unit, depth, site, counts in queries.hierarchy(request.user)]
    return render(request, "lifecycle/hierarchy.html", {"rows": rows})


# -- the site's lifecycle page ---------------------------------------------------------
def _may_apply_for(user, site) -> bool:
    try:
        offline.check_may_apply_for_site(user, site)
    except PermissionDenied:
        return False
    return True


def _site_page(request, site, *, forms=None, errors=(), status=200):
    user = request.user
    is_ops = has_platform_role(user, PlatformRole.OPS)
    is_province = has_province_role(user, PlatformRole.APPROVER)
    is_admin = SiteRole.SITE_ADMIN in roles_on_site(user, site)
    may_apply = _may_apply_for(user, site)
    requests = list(site.lifecycle_requests.select_related("applicant").order_by("-created_at"))
    open_kinds = {r.kind for r in requests if r.state in OPEN_STATES}
    status_ = site.status
    closure = next((r for r in requests if r.kind == RequestKind.PERMANENT_OFFLINE
                    and r.state == RequestState.APPROVED), None)
    closure_tasks = list(closure.closure_tasks.select_related("done_by", "attachment")) if closure else []
    may_close_items = closure is not None and (is_ops or is_admin)
    forms = forms or {}
    for task in closure_tasks:
        if task.done_at is None and may_close_items:
            task.form = forms.get(("closure", task.item)) or ClosureItemForm(initial={"item": task.item},
                                                                             prefix=task.item)
    offline_now = site.offline_periods.filter(started_at__isnull=False, returned_at__isnull=True).first()

    shown = {}
    if is_ops and status_ == SiteStatus.PRELAUNCH:
        shown["security_check"] = SecurityCheckForm
    if (is_ops or is_province) and status_ == SiteStatus.PRELAUNCH:
        shown["go_live"] = GoLiveForm
    if may_apply and status_ == SiteStatus.ONLINE and RequestKind.TEMPORARY_OFFLINE not in open_kinds:
        shown["temporary_offline"] = TemporaryOfflineForm
    if (may_apply and site.parent_id and RequestKind.PERMANENT_OFFLINE not in open_kinds and closure is None
            and status_ in (SiteStatus.ONLINE, SiteStatus.TEMPORARILY_OFFLINE, SiteStatus.PRELAUNCH)):
        shown["permanent_offline"] = PermanentOfflineForm
    if may_apply and RequestKind.CHANGE not in open_kinds and status_ in (
            SiteStatus.PRELAUNCH, SiteStatus.ONLINE, SiteStatus.TEMPORARILY_OFFLINE):
        shown["change"] = ChangeFilingForm
    action_forms = {}
    for key, form_class in shown.items():
        if key in forms:
            action_forms[key] = forms[key]
        elif key == "change":
            action_forms[key] = ChangeFilingForm(initial=ChangeFilingForm.initial_for(site))
        else:
            action_forms[key] = form_class()

    return render(request, "lifecycle/site_detail.html", {
        "site": site,
        "domains": site.domains.order_by("-is_primary", "domain"),
        "requests": requests,
        "checks": site.security_checks.select_related("checked_by", "report"),
        "periods": site.offline_periods.select_related("request"),
        "closure": closure, "closure_tasks": closure_tasks,
        "offline_now": offline_now if is_ops else None,
        "timeline": _describe(queries.site_timeline(site)),
        "forms": action_forms,
        "errors": errors,
        "may_manage_roles": queries.may_manage_site_roles(user, site),
    }, status=status)


@login_required
def site_detail(request, short_code):
    site = queries.access_lifecycle_site(request.user, short_code)
    return _site_page(request, site)


def _act(request, site, key, form, call, success):
    """Validate the form, call the one service, redirect to the site's page; or show the
    page again with the form as typed and the refusal."""
    if not form.is_valid():
        return _site_page(request, site, forms={key: form}, status=400)
    try:
        call(form.cleaned_data)
    except (ValidationError, PermissionDenied) as error:
        return _site_page(request, site, forms={key: form}, errors=_errors(error), status=_status(error))
    messages.success(request, success)
    return redirect("lifecycle_site", short_code=site.short_code)


@login_required
@require_POST
def record_security_check(request, short_code):
    site = queries.access_lifecycle_site(request.user, short_code)
    return _act(request, site, "security_check", SecurityCheckForm(request.POST, request.FILES),
                lambda data: opening.record_security_check(site, acting_user=request.user, result=data["result"],
                                                           summary=data["summary"], report=data["report"]),
                _("Recorded the security check"))


@login_required
@require_POST
def go_live(request, short_code):
    site = queries.access_lifecycle_site(request.user, short_code)
    return _act(request, site, "go_live", GoLiveForm(request.POST),
                lambda data: opening.go_live(site, acting_user=request.user,
                                             identity_code=data["identity_code"].strip() or None),
                _("%(site)s is online") % {"site": site.name})


@login_required
@require_POST
def apply_for_temporary_offline(request, short_code):
    site = queries.access_lifecycle_site(request.user, short_code)
    return _act(request, site, "temporary_offline", TemporaryOfflineForm(request.POST),
                lambda data: offline.apply_for_temporary_offline(
                    site, acting_user=request.user, reason=data["reason"],
                    planned_return_on=data["planned_return_on"], starts_on=data["starts_on"]),
                _("Submitted the application for a temporary offline"))


@login_required
@require_POST
def return_from_offline(request, short_code, period_id):
    site = queries.access_lifecycle_site(request.user, short_code)
    period = get_object_or_404(site.offline_periods, pk=period_id, started_at__isnull=False,
                               returned_at__isnull=True)
    try:
        offline.return_from_offline(period, acting_user=request.user)
    except PermissionDenied as error:
        return _site_page(request, site, errors=[str(error)], status=403)
    messages.success(request, _("%(site)s is back online") % {"site": site.name})
    return redirect("lifecycle_site", short_code=site.short_code)


@login_required
@require_POST
def apply_for_permanent_offline(request, short_code):
    site = queries.access_lifecycle_site(request.user, short_code)
    return _act(request, site, "permanent_offline", PermanentOfflineForm(request.POST),
                lambda data: offline.apply_for_permanent_offline(site, acting_user=request.user,
                                                                 reason=data["reason"]),
                _("Submitted the application for a permanent offline"))


@login_required
@require_POST
def complete_closure_item(request, short_code, request_id):
    site = queries.access_lifecycle_site(request.user, short_code)
    closure = get_object_or_404(site.lifecycle_requests, pk=request_id, kind=RequestKind.PERMANENT_OFFLINE)
    item = request.POST.get("item", "")
    if item not in ClosureItem.values:
        raise Http404(_("No such closure item"))
    form = ClosureItemForm(request.POST, request.FILES, prefix=item)
    key = ("closure", item)
    if not form.is_valid():
        return _site_page(request, site, forms={key: form}, status=400)
    try:
        offline.complete_closure_item(closure, item, acting_user=request.user, note=form.cleaned_data["note"],
                                      upload=form.cleaned_data["upload"])
    except (ValidationError, PermissionDenied) as error:
        return _site_page(request, site, forms={key: form}, errors=_errors(error), status=_status(error))
    messages.success(request, _("Recorded: %(item)s") % {"item": ClosureItem(item).label})
    return redirect("lifecycle_site", short_code=site.short_code)


@login_required
@require_POST
def file_change(request, short_code):
    site = queries.access_lifecycle_site(request.user, short_code)
    form = ChangeFilingForm(request.POST, initial=ChangeFilingForm.initial_for(site))
    return _act(request, site, "change", form,
                lambda data: changes.file_change(site, acting_user=request.user, reason=data["reason"],
                                                 **form.changes()),
                _("Filed the change; it goes to the supervising office for review"))


# -- roles of a site ---------------------------------------------------------------------
def access_site_roles(user, short_code) -> Site:
    """The site whose roles the person manages: ops, or an administrator of that site."""
    site = get_object_or_404(Site.objects.select_related("org_unit"), short_code=short_code)
    if not queries.may_manage_site_roles(user, site):
        raise PermissionDenied(_("Only ops staff or an administrator of this site can manage its roles"))
    return site


def _roles_page(request, site, *, form=None, errors=(), status=200):
    grants = (SiteRoleGrant.objects.filter(site=site).select_related("user", "granted_by")
              .order_by("role", "user__username"))
    return render(request, "lifecycle/roles.html", {
        "site": site, "grants": grants, "form": form or SiteRoleForm(), "errors": errors,
    }, status=status)


@login_required
def site_roles(request, short_code):
    site = access_site_roles(request.user, short_code)
    if request.method != "POST":
        return _roles_page(request, site)
    form = SiteRoleForm(request.POST)
    if not form.is_valid():
        return _roles_page(request, site, form=form, status=400)
    user, role = form.cleaned_data["user"], form.cleaned_data["role"]
    try:
        role_services.grant_site_role(user, site, role, acting_user=request.user)
    except (ValidationError, PermissionDenied) as error:
        return _roles_page(request, site, form=form, errors=_errors(error), status=_status(error))
    messages.success(request, _("Granted %(role)s of %(site)s to %(user)s")
                     % {"role": SiteRole(role).label, "site": site.name, "user": person(user)})
    return redirect("lifecycle_site_roles", short_code=site.short_code)


@login_required
@require_POST
def revoke_site_role(request, short_code, grant_id):
    site = access_site_roles(request.user, short_code)
    grant = get_object_or_404(SiteRoleGrant.objects.select_related("user"), pk=grant_id, site=site)
    try:
        role_services.revoke_site_role(grant.user, site, grant.role, acting_user=request.user)
    except (ValidationError, PermissionDenied) as error:
        return _roles_page(request, site, errors=_errors(error), status=_status(error))
    messages.success(request, _("Revoked %(role)s of %(site)s from %(user)s")
                     % {"role": grant.get_role_display(), "site": site.name, "user": person(grant.user)})
    return redirect("lifecycle_site_roles", short_code=site.short_code)


# -- platform roles (the provincial office) -----------------------------------------------
def check_may_manage_platform_roles(user) -> None:
    if not (user.is_superuser or has_province_role(user, PlatformRole.APPROVER)):
        raise PermissionDenied(_("Only the provincial office (a province-wide approver) can grant platform roles"))


def _platform_roles_page(request, *, form=None, errors=(), status=200):
    grants = (PlatformRoleGrant.objects.select_related("user", "org_unit", "granted_by")
              .order_by("role", "org_unit__level", "org_unit__name", "user__username"))
    return render(request, "lifecycle/roles.html", {
        "site": None,
        "grants": grants, "form": form or PlatformRoleForm(), "errors": errors,
    }, status=status)


@login_required
def platform_roles(request):
    check_may_manage_platform_roles(request.user)
    if request.method != "POST":
        return _platform_roles_page(request)
    form = PlatformRoleForm(request.POST)
    if not form.is_valid():
        return _platform_roles_page(request, form=form, status=400)
    data = form.cleaned_data
    try:
        role_services.grant_platform_role(data["user"], data["role"], acting_user=request.user,
                                          org_unit=data["org_unit"])
    except (ValidationError, PermissionDenied) as error:
        return _platform_roles_page(request, form=form, errors=_errors(error), status=_status(error))
    messages.success(request, _("Granted %(role)s to %(user)s")
                     % {"role": PlatformRole(data["role"]).label, "user": person(data["user"])})
    return redirect("lifecycle_platform_roles")


@login_required
@require_POST
def revoke_platform_role(request, grant_id):
    check_may_manage_platform_roles(request.user)
    grant = get_object_or_404(PlatformRoleGrant.objects.select_related("user", "org_unit"), pk=grant_id)
    try:
        role_services.revoke_platform_role(grant.user, grant.role, acting_user=request.user, org_unit=grant.org_unit)
    except (ValidationError, PermissionDenied) as error:
        return _platform_roles_page(request, errors=_errors(error), status=_status(error))
    messages.success(request, _("Revoked %(role)s from %(user)s")
                     % {"role": grant.get_role_display(), "user": person(grant.user)})
    return redirect("lifecycle_platform_roles")


# -- operation log ----------------------------------------------------------------------
def _filtered_log(request, site):
    """The site's log, newest first, narrowed by the filter form (ignored where invalid)."""
    entries = OperationLog.objects.filter(site=site).select_related("acting_user").order_by("-created_at", "-id")
    actions = sorted(set(OperationLog.objects.filter(site=site).values_list("action", flat=True)))
    form = LogFilterForm(request.GET or None, actions=[(a, action_label(a)) for a in actions])
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["action"]:
            entries = entries.filter(action=data["action"])
        if data["date_from"]:
            entries = entries.filter(created_at__date__gte=data["date_from"])
        if data["date_to"]:
            entries = entries.filter(created_at__date__lte=data["date_to"])
    return form, entries


@login_required
def site_log(request, short_code):
    site = queries.access_lifecycle_site(request.user, short_code)
    form, entries = _filtered_log(request, site)
    page = Paginator(entries, LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = _describe(page.object_list)
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "lifecycle/audit.html", {"site": site, "form": form, "page": page}, status=status)


class _Echo:
    """A file for csv.writer that hands back what it was given (rows are streamed)."""

    def write(self, value):
        return value


def _csv_lines(entries, header, language):
    writer = csv.writer(_Echo())
    # The BOM lets Excel read the file as UTF-8.
    yield "\ufeff" + writer.writerow(header)
    with translation.override(language):
        for entry in entries.iterator(chunk_size=1000):
            yield writer.writerow([
                timezone.localtime(entry.created_at).strftime("%Y-%m-%d %H:%M:%S"), person(entry.acting_user),
                entry.role, entry.source_ip or "", action_label(entry.action), decision_label(entry.decision),
                entry.comment, as_json(entry.before), as_json(entry.after) or as_json(entry.detail),
            ])


@login_required
def site_log_csv(request, short_code):
    site = queries.access_lifecycle_site(request.user, short_code)
    _form, entries = _filtered_log(request, site)
    header = [pgettext("log export", "Time"), pgettext("log export", "Operator"), pgettext("log export", "Role"),
              pgettext("log export", "Source IP"), pgettext("log export", "Action"),
              pgettext("log export", "Decision"), pgettext("log export", "Comment"),
              pgettext("log export", "Before"), pgettext("log export", "After")]
    response = StreamingHttpResponse(_csv_lines(entries, header, translation.get_language()),
                                     content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{site.short_code}-operation-log.csv"'
    return response

