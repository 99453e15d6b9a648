from pathlib import Path

from django.core.management.base import CommandError

from jiyue.lib.management import JiyueBaseCommand
from tenants.checks.models import Dictionary, DictionaryKind
from tenants.checks.services.dictionaries import create_dictionary, import_csv


class Command(JiyueBaseCommand):
    help = "导入检查词库 CSV，生成新版本 (import a dictionary CSV as a new version); 词库不存在时用 --kind 新建"

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="词库名称")
        parser.add_argument("--file", required=True, help="CSV 文件（UTF-8）")
        parser.add_argument("--kind", choices=list(DictionaryKind.values), help="新建词库时的类型")
        self.add_site_argument(parser, required=False)
        parser.add_argument("--note", default="", help="版本说明")

    def handle(self, *args, **options):
        site = self.get_site(options) if options["site"] else None
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        dictionary = Dictionary.objects.filter(site=site, name=options["name"]).first()
        if dictionary is None:
            if not options["kind"]:
                raise CommandError(f"词库“{options['name']}”不存在；新建时须用 --kind 指定类型")
            dictionary = create_dictionary(acting_user=None, name=options["name"], kind=options["kind"], site=site)
        version = import_csv(dictionary, path.read_bytes(), acting_user=None, note=options["note"] or path.name)
        self.stdout.write(f"{dictionary.name}\t第{version.number}版\t{version.term_count}个词条")
