"""Mapping a retired site onto the target site: rules that send extracted pages to
columns as content types (first matching rule wins), the dry run that counts what each
rule takes and lists what none takes, and the URL mapping (old URL → where it goes)
that redirect serving answers from, exported to and imported from CSV for ops to edit
in a spreadsheet."""
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from jiyue.audit.services import log_operation
from shared_library.reposting.rules import COPYABLE_TYPES, column_takes

from ..lib.urls import UnusableUrl, canonicalize, url_hash
from ..models import CrawlUrl, ExtractedPage, MappingRule, MappingStatus, RuleMatch, Stage, UrlMapping, UrlState
from .jobs import check_ops
from .runs import record_issue, run_stage

# Extracted kinds that become pages of the target site; list pages redirect to the
# column their rule names; everything else stays in the archive.
CONTENT_KINDS = {"article", "policy"}
LIST_KIND = "list"
ARCHIVE_WORD = "ARCHIVE"


# -- rules ---------------------------------------------------------------------------
def add_rule(job, *, acting_user, match_on: str, pattern: str, target_column_id: int | None,
             content_type: str = "", note: str = "") -> MappingRule:
    """A rule at the end of the job's list; the column must exist on the target site and take the content type."""
    check_ops(acting_user)
    pattern = (pattern or "").strip()
    if match_on not in RuleMatch.values:
        raise ValidationError(_("Unknown rule kind “%(kind)s”") % {"kind": match_on})
    if not pattern:
        raise ValidationError(_("Give the rule a pattern"))
    if match_on == RuleMatch.URL_REGEX:
        try:
            re.compile(pattern)
        except re.error as error:
            raise ValidationError(_("“%(pattern)s” is not a valid regular expression: %(error)s")
                                  % {"pattern": pattern, "error": error}) from None
    if content_type and content_type not in COPYABLE_TYPES:
        raise ValidationError(_("Pages can be imported as news, policy documents or announcements, not “%(type)s”")
                              % {"type": content_type})
    title = ""
    if target_column_id is not None:
        title = column_title(job, target_column_id, content_type)
    with transaction.atomic():
        position = (job.rules.aggregate(top=Max("position"))["top"] or 0) + 1
        rule = MappingRule.objects.create(job=job, position=position, match_on=match_on, pattern=pattern,
                                          target_column_id=target_column_id, target_column_title=title,
                                          content_type=content_type, note=note[:200])
        log_operation("add_migration_rule", acting_user=acting_user, site=job.target_site, job=job.code, rule=rule.pk,
                      pattern=pattern)
    return rule


def column_title(job, column_id: int, content_type: str = "") -> str:
    """The target column's title; ValidationError if it does not exist or does not take the type."""
    from tenants.columns.models import ColumnPage

    with tenant_context(job.target_site):
        column = ColumnPage.objects.filter(pk=column_id).first()
        if column is None:
            raise ValidationError(_("Column %(id)s does not exist on %(site)s") % {
                "id": column_id, "site": job.target_site.name})
        if content_type and not column_takes(column.column_type, content_type):
            raise ValidationError(_("Column “%(column)s” is a “%(type)s” column and does not take this content type")
                                  % {"column": column.title, "type": column.get_column_type_display()})
        return column.title


def rule_matches(rule: MappingRule, page: ExtractedPage) -> bool:
    if rule.match_on == RuleMatch.URL_PREFIX:
        return _path(page.url).startswith(rule.pattern)
    if rule.match_on == RuleMatch.URL_REGEX:
        return re.search(rule.pattern, page.url) is not None
    if rule.match_on == RuleMatch.COLUMN_PATH:
        return page.column_path.rstrip("/") == rule.pattern.rstrip("/")
    return page.column_name == rule.pattern


def rule_for(page: ExtractedPage, rules) -> MappingRule | None:
    return next((rule for rule in rules if rule_matches(rule, page)), None)


def content_type_for(page: ExtractedPage, rule: MappingRule) -> str:
    return rule.content_type or ("policy" if page.kind == "policy" else "article")


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


# -- dry run -------------------------------------------------------------------------
@dataclass
class DryRun:
    per_rule: list[tuple[MappingRule, int]]
    unmapped: list[ExtractedPage]
    archive_only: int  # matched by a rule without a target column
    lists: int
    other: int
    by_column: dict[str, int] = field(default_factory=dict)  # old column path -> pages


def dry_run(job) -> DryRun:
    """What the rules would do, without importing anything."""
    rules = list(job.rules.all())
    counts = {rule.pk: 0 for rule in rules}
    unmapped, archive_only, lists, other, by_column = [], 0, 0, 0, {}
    pages = ExtractedPage.objects.filter(job=job).only("id", "url", "title", "kind", "column_path", "column_name")
    for page in pages.order_by("url"):
        if page.kind not in CONTENT_KINDS:
            lists += page.kind == LIST_KIND
            other += page.kind != LIST_KIND
            continue
        by_column[page.column_path] = by_column.get(page.column_path, 0) + 1
        rule = rule_for(page, rules)
        if rule is None:
            unmapped.append(page)
            continue
        counts[rule.pk] += 1
        archive_only += rule.target_column_id is None
    return DryRun(per_rule=[(rule, counts[rule.pk]) for rule in rules], unmapped=unmapped,
                  archive_only=archive_only, lists=lists, other=other, by_column=by_column)


# -- the URL mapping -----------------------------------------------------------------
def run_map(job, *, acting_user=None, progress_callback=None):
    """Make a UrlMapping row for every old URL that answered (200 or a redirect): what
    the import does not resolve stays "unresolved" (410 with the archived copy). Rows
    ops edited are left alone. Returns the StageRun."""
    return run_stage(job, Stage.MAP, lambda progress: _build_mapping(job, progress), acting_user=acting_user,
                     progress_callback=progress_callback)


