"""jiyue taxonomy import <taxonomy> <file.csv> [--dry-run] [--deactivate-missing] [--name NAME]
jiyue taxonomy export <taxonomy> [file.csv]
jiyue taxonomy show <taxonomy>

Parse, look up, call one service (``services.imports``); the CSV format is in
``lib.csv_format``."""
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiyue.lib.management import JiyueBaseCommand


class Command(JiyueBaseCommand):
    help = gettext_lazy("Import a taxonomy's terms from a CSV file (code, name, parent_code, sort_order), "
                        "export them, or show the tree")

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        importing = actions.add_parser("import", help=_("add and update terms from a CSV file; nothing is deleted"))
        importing.add_argument("taxonomy", help=_("the taxonomy's code (topic, genre, …)"))
        importing.add_argument("file", help=_("the CSV file: UTF-8 (with or without a byte-order mark) or GB18030"))
        importing.add_argument("--dry-run", action="store_true", help=_("check and show the changes; write nothing"))
        importing.add_argument("--deactivate-missing", action="store_true",
                               help=_("deactivate the terms the file does not list (default: leave them)"))
        importing.add_argument("--name", help=_("create the taxonomy with this name if it does not exist"))
        exporting = actions.add_parser("export", help=_("write the terms as CSV (UTF-8 with a byte-order mark)"))
        exporting.add_argument("taxonomy", help=_("the taxonomy's code (topic, genre, …)"))
        exporting.add_argument("file", nargs="?", help=_("the file to write (default: standard output)"))
        showing = actions.add_parser("show", help=_("print the tree of terms"))
        showing.add_argument("taxonomy", help=_("the taxonomy's code (topic, genre, …)"))

    def handle(self, *args, **options):
        return getattr(self, f"_{options['action']}")(options)

    def _taxonomy(self, code, name=None):
        from ...models import Taxonomy
        from ...services.imports import new_taxonomy

        taxonomy = Taxonomy.objects.filter(code=code).first()
        if taxonomy is None:
            if not name:
                raise CommandError(_("No taxonomy has the code “%(code)s”; give --name to create it") % {"code": code})
            return new_taxonomy(code, name)
        if name and name != taxonomy.name:
            raise CommandError(_("The taxonomy “%(code)s” already exists as “%(name)s”; --name only names a new "
                                 "one") % {"code": code, "name": taxonomy.name})
        return taxonomy

    def _import(self, options):
        from ...services.imports import import_csv

        taxonomy = self._taxonomy(options["taxonomy"], options["name"])
        try:
            data = Path(options["file"]).read_bytes()
        except OSError as error:
            raise CommandError(_("Cannot read %(file)s: %(error)s") % {"file": options["file"],
                                                                       "error": error.strerror}) from None
        try:
            report = import_csv(taxonomy, data, acting_user=None, dry_run=options["dry_run"],
                                deactivate_missing=options["deactivate_missing"])
        except ValidationError as error:
            for message in error.messages:
                self.stderr.write(message)
            raise CommandError(_("Nothing was written: correct the file and import it again")) from None
        if report.created_taxonomy:
            self.stdout.write(_("New taxonomy “%(name)s” (%(code)s)") % {"name": report.taxonomy_name,
                                                                       "code": report.taxonomy_code})
        for change in report.changed:
            self.stdout.write(change.describe())
        self.stdout.write(report.summary())

    def _export(self, options):
        from ...lib.csv_format import write_csv
        from ...queries import term_tree

        taxonomy = self._taxonomy(options["taxonomy"])
        data = write_csv(term_tree(taxonomy))
        if options["file"]:
            Path(options["file"]).write_bytes(data)
            self.stdout.write(_("Wrote %(file)s") % {"file": options["file"]})
        else:
            self.stdout.write(data.decode("utf-8-sig"), ending="")

    def _show(self, options):
        from ...queries import term_tree

        taxonomy = self._taxonomy(options["taxonomy"])
        for term in term_tree(taxonomy):
            mark = "" if term.is_active else " " + _("(inactive)")
            self.stdout.write(f"{'  ' * term.depth}{term.code} {term.name}{mark}")
