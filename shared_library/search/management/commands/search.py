from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiyue.lib.management import JiyueBaseCommand


class Command(JiyueBaseCommand):
    help = gettext_lazy("Bring the province-wide search index up to date with the resource library (reindex), "
                        "or switch it to the best text index the server offers (indexes)")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["reindex", "indexes"], help=_("reindex or indexes"))
        self.add_site_argument(parser, required=False)
        parser.add_argument("--full", action="store_true",
                            help=_("segment every resource again, not only missing and changed ones"))
        parser.add_argument("--after", type=int, default=0,
                            help=_("resume a full run after this resource ID (from its progress line)"))
        parser.add_argument("--batch-size", type=int, default=500, help=_("resources per transaction"))

    def handle(self, *args, **options):
        if options["action"] == "indexes":
            from django.db import connection

            from ...lib.text_indexes import create_text_indexes

            kind = create_text_indexes(connection)
            self.stdout.write(_("Text index in use: %(kind)s") % {"kind": kind.upper()})
            return
        from ...services.indexing import reindex

        site = self.get_site(options) if options["site"] else None
        state = reindex(site=site, full=options["full"], after=options["after"], batch_size=options["batch_size"],
                        progress=lambda state: self.stdout.write(_(
                            "[%(checked)s/%(total)s] indexed %(indexed)s, removed %(removed)s, "
                            "up to resource ID %(last_id)s") % vars(state)))
        self.stdout.write(_("Search index up to date: %(checked)s resource(s) checked, %(indexed)s indexed, "
                            "%(removed)s removed") % vars(state))
