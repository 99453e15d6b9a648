"""Importing a taxonomy's terms (``jiyue taxonomy import``, the console's upload), and
the rules of the tree that every change of terms goes through (``services.terms``
calls the same planner with one row).

Rows update existing terms by code (rename, move, reorder, (de)activate) and add new
ones; nothing is ever deleted. Terms absent from the rows are left as they are, or
deactivated with ``deactivate_missing``. Everything is checked against the state the
taxonomy would have afterwards, before anything is written: every bad row is reported
with its line, and one bad row means nothing is written (one transaction, the
taxonomy's row locked so that two imports or moves cannot interleave)."""
from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from jiyue.audit.services import log_operation

from ..lib.csv_format import read_csv
from ..models import Taxonomy, Term
from ..models.terms import CODE_MAX_LENGTH, NAME_MAX_LENGTH
from ..queries import check_may_manage_taxonomies, display_key

CODE_PATTERN = re.compile(r"[A-Za-z0-9._-]+")
MAX_SORT_ORDER = 2_147_483_647  # PositiveIntegerField on PostgreSQL
MAX_REPORTED_ROWS = 100
TRUE_WORDS = frozenset({"1", "true", "yes", "y", "t"})
FALSE_WORDS = frozenset({"0", "false", "no", "n", "f"})

ADDED, UPDATED, UNCHANGED, DEACTIVATED = "added", "updated", "unchanged", "deactivated"
FIELDS = ("name", "parent_code", "sort_order", "is_active")
STALE_PREVIEW = "stale_preview"  # the code of the refusal when a confirmation no longer matches


@dataclass
class Change:
    """What happens to one term. ``before``/``after`` hold the fields that change
    (``parent_code`` for the parent; None is a root)."""

    kind: str
    code: str
    name: str
    line: int | None
    before: dict = field(default_factory=dict)
    after: dict = field(default_factory=dict)

    @property
    def moved(self) -> bool:
        return "parent_code" in self.after

    @property
    def renamed(self) -> bool:
        return "name" in self.after

    def details(self) -> list[str]:
        """What changes, in words (for an updated term)."""
        words = []
        if "name" in self.after:
            words.append(_("renamed from “%(before)s”") % {"before": self.before["name"]})
        if "parent_code" in self.after:
            words.append(_("moved from %(before)s to %(after)s") % {
                "before": _parent_label(self.before["parent_code"]), "after": _parent_label(self.after["parent_code"])})
        if "sort_order" in self.after:
            words.append(_("sort order %(before)s → %(after)s") % {
                "before": self.before["sort_order"], "after": self.after["sort_order"]})
        if self.after.get("is_active") is True:
            words.append(_("reactivated"))
        return words

    @property
    def details_text(self) -> str:
        return pgettext("list separator", ", ").join(self.details())

    def describe(self) -> str:
        values = {"code": self.code, "name": self.name}
        if self.kind == ADDED:
            text = _("Add %(code)s “%(name)s” under %(parent)s") % {
                **values, "parent": _parent_label(self.after["parent_code"])}
        elif self.kind == DEACTIVATED:
            text = _("Deactivate %(code)s “%(name)s”") % values
        elif self.kind == UPDATED:
            text = _("Update %(code)s “%(name)s”: %(details)s") % {
                **values, "details": self.details_text}
        else:
            text = _("Unchanged %(code)s “%(name)s”") % values
        if self.line is not None:
            return _("Line %(line)s: %(problem)s") % {"line": self.line, "problem": text}
        return text


def _parent_label(code: str | None) -> str:
    return _("the top level") if code is None else code


