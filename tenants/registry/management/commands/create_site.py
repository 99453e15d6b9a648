from tenants.registry.models import OrgUnit, Site
from tenants.registry.services.sites import apply_for_site, approve_site_application

from jiyue.lib.management import JiyueBaseCommand


class Command(JiyueBaseCommand):
    help = "登记网站开办申请 (register a site application); --approve-as to approve it at once"

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="开办单位代码")
        parser.add_argument("--name", required=True)
        parser.add_argument("--code", required=True, help="网站代号")
        parser.add_argument("--host", action="append", required=True, help="域名，可重复，第一个为主域名")
        parser.add_argument("--sponsor", required=True, help="主办单位")
        parser.add_argument("--operator", default="")
        parser.add_argument("--identity-code", default=None, help="网站标识码")
        parser.add_argument("--parent", default=None, help="上级网站代号")
        parser.add_argument("--approve-as", default=None, help="以该用户名批准（省级审批人员）")

    def handle(self, *args, **options):
        from django.core.management.base import CommandError

        from jiyue.identity.models import User

        try:
            unit = OrgUnit.objects.get(code=options["unit"])
        except OrgUnit.DoesNotExist:
            raise CommandError(f"单位代码不存在：{options['unit']}") from None
        parent = None
        if options["parent"]:
            parent = Site.objects.filter(short_code=options["parent"]).first()
            if parent is None:
                raise CommandError(f"上级网站代号不存在：{options['parent']}")
        site = apply_for_site(
            acting_user=None, org_unit=unit, name=options["name"], short_code=options["code"],
            hosts=options["host"], sponsor=options["sponsor"], operator=options["operator"],
            identity_code=options["identity_code"], parent=parent,
        )
        if options["approve_as"]:
            approver = User.objects.filter(username=options["approve_as"]).first()
            if approver is None:
                raise CommandError(f"用户不存在：{options['approve_as']}")
            approve_site_application(site, acting_user=approver)
        self.stdout.write(f"{site.short_code}\t{site.get_status_display()}")
