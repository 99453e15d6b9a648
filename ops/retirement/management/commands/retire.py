"""jiyue retire create CODE --name NAME --target SITE --start URL [--start URL …] [--allow HOST …]
jiyue retire crawl CODE [--max-batches N]
jiyue retire extract CODE [--again]
jiyue retire rule CODE (--prefix P | --regex R | --column-path P | --column-name N) [--column ID] [--type T]
jiyue retire dry-run CODE
jiyue retire map CODE
jiyue retire mapping-export CODE FILE / mapping-import CODE FILE
jiyue retire import CODE [--max-pages N]
jiyue retire redirect CODE [--host HOST=ORIGIN …]
jiyue retire run CODE            (crawl, extract, map and import in turn)
jiyue retire report CODE [--csv FILE] [--xlsx FILE]
jiyue retire status CODE
jiyue retire list

Each stage is resumable: run it again after a stop, a kill or a failure. Progress goes
to standard error (a bar on a terminal, a line per batch otherwise)."""
import sys
import time

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

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
        extract = actions.add_parser("extract", help=_("extract the archived pages (resumes where it stopped)"))
        extract.add_argument("code")
        extract.add_argument("--again", action="store_true", help=_("extract every page again"))
        rule = actions.add_parser("rule", help=_("add a mapping rule (the first matching rule wins)"))
        rule.add_argument("code")
        kinds = rule.add_mutually_exclusive_group(required=True)
        kinds.add_argument("--prefix", help=_("old URL paths starting with this"))
        kinds.add_argument("--regex", help=_("old URLs matching this regular expression"))
        kinds.add_argument("--column-path", help=_("pages of this old column path"))
        kinds.add_argument("--column-name", help=_("pages of this old column name"))
        rule.add_argument("--column", type=int, help=_("id of the target column (none: archive only)"))
        rule.add_argument("--type", default="", help=_("content type: article, policy or announcement"))
        rule.add_argument("--note", default="")
        dry = actions.add_parser("dry-run", help=_("show what the rules would import"))
        dry.add_argument("code")
        mapping = actions.add_parser("map", help=_("map every old URL (unresolved until imported)"))
        mapping.add_argument("code")
        export = actions.add_parser("mapping-export", help=_("write the URL mapping as CSV (old_url,new_url,note)"))
        export.add_argument("code")
        export.add_argument("file")
        load = actions.add_parser("mapping-import", help=_("apply an edited URL mapping CSV"))
        load.add_argument("code")
        load.add_argument("file")
        importing = actions.add_parser("import", help=_("import the mapped pages into the target site"))
        importing.add_argument("code")
        importing.add_argument("--max-pages", type=int, help=_("stop after writing this many pages"))
        redirect = actions.add_parser("redirect", help=_("answer the old hosts with the URL mapping"))
        redirect.add_argument("code")
        redirect.add_argument("--host", action="append", default=[], metavar="HOST=ORIGIN",
                              help=_("an old host and the origin it was crawled under (default: the crawled hosts)"))
        run = actions.add_parser("run", help=_("crawl, extract, map and import in turn"))
        run.add_argument("code")
        report = actions.add_parser("report", help=_("show the migration report"))
        report.add_argument("code")
        report.add_argument("--csv", help=_("also write it as CSV to this file"))
        report.add_argument("--xlsx", help=_("also write it as xlsx to this file"))
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

        self._stage(_("Crawl"), run_crawl, self._job(options["code"]), max_batches=options["max_batches"])

    def _stage(self, label, function, job, **kwargs):
        bar = ProgressBar(sys.stderr, label)
        try:
            run = function(job, progress_callback=bar, **kwargs)
        finally:
            bar.close()
        self.stdout.write(f"{label}: {run.get_state_display()}: {run.message}")
        return run

    def _extract(self, options):
        from ...services.extraction import run_extract

        self._stage(_("Extract"), run_extract, self._job(options["code"]), again=options["again"])

    def _rule(self, options):
        from ...models import RuleMatch
        from ...services.mapping import add_rule

        kind, pattern = next((kind, options[key]) for key, kind in (
            ("prefix", RuleMatch.URL_PREFIX), ("regex", RuleMatch.URL_REGEX), ("column_path", RuleMatch.COLUMN_PATH),
            ("column_name", RuleMatch.COLUMN_NAME)) if options[key])
        rule = add_rule(self._job(options["code"]), acting_user=None, match_on=kind, pattern=pattern,
                        target_column_id=options["column"], content_type=options["type"], note=options["note"])
        self.stdout.write(_("Rule %(position)s: %(pattern)s → %(column)s") % {
            "position": rule.position, "pattern": rule.pattern, "column": rule.target_column_title or "—"})

    def _dry_run(self, options):
        from ...services.mapping import dry_run

        result = dry_run(self._job(options["code"]))
        for rule, count in result.per_rule:
            self.stdout.write(f"{rule.position}. {rule.get_match_on_display()} {rule.pattern} → "
                              f"{rule.target_column_title or '—'}: {count}")
        self.stdout.write(_("Unmapped pages: %(count)s") % {"count": len(result.unmapped)})
        for page in result.unmapped[:50]:
            self.stdout.write(f"  {page.url}  {page.title}")

    def _map(self, options):
        from ...services.mapping import run_map

        self._stage(pgettext("migration stage", "Map"), run_map, self._job(options["code"]))

    def _mapping_export(self, options):
        from ...services.mapping import export_csv

        with open(options["file"], "wb") as handle:
            handle.write(export_csv(self._job(options["code"])))

    def _mapping_import(self, options):
        from ...services.mapping import import_csv

        try:
            with open(options["file"], "rb") as handle:
                data = handle.read()
        except OSError as error:
            raise CommandError(_("Cannot read %(file)s: %(error)s") % {"file": options["file"], "error": error}) from None
        result = import_csv(self._job(options["code"]), data, acting_user=None)
        for line in result.errors:
            self.stderr.write(line)
        self.stdout.write(_("%(applied)s rows applied, %(broken)s broken rows skipped") % {
            "applied": result.applied, "broken": len(result.errors)})
        if result.errors:
            sys.exit(2)

    def _import(self, options):
        from ...services.importing import run_import

        self._stage(_("Import"), run_import, self._job(options["code"]), max_pages=options["max_pages"])

    def _redirect(self, options):
        from ...services.redirects import retire_hosts

        hosts = None
        if options["host"]:
            hosts = {}
            for value in options["host"]:
                host, sep, origin = value.partition("=")
                if not sep or not origin.startswith(("http://", "https://")):
                    raise CommandError(_("Give --host as HOST=ORIGIN, e.g. www.old.gov.cn=http://www.old.gov.cn"))
                hosts[host.strip()] = origin.strip()
        rows = retire_hosts(self._job(options["code"]), acting_user=None, hosts=hosts)
        for row in rows:
            self.stdout.write(_("%(host)s now answers from the URL mapping; its home goes to %(home)s") % {
                "host": row.host, "home": row.home_url})

    def _run(self, options):
        from ...services.crawl import run_crawl
        from ...services.extraction import run_extract
        from ...services.importing import run_import
        from ...services.mapping import run_map

        job = self._job(options["code"])
        for label, function in ((_("Crawl"), run_crawl), (_("Extract"), run_extract),
                                (pgettext("migration stage", "Map"), run_map), (_("Import"), run_import)):
            run = self._stage(label, function, job)
            if run.state != "done":
                raise CommandError(_("%(stage)s did not finish: %(message)s") % {"stage": label,
                                                                                 "message": run.message})

    def _report(self, options):
        from ...reports import build_report, report_csv, report_xlsx

        job = self._job(options["code"])
        report = build_report(job)
        for label, value in report.totals.items():
            self.stdout.write(f"{label}: {value}")
        for row in report.by_rule:
            self.stdout.write(f"  {row.label}: " + ", ".join(f"{key} {value}" for key, value in row.counts.items()))
        for option, build in (("csv", report_csv), ("xlsx", report_xlsx)):
            if options[option]:
                with open(options[option], "wb") as handle:
                    handle.write(build(job))

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
