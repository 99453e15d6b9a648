"""The content-check panel at the top of a content page's edit form: each finding of
the latest revision, with its position and the text around it highlighted."""
import dataclasses

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.panels import Panel

from tenants.checks.engine import CheckReport, highlight

CONTEXT_CHARS = 30
RULE_LABELS = {"sensitive": gettext_lazy("Sensitive word"), "typo": gettext_lazy("Typo"),
               "leader_title": gettext_lazy("Leader title")}


def finding_rows(page, record) -> list[dict]:
    report = CheckReport.from_dict(record.report)
    fields = page.content_check_fields()
    texts = {field.key: field.text for field in fields}
    # The stored report's labels are in the default language; show the viewer's.
    labels = {field.key: field.label for field in fields}
    rows = []
    for finding in report.findings:
        text = texts.get(finding.field, "")
        start = max(0, finding.start - CONTEXT_CHARS)
        end = min(len(text), finding.end + CONTEXT_CHARS)
        shifted = dataclasses.replace(finding, start=finding.start - start, end=finding.end - start)
        rows.append({
            "finding": finding,
            "label": labels.get(finding.field, finding.label),
            "rule_label": RULE_LABELS.get(finding.rule, finding.rule),
            "position": _("characters %(start)s–%(end)s") % {"start": finding.start + 1, "end": finding.end},
            "context": highlight(text[start:end], [shifted]) if text else finding.text,
            "leading": start > 0, "trailing": end < len(text),
        })
    return rows


class ContentCheckPanel(Panel):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("heading", gettext_lazy("Content check"))
        super().__init__(*args, **kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "review/panels/content_check.html"

        def get_context_data(self, parent_context=None):
            from .services.checks import latest_check_record

            context = super().get_context_data(parent_context)
            page = self.instance
            record = latest_check_record(page) if page is not None and page.pk else None
            context["record"] = record
            context["rows"] = finding_rows(page, record) if record is not None else []
            return context
