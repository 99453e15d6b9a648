from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiyue.identity.models import User
from jiyue.identity.services.tokens import issue_site_api_token
from jiyue.lib.management import JiyueBaseCommand


class Command(JiyueBaseCommand):
    help = gettext_lazy("Issues an API token of the library API for one site, acting as a user of that site; "
                        "prints the key, which is not stored and cannot be shown again")

    def add_arguments(self, parser):
        self.add_site_argument(parser)
        parser.add_argument("--user", required=True, help=_("the username the token acts as"))
        parser.add_argument("--name", required=True, help=_("the token's name (the system that will use it)"))

    def handle(self, *args, **options):
        user = User.objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(_("User does not exist: %(username)s") % {"username": options["user"]})
        _token, key = issue_site_api_token(acting_user=None, user=user, site=self.get_site(options),
                                           name=options["name"])
        # The key alone on stdout (for scripts); the reminder on stderr.
        self.stdout.write(key)
        self.stderr.write(_("Keep this key now: it is not stored and cannot be shown again"))
