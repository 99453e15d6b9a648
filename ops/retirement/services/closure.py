"""The permanent-offline checklist (tenants.lifecycle) takes two of its items from the
migration: "pages archived" and "content integrated into the parent site", each
recorded with the migration's figures, the latter with the report (xlsx) attached."""
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from ..models import ArchiveRecord, ImportedItem, ImportState, RunState, Stage, StageRun
from ..reports import build_report, report_xlsx


def record_closure_items(job, *, acting_user) -> list:
    """Complete the checklist items the migration answers for; returns the ClosureTasks."""
    from tenants.lifecycle.models import ClosureItem
    from tenants.lifecycle.services.offline import complete_closure_item

    request = job.lifecycle_request
    if request is None:
        raise ValidationError(_("This migration belongs to no permanent offline request"))
    if not StageRun.objects.filter(job=job, stage=Stage.IMPORT, state=RunState.DONE).exists():
        raise ValidationError(_("The import has not run to its end yet"))
    if job.retired_at is None:
        raise ValidationError(_("The old hosts do not redirect yet (jiyue retire redirect)"))
    def is_open(item):
        return request.closure_tasks.filter(item=item, done_at__isnull=True).exists()

    tasks = []
    if is_open(ClosureItem.CONTENT_INTEGRATED):
        figures = "; ".join(f"{label}: {value}" for label, value in build_report(job).totals.items())
        published = ImportedItem.objects.filter(job=job, state=ImportState.PUBLISHED).count()
        upload = ContentFile(report_xlsx(job), name=f"{job.code}-migration-report.xlsx")
        tasks.append(complete_closure_item(
            request, ClosureItem.CONTENT_INTEGRATED, acting_user=acting_user, upload=upload,
            note=_("%(count)s pages integrated into %(site)s (migration %(job)s). %(figures)s") % {
                "count": published, "site": job.target_site.name, "job": job.code, "figures": figures}))
    if is_open(ClosureItem.PAGES_ARCHIVED):
        archived = ArchiveRecord.objects.filter(job=job).count()
        tasks.append(complete_closure_item(
            request, ClosureItem.PAGES_ARCHIVED, acting_user=acting_user,
            note=_("%(count)s responses archived as WARC (migration %(job)s); the old pages stay browsable "
                   "under /_archive/ on the old hosts") % {"count": archived, "job": job.code}))
    return tasks
