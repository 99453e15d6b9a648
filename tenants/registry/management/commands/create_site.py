from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tenants.registry.models import OrgUnit, Site
from tenants.registry.services.sites import apply_for_site, approve_site_application

from jiyue.lib.management import JiyueBaseCommand


class Command(JiyueBaseCommand):
    help = gettext_lazy("Register a site application; --approve-as approves it at once")

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help=_("Code of the unit that opens the site"))
        parser.add_argument("--name", required=True)
        parser.add_argument("--code", required=True, help=_("Site code of the new site"))
        parser.add_argument("--host", action="append", required=True,
                            help=_("Domain; may be repeated, the first one is the primary domain"))
        parser.add_argument("--sponsor", required=True, help=_("Sponsor of the new site"))
        parser.add_argument("--operator", default="")
        parser.add_argument("--identity-code", default=None, help=_("Site identification code of the new site"))
        parser.add_argument("--parent", default=None, help=_("Site code of the parent site"))
        parser.add_argument("--approve-as", default=None,
                            help=_("Approve as the user with this username (a provincial approver)"))

    def handle(self, *args, **options):
        from django.core.management.base import CommandError

        from jiyue.identity.models import User

        try:
            unit = OrgUnit.objects.get(code=options["unit"])
        except OrgUnit.DoesNotExist:
            raise CommandError(_("Unknown unit code: %(code)s") % {"code": options["unit"]}) from None
        parent = None
        if options["parent"]:
            parent = Site.objects.filter(short_code=options["parent"]).first()
            if parent is None:
                raise CommandError(_("Unknown parent site code: %(code)s") % {"code": options["parent"]})
        site = apply_for_site(
            acting_user=None, org_unit=unit, name=options["name"], short_code=options["code"],
            hosts=options["host"], sponsor=options["sponsor"], operator=options["operator"],
            identity_code=options["identity_code"], parent=parent,
        )
        if options["approve_as"]:
            approver = User.objects.filter(username=options["approve_as"]).first()
            if approver is None:
                raise CommandError(_("Unknown user: %(username)s") % {"username": options["approve_as"]})
            approve_site_application(site, acting_user=approver)
        self.stdout.write(f"{site.short_code}\t{site.get_status_display()}")