@dataclass
class ImportReport:
    taxonomy_code: str
    taxonomy_name: str
    created_taxonomy: bool
    dry_run: bool
    changes: list[Change]
    left_alone: int  # existing terms the rows do not name, left as they are
    encoding: str = ""

    def _count(self, kind) -> int:
        return sum(1 for change in self.changes if change.kind == kind)

    @property
    def added(self) -> int:
        return self._count(ADDED)

    @property
    def updated(self) -> int:
        return self._count(UPDATED)

    @property
    def unchanged(self) -> int:
        return self._count(UNCHANGED)

    @property
    def deactivated(self) -> int:
        return self._count(DEACTIVATED)

    @property
    def changed(self) -> list[Change]:
        return [change for change in self.changes if change.kind != UNCHANGED]

    def summary(self) -> str:
        line = _("Added %(added)s, updated %(updated)s, unchanged %(unchanged)s, deactivated %(deactivated)s") % {
            "added": self.added, "updated": self.updated, "unchanged": self.unchanged,
            "deactivated": self.deactivated}
        if self.left_alone:
            line += pgettext("list separator", "; ") + ngettext(
                "%(count)s term not in the file left as it is", "%(count)s terms not in the file left as they are",
                self.left_alone) % {"count": self.left_alone}
        if self.dry_run:
            return _("Dry run, nothing written: %(summary)s") % {"summary": line}
        return line

    def digest(self) -> str:
        """Names what the import would change: a confirmation applies exactly what was previewed."""
        payload = [self.taxonomy_code, self.created_taxonomy,
                   [(change.kind, change.code, change.before, change.after) for change in self.changed]]
        return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()

    def counts(self) -> dict:
        return {"added": self.added, "updated": self.updated, "unchanged": self.unchanged,
                "deactivated": self.deactivated, "left_alone": self.left_alone}


@dataclass
class _State:
    """A term as it would be after the import."""

    code: str
    name: str | None
    parent_code: str | None
    sort_order: int | None  # None: a new term placed after its siblings
    is_active: bool
    term: Term | None = None  # the existing term
    index: int | None = None  # its row, when the rows name it
    missing: bool = False  # deactivated for not being in the file
    before: dict = field(default_factory=dict)

    @property
    def in_rows(self) -> bool:
        return self.index is not None

    def label(self) -> str:
        return self.name or self.code


