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

from ..models import DictionaryKind, Severity
from .terms import TermProblems, TermRow, clean_term

MAX_TERMS = 200_000
MAX_REPORTED_ROWS = 50


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    required: bool


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
SEVERITY_LABELS = {Severity.BLOCK.value: "禁止", Severity.WARN.value: "提示"}


def format_description(kind: str) -> str:
    """The header line of a kind, for the console's import page."""
    return ",".join(column.header for column in FORMATS[kind])


def decode(data: bytes | str) -> str:
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError("文件不是UTF-8编码。请在Excel中选择“另存为 → CSV UTF-8（逗号分隔）”后重新导入") from None


def read_csv(kind: str, data: bytes | str) -> list[TermRow]:
    """Every row of the file, validated; raises ValidationError naming each broken row."""
    kind = DictionaryKind(kind).value
    columns = FORMATS[kind]
    # Records are numbered, not physical lines: a quoted cell may span lines, a
    # spreadsheet row does not.
    records = enumerate(csv.reader(io.StringIO(decode(data), newline="")), start=1)
    header = None
    for _number, header_row in records:
        if any(cell.strip() for cell in header_row):
            header = [cell.strip() for cell in header_row]
            break
    if header is None:
        raise ValidationError("文件为空，第1行应为表头：" + format_description(kind))
    positions = _header_positions(kind, header)  # raises on a bad header

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
            problems.append(f"{columns[0].header}“{text}”与第{seen[text]}行重复")
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
        problem = "；".join(problems) if problems else None
        if problem is not None:
            broken += 1
            if broken <= MAX_REPORTED_ROWS:
                errors.append(f"第{number}行：{problem}")
    if broken > MAX_REPORTED_ROWS:
        errors.append(f"……共有{broken}行有误，以上列出前{MAX_REPORTED_ROWS}行")
    if not errors and not rows:
        errors.append("文件中没有词条")
    if not errors and len(rows) > MAX_TERMS:
        errors.append(f"词条过多（{len(rows)}条），一个词库最多{MAX_TERMS}条")
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
            problems.append(f"未知的列“{name}”")
        elif name in found:
            problems.append(f"列“{name}”重复")
        else:
            found[name] = index
    missing = [column.header for column in columns if column.required and column.header not in found]
    if missing:
        problems.append("缺少列" + "、".join(f"“{name}”" for name in missing))
    if problems:
        kind_label = DictionaryKind(kind).label
        raise ValidationError(f"第1行（表头）：{'；'.join(problems)}。{kind_label}词库的表头应为："
                              f"{format_description(kind)}")
    return [(column, found[column.header]) for column in columns if column.header in found]


def _cell_count_problem(cells: list[str], header: list[str], positions) -> str | None:
    width = len(header)
    if len(cells) < width:
        # A short row may leave out trailing optional cells (备注), not required ones.
        missing = [column.header for column, index in positions if index >= len(cells) and column.required]
        if missing:
            return f"缺少{'、'.join(f'“{name}”' for name in missing)}列（应有{width}列，实有{len(cells)}列）"
    if len(cells) > width and any(cell.strip() for cell in cells[width:]):
        return f"多出{len(cells) - width}列（应有{width}列）"
    return None


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
