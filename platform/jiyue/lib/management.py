"""The base of Jiyue's management commands (Zulip's ZulipBaseCommand in our words):
the shared --site argument and its lookup, and one-line errors with a non-zero exit."""
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext


class JiyueBaseCommand(BaseCommand):
    def create_parser(self, prog_name, subcommand, **kwargs):
        # Commands declare `help = gettext_lazy(...)`; argparse cannot take a lazy
        # string, so it is translated here, when the parser is built.
        self.help = str(self.help)
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_site_argument(self, parser, required=True):
        parser.add_argument("--site", required=required, help=_("the site's short code"))

    def get_site(self, options):
        from tenants.registry.models import Site

        code = options.get("site")
        try:
            return Site.objects.get(short_code=code)
        except Site.DoesNotExist:
            raise CommandError(_("No site has the short code: %(code)s") % {"code": code}) from None

    def execute(self, *args, **options):
        # Commands speak the platform's language, also when called from code that has
        # activated another (a request of an English browser, call_command in a task).
        with translation.override(settings.LANGUAGE_CODE):
            return self._execute(*args, **options)

    def _execute(self, *args, **options):
        try:
            return super().execute(*args, **options)
        except (ValidationError, PermissionDenied) as error:
            messages = error.messages if isinstance(error, ValidationError) else [str(error)]
            raise CommandError(pgettext("separator of error messages", "; ").join(messages)) from None