class _Plan:
    def __init__(self, taxonomy: Taxonomy, rows: list[dict], deactivate_missing: bool):
        self.taxonomy, self.rows, self.deactivate_missing = taxonomy, rows, deactivate_missing
        self.problems: dict[int, list[str]] = defaultdict(list)
        self.existing = list(Term.objects.filter(taxonomy=taxonomy).order_by()) if taxonomy.pk else []
        codes = {term.pk: term.code for term in self.existing}
        self.states: dict[str, _State] = {}
        for term in sorted(self.existing, key=display_key):
            state = _State(term.code, term.name, codes.get(term.parent_id), term.sort_order, term.is_active, term)
            state.before = {"name": state.name, "parent_code": state.parent_code, "sort_order": state.sort_order,
                            "is_active": state.is_active}
            self.states[term.code] = state
        self._read_rows()
        if deactivate_missing:
            for state in self.states.values():
                if not state.in_rows and state.is_active:
                    state.is_active, state.missing = False, True
        self._check_parents()
        self._check_cycles()
        self._check_names()
        self._check_active_parents()
        if not any(self.problems.values()):
            self._place_new_terms()

    # -- reading the rows ------------------------------------------------------------

    def _read_rows(self):
        seen: dict[str, int] = {}
        for index, row in enumerate(self.rows):
            problems = self.problems[index]
            code = _text(row.get("code"))
            if not code:
                problems.append(_("the code is empty"))
                continue
            if code in seen:
                problems.append(_("the code “%(code)s” is also on %(where)s")
                                % {"code": code, "where": self._where(seen[code])})
                continue
            seen[code] = index
            state = self.states.get(code)
            if state is None:
                if len(code) > CODE_MAX_LENGTH:
                    problems.append(_("the code “%(code)s” is longer than %(max)s characters")
                                    % {"code": code, "max": CODE_MAX_LENGTH})
                elif not CODE_PATTERN.fullmatch(code):
                    problems.append(_("the code “%(code)s” may hold only letters, digits, “-”, “_” and “.”")
                                    % {"code": code})
                if problems:
                    continue
                state = self.states[code] = _State(code, None, None, None, True)
            state.index = index
            self._read_name(state, row, problems)
            if "parent_code" in row:
                state.parent_code = _text(row["parent_code"]) or None
            if "sort_order" in row:
                self._read_sort_order(state, row["sort_order"], problems)
            if "is_active" in row:
                self._read_active(state, row["is_active"], problems)

    def _read_name(self, state, row, problems):
        if "name" not in row:
            if state.term is None:
                problems.append(_("the name is empty"))
            return
        name = _text(row["name"])
        if not name:
            problems.append(_("the name is empty"))
        elif len(name) > NAME_MAX_LENGTH:
            problems.append(ngettext("the name is %(length)s character long, at most %(max)s are allowed",
                                     "the name is %(length)s characters long, at most %(max)s are allowed",
                                     len(name)) % {"length": len(name), "max": NAME_MAX_LENGTH})
        elif any(character in name for character in "\r\n\t"):
            problems.append(_("the name contains a line break or tab"))
        else:
            state.name = name

    def _read_sort_order(self, state, value, problems):
        if value is None or (isinstance(value, str) and not value.strip()):
            return
        try:
            if isinstance(value, bool):
                raise ValueError
            number = int(value.strip()) if isinstance(value, str) else int(value)
        except (TypeError, ValueError):
            problems.append(_("the sort order “%(value)s” is not a whole number") % {"value": value})
            return
        if not 0 <= number <= MAX_SORT_ORDER:
            problems.append(_("the sort order %(value)s is out of range (0 to %(max)s)")
                            % {"value": number, "max": MAX_SORT_ORDER})
            return
        state.sort_order = number

    def _read_active(self, state, value, problems):
        if isinstance(value, bool):
            state.is_active = value
            return
        word = _text(value).lower()
        if not word:
            return
        if word in TRUE_WORDS:
            state.is_active = True
        elif word in FALSE_WORDS:
            state.is_active = False
        else:
            problems.append(_("is_active “%(value)s” should be 1 or 0") % {"value": value})

    # -- checks of the state afterwards -----------------------------------------------

    def _original_parent(self, state):
        return state.before.get("parent_code") if state.term else None

    def _check_parents(self):
        for state in self.states.values():
            if not state.in_rows or state.parent_code is None:
                continue
            if state.parent_code == state.code:
                self.problems[state.index].append(_("a term cannot be its own parent"))
            elif state.parent_code not in self.states:
                self.problems[state.index].append(
                    _("the parent code “%(code)s” is neither in the file nor in the taxonomy")
                    % {"code": state.parent_code})
            else:
                continue
            state.parent_code = self._original_parent(state)  # so that later checks do not repeat it

    def _check_cycles(self):
        done: set[str] = set()
        for start in list(self.states):
            path: list[str] = []
            on_path: set[str] = set()
            code = start
            while code is not None and code not in done:
                if code in on_path:
                    self._report_cycle(path[path.index(code):])
                    break
                on_path.add(code)
                path.append(code)
                code = self.states[code].parent_code
            done.update(path)

    def _report_cycle(self, cycle: list[str]):
        # cycle[i]'s parent is cycle[i + 1]; shown downwards from the term moved: A → B → … → A.
        downwards = list(reversed(cycle))
        for code in cycle:
            state = self.states[code]
            if state.in_rows and state.parent_code != self._original_parent(state):
                parent = self.states[state.parent_code]
                start = downwards.index(code)
                names = [self.states[member].label() for member in downwards[start:] + downwards[:start]]
                shown = " → ".join([*names, names[0]])
                self.problems[state.index].append(
                    _("“%(name)s” cannot go under “%(parent)s”: that would make a cycle (%(cycle)s)")
                    % {"name": state.label(), "parent": parent.label(), "cycle": shown})
        for code in cycle:
            state = self.states[code]
            if state.in_rows:
                state.parent_code = self._original_parent(state)

    def _check_names(self):
        holders: dict[str, list[_State]] = defaultdict(list)
        for state in self.states.values():
            if state.name:
                holders[state.name].append(state)
        for name, states in holders.items():
            if len(states) < 2:
                continue
            for state in states:
                if not state.in_rows:
                    continue
                other = next(other for other in states if other is not state)
                if other.in_rows:
                    where = self._where(other.index)
                    self.problems[state.index].append(_("the name “%(name)s” is also on %(where)s")
                                                      % {"name": name, "where": where})
                else:
                    self.problems[state.index].append(
                        _("the name “%(name)s” is already the name of the term %(code)s")
                        % {"name": name, "code": other.code})

    def _check_active_parents(self):
        kept_children: dict[str, list[_State]] = defaultdict(list)
        for state in self.states.values():
            if not state.is_active or state.parent_code is None:
                continue
            parent = self.states[state.parent_code]
            if parent.is_active:
                continue
            if not state.in_rows:
                kept_children[parent.code].append(state)
            elif parent.missing:
                self.problems[state.index].append(
                    _("its parent “%(parent)s” is not in the file and would be deactivated (deactivate missing "
                      "terms is on)") % {"parent": parent.label()})
            elif parent.in_rows and parent.before.get("is_active", True):
                self.problems[state.index].append(
                    _("its parent “%(parent)s” is deactivated on %(where)s; an active term needs an active "
                      "parent") % {"parent": parent.label(), "where": self._where(parent.index)})
            else:
                self.problems[state.index].append(
                    _("its parent “%(parent)s” is inactive: activate the parent first")
                    % {"parent": parent.label()})
        for parent_code, children in kept_children.items():
            parent = self.states[parent_code]
            if not parent.in_rows:
                continue  # the tree was already so; not this import's doing
            names = pgettext("list separator", ", ").join(f"“{child.label()}”" for child in children)
            self.problems[parent.index].append(
                ngettext("“%(name)s” cannot be deactivated while its child term %(children)s is active: "
                         "deactivate or move the child first",
                         "“%(name)s” cannot be deactivated while its child terms %(children)s are active: "
                         "deactivate or move the children first", len(children))
                % {"name": parent.label(), "children": names})

    def _place_new_terms(self):
        """A new term without a sort order goes after its siblings, in the order of the rows."""
        last: dict[str | None, int] = defaultdict(lambda: -1)
        for state in self.states.values():
            if state.sort_order is not None:
                last[state.parent_code] = max(last[state.parent_code], state.sort_order)
        for state in sorted((s for s in self.states.values() if s.sort_order is None), key=lambda s: s.index):
            state.sort_order = last[state.parent_code] = min(last[state.parent_code] + 1, MAX_SORT_ORDER)

    # -- the outcome ------------------------------------------------------------------

    def _where(self, index: int) -> str:
        line = self.rows[index].get("line")
        return _("line %(line)s") % {"line": line} if line is not None else _("another row")

    def errors(self) -> list[str]:
        messages, broken = [], 0
        for index in sorted(index for index, problems in self.problems.items() if problems):
            broken += 1
            if broken > MAX_REPORTED_ROWS:
                continue
            problem = pgettext("list separator", "; ").join(self.problems[index])
            line = self.rows[index].get("line")
            if line is None:
                messages.append(problem[:1].upper() + problem[1:])
            else:
                messages.append(_("Line %(line)s: %(problem)s") % {"line": line, "problem": problem})
        if broken > MAX_REPORTED_ROWS:
            messages.append(_("…%(count)s rows have errors; the first %(shown)s are listed above")
                            % {"count": broken, "shown": MAX_REPORTED_ROWS})
        return messages

    def report(self, *, dry_run: bool, encoding: str = "") -> ImportReport:
        changes, left_alone = [], 0
        ordered = sorted(self.states.values(), key=lambda s: (s.index is None, s.index or 0))
        for state in ordered:
            line = self.rows[state.index].get("line") if state.in_rows else None
            if state.term is None:
                after = {name: getattr(state, name) for name in FIELDS}
                changes.append(Change(ADDED, state.code, state.name, line, {}, after))
                continue
            if not state.in_rows and not state.missing:
                left_alone += 1
                continue
            after = {name: getattr(state, name) for name in FIELDS if getattr(state, name) != state.before[name]}
            before = {name: state.before[name] for name in after}
            if after.get("is_active") is False:
                kind = DEACTIVATED
            else:
                kind = UPDATED if after else UNCHANGED
            changes.append(Change(kind, state.code, state.name, line, before, after))
        return ImportReport(self.taxonomy.code, self.taxonomy.name, self.taxonomy.pk is None, dry_run, changes,
                            left_alone, encoding)

    def apply(self):
        created = [Term(taxonomy=self.taxonomy, code=state.code, name=state.name, sort_order=state.sort_order,
                        is_active=state.is_active) for state in self.states.values() if state.term is None]
        Term.objects.bulk_create(created)
        terms = {term.code: term for term in [*self.existing, *created]}
        changed = []
        for state in self.states.values():
            if state.term is not None and not state.in_rows and not state.missing:
                continue
            term = terms[state.code]
            values = {"name": state.name, "sort_order": state.sort_order, "is_active": state.is_active,
                      "parent_id": terms[state.parent_code].pk if state.parent_code else None}
            if any(getattr(term, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(term, name, value)
                changed.append(term)
        Term.objects.bulk_update(changed, ["name", "sort_order", "is_active", "parent"], batch_size=500)


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def plan_terms(taxonomy: Taxonomy, rows, *, deactivate_missing: bool = False) -> _Plan:
    """The checked plan of ``rows`` (no writes); ``errors()`` lists what is wrong."""
    return _Plan(taxonomy, list(rows), deactivate_missing)


def import_terms(taxonomy: Taxonomy, rows, *, acting_user, deactivate_missing: bool = False,
                 dry_run: bool = False, expected_digest: str | None = None, encoding: str = "") -> ImportReport:
    """Applies ``rows`` (mappings of ``code``, ``name``, ``parent_code``, ``sort_order``,
    ``is_active`` and ``line``; a key left out keeps that value) to the taxonomy, which
    is created if it is not saved yet. Raises ValidationError listing every bad row, with
    nothing written; ``dry_run`` only reports. ``expected_digest`` (a preview's
    ``ImportReport.digest()``) refuses if the outcome is no longer the one previewed.
    ``acting_user`` None: the command line on the server."""
    if acting_user is not None:
        check_may_manage_taxonomies(acting_user)
    rows = list(rows)
    if not rows:
        raise ValidationError(_("The file has no terms"))
    if dry_run:
        if taxonomy.pk is None:
            check_taxonomy(taxonomy)
        plan = plan_terms(taxonomy, rows, deactivate_missing=deactivate_missing)
        if plan.errors():
            raise ValidationError(plan.errors())
        return plan.report(dry_run=True, encoding=encoding)
    with transaction.atomic():
        if taxonomy.pk is None:
            check_taxonomy(taxonomy)
            try:
                with transaction.atomic():
                    taxonomy.save()
            except IntegrityError:
                raise ValidationError(_("A taxonomy with the code “%(code)s” already exists")
                                      % {"code": taxonomy.code}) from None
            created = True
        else:
            Taxonomy.objects.select_for_update().get(pk=taxonomy.pk)
            created = False
        plan = plan_terms(taxonomy, rows, deactivate_missing=deactivate_missing)
        if plan.errors():
            raise ValidationError(plan.errors())
        report = plan.report(dry_run=False, encoding=encoding)
        report.created_taxonomy = created
        if expected_digest is not None and report.digest() != expected_digest:
            raise ValidationError(_("The taxonomy has changed since the preview: upload the file again, check "
                                    "the new preview and confirm"), code=STALE_PREVIEW)
        plan.apply()
        log_operation("import_taxonomy_terms", acting_user=acting_user,
                      after={"taxonomy": taxonomy.code, "created": created, **report.counts()},
                      changed=[change.code for change in report.changed][:500])
    return report


def import_csv(taxonomy: Taxonomy, data: bytes | str, *, acting_user, deactivate_missing: bool = False,
               dry_run: bool = False, expected_digest: str | None = None) -> ImportReport:
    """``import_terms`` for the bytes of a CSV file (see ``lib.csv_format``)."""
    rows, decoded = read_csv(data)
    return import_terms(taxonomy, rows, acting_user=acting_user, deactivate_missing=deactivate_missing,
                        dry_run=dry_run, expected_digest=expected_digest, encoding=decoded.encoding)


def new_taxonomy(code: str, name: str) -> Taxonomy:
    """An unsaved taxonomy, checked; ``import_terms`` saves it with its terms."""
    taxonomy = Taxonomy(code=(code or "").strip(), name=(name or "").strip())
    check_taxonomy(taxonomy)
    return taxonomy


def check_taxonomy(taxonomy: Taxonomy):
    problems = []
    if not taxonomy.code:
        problems.append(_("The taxonomy code is empty"))
    elif not re.fullmatch(r"[-a-zA-Z0-9_]+", taxonomy.code) or len(taxonomy.code) > 40:
        problems.append(_("The taxonomy code may hold only letters, digits, “-” and “_”, at most 40"))
    elif Taxonomy.objects.filter(code=taxonomy.code).exclude(pk=taxonomy.pk).exists():
        problems.append(_("A taxonomy with the code “%(code)s” already exists") % {"code": taxonomy.code})
    if not taxonomy.name:
        problems.append(_("The taxonomy name is empty"))
    elif len(taxonomy.name) > 60:
        problems.append(_("The taxonomy name is longer than 60 characters"))
    elif Taxonomy.objects.filter(name=taxonomy.name).exclude(pk=taxonomy.pk).exists():
        problems.append(_("A taxonomy named “%(name)s” already exists") % {"name": taxonomy.name})
    if problems:
        raise ValidationError(problems)
