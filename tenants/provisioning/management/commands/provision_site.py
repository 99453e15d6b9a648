from django.core.management.base import CommandError

from jiyue.lib.management import JiyueBaseCommand
from tenants.provisioning.models import JobStatus
from tenants.provisioning.services.provision import request_provisioning, run_provisioning_job


class Command(JiyueBaseCommand):
    help = "开通已批准的网站（克隆模板schema）；默认在本进程内执行，--queue 交给Celery"

    def add_arguments(self, parser):
        self.add_site_argument(parser)
        parser.add_argument("--queue", action="store_true", help="提交给Celery worker执行")

    def handle(self, *args, **options):
        site = self.get_site(options)
        job = request_provisioning(site, acting_user=None)
        if options["queue"]:
            self.stdout.write(f"已提交开通任务 {job.pk}")
            return
        job = run_provisioning_job(job.pk)
        if job.status != JobStatus.SUCCEEDED:
            raise CommandError(f"开通失败：{job.error}")
        self.stdout.write(f"{site.short_code}\t已开通\t{job.duration_ms} ms")
