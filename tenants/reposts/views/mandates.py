"""Mandatory reposts in the back office: the issuing portal marks its item mandatory and
follows each site's compliance (table, chart, overdue report); a target site sees its
queue and reposts from it."""
import datetime

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shared_library.reposting.models import Mandate, MandateTarget
from shared_library.reposting.rules import COLUMN_TYPES_FOR
from shared_library.reposting.services import mandates as service
from shared_library.reposting.services.reposts import RepostRefused, may_repost_into
from shared_library.resources.queries import live_resources
from tenants.columns.models import ColumnType
from tenants.registry.models.sites import Site, SiteKind

from ..forms import MandateAcceptForm, MandateForm
from ..lib import overdue_report

PAGE_SIZE = 20


def issued(request):
    """The portal's own items (to mandate) and the mandates it issued, with their counts."""
    site = _site(request)
    mandates = Mandate.objects.filter(issuer_site=site).select_related("resource").prefetch_related(
        "targets__repost")[:50]
    own = Paginator(live_resources().filter(site=site).order_by("-pub_date", "-pk"), PAGE_SIZE) \
        .get_page(request.GET.get("p"))
    rows = [(mandate, service.summary(service.states(mandate))) for mandate in mandates]
    return TemplateResponse(request, "reposts/admin/mandates_issued.html", {
        "page_title": _("Mandatory reposts issued"), "rows": rows, "own": own,
        "may_issue": site.kind == SiteKind.PORTAL and may_repost_into(request.user, site),
    })


def new(request, resource_id):
    site = _site(request)
    resource = get_object_or_404(live_resources(), pk=resource_id, site=site)
    sites = list(service.sites_below(site))
    types = [(value, label) for value, label in ColumnType.choices if value in COLUMN_TYPES_FOR[resource.content_type]]
    initial = {"deadline": timezone.localtime() + datetime.timedelta(hours=service.deadline_hours()),
               "column_type": types[0][0] if types else ""}
    form = MandateForm(request.POST or None, initial=initial, sites=sites, column_types=types)
    if request.method == "POST" and form.is_valid():
        chosen = [target for target in sites if target.pk in set(form.cleaned_data["targets"])]
        try:
            mandate = service.issue_mandate(
                resource, issuer_site=site, target_sites=chosen, column_type=form.cleaned_data["column_type"],
                acting_user=request.user, deadline=form.cleaned_data["deadline"], mode=form.cleaned_data["mode"],
                note=form.cleaned_data["note"])
        except RepostRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("“%(title)s” is mandatory for %(count)s sites.")
                             % {"title": resource.title, "count": len(chosen)})
            return redirect("jiyue_mandate", mandate.pk)
    return TemplateResponse(request, "reposts/admin/mandate_new.html", {
        "page_title": _("Mandate a repost"), "resource": resource, "form": form,
        "groups": _site_groups(sites),
    }, status=400 if request.method == "POST" else 200)


def detail(request, mandate_id):
    mandate = _issued_by(request, mandate_id)
    rows = service.states(mandate)
    counts = service.summary(rows)
    chart = {"labels": [str(label) for label in service.Compliance.LABELS.values()],
             "values": [counts[state] for state in service.Compliance.LABELS],
             "states": list(service.Compliance.LABELS)}
    return TemplateResponse(request, "reposts/admin/mandate_detail.html", {
        "page_title": _("Compliance with a mandatory repost"), "mandate": mandate, "rows": rows,
        "counts": counts, "chart": chart, "labels": service.Compliance.LABELS,
    })


def export(request, mandate_id, file_format):
    mandate = _issued_by(request, mandate_id)
    rows = [row for row in service.states(mandate) if row.overdue]
    if file_format == "csv":
        return overdue_report.as_csv(mandate, rows)
    if file_format == "xlsx":
        return overdue_report.as_xlsx(mandate, rows)
    raise Http404


def queue(request):
    """What this site has to repost, soonest deadline first."""
    site = request.tenant
    targets = list(service.queue_for(site)[:100])
    now = timezone.now()
    items = []
    for target in targets:
        state = service.states_of_target(target, now=now)
        form = MandateAcceptForm(column_type=target.mandate.column_type, initial={"mode": target.mandate.mode},
                                 prefix=f"t{target.pk}")
        items.append({"target": target, "state": state, "form": form})
    preference = getattr(site, "mandate_preference", None)
    return TemplateResponse(request, "reposts/admin/mandate_queue.html", {
        "page_title": _("Mandatory reposts to do"), "items": items,
        "auto_accept": bool(preference and preference.auto_accept),
        "may_repost": may_repost_into(request.user, site),
    })


@require_POST
def accept(request, target_id):
    site = request.tenant
    target = get_object_or_404(MandateTarget.objects.select_related("mandate__resource__site", "site"),
                               pk=target_id, site=site)
    form = MandateAcceptForm(request.POST, column_type=target.mandate.column_type, prefix=f"t{target.pk}")
    if not form.is_valid():
        messages.error(request, _("Choose a column and a repost mode."))
        return redirect("jiyue_mandate_queue")
    try:
        record = service.accept_mandate(target, acting_user=request.user, column_id=form.cleaned_data["column"],
                                        mode=form.cleaned_data["mode"])
    except RepostRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("Reposted; it is published once this site's review approves it.")
                         if not record.accepted_directly else _("Reposted and published."))
    return redirect("jiyue_mandate_queue")


@require_POST
def preference(request):
    try:
        service.set_auto_accept(request.tenant, request.POST.get("auto_accept") == "on", acting_user=request.user)
    except RepostRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("Setting saved."))
    return redirect("jiyue_mandate_queue")


def _site(request):
    # The router's request.tenant carries only the routing fields (not kind, org unit).
    return Site.objects.select_related("org_unit").get(pk=request.tenant.pk)


def _issued_by(request, mandate_id):
    # Another site's mandate is not found here (no hint that it exists).
    return get_object_or_404(Mandate.objects.select_related("resource", "issuer_site"), pk=mandate_id,
                             issuer_site=request.tenant)


def _site_groups(sites):
    """Quick choices of the form: the portals of cities and counties, and all sites."""
    portals = [site.pk for site in sites if site.kind == SiteKind.PORTAL]
    return [{"label": _("All city and county portals"), "ids": portals},
            {"label": _("All sites below"), "ids": [site.pk for site in sites]}]


