"""Validating one dictionary entry, whatever it came from (a CSV row, the console's
"add a term" form). Problems are returned as Chinese phrases without a row number;
the CSV reader prefixes "第N行：". No database access here."""
from __future__ import annotations

import re
from typing import NamedTuple

from ..models import TERM_MAX_LENGTH, DictionaryKind, Severity

TITLE_MAX_LENGTH = 20
# Leader titles in one cell: "省长、省委副书记", also with commas, semicolons or slashes.
TITLE_SEPARATORS = re.compile(r"[、,，;；/|\s]+")
SEVERITY_WORDS = {
    "禁止": Severity.BLOCK.value, "block": Severity.BLOCK.value,
    "提示": Severity.WARN.value, "warn": Severity.WARN.value,
}
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
SENSITIVE, TYPO, LEADER_TITLE = (DictionaryKind.SENSITIVE.value, DictionaryKind.TYPO.value,
                                 DictionaryKind.LEADER_TITLE.value)
_SUBJECT_LABELS = {SENSITIVE: "词语", TYPO: "错误写法", LEADER_TITLE: "姓名"}


class TermRow(NamedTuple):
    """A validated entry, as stored in ``checks_term`` (a NamedTuple: an import makes
    tens of thousands of them)."""

    text: str
    replacement: str = ""
    category: str = ""
    severity: str = Severity.WARN.value
    note: str = ""


class TermProblems(Exception):
    """One entry's problems (Chinese phrases, no row number)."""

    def __init__(self, problems: list[str]):
        super().__init__("；".join(problems))
        self.problems = problems


def subject_label(kind: str) -> str:
    """What the ``text`` column is called for a kind (词语, 错误写法, 姓名)."""
    return _SUBJECT_LABELS[kind]


def parse_titles(value: str) -> list[str]:
    """"省长、省委副书记" -> ["省长", "省委副书记"], without duplicates, order kept."""
    titles = []
    for title in TITLE_SEPARATORS.split(value or ""):
        title = title.strip()
        if title and title not in titles:
            titles.append(title)
    return titles


def check_titles(titles: list[str], what: str) -> list[str]:
    problems = []
    for title in titles:
        if len(title) > TITLE_MAX_LENGTH:
            problems.append(f"{what}“{title}”过长（最多{TITLE_MAX_LENGTH}个字）")
    return problems


def parse_severity(value: str, *, required: bool) -> tuple[str | None, str | None]:
    """(severity, problem)."""
    value = (value or "").strip()
    if not value:
        if required:
            return None, "级别不能为空，应为“禁止”或“提示”"
        return Severity.WARN.value, None
    severity = SEVERITY_WORDS.get(value.lower())
    if severity is None:
        return None, f"级别“{value}”无效，应为“禁止”或“提示”"
    return severity, None


def clean_term(kind: str, *, text: str, replacement: str = "", category: str = "",
               severity: str = "", note: str = "") -> TermRow:
    """Validate and normalise one entry of a dictionary of ``kind``; raises TermProblems."""
    label = subject_label(kind)
    text, replacement = (text or "").strip(), (replacement or "").strip()
    category, note = (category or "").strip(), (note or "").strip()
    problems = []
    if not text:
        problems.append(f"{label}不能为空")
    elif len(text) > TERM_MAX_LENGTH:
        problems.append(f"{label}过长（最多{TERM_MAX_LENGTH}个字）")
    elif _CONTROL.search(text):
        problems.append(f"{label}不能包含换行符或制表符")
    severity_value, problem = parse_severity(severity, required=kind == SENSITIVE)
    if problem:
        problems.append(problem)
    if len(category) > 30:
        problems.append("分类过长（最多30个字）")
    if len(note) > 200:
        problems.append("备注过长（最多200个字）")

    if kind == TYPO:
        if not replacement:
            problems.append("正确写法不能为空")
        elif len(replacement) > 200:
            problems.append("正确写法过长（最多200个字）")
        elif text and replacement == text:
            problems.append("正确写法与错误写法相同")
        elif text and text in replacement:
            problems.append(f"正确写法“{replacement}”包含错误写法“{text}”，正确的写法也会被报为错误")
    elif kind == LEADER_TITLE:
        titles = parse_titles(replacement)
        if not titles:
            problems.append("正确职务不能为空")
        problems += check_titles(titles, "职务")
        replacement = "、".join(titles)
        if len(replacement) > 200:
            problems.append("正确职务过长（合计最多200个字）")
    elif kind == SENSITIVE:
        replacement = ""
    else:
        raise ValueError(f"unknown dictionary kind {kind!r}")
    if problems:
        raise TermProblems(problems)
    return TermRow(text=text, replacement=replacement, category=category, severity=severity_value, note=note)
