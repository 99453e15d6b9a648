"""The registry in the console: list, apply, approve, provision. Thin views: parse,
look up with a permission check, call one service, render."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiyue.identity.queries import is_platform_staff
from tenants.provisioning.services.provision import request_provisioning
from tenants.lifecycle import queries as lifecycle_queries
from tenants.registry.models import Site, SiteStatus
from tenants.registry.services import sites as site_services

from ..forms import SiteApplicationForm


def access_site(user, short_code: str) -> Site:
    """The site by its code, for platform staff only (404 for anything else)."""
    if not is_platform_staff(user):
        raise PermissionDenied(_("Only provincial approvers and ops staff can manage site registrations"))
    try:
        return Site.objects.select_related("org_unit", "parent").get(short_code=short_code)
    except Site.DoesNotExist:
        raise Http404(_("The site does not exist")) from None


def _messages_of(error: ValidationError) -> list[str]:
    return list(error.messages)


@login_required
def site_list(request):
    """The sites the person oversees (all for the provincial office and ops, those under
    a city's or county's office for its approvers), filtered by ?status=."""
    visible = lifecycle_queries.visible_sites(request.user)
    if lifecycle_queries.scoped_unit_ids(request.user) == set() and not visible.exists():
        raise PermissionDenied(_("Only provincial approvers and ops staff can see all sites"))
    counts = lifecycle_queries.status_counts(visible)
    status = request.GET.get("status", "")
    if status and status not in SiteStatus.values:
        status = ""
    sites = visible.filter(status=status) if status else visible
    filters = [(value, label, counts[value]) for value, label in SiteStatus.choices if counts.get(value)]
    return render(request, "console/site_list.html", {
        "sites": sites.prefetch_related("domains").order_by("level", "name"), "status": status,
        "filters": filters, "total": sum(counts.values()), "platform_staff": is_platform_staff(request.user),
    })


@login_required
def site_detail(request, short_code):
    site = access_site(request.user, short_code)
    return render(request, "console/site_detail.html", {
        "site": site, "jobs": site.provisioning_jobs.all()[:10], "domains": site.domains.all(),
    })


@login_required
def apply_for_site(request):
    if not is_platform_staff(request.user):
        raise PermissionDenied(_("Only provincial approvers and ops staff can register site applications"))
    form = SiteApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            site = site_services.apply_for_site(acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            for message in _messages_of(error):
                form.add_error(None, message)
        else:
            messages.success(request, _("Registered the application for %(site)s") % {"site": site.name})
            return redirect("console_site_detail", short_code=site.short_code)
    status = 400 if request.method == "POST" else 200
    return render(request, "console/site_apply.html", {"form": form}, status=status)


@login_required
@require_POST
def approve_site(request, short_code):
    site = access_site(request.user, short_code)
    try:
        site_services.approve_site_application(site, acting_user=request.user)
    except (ValidationError, PermissionDenied) as error:
        return render(request, "console/error.html", {"errors": _errors(error)}, status=_status(error))
    messages.success(request, _("Approved the application for %(site)s") % {"site": site.name})
    return redirect("console_site_detail", short_code=site.short_code)


@login_required
@require_POST
def provision_site(request, short_code):
    site = access_site(request.user, short_code)
    try:
        request_provisioning(site, acting_user=request.user)
    except (ValidationError, PermissionDenied) as error:
        return render(request, "console/error.html", {"errors": _errors(error)}, status=_status(error))
    messages.success(request, _("Submitted the opening job for %(site)s") % {"site": site.name})
    return redirect("console_site_detail", short_code=site.short_code)


def _errors(error) -> list[str]:
    return _messages_of(error) if isinstance(error, ValidationError) else [str(error)]


def _status(error) -> int:
    return 403 if isinstance(error, PermissionDenied) else 400
