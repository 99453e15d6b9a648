"""The overdue report of a mandatory repost (sites late or missing), as CSV and xlsx
(openpyxl): what the issuing office files or forwards to the sites' supervisors."""
import csv
import io

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Font

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _header():
    return [pgettext("overdue report", "Site"), pgettext("overdue report", "Site code"),
            pgettext("overdue report", "Compliance"), pgettext("overdue report", "Deadline"),
            pgettext("overdue report", "Reposted at")]


def _rows(mandate, rows):
    deadline = _time(mandate.deadline)
    return [[row.target.site.name, row.target.site.short_code, row.label, deadline, _time(row.reposted_at)]
            for row in rows]


def _time(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _filename(mandate, extension: str) -> str:
    return f"mandate-{mandate.pk}-overdue.{extension}"


def as_csv(mandate, rows) -> HttpResponse:
    buffer = io.StringIO()
    # A BOM: Excel in China opens a UTF-8 CSV as GBK without it.
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(_header())
    writer.writerows(_rows(mandate, rows))
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(mandate, "csv")}"'
    return response


def as_xlsx(mandate, rows) -> HttpResponse:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Overdue")[:31]
    sheet.append([mandate.resource.title])
    sheet.append(_header())
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for values in _rows(mandate, rows):
        sheet.append(values)
    for column, width in zip("ABCDE", (36, 16, 16, 18, 18)):
        sheet.column_dimensions[column].width = width
    output = io.BytesIO()
    book.save(output)
    response = HttpResponse(output.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{_filename(mandate, "xlsx")}"'
    return response
