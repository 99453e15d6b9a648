import sys

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import ngettext

from jiyue.lib.management import JiyueBaseCommand
from tenants.schemas.migrate import migrate_all


class Command(JiyueBaseCommand):
    help = gettext_lazy("Migrate the public schema, the template schemas and every site schema (schemas with "
                        "nothing to migrate are skipped; safe to run again)")

    def add_arguments(self, parser):
        parser.add_argument("--workers", type=int, default=None,
                            help=_("Number of threads migrating site schemas in parallel"))

    def handle(self, *args, **options):
        report = migrate_all(workers=options["workers"], progress=lambda line: self.stdout.write(line))
        self.stdout.write(ngettext(
            "Done: %(sites)d site, %(skipped)d skipped, %(replayed)d replayed, %(migrated)d fully migrated, "
            "%(failed)d failed, in %(seconds).1f s",
            "Done: %(sites)d sites, %(skipped)d skipped, %(replayed)d replayed, %(migrated)d fully migrated, "
            "%(failed)d failed, in %(seconds).1f s",
            report.sites_total,
        ) % {"sites": report.sites_total, "skipped": report.skipped, "replayed": report.replayed,
             "migrated": report.migrated_fully, "failed": len(report.failed), "seconds": report.seconds})
        if report.failed:
            for schema, error in sorted(report.failed.items()):
                sys.stderr.write(f"{schema}: {error}\n")
            raise CommandError(ngettext(
                "%(count)d schema failed to migrate; fix it and run the command again",
                "%(count)d schemas failed to migrate; fix them and run the command again",
                len(report.failed),
            ) % {"count": len(report.failed)})
