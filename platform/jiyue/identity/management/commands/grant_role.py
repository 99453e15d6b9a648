from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiyue.identity.models import PlatformRole, SiteRole, User
from jiyue.identity.services.roles import grant_platform_role, grant_site_role
from jiyue.lib.management import JiyueBaseCommand


class Command(JiyueBaseCommand):
    help = gettext_lazy("Grants a role: site roles need --site; platform roles (approver/ops) do not")

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("role", choices=[*SiteRole.values, *PlatformRole.values])
        self.add_site_argument(parser, required=False)

    def handle(self, *args, **options):
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(_("User does not exist: %(username)s") % {"username": options["username"]})
        if options["role"] in PlatformRole.values:
            grant_platform_role(user, options["role"], acting_user=None)
        else:
            if not options["site"]:
                raise CommandError(_("Site roles need --site"))
            grant_site_role(user, self.get_site(options), options["role"], acting_user=None)
        self.stdout.write(_("Granted %(role)s to %(username)s") % {"username": user.username,
                                                                   "role": options["role"]})
