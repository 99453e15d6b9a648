from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiyue.lib.management import JiyueBaseCommand
from tenants.provisioning.models import JobStatus
from tenants.provisioning.services.provision import request_provisioning, run_provisioning_job


class Command(JiyueBaseCommand):
    help = gettext_lazy("Open an approved site (clone the template schema); runs in this process, or in Celery "
                        "with --queue")

    def add_arguments(self, parser):
        self.add_site_argument(parser)
        parser.add_argument("--queue", action="store_true", help=_("Hand the job to a Celery worker"))

    def handle(self, *args, **options):
        site = self.get_site(options)
        job = request_provisioning(site, acting_user=None)
        if options["queue"]:
            self.stdout.write(_("Opening job %(job)s queued") % {"job": job.pk})
            return
        job = run_provisioning_job(job.pk)
        if job.status != JobStatus.SUCCEEDED:
            raise CommandError(_("Opening failed: %(error)s") % {"error": job.error})
        self.stdout.write(_("%(code)s\tOpened\t%(duration)s ms")
                          % {"code": site.short_code, "duration": job.duration_ms})
