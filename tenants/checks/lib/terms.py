"""Validating one dictionary entry, whatever it came from (a CSV row, the console's
"add a term" form). Problems are returned as phrases in the active language without
a row number; the CSV reader prefixes "第N行：" (Row N:). No database access here."""
from __future__ import annotations

import re
from typing import NamedTuple

from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy

from ..models import TERM_MAX_LENGTH, DictionaryKind, Severity

TITLE_MAX_LENGTH = 20
# Leader titles in one cell: "省长、省委副书记", also with commas, semicolons or slashes.
TITLE_SEPARATORS = re.compile(r"[、,，;；/|\s]+")
TITLES_EXAMPLE = "省长、省委副书记"  # a cell, for the import page's explanation
# The file format's words for the severities (CSV cells; any UI language), and its
# column header, which messages about a cell name.
BLOCK_WORD, WARN_WORD, SEVERITY_HEADER = "禁止", "提示", "级别"
SEVERITY_WORDS = {
    BLOCK_WORD: Severity.BLOCK.value, "block": Severity.BLOCK.value,
    WARN_WORD: Severity.WARN.value, "warn": Severity.WARN.value,
}
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
SENSITIVE, TYPO, LEADER_TITLE = (DictionaryKind.SENSITIVE.value, DictionaryKind.TYPO.value,
                                 DictionaryKind.LEADER_TITLE.value)
# What the ``text`` column holds, named in messages ("%(subject)s cannot be empty":
# 词语不能为空); the CSV headers themselves are the file format's (lib/csv_formats.py).
_SUBJECT_LABELS = {
    SENSITIVE: pgettext_lazy("dictionary entry", "Word"),
    TYPO: pgettext_lazy("dictionary entry", "Wrong form"),
    LEADER_TITLE: pgettext_lazy("dictionary entry", "Name"),
}
# A leader's title, named in check_titles' messages.
TITLE_LABEL = pgettext_lazy("leader title", "Title")


class TermRow(NamedTuple):
    """A validated entry, as stored in ``checks_term`` (a NamedTuple: an import makes
    tens of thousands of them)."""

    text: str
    replacement: str = ""
    category: str = ""
    severity: str = Severity.WARN.value
    note: str = ""


class TermProblems(Exception):
    """One entry's problems (phrases in the active language, no row number)."""

    def __init__(self, problems: list[str]):
        super().__init__(pgettext("list separator", "; ").join(problems))
        self.problems = problems


def subject_label(kind: str) -> str:
    """What the ``text`` column is called for a kind (词语, 错误写法, 姓名), in the
    active language."""
    return str(_SUBJECT_LABELS[kind])


def parse_titles(value: str) -> list[str]:
    """"省长、省委副书记" -> ["省长", "省委副书记"], without duplicates, order kept."""
    titles = []
    for title in TITLE_SEPARATORS.split(value or ""):
        title = title.strip()
        if title and title not in titles:
            titles.append(title)
    return titles


def check_titles(titles: list[str], what: str) -> list[str]:
    """``what`` names a title in the messages (e.g. ``TITLE_LABEL``)."""
    problems = []
    for title in titles:
        if len(title) > TITLE_MAX_LENGTH:
            problems.append(_("%(what)s “%(title)s” is too long (at most %(max)d characters)")
                            % {"what": what, "title": title, "max": TITLE_MAX_LENGTH})
    return problems


def parse_severity(value: str, *, required: bool) -> tuple[str | None, str | None]:
    """(severity, problem)."""
    value = (value or "").strip()
    if not value:
        if required:
            return None, _("The severity (%(column)s) cannot be empty: it must be “%(block)s” (block) or "
                           "“%(warn)s” (warn)") % _severity_words()
        return Severity.WARN.value, None
    severity = SEVERITY_WORDS.get(value.lower())
    if severity is None:
        return None, _("Invalid severity (%(column)s) “%(value)s”: it must be “%(block)s” (block) or "
                       "“%(warn)s” (warn)") % {**_severity_words(), "value": value}
    return severity, None


def _severity_words() -> dict:
    return {"column": SEVERITY_HEADER, "block": BLOCK_WORD, "warn": WARN_WORD}


def clean_term(kind: str, *, text: str, replacement: str = "", category: str = "",
               severity: str = "", note: str = "") -> TermRow:
    """Validate and normalise one entry of a dictionary of ``kind``; raises TermProblems."""
    label = subject_label(kind)
    text, replacement = (text or "").strip(), (replacement or "").strip()
    category, note = (category or "").strip(), (note or "").strip()
    problems = []
    if not text:
        problems.append(_("%(subject)s cannot be empty") % {"subject": label})
    elif len(text) > TERM_MAX_LENGTH:
        problems.append(_("%(subject)s is too long (at most %(max)d characters)")
                        % {"subject": label, "max": TERM_MAX_LENGTH})
    elif _CONTROL.search(text):
        problems.append(_("%(subject)s cannot contain line breaks or tabs") % {"subject": label})
    severity_value, problem = parse_severity(severity, required=kind == SENSITIVE)
    if problem:
        problems.append(problem)
    if len(category) > 30:
        problems.append(_("The category is too long (at most %(max)d characters)") % {"max": 30})
    if len(note) > 200:
        problems.append(_("The remarks are too long (at most %(max)d characters)") % {"max": 200})

    if kind == TYPO:
        if not replacement:
            problems.append(_("The correct form cannot be empty"))
        elif len(replacement) > 200:
            problems.append(_("The correct form is too long (at most %(max)d characters)") % {"max": 200})
        elif text and replacement == text:
            problems.append(_("The correct form is the same as the wrong form"))
        elif text and text in replacement:
            problems.append(_("The correct form “%(correct)s” contains the wrong form “%(wrong)s”, so the "
                              "correct form would be reported as wrong too") % {"correct": replacement, "wrong": text})
    elif kind == LEADER_TITLE:
        titles = parse_titles(replacement)
        if not titles:
            problems.append(_("The correct titles cannot be empty"))
        problems += check_titles(titles, TITLE_LABEL)
        replacement = "、".join(titles)
        if len(replacement) > 200:
            problems.append(_("The correct titles are too long (at most %(max)d characters in all)") % {"max": 200})
    elif kind == SENSITIVE:
        replacement = ""
    else:
        raise ValueError(f"unknown dictionary kind {kind!r}")
    if problems:
        raise TermProblems(problems)
    return TermRow(text=text, replacement=replacement, category=category, severity=severity_value, note=note)
