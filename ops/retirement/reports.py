"""The migration report: what became of the retired site's pages — crawled, archived,
extracted, imported (published or draft), redirected, 410, failed — in all, per old
column and per mapping rule; as CSV and xlsx for the closure file, and as the figures
the console's chart draws."""
import csv
import io
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from .models import (ArchiveRecord, CrawlUrl, ExtractedPage, ImportedItem, ImportState, JobIssue, MappingStatus,
                     UrlMapping, UrlState)
from .services.mapping import CONTENT_KINDS, rule_for

COLUMNS = [
    ("pages", gettext_lazy("content pages")),
    ("imported", gettext_lazy("published")),
    ("drafts", gettext_lazy("drafts with findings")),
    ("failed", gettext_lazy("failed")),
    ("redirected", gettext_lazy("redirected (301)")),
    ("gone", gettext_lazy("gone (410)")),
]


@dataclass
class Row:
    label: str
    counts: dict = field(default_factory=lambda: {key: 0 for key, _label in COLUMNS})


@dataclass
class Report:
    totals: dict
    by_column: list[Row]
    by_rule: list[Row]
    issues: list[JobIssue]


def build_report(job) -> Report:
    crawl = dict(CrawlUrl.objects.filter(job=job).values_list("state").annotate(n=Count("id")))
    mapping = dict(UrlMapping.objects.filter(job=job).values_list("status").annotate(n=Count("id")))
    imported = dict(ImportedItem.objects.filter(job=job).values_list("state").annotate(n=Count("id")))
    totals = {
        _("URLs crawled"): crawl.get(UrlState.FETCHED, 0),
        _("URLs failed to crawl"): crawl.get(UrlState.FAILED, 0),
        _("URLs skipped (robots.txt)"): crawl.get(UrlState.SKIPPED, 0),
        _("responses archived"): ArchiveRecord.objects.filter(job=job).count(),
        _("pages extracted"): ExtractedPage.objects.filter(job=job).exclude(kind="failed").count(),
        _("pages imported and published"): imported.get(ImportState.PUBLISHED, 0),
        _("pages imported as drafts with findings"): imported.get(ImportState.DRAFT, 0),
        _("pages that failed to import"): imported.get(ImportState.FAILED, 0),
        _("old URLs redirected (301)"): mapping.get(MappingStatus.REDIRECT, 0),
        _("old URLs gone (410)"): mapping.get(MappingStatus.ARCHIVE, 0) + mapping.get(MappingStatus.UNRESOLVED, 0),
        _("issues"): JobIssue.objects.filter(job=job).count(),
    }
    rules = list(job.rules.all())
    states = dict(ImportedItem.objects.filter(job=job).values_list("source_id", "state"))
    statuses = dict(UrlMapping.objects.filter(job=job).values_list("url_hash", "status"))
    by_column, by_rule = {}, {rule.pk: Row(_rule_label(rule)) for rule in rules}
    unmapped = Row(str(_("(no rule)")))
    for page in ExtractedPage.objects.filter(job=job, kind__in=CONTENT_KINDS).only(
            "id", "url", "url_hash", "kind", "column_path", "column_name"):
        # By path: an old CMS shows one column under several names now and then.
        path = page.column_path or "/"
        rule = rule_for(page, rules)
        column = by_column.setdefault(path, Row(f"{page.column_name} {path}".strip()))
        for row in (column, by_rule[rule.pk] if rule else unmapped):
            _count(row, states.get(page.pk), statuses.get(page.url_hash))
    rule_rows = list(by_rule.values()) + ([unmapped] if unmapped.counts["pages"] else [])
    return Report(totals=totals, by_column=sorted(by_column.values(), key=lambda row: row.label),
                  by_rule=rule_rows, issues=list(JobIssue.objects.filter(job=job)[:1000]))


def _count(row: Row, state, status) -> None:
    row.counts["pages"] += 1
    if state == ImportState.PUBLISHED:
        row.counts["imported"] += 1
    elif state == ImportState.DRAFT:
        row.counts["drafts"] += 1
    elif state == ImportState.FAILED:
        row.counts["failed"] += 1
    if status == MappingStatus.REDIRECT:
        row.counts["redirected"] += 1
    elif status is not None:
        row.counts["gone"] += 1


def _rule_label(rule) -> str:
    target = rule.target_column_title or _("archive only")
    return f"{rule.get_match_on_display()} {rule.pattern} → {target}"


def _tables(report: Report):
    header = [str(label) for _key, label in COLUMNS]
    yield _("Totals"), [[_("figure"), _("count")]] + [[label, value] for label, value in report.totals.items()]
    yield _("By old column"), [[_("old column")] + header] + [
        [row.label] + [row.counts[key] for key, _label in COLUMNS] for row in report.by_column]
    yield _("By rule"), [[_("rule")] + header] + [
        [row.label] + [row.counts[key] for key, _label in COLUMNS] for row in report.by_rule]
    yield _("Issues"), [[_("stage"), pgettext("migration", "URL"), _("message")]] + [
        [issue.get_stage_display(), issue.url, issue.message] for issue in report.issues]


def report_csv(job) -> bytes:
    """All tables one after another (UTF-8 with a BOM, for Excel)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for title, rows in _tables(build_report(job)):
        writer.writerow([title])
        writer.writerows(rows)
        writer.writerow([])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def report_xlsx(job) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, rows in _tables(build_report(job)):
        sheet = book.create_sheet(title[:31])
        for row in rows:
            sheet.append([str(cell) for cell in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def chart_data(report: Report) -> dict:
    """The console's bar chart (ECharts): per old column, published / drafts / failed / 410."""
    labels = [row.label for row in report.by_column]
    series = [{"name": str(label), "type": "bar", "stack": "pages", "data": [row.counts[key] for row in report.by_column]}
              for key, label in COLUMNS if key in ("imported", "drafts", "failed", "gone")]
    return {"labels": labels, "series": series}
