"""The library's taxonomies in the console (分类体系管理), for the provincial office's
platform staff: the list, one taxonomy's tree, adding, renaming, moving and
deactivating a term, and importing a CSV file (a dry run shows what would change; the
confirmation applies exactly that). Thin views: parse the form, look up with
``queries.access_*`` (permission included), call one service, render."""
import base64

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shared_library.taxonomy.lib.csv_format import COLUMNS, header_description, write_csv
from shared_library.taxonomy.queries import access_taxonomy, access_term, check_may_manage_taxonomies, \
    taxonomies_with_counts, term_tree
from shared_library.taxonomy.services import imports as import_services
from shared_library.taxonomy.services import terms as term_services

from ..forms import TaxonomyForm, TermForm, TermImportForm

PREVIEW_SALT = "jiyue.console.taxonomy-import"
PREVIEW_MAX_AGE = 3600  # seconds between the dry run and its confirmation


def _error_page(request, error, status=None):
    errors = list(error.messages) if isinstance(error, ValidationError) else [str(error)]
    status = status or (403 if isinstance(error, PermissionDenied) else 400)
    return render(request, "console/error.html", {"errors": errors}, status=status)


def _form_errors(form) -> ValidationError:
    return ValidationError([f"{form.fields[name].label}: {message}" if name in form.fields else message
                            for name, errors in form.errors.items() for message in errors])


@login_required
def taxonomy_list(request):
    check_may_manage_taxonomies(request.user)
    form = TaxonomyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            taxonomy = term_services.create_taxonomy(acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Taxonomy “%(name)s” created") % {"name": taxonomy.name})
            return redirect("console_taxonomy", code=taxonomy.code)
    status = 400 if request.method == "POST" else 200
    return render(request, "console/taxonomy_list.html", {
        "taxonomies": taxonomies_with_counts(), "form": form}, status=status)


@login_required
def taxonomy_detail(request, code):
    taxonomy = access_taxonomy(request.user, code)
    tree = term_tree(taxonomy)
    return render(request, "console/taxonomy_detail.html", {
        "taxonomy": taxonomy, "tree": tree, "form": TermForm(tree=tree),
        "active_count": sum(1 for term in tree if term.is_active),
    })


@login_required
@require_POST
def term_add(request, code):
    taxonomy = access_taxonomy(request.user, code)
    tree = term_tree(taxonomy)
    form = TermForm(request.POST, tree=tree)
    if not form.is_valid():
        return _error_page(request, _form_errors(form))
    try:
        term = term_services.add_term(taxonomy, acting_user=request.user, **form.cleaned_data)
    except ValidationError as error:
        return _error_page(request, error)
    messages.success(request, _("Added “%(name)s”") % {"name": term.name})
    return redirect("console_taxonomy", code=taxonomy.code)


@login_required
def term_edit(request, code, term_id):
    term = access_term(request.user, code, term_id)
    tree = term_tree(term.taxonomy)
    node = tree.by_id[term.pk]
    initial = {"name": term.name, "parent": term.parent_id or "", "sort_order": term.sort_order}
    form = TermForm(request.POST or None, tree=tree, term=node, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            term = term_services.update_term(term, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Saved “%(name)s”") % {"name": term.name})
            return redirect("console_taxonomy", code=code)
    status = 400 if request.method == "POST" else 200
    return render(request, "console/taxonomy_term.html", {
        "taxonomy": term.taxonomy, "term": node, "form": form,
        "active_children": [child for child in tree.children(node) if child.is_active],
    }, status=status)


@login_required
@require_POST
def term_deactivate(request, code, term_id):
    term = access_term(request.user, code, term_id)
    try:
        term_services.deactivate_term(term, acting_user=request.user)
    except ValidationError as error:
        return _error_page(request, error)
    messages.success(request, _("Deactivated “%(name)s”: editors can no longer choose it; documents already "
                                "classified under it keep it") % {"name": term.name})
    return redirect("console_taxonomy", code=code)


@login_required
@require_POST
def term_reactivate(request, code, term_id):
    term = access_term(request.user, code, term_id)
    try:
        term_services.reactivate_term(term, acting_user=request.user)
    except ValidationError as error:
        return _error_page(request, error)
    messages.success(request, _("Reactivated “%(name)s”") % {"name": term.name})
    return redirect("console_taxonomy", code=code)


def _import_page(request, taxonomy, form, status=200, **context):
    return render(request, "console/taxonomy_import.html", {
        "taxonomy": taxonomy, "form": form, "header": header_description(), "columns": COLUMNS, **context,
    }, status=status)


@login_required
def term_import(request, code):
    """GET: the upload form. POST: a dry run of the file, with a confirmation form."""
    taxonomy = access_taxonomy(request.user, code)
    form = TermImportForm(request.POST or None, request.FILES or None)
    if request.method != "POST":
        return _import_page(request, taxonomy, form)
    if not form.is_valid():
        return _import_page(request, taxonomy, form, status=400)
    data = form.cleaned_data["file"].read()
    deactivate_missing = form.cleaned_data["deactivate_missing"]
    try:
        report = import_services.import_csv(taxonomy, data, acting_user=request.user, dry_run=True,
                                            deactivate_missing=deactivate_missing)
    except ValidationError as error:
        return _import_page(request, taxonomy, form, status=400, errors=error.messages)
    payload = signing.dumps({"taxonomy": taxonomy.code, "data": base64.b64encode(data).decode(),
                             "deactivate_missing": deactivate_missing}, salt=PREVIEW_SALT, compress=True)
    return _import_page(request, taxonomy, form, report=report, payload=payload, digest=report.digest(),
                        file_name=form.cleaned_data["file"].name)


@login_required
@require_POST
def term_import_apply(request, code):
    taxonomy = access_taxonomy(request.user, code)
    try:
        payload = signing.loads(request.POST.get("payload", ""), salt=PREVIEW_SALT, max_age=PREVIEW_MAX_AGE)
    except signing.SignatureExpired:
        return _error_page(request, ValidationError(_("The preview has expired: upload the file again")))
    except signing.BadSignature:
        return _error_page(request, ValidationError(_("The confirmation is not valid: upload the file again")))
    if payload.get("taxonomy") != taxonomy.code:
        return _error_page(request, ValidationError(_("The confirmation is for another taxonomy")))
    try:
        report = import_services.import_csv(
            taxonomy, base64.b64decode(payload["data"]), acting_user=request.user,
            deactivate_missing=payload["deactivate_missing"], expected_digest=request.POST.get("digest", ""))
    except ValidationError as error:
        return _error_page(request, error, status=409 if _is_stale(error) else 400)
    messages.success(request, _("Imported: %(summary)s") % {"summary": report.summary()})
    return redirect("console_taxonomy", code=taxonomy.code)


def _is_stale(error) -> bool:
    return getattr(error, "code", None) == import_services.STALE_PREVIEW


@login_required
def term_export(request, code):
    taxonomy = access_taxonomy(request.user, code)
    response = HttpResponse(write_csv(term_tree(taxonomy)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, f"{taxonomy.code}.csv")
    return response
