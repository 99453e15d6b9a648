from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiyue.identity.models import User
from jiyue.lib.management import JiyueBaseCommand
from tenants.lifecycle.services.tokens import issue_api_token
from tenants.registry.models import OrgUnit


class Command(JiyueBaseCommand):
    help = gettext_lazy("Issues an API token of the lifecycle API for a user, limited to an org unit and the units "
                        "under it; prints the key, which is not stored and cannot be shown again")

    def add_arguments(self, parser):
        parser.add_argument("--user", required=True, help=_("the username the token acts as"))
        parser.add_argument("--unit", required=True, help=_("the code of the org unit the token is limited to"))
        parser.add_argument("--name", required=True, help=_("the token's name (the system that will use it)"))

    def handle(self, *args, **options):
        user = User.objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(_("User does not exist: %(username)s") % {"username": options["user"]})
        unit = OrgUnit.objects.filter(code=options["unit"]).first()
        if unit is None:
            raise CommandError(_("No org unit has the code: %(code)s") % {"code": options["unit"]})
        _token, key = issue_api_token(acting_user=None, user=user, org_unit=unit, name=options["name"])
        # The key alone on stdout (for scripts); the reminder on stderr.
        self.stdout.write(key)
        self.stderr.write(_("Keep this key now: it is not stored and cannot be shown again"))
