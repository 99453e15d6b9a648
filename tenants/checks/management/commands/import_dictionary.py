from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import ngettext

from jiyue.lib.management import JiyueBaseCommand
from tenants.checks.models import Dictionary, DictionaryKind
from tenants.checks.services.dictionaries import create_dictionary, import_csv


class Command(JiyueBaseCommand):
    help = gettext_lazy("Import a check dictionary CSV as a new version; with --kind, create the dictionary if it does "
                        "not exist")

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help=_("dictionary name"))
        parser.add_argument("--file", required=True, help=_("CSV file (UTF-8)"))
        parser.add_argument("--kind", choices=list(DictionaryKind.values), help=_("kind of a new dictionary"))
        self.add_site_argument(parser, required=False)
        parser.add_argument("--note", default="", help=_("version note"))

    def handle(self, *args, **options):
        site = self.get_site(options) if options["site"] else None
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("File not found: %(path)s") % {"path": path})
        dictionary = Dictionary.objects.filter(site=site, name=options["name"]).first()
        if dictionary is None:
            if not options["kind"]:
                raise CommandError(_("Dictionary “%(name)s” does not exist; to create it, give its --kind")
                                   % {"name": options["name"]})
            dictionary = create_dictionary(acting_user=None, name=options["name"], kind=options["kind"], site=site)
        version = import_csv(dictionary, path.read_bytes(), acting_user=None, note=options["note"] or path.name)
        self.stdout.write("\t".join([
            dictionary.name, _("version %(number)s") % {"number": version.number},
            ngettext("%(count)s entry", "%(count)s entries", version.term_count) % {"count": version.term_count},
        ]))
