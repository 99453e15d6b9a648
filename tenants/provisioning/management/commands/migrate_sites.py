import sys

from django.core.management.base import CommandError

from jiyue.lib.management import JiyueBaseCommand
from tenants.schemas.migrate import migrate_all


class Command(JiyueBaseCommand):
    help = "迁移公共schema、模板schema和全部网站schema（跳过无需迁移的schema，可重复执行）"

    def add_arguments(self, parser):
        parser.add_argument("--workers", type=int, default=None, help="并行迁移网站schema的线程数")

    def handle(self, *args, **options):
        report = migrate_all(workers=options["workers"], progress=lambda line: self.stdout.write(line))
        self.stdout.write(
            f"完成：{report.sites_total}个网站，跳过{report.skipped}，重放{report.replayed}，"
            f"完整迁移{report.migrated_fully}，失败{len(report.failed)}，用时{report.seconds:.1f}秒")
        if report.failed:
            for schema, error in sorted(report.failed.items()):
                sys.stderr.write(f"{schema}: {error}\n")
            raise CommandError(f"{len(report.failed)}个schema迁移失败，修复后可重新运行")
