from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiyue.lib.management import JiyueBaseCommand


class Command(JiyueBaseCommand):
    help = gettext_lazy("Dispatch pending publish events to their handlers")

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=None, help=_("Number of events in a batch"))
        parser.add_argument("--retry-failed", action="store_true",
                            help=_("First put the failed events back into the pending state"))

    def handle(self, *args, **options):
        from tenants.publishing.services.outbox import (
            DEFAULT_BATCH_SIZE,
            dispatch_pending_events,
            retry_failed_events,
        )

        if options["retry_failed"]:
            requeued = retry_failed_events(acting_user=None)
            self.stdout.write(_("Put back into pending: %(count)s") % {"count": requeued})
        report = dispatch_pending_events(batch_size=options["batch_size"] or DEFAULT_BATCH_SIZE)
        if not report.handlers:
            self.stdout.write(_("No event handlers are registered; the events stay pending"))
            return
        self.stdout.write(_("Processed: %(processed)s\tTo retry: %(retrying)s\tFailed: %(failed)s") % {
            "processed": len(report.processed), "retrying": len(report.retrying), "failed": len(report.failed)})
