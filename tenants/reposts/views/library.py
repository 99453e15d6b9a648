"""The library browser of a site's back office: the other sites' published items, to
repost into this site's columns, one at a time or in bulk."""
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from shared_library.reposting import queries
from shared_library.reposting.services.reposts import may_repost_into, repost_many
from shared_library.resources.models import Resource
from shared_library.resources.queries import resources_with_schema_issues

from ..forms import LibraryFilterForm, RepostForm

PAGE_SIZE = 20


def browse(request):
    site = request.tenant
    filters = LibraryFilterForm(request.GET or None, sources=queries.source_sites(site))
    values = filters.cleaned_data if filters.is_valid() else {}
    resources = queries.browsable_resources(
        site, source_site_id=values.get("source"), topic_code=values.get("topic", ""),
        content_type=values.get("type", ""), date_from=values.get("date_from"), date_to=values.get("date_to"),
        text=values.get("q", "").strip())
    page = Paginator(resources, PAGE_SIZE).get_page(request.GET.get("p"))
    reposted = queries.reposted_ids(site, (resource.pk for resource in page.object_list))
    query = request.GET.copy()
    query.pop("p", None)
    # This site's own items the library holds with schema issues: out of reposting and
    # search until the editors fix the pages.
    own_issues = list(resources_with_schema_issues(site)[:20])
    return TemplateResponse(request, "reposts/admin/library.html", {
        "own_issues": own_issues,
        "page_title": _("Information resource library"), "filters": filters, "page": page,
        "reposted": reposted, "query": query.urlencode(), "repost_form": RepostForm(),
        "may_repost": may_repost_into(request.user, site),
    })


@require_POST
def repost_selected(request):
    site = request.tenant
    ids = [int(value) for value in request.POST.getlist("resources") if value.isdigit()]
    form = RepostForm(request.POST, resource_ids=ids)
    back = request.POST.get("next") or "jiyue_library"
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _back(back)
    chosen = list(Resource.objects.filter(pk__in=form.cleaned_data["resources"]).select_related("site"))
    result = repost_many(chosen, target_site=site, column_id=form.cleaned_data["column"],
                         mode=form.cleaned_data["mode"], acting_user=request.user)
    if result.reposts:
        in_review = sum(1 for record in result.reposts if not record.accepted_directly)
        messages.success(request, ngettext("%(count)s item reposted.", "%(count)s items reposted.",
                                           len(result.reposts)) % {"count": len(result.reposts)}
                         + (" " + ngettext("%(count)s awaits review.", "%(count)s await review.", in_review)
                            % {"count": in_review} if in_review else ""))
    for resource, message in result.refusals:
        messages.error(request, message)
    return _back(back)


def received(request):
    site = request.tenant
    page = Paginator(queries.received_reposts(site), PAGE_SIZE).get_page(request.GET.get("p"))
    return TemplateResponse(request, "reposts/admin/received.html", {
        "page_title": _("Reposts of this site"), "page": page,
    })


def _back(target):
    # Only our own screens: a path under this back office or the browser's URL name.
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect("jiyue_library")
