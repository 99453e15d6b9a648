"""jiyue retire create CODE --name NAME --target SITE --start URL [--start URL …] [--allow HOST …]
jiyue retire crawl CODE [--max-batches N]
jiyue retire status CODE
jiyue retire list

Each stage is resumable: run it again after a stop, a kill or a failure. Progress goes
to standard error (a bar on a terminal, a line per batch otherwise)."""
import sys
import time

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiyue.lib.management import JiyueBaseCommand


class ProgressBar:
    def __init__(self, stream, label: str):
        self.stream, self.label = stream, label
        self.tty = stream.isatty()
        self.shown_at = 0.0

    def __call__(self, done: int, total: int | None, message: str) -> None:
        now = time.monotonic()
        if not self.tty and now - self.shown_at < 1.0:
            return
        self.shown_at = now
        if total:
            filled = int(30 * done / total)
            bar = f"[{'#' * filled}{'.' * (30 - filled)}] {done}/{total}"
        else:
            bar = f"{done}"
        line = f"{self.label} {bar} {message}"
        self.stream.write(f"\r{line[:150]:150s}" if self.tty else line + "\n")
        self.stream.flush()

    def close(self) -> None:
        if self.tty:
            self.stream.write("\n")


class Command(JiyueBaseCommand):
    help = gettext_lazy("Migrate a retired site into the platform: crawl and archive, extract, map, import, redirect")

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help=_("create a migration job"))
        create.add_argument("code", help=_("the job's code (letters, digits, hyphens)"))
        create.add_argument("--name", required=True, help=_("the retired site's name"))
        create.add_argument("--target", required=True, help=_("short code of the site that receives the content"))
        create.add_argument("--source", help=_("short code of the retired site, if it is one of the platform's"))
        create.add_argument("--start", action="append", required=True, help=_("a start URL (repeatable)"))
        create.add_argument("--allow", action="append", default=[],
                            help=_("an allowed host, or *.domain for its subdomains (default: the start URLs' hosts)"))
        create.add_argument("--ignore-robots", metavar="REASON",
                            help=_("ignore robots.txt, for the reason given (recorded)"))
        create.add_argument("--rate", type=float, help=_("requests per second per host"))
        create.add_argument("--concurrency", type=int, help=_("parallel requests per host"))
        create.add_argument("--max-pages", type=int, help=_("the most URLs fetched"))
        create.add_argument("--max-depth", type=int, help=_("the deepest link level followed"))
        create.add_argument("--timeout", type=float, help=_("seconds a request may take"))
        crawl = actions.add_parser("crawl", help=_("crawl and archive as WARC (resumes where it stopped)"))
        crawl.add_argument("code")
        crawl.add_argument("--max-batches", type=int, help=_("stop after this many batches"))
        status = actions.add_parser("status", help=_("show a job's stages and counts"))
        status.add_argument("code")
        actions.add_parser("list", help=_("list the migration jobs"))

    def handle(self, *args, **options):
        return getattr(self, f"_{options['action'].replace('-', '_')}")(options)

    def _job(self, code):
        from ...models import MigrationJob

        try:
            return MigrationJob.objects.select_related("target_site", "source_site").get(code=code)
        except MigrationJob.DoesNotExist:
            raise CommandError(_("No migration job has the code “%(code)s”") % {"code": code}) from None

    def _site(self, code):
        return self.get_site({"site": code})

    def _create(self, options):
        from ...services.jobs import create_job

        job = create_job(
            acting_user=None, code=options["code"], name=options["name"], target_site=self._site(options["target"]),
            source_site=self._site(options["source"]) if options["source"] else None,
            start_urls=options["start"], allowed_hosts=options["allow"],
            ignore_robots=bool(options["ignore_robots"]), ignore_robots_reason=options["ignore_robots"] or "",
            requests_per_second=options["rate"], concurrency=options["concurrency"],
            max_pages=options["max_pages"], max_depth=options["max_depth"], timeout_seconds=options["timeout"])
        self.stdout.write(_("Created migration job %(code)s: %(hosts)s → %(site)s") % {
            "code": job.code, "hosts": ", ".join(job.allowed_hosts), "site": job.target_site.name})

    def _crawl(self, options):
        from ...services.crawl import run_crawl

        job = self._job(options["code"])
        bar = ProgressBar(sys.stderr, _("Crawl"))
        try:
            run = run_crawl(job, progress_callback=bar, max_batches=options["max_batches"])
        finally:
            bar.close()
        self.stdout.write(f"{run.get_state_display()}: {run.message}")

    def _status(self, options):
        from ...queries import job_counts
        from ...services.runs import latest_runs

        job = self._job(options["code"])
        self.stdout.write(f"{job.name} ({job.code}) → {job.target_site.name}")
        for stage, run in latest_runs(job).items():
            self.stdout.write(f"  {run.get_stage_display()}: {run.get_state_display()} {run.done}/{run.total or '?'}"
                              f" {run.message}")
        for label, value in job_counts(job).items():
            self.stdout.write(f"  {label}: {value}")

    def _list(self, options):
        from ...models import MigrationJob

        for job in MigrationJob.objects.select_related("target_site"):
            self.stdout.write(f"{job.code}\t{job.name}\t{job.target_site.short_code}")
