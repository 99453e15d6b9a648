"""Writes to the check dictionaries. Every change of content makes a new immutable
version (whole: its own copy of every term), so any earlier state can be activated
again (the rollback); edits start from the active version. Each function is atomic,
takes a keyword-only ``acting_user`` and writes an operation log row. Permissions are
checked by the callers (``queries.access_dictionary``); these functions also serve
migrations, commands and the demo, where there is no user.

CSV formats: ``lib/csv_formats.py`` (and README.md)."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from jiyue.audit.services import log_operation

from ..lib.csv_formats import read_csv, write_csv
from ..lib.terms import TITLE_LABEL, TermProblems, TermRow, check_titles, clean_term, parse_titles, subject_label
from ..models import DEFAULT_LEADER_TITLES, Dictionary, DictionaryKind, DictionaryVersion, Term

BULK_BATCH = 5_000


def export_csv(version: DictionaryVersion) -> bytes:
    """A read, here beside import for the round trip: the version's terms as a CSV
    file (UTF-8 with BOM) that ``import_csv`` takes back unchanged."""
    return write_csv(version.dictionary.kind, version.terms.order_by("position"))


@transaction.atomic
def create_dictionary(*, acting_user, name: str, kind: str, site=None, description: str = "",
                      checked_titles: list[str] | None = None) -> Dictionary:
    """A new dictionary with an empty version 1, active. Leader dictionaries check the
    default title list unless given one."""
    name, description = (name or "").strip(), (description or "").strip()
    if not name:
        raise ValidationError(_("The dictionary name cannot be empty"))
    if len(name) > 60:
        raise ValidationError(_("The dictionary name is too long (at most %(max)d characters)") % {"max": 60})
    try:
        kind = DictionaryKind(kind)
    except ValueError:
        raise ValidationError(_("Invalid dictionary kind “%(kind)s”") % {"kind": kind}) from None
    if Dictionary.objects.filter(site=site, name=name).exists():
        if site is not None:
            raise ValidationError(_("%(site)s already has a dictionary named “%(name)s”")
                                  % {"site": site.name, "name": name})
        raise ValidationError(_("There is already a province-wide dictionary named “%(name)s”") % {"name": name})
    titles = _clean_checked_titles(kind, checked_titles if checked_titles is not None else DEFAULT_LEADER_TITLES)
    try:
        with transaction.atomic():
            dictionary = Dictionary.objects.create(name=name, kind=kind, site=site, description=description[:200],
                                                   created_by=_user(acting_user))
    except IntegrityError:  # a concurrent create took the name
        raise ValidationError(_("A dictionary named “%(name)s” already exists") % {"name": name}) from None
    version = _new_version(dictionary, acting_user=acting_user, note=pgettext("version note", "New dictionary"),
                           checked_titles=titles, rows=[])
    dictionary.active_version = version
    dictionary.save(update_fields=["active_version"])
    log_operation("checks_create_dictionary", acting_user=acting_user, site=site, dictionary=dictionary.pk,
                  name=name, kind=kind)
    return dictionary


@transaction.atomic
def import_csv(dictionary: Dictionary, data: bytes | str, *, acting_user, note: str = "", activate: bool = True,
               checked_titles: list[str] | None = None) -> DictionaryVersion:
    """The file's rows become a new version, which replaces the whole content (and is
    made active unless ``activate=False``). All or nothing: any broken row raises a
    ValidationError naming every broken row, and nothing is saved. Leader
    dictionaries keep the active version's title list unless given one."""
    rows = read_csv(dictionary.kind, data)
    dictionary = _lock(dictionary)
    titles = _clean_checked_titles(dictionary.kind, checked_titles if checked_titles is not None
                                   else _current_titles(dictionary))
    version = _new_version(dictionary, acting_user=acting_user, note=note or pgettext("version note", "CSV import"),
                           checked_titles=titles, rows=rows)
    if activate:
        _activate(dictionary, version)
    log_operation("checks_import_dictionary", acting_user=acting_user, site=dictionary.site,
                  dictionary=dictionary.pk, name=dictionary.name, version=version.number,
                  term_count=version.term_count, activated=activate)
    return version


@transaction.atomic
def activate_version(version: DictionaryVersion, *, acting_user) -> Dictionary:
    """Make this version the one checks use. Activating an earlier version is the
    rollback; the versions themselves never change."""
    dictionary = _lock(version.dictionary)
    previous = dictionary.active_version
    if previous is not None and previous.pk == version.pk:
        raise ValidationError(_("Version %(number)s is already the active version") % {"number": version.number})
    _activate(dictionary, version)
    log_operation("checks_activate_version", acting_user=acting_user, site=dictionary.site,
                  dictionary=dictionary.pk, name=dictionary.name, version=version.number,
                  previous=previous.number if previous else None)
    return dictionary


@transaction.atomic
def add_term(dictionary: Dictionary, *, acting_user, text: str, replacement: str = "", category: str = "",
             severity: str = "", note: str = "") -> DictionaryVersion:
    """A new active version: the active one plus this term."""
    try:
        row = clean_term(dictionary.kind, text=text, replacement=replacement, category=category,
                         severity=severity, note=note)
    except TermProblems as exc:
        raise ValidationError(exc.problems) from None
    dictionary = _lock(dictionary)
    base = _base(dictionary)
    if base.terms.filter(text=row.text).exists():
        raise ValidationError(_("%(subject)s “%(text)s” is already in the dictionary")
                              % {"subject": subject_label(dictionary.kind), "text": row.text})
    version = _new_version(dictionary, acting_user=acting_user,
                           note=pgettext("version note", "Added “%(text)s”") % {"text": row.text},
                           checked_titles=base.checked_titles, copy_from=base, rows=[row])
    _activate(dictionary, version)
    log_operation("checks_add_term", acting_user=acting_user, site=dictionary.site, dictionary=dictionary.pk,
                  name=dictionary.name, version=version.number, text=row.text)
    return version


