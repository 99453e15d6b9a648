"""The CSV formats of the three kinds of dictionary: reading (all or nothing, every
broken row named) and writing (what ``export_csv`` gives round-trips through import).

Files are UTF-8, with or without a byte-order mark; the first row is the header, in
Chinese. Columns are found by their header, in any order; optional columns may be
left out. Blank rows are skipped. Rows are numbered as a spreadsheet shows them: the
header is row 1.

=============  =====================================================================
kind           columns (* = the header is required)
=============  =====================================================================
sensitive      词语*, 分类*, 级别*, 备注            级别: 禁止 | 提示; 分类 may be empty
typo           错误写法*, 正确写法*, 分类, 级别, 备注   级别 empty or absent -> 提示
leader_title   姓名*, 正确职务*, 级别, 备注          正确职务: one or more titles, "、"-separated
=============  =====================================================================
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from ..models import DictionaryKind, Severity
from .terms import BLOCK_WORD, WARN_WORD, TermProblems, TermRow, clean_term, subject_label

MAX_TERMS = 200_000
MAX_REPORTED_ROWS = 50


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    required: bool


# Headers and severity words are the file format, the same in every UI language.
FORMATS: dict[str, list[Column]] = {
    DictionaryKind.SENSITIVE: [
        Column("词语", "text", True), Column("分类", "category", True),
        Column("级别", "severity", True), Column("备注", "note", False),
    ],
    DictionaryKind.TYPO: [
        Column("错误写法", "text", True), Column("正确写法", "replacement", True),
        Column("分类", "category", False), Column("级别", "severity", False), Column("备注", "note", False),
    ],
    DictionaryKind.LEADER_TITLE: [
        Column("姓名", "text", True), Column("正确职务", "replacement", True),
        Column("级别", "severity", False), Column("备注", "note", False),
    ],
}
SEVERITY_LABELS = {Severity.BLOCK.value: BLOCK_WORD, Severity.WARN.value: WARN_WORD}


def format_description(kind: str) -> str:
    """The header line of a kind, for the console's import page."""
    return ",".join(column.header for column in FORMATS[kind])


def decode(data: bytes | str) -> str:
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(_("The file is not UTF-8 encoded. In Excel, choose “Save As → CSV UTF-8 "
                                "(Comma delimited)” and import it again")) from None


def read_csv(kind: str, data: bytes | str) -> list[TermRow]:
    """Every row of the file, validated; raises ValidationError naming each broken row."""
    kind = DictionaryKind(kind).value
    # Records are numbered, not physical lines: a quoted cell may span lines, a
    # spreadsheet row does not.
    records = enumerate(csv.reader(io.StringIO(decode(data), newline="")), start=1)
    header = None
    for _number, header_row in records:
        if any(cell.strip() for cell in header_row):
            header = [cell.strip() for cell in header_row]
            break
    if header is None:
        raise ValidationError(_("The file is empty; row 1 must be the header: %(header)s")
                              % {"header": format_description(kind)})
    positions = _header_positions(kind, header)  # raises on a bad header

    subject, separator = subject_label(kind), _separator()
    errors: list[str] = []
    rows: list[TermRow] = []
    seen: dict[str, int] = {}
    broken = 0
    for number, cells in records:
        if not "".join(cells).strip():
            continue
        values = {column.field: cells[index] for column, index in positions if index < len(cells)}
        problems = []
        text = values.get("text", "").strip()
        if text in seen:
            problems.append(_("%(subject)s “%(text)s” duplicates row %(row)s")
                            % {"subject": subject, "text": text, "row": seen[text]})
        elif text:
            seen[text] = number
        count_problem = _cell_count_problem(cells, header, positions)
        if count_problem:
            problems.append(count_problem)
        else:
            try:
                row = clean_term(kind, **values)
            except TermProblems as exc:
                problems += exc.problems
            else:
                if not problems:
                    rows.append(row)
        problem = separator.join(problems) if problems else None
        if problem is not None:
            broken += 1
            if broken <= MAX_REPORTED_ROWS:
                errors.append(_("Row %(number)s: %(problem)s") % {"number": number, "problem": problem})
    if broken > MAX_REPORTED_ROWS:
        errors.append(_("…%(count)s rows have errors; the first %(shown)s are listed above")
                      % {"count": broken, "shown": MAX_REPORTED_ROWS})
    if not errors and not rows:
        errors.append(_("The file has no entries"))
    if not errors and len(rows) > MAX_TERMS:
        errors.append(_("Too many entries (%(count)s): a dictionary holds at most %(max)s")
                      % {"count": len(rows), "max": MAX_TERMS})
    if errors:
        raise ValidationError(errors)
    return rows


def _header_positions(kind: str, header: list[str]) -> list[tuple[Column, int]]:
    columns = FORMATS[kind]
    known = {column.header: column for column in columns}
    problems = []
    found: dict[str, int] = {}
    for index, name in enumerate(header):
        if not name:
            continue
        if name not in known:
            problems.append(_("Unknown column “%(name)s”") % {"name": name})
        elif name in found:
            problems.append(_("Column “%(name)s” appears more than once") % {"name": name})
        else:
            found[name] = index
    missing = [column.header for column in columns if column.required and column.header not in found]
    if missing:
        problems.append(ngettext("Missing column %(names)s", "Missing columns %(names)s", len(missing))
                        % {"names": _quoted(missing)})
    if problems:
        raise ValidationError(_("Row 1 (header): %(problems)s. The header for “%(kind)s” must be: %(header)s") % {
            "problems": _separator().join(problems), "kind": DictionaryKind(kind).label,
            "header": format_description(kind)})
    return [(column, found[column.header]) for column in columns if column.header in found]


def _cell_count_problem(cells: list[str], header: list[str], positions) -> str | None:
    width = len(header)
    if len(cells) < width:
        # A short row may leave out trailing optional cells (备注), not required ones.
        missing = [column.header for column, index in positions if index >= len(cells) and column.required]
        if missing:
            return ngettext("Missing the %(names)s column (expected %(expected)s columns, found %(found)s)",
                            "Missing the %(names)s columns (expected %(expected)s columns, found %(found)s)",
                            len(missing)) % {"names": _quoted(missing), "expected": width, "found": len(cells)}
    if len(cells) > width and any(cell.strip() for cell in cells[width:]):
        extra = len(cells) - width
        return ngettext("%(count)s extra column (expected %(expected)s)",
                        "%(count)s extra columns (expected %(expected)s)", extra) % {"count": extra, "expected": width}
    return None


def _separator() -> str:
    """Between the problems of one row (；)."""
    return pgettext("list separator", "; ")


def _quoted(names: list[str]) -> str:
    """“级别”、“分类”: column headers for a message."""
    return pgettext("list separator", ", ").join(f"“{name}”" for name in names)


def write_csv(kind: str, rows) -> bytes:
    """A CSV file (UTF-8 with a byte-order mark, so Excel opens it) that ``read_csv``
    reads back to the same rows. ``rows`` are Terms or TermRows."""
    columns = FORMATS[DictionaryKind(kind)]
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([column.header for column in columns])
    for row in rows:
        cells = []
        for column in columns:
            value = getattr(row, column.field)
            cells.append(SEVERITY_LABELS.get(value, value) if column.field == "severity" else value)
        writer.writerow(cells)
    return ("\ufeff" + out.getvalue()).encode("utf-8")
