"""Content checks of a page revision (title, metadata and body) against the
dictionaries of tenants.checks, stored per revision for the editor's panel.

A stored report is data: it is compared with the next check of the same revision
(an acknowledgement stays valid only while the findings are the same), so its field
labels and messages are always written in the default language (LANGUAGE_CODE),
whoever's request or task runs the check. What is shown is put in the viewer's
language from the page's fields (``field_labels``)."""
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from tenants.checks.engine import CheckReport, check_fields

from ..models import ContentCheckRecord


def _site_id():
    return getattr(getattr(connection, "tenant", None), "pk", None)


def check_page(page) -> CheckReport:
    with translation.override(settings.LANGUAGE_CODE):
        fields = page.content_check_fields() if hasattr(page, "content_check_fields") else []
        return check_fields(fields, site_id=_site_id())


def field_labels(page) -> dict[str, str]:
    """Each checked field's label (by key) in the active language."""
    return {field.key: field.label for field in page.content_check_fields()}


def record_revision_checks(revision) -> ContentCheckRecord:
    """Check a revision's content and store the result (idempotent; an
    acknowledgement stays valid only while the findings are the same)."""
    report = check_page(revision.as_object())
    data = report.as_dict()
    record = ContentCheckRecord.objects.filter(revision=revision).first()
    if record is not None and record.report.get("findings") == data.get("findings"):
        return record
    record = ContentCheckRecord.objects.update_or_create(revision=revision, defaults={
        "report": data, "blocking_count": len(report.blocking), "warning_count": len(report.warnings),
        "acknowledged_by": None, "acknowledged_at": None,
    })[0]
    return record


def latest_check_record(page) -> ContentCheckRecord | None:
    revision = page.get_latest_revision()
    if revision is None:
        return None
    return ContentCheckRecord.objects.filter(revision=revision).first() or record_revision_checks(revision)


@transaction.atomic
def acknowledge_check_warnings(revision, *, acting_user) -> ContentCheckRecord:
    record = record_revision_checks(revision)
    if record.warning_count and record.acknowledged_at is None:
        record.acknowledged_by = acting_user
        record.acknowledged_at = timezone.now()
        record.save(update_fields=["acknowledged_by", "acknowledged_at"])
    return record


def summarize_blocking(record: ContentCheckRecord, limit: int = 3) -> str:
    """The first blocking words of a record and where they are, in the active language."""
    findings = [f for f in record.report.get("findings", []) if f.get("severity") == "block"]
    labels = field_labels(record.revision.as_object()) if findings else {}
    words = pgettext("list of words", ", ").join(
        _("“%(text)s” (%(label)s)") % {"text": f["text"], "label": labels.get(f["field"], f["label"])}
        for f in findings[:limit])
    if len(findings) > limit:
        return _("%(words)s and others (%(count)s in all)") % {"words": words, "count": len(findings)}
    return words