@transaction.atomic
def remove_term(dictionary: Dictionary, text: str, *, acting_user) -> DictionaryVersion:
    """A new active version: the active one without this term."""
    text = (text or "").strip()
    dictionary = _lock(dictionary)
    base = _base(dictionary)
    if not base.terms.filter(text=text).exists():
        raise ValidationError(_("“%(text)s” is not in the active version") % {"text": text})
    version = _new_version(dictionary, acting_user=acting_user,
                           note=pgettext("version note", "Removed “%(text)s”") % {"text": text},
                           checked_titles=base.checked_titles, copy_from=base, exclude_text=text)
    _activate(dictionary, version)
    log_operation("checks_remove_term", acting_user=acting_user, site=dictionary.site, dictionary=dictionary.pk,
                  name=dictionary.name, version=version.number, text=text)
    return version


@transaction.atomic
def set_checked_titles(dictionary: Dictionary, titles: list[str] | str, *, acting_user) -> DictionaryVersion:
    """A leader dictionary's list of titles to check, as a new active version."""
    if dictionary.kind != DictionaryKind.LEADER_TITLE:
        raise ValidationError(_("Only leader title dictionaries have titles to check"))
    if isinstance(titles, str):
        titles = parse_titles(titles)
    titles = _clean_checked_titles(dictionary.kind, titles)
    dictionary = _lock(dictionary)
    base = _base(dictionary)
    if list(base.checked_titles) == titles:
        raise ValidationError(_("The titles checked have not changed"))
    version = _new_version(dictionary, acting_user=acting_user,
                           note=pgettext("version note", "Changed the titles checked"), checked_titles=titles,
                           copy_from=base)
    _activate(dictionary, version)
    log_operation("checks_set_checked_titles", acting_user=acting_user, site=dictionary.site,
                  dictionary=dictionary.pk, name=dictionary.name, version=version.number, titles=titles)
    return version


# --------------------------------------------------------------------------- helpers

def _user(acting_user):
    return acting_user if acting_user is not None and getattr(acting_user, "is_authenticated", False) else None


def _lock(dictionary: Dictionary) -> Dictionary:
    """The dictionary's row, locked: versions of one dictionary are numbered one at a time."""
    return (Dictionary.objects.select_for_update(of=("self",)).select_related("site", "active_version")
            .get(pk=dictionary.pk))


def _base(dictionary: Dictionary) -> DictionaryVersion:
    if dictionary.active_version is None:
        raise ValidationError(_("The dictionary has no active version: import one first"))
    return dictionary.active_version


def _current_titles(dictionary: Dictionary) -> list[str]:
    if dictionary.kind != DictionaryKind.LEADER_TITLE:
        return []
    if dictionary.active_version is not None:
        return list(dictionary.active_version.checked_titles)
    return list(DEFAULT_LEADER_TITLES)


def _clean_checked_titles(kind: str, titles) -> list[str]:
    if kind != DictionaryKind.LEADER_TITLE:
        return []
    cleaned = parse_titles("、".join(titles or []))
    if not cleaned:
        raise ValidationError(_("The titles checked cannot be empty"))
    problems = check_titles(cleaned, TITLE_LABEL)
    if problems:
        raise ValidationError(problems)
    return cleaned


def _activate(dictionary: Dictionary, version: DictionaryVersion) -> None:
    if version.dictionary_id != dictionary.pk:
        raise ValidationError(_("This version does not belong to this dictionary"))
    dictionary.active_version = version
    dictionary.save(update_fields=["active_version"])


def _new_version(dictionary: Dictionary, *, acting_user, note: str, checked_titles: list[str],
                 rows: list[TermRow] = (), copy_from: DictionaryVersion | None = None,
                 exclude_text: str | None = None) -> DictionaryVersion:
    """Version N+1: the terms of ``copy_from`` (less ``exclude_text``), copied in SQL,
    then ``rows`` after them. The caller holds the dictionary's lock."""
    number = (dictionary.versions.aggregate(top=Max("number"))["top"] or 0) + 1
    count = len(rows)
    first_position = 1
    if copy_from is not None:
        count += copy_from.term_count - (1 if exclude_text is not None else 0)
        first_position = (copy_from.terms.aggregate(top=Max("position"))["top"] or 0) + 1
    version = DictionaryVersion.objects.create(
        dictionary=dictionary, number=number, note=(note or "")[:200], term_count=count,
        checked_titles=list(checked_titles), created_by=_user(acting_user),
    )
    if copy_from is not None:
        _copy_terms(copy_from, version, exclude_text)
    Term.objects.bulk_create(
        (Term(version_id=version.pk, position=first_position + index, text=row.text,
              replacement=row.replacement, category=row.category, severity=row.severity, note=row.note)
         for index, row in enumerate(rows)),
        batch_size=BULK_BATCH,
    )
    return version


def _copy_terms(source: DictionaryVersion, target: DictionaryVersion, exclude_text: str | None) -> None:
    table = connection.ops.quote_name(Term._meta.db_table)
    columns = "position, text, replacement, category, severity, note"
    sql = (f"INSERT INTO {table} (version_id, {columns}) "
           f"SELECT %s, {columns} FROM {table} WHERE version_id = %s")
    params = [target.pk, source.pk]
    if exclude_text is not None:
        sql += " AND text <> %s"
        params.append(exclude_text)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
