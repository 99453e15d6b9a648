from django.core.management.base import CommandError

from jiyue.identity.models import PlatformRole, SiteRole, User
from jiyue.identity.services.roles import grant_platform_role, grant_site_role
from jiyue.lib.management import JiyueBaseCommand


class Command(JiyueBaseCommand):
    help = "授予角色：网站角色需 --site；平台角色（approver/ops）不需要"

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("role", choices=[*SiteRole.values, *PlatformRole.values])
        self.add_site_argument(parser, required=False)

    def handle(self, *args, **options):
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"用户不存在：{options['username']}")
        if options["role"] in PlatformRole.values:
            grant_platform_role(user, options["role"], acting_user=None)
        else:
            if not options["site"]:
                raise CommandError("网站角色需要 --site")
            grant_site_role(user, self.get_site(options), options["role"], acting_user=None)
        self.stdout.write(f"已授予 {user.username} {options['role']}")
