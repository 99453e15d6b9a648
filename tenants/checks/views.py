"""The check dictionaries in the console (词库管理). Thin views: parse the form, look
the dictionary up with ``queries.access_*`` (permission included), call one service,
render."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from django.views.decorators.http import require_POST

from jiyue.identity.queries import is_platform_staff

from .forms import DictionaryForm, ImportForm, TermForm, TitlesForm
from .lib.csv_formats import FORMATS, format_description
from .lib.terms import BLOCK_WORD, SEVERITY_HEADER, TITLES_EXAMPLE, WARN_WORD
from .models import DictionaryKind
from .queries import access_dictionary, access_version, dictionaries_for_user, manageable_sites, \
    may_use_dictionary_console
from .services import dictionaries as dictionary_services

TERMS_PER_PAGE = 100


def _render(request, template, context, status=200):
    context.setdefault("is_platform_staff", is_platform_staff(request.user))
    return render(request, f"checks/{template}", context, status=status)


def _error_page(request, error):
    errors = list(error.messages) if isinstance(error, ValidationError) else [str(error)]
    status = 403 if isinstance(error, PermissionDenied) else 400
    return render(request, "console/error.html", {"errors": errors}, status=status)


@login_required
def dictionary_list(request):
    if not may_use_dictionary_console(request.user):
        raise PermissionDenied(_("Only platform staff and site administrators can manage content check dictionaries"))
    return _render(request, "dictionary_list.html", {"dictionaries": dictionaries_for_user(request.user)})


@login_required
def dictionary_create(request):
    if not may_use_dictionary_console(request.user):
        raise PermissionDenied(_("Only platform staff and site administrators can create content check dictionaries"))
    form = DictionaryForm(request.POST or None, sites=manageable_sites(request.user),
                          allow_platform=is_platform_staff(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            dictionary = dictionary_services.create_dictionary(acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Dictionary “%(name)s” created: now import its entries")
                             % {"name": dictionary.name})
            return redirect("checks_dictionary", dictionary_id=dictionary.pk)
    status = 400 if request.method == "POST" else 200
    return _render(request, "dictionary_form.html", {"form": form}, status=status)


@login_required
def dictionary_detail(request, dictionary_id):
    dictionary = access_dictionary(request.user, dictionary_id)
    context = {
        "dictionary": dictionary,
        "versions": dictionary.versions.select_related("created_by").order_by("-number"),
        "term_form": TermForm(kind=dictionary.kind),
    }
    if dictionary.kind == DictionaryKind.LEADER_TITLE and dictionary.active_version:
        context["titles_form"] = TitlesForm(initial={"titles": "、".join(dictionary.active_version.checked_titles)})
    return _render(request, "dictionary_detail.html", context)


@login_required
def dictionary_import(request, dictionary_id):
    dictionary = access_dictionary(request.user, dictionary_id)
    form = ImportForm(request.POST or None, request.FILES or None, kind=dictionary.kind)
    if request.method == "POST" and form.is_valid():
        try:
            version = dictionary_services.import_csv(
                dictionary, form.cleaned_data["file"].read(), acting_user=request.user,
                note=form.cleaned_data["note"], activate=form.cleaned_data["activate"])
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            count = version.term_count
            if form.cleaned_data["activate"]:
                message = ngettext("Imported %(count)s entry as version %(number)s, now active",
                                   "Imported %(count)s entries as version %(number)s, now active", count)
            else:
                message = ngettext("Imported %(count)s entry as version %(number)s (not activated)",
                                   "Imported %(count)s entries as version %(number)s (not activated)", count)
            messages.success(request, message % {"count": count, "number": version.number})
            return redirect("checks_dictionary", dictionary_id=dictionary.pk)
    status = 400 if request.method == "POST" else 200
    return _render(request, "dictionary_import.html", {
        "dictionary": dictionary, "form": form, "header": format_description(dictionary.kind),
        "columns": FORMATS[dictionary.kind], "titles_example": TITLES_EXAMPLE,
        "severity": {"column": SEVERITY_HEADER, "block": BLOCK_WORD, "warn": WARN_WORD},
    }, status=status)


@login_required
def version_detail(request, dictionary_id, number):
    version = access_version(request.user, dictionary_id, number)
    page = Paginator(version.terms.order_by("position"), TERMS_PER_PAGE).get_page(request.GET.get("page"))
    return _render(request, "version_detail.html", {
        "dictionary": version.dictionary, "version": version, "page": page,
        "is_active": version.dictionary.active_version_id == version.pk,
    })


@login_required
def version_export(request, dictionary_id, number):
    version = access_version(request.user, dictionary_id, number)
    response = HttpResponse(dictionary_services.export_csv(version), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        True, _("%(name)s-v%(number)s.csv") % {"name": version.dictionary.name, "number": version.number})
    return response


@login_required
@require_POST
def version_activate(request, dictionary_id, number):
    version = access_version(request.user, dictionary_id, number)
    try:
        dictionary_services.activate_version(version, acting_user=request.user)
    except ValidationError as error:
        return _error_page(request, error)
    messages.success(request, _("Version %(number)s activated") % {"number": version.number})
    return redirect("checks_dictionary", dictionary_id=dictionary_id)


@login_required
@require_POST
def term_add(request, dictionary_id):
    dictionary = access_dictionary(request.user, dictionary_id)
    form = TermForm(request.POST, kind=dictionary.kind)
    if not form.is_valid():
        return _error_page(request, ValidationError([
            pgettext("field error", "%(field)s: %(error)s") % {"field": form.fields[name].label, "error": message}
            for name, errors in form.errors.items() for message in errors]))
    try:
        version = dictionary_services.add_term(dictionary, acting_user=request.user, **form.cleaned_data)
    except ValidationError as error:
        return _error_page(request, error)
    messages.success(request, _("Added “%(text)s”: version %(number)s")
                     % {"text": form.cleaned_data["text"].strip(), "number": version.number})
    return redirect("checks_dictionary", dictionary_id=dictionary_id)


@login_required
@require_POST
def term_remove(request, dictionary_id):
    dictionary = access_dictionary(request.user, dictionary_id)
    text = request.POST.get("text", "")
    try:
        version = dictionary_services.remove_term(dictionary, text, acting_user=request.user)
    except ValidationError as error:
        return _error_page(request, error)
    messages.success(request, _("Removed “%(text)s”: version %(number)s")
                     % {"text": text.strip(), "number": version.number})
    return redirect("checks_dictionary", dictionary_id=dictionary_id)


@login_required
@require_POST
def titles_set(request, dictionary_id):
    dictionary = access_dictionary(request.user, dictionary_id)
    form = TitlesForm(request.POST)
    if not form.is_valid():
        return _error_page(request, ValidationError(_("The titles checked cannot be empty")))
    try:
        version = dictionary_services.set_checked_titles(dictionary, form.cleaned_data["titles"],
                                                         acting_user=request.user)
    except ValidationError as error:
        return _error_page(request, error)
    messages.success(request, _("Titles checked changed: version %(number)s") % {"number": version.number})
    return redirect("checks_dictionary", dictionary_id=dictionary_id)
