"""The base of Jiyue's management commands (Zulip's ZulipBaseCommand in our words):
the shared --site argument and its lookup, and one-line errors with a non-zero exit."""
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError


class JiyueBaseCommand(BaseCommand):
    def add_site_argument(self, parser, required=True):
        parser.add_argument("--site", required=required, help="网站代号 (short code)")

    def get_site(self, options):
        from tenants.registry.models import Site

        code = options.get("site")
        try:
            return Site.objects.get(short_code=code)
        except Site.DoesNotExist:
            raise CommandError(f"网站代号不存在：{code}") from None

    def execute(self, *args, **options):
        try:
            return super().execute(*args, **options)
        except (ValidationError, PermissionDenied) as error:
            messages = error.messages if isinstance(error, ValidationError) else [str(error)]
            raise CommandError("；".join(messages)) from None