def _build_mapping(job, progress) -> None:
    answered = CrawlUrl.objects.filter(job=job, state=UrlState.FETCHED, status_code__lt=400)
    total = answered.count()
    progress.update(0, total, "")
    done = 0
    rows = answered.values_list("url", "url_hash").order_by("id").iterator(chunk_size=2000)
    while batch := [row for _index, row in zip(range(2000), rows, strict=False)]:
        UrlMapping.objects.bulk_create([UrlMapping(job=job, old_url=url, url_hash=digest) for url, digest in batch],
                                       ignore_conflicts=True)
        done += len(batch)
        progress.update(done, total, _("%(count)s old URLs mapped") % {"count": done})
    return None


def set_mapping(job, old_url: str, new_url: str, *, note: str = "", edited: bool = False) -> UrlMapping:
    """Point an old URL somewhere: an address (301), ARCHIVE or "" (410). An edited row
    is not overwritten by a later import (`edited=False` callers)."""
    digest = url_hash(old_url)
    status, target = _status_of(new_url)
    mapping, created = UrlMapping.objects.get_or_create(job=job, url_hash=digest, defaults={
        "old_url": old_url, "new_url": target, "status": status, "note": note[:300], "edited": edited})
    if created or (mapping.edited and not edited):
        return mapping
    mapping.new_url, mapping.status, mapping.edited = target, status, edited or mapping.edited
    if note:
        mapping.note = note[:300]
    mapping.save(update_fields=["new_url", "status", "edited", "note", "updated_at"])
    return mapping


def _status_of(new_url: str) -> tuple[str, str]:
    new_url = (new_url or "").strip()
    if not new_url:
        return MappingStatus.UNRESOLVED, ""
    if new_url.upper() == ARCHIVE_WORD:
        return MappingStatus.ARCHIVE, ""
    return MappingStatus.REDIRECT, new_url


# -- CSV -----------------------------------------------------------------------------
CSV_HEADER = ["old_url", "new_url", "note"]


def export_csv(job) -> bytes:
    """The mapping as `old_url,new_url,note` (UTF-8 with a BOM, so Excel reads the Chinese notes)."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for mapping in UrlMapping.objects.filter(job=job).order_by("old_url").iterator(chunk_size=2000):
        new_url = ARCHIVE_WORD if mapping.status == MappingStatus.ARCHIVE else mapping.new_url
        writer.writerow([mapping.old_url, new_url, mapping.note])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


@dataclass
class CsvImport:
    applied: int
    errors: list[str]  # one line per broken row, in the active language


def import_csv(job, data: bytes, *, acting_user) -> CsvImport:
    """Apply the rows of a mapping CSV that are sound; each broken row is reported (with
    its row number as a spreadsheet shows it) and changes nothing. Rows set this way are
    marked edited, so that a later import does not overwrite them."""
    import csv
    import io

    check_ops(acting_user)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(_("The file is not UTF-8 text; in Excel, save it as “CSV UTF-8”")) from None
    reader = csv.reader(io.StringIO(text))
    header = [cell.strip().lower() for cell in next(reader, [])]
    if header[:2] != CSV_HEADER[:2]:
        raise ValidationError(_("The first row must be the header old_url,new_url,note"))
    allowed = _allowed_targets(job)
    applied, errors = 0, []
    with transaction.atomic():
        for number, row in enumerate(reader, start=2):
            if not any(cell.strip() for cell in row):
                continue
            problem = _row_problem(job, row, allowed)
            if problem:
                errors.append(_("Row %(row)s: %(problem)s") % {"row": number, "problem": problem})
                continue
            old_url = canonicalize(row[0].strip())
            set_mapping(job, old_url, row[1].strip() if len(row) > 1 else "",
                        note=row[2].strip() if len(row) > 2 else "", edited=True)
            applied += 1
        log_operation("import_migration_mapping", acting_user=acting_user, site=job.target_site, job=job.code,
                      applied=applied, broken_rows=len(errors))
    for error in errors[:200]:
        record_issue(job, Stage.MAP, error)
    return CsvImport(applied=applied, errors=errors)


def _row_problem(job, row: list[str], allowed: set[str]) -> str:
    if len(row) > 3:
        return _("expected at most 3 cells (old_url,new_url,note), found %(count)s") % {"count": len(row)}
    old = row[0].strip()
    try:
        old_url = canonicalize(old)
    except UnusableUrl:
        return _("“%(url)s” is not an http(s) address") % {"url": old}
    if not UrlMapping.objects.filter(job=job, url_hash=url_hash(old_url)).exists() \
            and not CrawlUrl.objects.filter(job=job, url_hash=url_hash(old_url)).exists():
        return _("“%(url)s” is not an address of this retired site") % {"url": old}
    new = row[1].strip() if len(row) > 1 else ""
    if new and new.upper() != ARCHIVE_WORD:
        parts = urlsplit(new)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return _("the new URL “%(url)s” must be a full http(s) address, ARCHIVE or blank") % {"url": new}
        if parts.hostname.lower() not in allowed:
            return _("the new URL “%(url)s” is not on a site of the platform") % {"url": new}
    return ""


def _allowed_targets(job) -> set[str]:
    """Hosts a retired URL may redirect to: the platform's own sites (no open redirects)."""
    from tenants.registry.models import Domain

    return {domain.lower() for domain in Domain.objects.values_list("domain", flat=True)}
