import json

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiyue.lib.management import JiyueBaseCommand


class Command(JiyueBaseCommand):
    help = gettext_lazy("Check the resource library against the sites (verify), make it agree (rebuild), "
                        "or carry it up to the current metadata schema (upgrade)")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify", "rebuild", "upgrade"], help=_("verify, rebuild or upgrade"))
        parser.add_argument("--site", action="append", default=[],
                            help=_("the site's short code (repeatable; default: every provisioned site)"))
        parser.add_argument("--json", action="store_true", help=_("print one JSON object per site"))

    def handle(self, *args, **options):
        from tenants.registry.models import Site
        from tenants.registry.models.sites import PROVISIONED_STATUSES

        from ...services.reconcile import rebuild_site, verify_site

        if options["action"] == "upgrade":
            return self._upgrade()
        if options["site"]:
            sites = list(Site.objects.filter(short_code__in=options["site"]).order_by("pk"))
            unknown = sorted(set(options["site"]) - {site.short_code for site in sites})
            if unknown:
                raise CommandError(_("No site has the short code: %(code)s") % {"code": ", ".join(unknown)})
        else:
            sites = list(Site.objects.filter(status__in=PROVISIONED_STATUSES).order_by("pk"))
        work = verify_site if options["action"] == "verify" else rebuild_site
        differing = 0
        for number, site in enumerate(sites, start=1):
            check = work(site)
            differing += not check.in_agreement
            if options["json"]:
                self.stdout.write(json.dumps(check.as_dict(), ensure_ascii=False))
                continue
            self.stdout.write(_(
                "[%(number)s/%(total)s] %(site)s: %(checked)s pages, missing %(missing)s, stale %(stale)s, "
                "extra %(extra)s, pending events %(pending)s") % {
                "number": number, "total": len(sites), "site": site.short_code, "checked": check.checked,
                "missing": len(check.missing), "stale": len(check.stale), "extra": len(check.extra),
                "pending": check.pending_events})
        if options["action"] == "verify" and differing:
            raise CommandError(_("The library differs from %(count)s site(s); run: jiyue library rebuild")
                               % {"count": differing})
        if options["action"] == "rebuild":
            self.stdout.write(_("Rebuilt: %(count)s site(s) needed changes") % {"count": differing})

    def _upgrade(self):
        from ...lib.metadata_schema import CURRENT_VERSION
        from ...services.schema_upgrade import upgrade_resources

        count = upgrade_resources(progress=lambda done: self.stdout.write(
            _("Upgraded so far: %(count)s") % {"count": done}))
        self.stdout.write(_("%(count)s resource(s) now follow metadata schema version %(version)s")
                          % {"count": count, "version": CURRENT_VERSION})
