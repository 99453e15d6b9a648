"""The CSV file of a taxonomy's terms: reading (decoding, the header, one mapping per
row with its row number) and writing (what ``write_csv`` gives reads back the same).

The first non-blank row is the header; columns are found by their header, in any order:

=============  ==========================================================================
column         cell
=============  ==========================================================================
code*          the term's code (letters, digits, ``-``, ``_``, ``.``); matches existing terms
name*          the term's name
parent_code    the parent's code, a term of the file or of the taxonomy; empty: a root
sort_order     order among siblings (0, 1, 2…); empty: kept (a new term goes after its siblings)
is_active      1 or 0 (also true/false, yes/no); empty: kept (a new term is active)
=============  ==========================================================================

A column left out of the header keeps that value of every existing term. Encodings:
UTF-8 with or without a byte-order mark, and GB18030 (GBK), which Excel in China
writes for “CSV (Comma delimited)”. Rows are numbered as a spreadsheet shows them: the
header is row 1. Checking the values is the importer's (``services.imports``)."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

COLUMNS = ("code", "name", "parent_code", "sort_order", "is_active")
REQUIRED = ("code", "name")
MAX_ROWS = 20_000


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # "UTF-8" or "GB18030", for the person importing


def decode(data: bytes | str) -> Decoded:
    if isinstance(data, str):
        return Decoded(data.removeprefix("\ufeff"), "UTF-8")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ValidationError(_("The file is UTF-16 (Excel’s “Unicode text”). Save it as “CSV UTF-8 (Comma "
                                "delimited)” or “CSV (Comma delimited)” and import it again"))
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return Decoded(data[3:].decode("utf-8"), "UTF-8")
        except UnicodeDecodeError:
            raise _not_decodable() from None
    try:
        return Decoded(data.decode("utf-8"), "UTF-8")
    except UnicodeDecodeError:
        pass
    # Chinese text in GB18030 is almost never valid UTF-8, so UTF-8 is tried first.
    try:
        return Decoded(data.decode("gb18030"), "GB18030")
    except UnicodeDecodeError:
        raise _not_decodable() from None


def _not_decodable() -> ValidationError:
    return ValidationError(_("The file is neither UTF-8 nor GB18030 encoded. In Excel, choose “Save As → CSV "
                             "UTF-8 (Comma delimited)” and import it again"))


def header_description() -> str:
    return ",".join(COLUMNS[:4])


def read_csv(data: bytes | str) -> tuple[list[dict], Decoded]:
    """The rows of the file as mappings of the columns its header has (plus ``line``),
    and how it was decoded. Raises ValidationError for an undecodable file, a bad
    header, cells beyond the header, or too many rows."""
    decoded = decode(data)
    records = enumerate(csv.reader(io.StringIO(decoded.text, newline="")), start=1)
    header, header_line = None, 1
    for header_line, cells in records:
        if any(cell.strip() for cell in cells):
            header = [cell.strip().lower() for cell in cells]
            break
    if header is None:
        raise ValidationError(_("The file is empty; its first row must be the header: %(header)s")
                              % {"header": header_description()})
    positions = _positions(header, header_line)
    rows, errors = [], []
    for number, cells in records:
        if not "".join(cells).strip():
            continue
        if len(cells) > len(header) and any(cell.strip() for cell in cells[len(header):]):
            extra = len(cells) - len(header)
            errors.append(_("Line %(line)s: %(problem)s") % {"line": number, "problem": ngettext(
                "%(count)s cell beyond the header’s %(width)s columns",
                "%(count)s cells beyond the header’s %(width)s columns", extra) % {
                "count": extra, "width": len(header)}})
            continue
        row = {column: (cells[index] if index < len(cells) else "") for column, index in positions.items()}
        row["line"] = number
        rows.append(row)
    if errors:
        raise ValidationError(errors)
    if len(rows) > MAX_ROWS:
        raise ValidationError(_("Too many rows (%(count)s): a taxonomy file holds at most %(max)s")
                              % {"count": len(rows), "max": MAX_ROWS})
    return rows, decoded


def _positions(header: list[str], line: int) -> dict[str, int]:
    problems, found = [], {}
    for index, name in enumerate(header):
        if not name:
            continue
        if name not in COLUMNS:
            problems.append(_("unknown column “%(name)s”") % {"name": name})
        elif name in found:
            problems.append(_("column “%(name)s” appears more than once") % {"name": name})
        else:
            found[name] = index
    missing = [name for name in REQUIRED if name not in found]
    if missing:
        problems.append(ngettext("missing column %(names)s", "missing columns %(names)s", len(missing))
                        % {"names": pgettext("list separator", ", ").join(f"“{name}”" for name in missing)})
    if problems:
        raise ValidationError(_("Line %(line)s (header): %(problems)s. The header must be: %(header)s "
                                "(is_active may be added)") % {
            "line": line, "problems": pgettext("list separator", "; ").join(problems),
            "header": header_description()})
    return found


def write_csv(tree) -> bytes:
    """The terms of a ``queries.TermTree`` in display order, parents before children:
    UTF-8 with a byte-order mark, so that Excel opens it."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    codes = {term.pk: term.code for term in tree}
    for term in tree:
        writer.writerow([term.code, term.name, codes.get(term.parent_id, ""), term.sort_order,
                         1 if term.is_active else 0])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
