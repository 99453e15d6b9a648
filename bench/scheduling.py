"""Benchmark: one beat of scheduled publishing across many sites
(python -m bench.scheduling [--quick]).

Builds N online sites (50 with --quick, 200 otherwise; not timed, as bench.migrate
builds them), then gives a few of them (--due, 5 by default, spread over the range)
one article each, submitted, approved for a go-live time an hour ahead, and then moved
into the past, as the tests do: a due scheduled revision. Timed, each time with the
same due work re-armed (a new scheduled article in each of those sites):

1. `beat_s`: ``publish_scheduled_in_every_site()``, the beat's service (one due-work
   query, then only the due sites are entered); the median of --runs runs;
2. `every_site_s`: the way before it, each provisioned site entered in turn:
   ``with tenant_context(site): publish_scheduled_in_site()``; median of --old-runs.

`idle_beat_s` and `idle_every_site_s` are the same with nothing due, the usual minute.
Each new-path run is checked: exactly the due sites entered, none failed, the articles
live afterwards. See bench/README.md."""
from __future__ import annotations

import argparse
import sys
import time
from datetime import timedelta

from ._db import emit, log, migrate_in_process, p50, prepare
from .migrate import BUILDERS, build_sites

DATABASE = "jiyue_bench_scheduling"


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.scheduling")
    parser.add_argument("--quick", action="store_true", help="50 sites instead of 200")
    parser.add_argument("--sites", type=int, default=None, help="override the number of sites")
    parser.add_argument("--due", type=int, default=5, help="sites with one due scheduled page")
    parser.add_argument("--runs", type=int, default=5, help="timed beat runs (new path)")
    parser.add_argument("--old-runs", type=int, default=3, help="timed runs of the old way")
    parser.add_argument("--build", choices=sorted(BUILDERS), default="clone",
                        help="how sites are made (not timed); default clone, as bench.migrate --quick")
    parser.add_argument("--build-workers", type=int, default=3, help="processes building sites (not timed)")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database afterwards")
    args = parser.parse_args(argv)
    count = args.sites or (50 if args.quick else 200)
    if not 0 < args.due <= count:
        parser.error("--due must be between 1 and the number of sites")

    env = prepare(DATABASE, keep=args.keep)
    try:
        result = run(count, due=args.due, runs=args.runs, old_runs=args.old_runs, build=args.build,
                     build_workers=args.build_workers)
    finally:
        env.cleanup()
    emit(result)
    if "error" in result:
        sys.exit(1)


class Schedules:
    """An editor and a reviewer in each due site, and the scheduled articles made there."""

    def __init__(self, sites):
        from jiyue.identity.models import SiteRole
        from jiyue.identity.services.roles import grant_site_role
        from jiyue.identity.services.users import create_user

        self.sites = sites
        self.editor = create_user("bench_editor", "Bench-editor-2026", full_name="编辑", validate=False)
        self.reviewer = create_user("bench_reviewer", "Bench-reviewer-2026", full_name="审核", validate=False)
        for site in sites:
            grant_site_role(self.editor, site, SiteRole.EDITOR, acting_user=None)
            grant_site_role(self.reviewer, site, SiteRole.REVIEWER, acting_user=None)
        self.pages = {}  # schema -> page ids made due
        self.counter = 0

    def arm(self) -> None:
        """One new due scheduled article in each due site."""
        from django_tenants.utils import tenant_context

        self.counter += 1
        for site in self.sites:
            with tenant_context(site):
                self.pages.setdefault(site.schema_name, []).append(self._scheduled_article())

    def _scheduled_article(self) -> int:
        from django.utils import timezone
        from wagtail.models import Page, Revision

        from tenants.columns.models import ColumnPage
        from tenants.content.models import ArticlePage
        from tenants.review.services.approval import approve_current_step
        from tenants.review.services.submission import submit_for_review

        parent = ColumnPage.objects.filter(slug__in=["zwyw", "gzdt", "zcwj"]).order_by("slug").first()
        page = ArticlePage(title=f"定时发布的新闻{self.counter}", body=[("paragraph", "<p>正文</p>")], live=False,
                           go_live_at=timezone.now() + timedelta(hours=1))
        parent.add_child(instance=page)
        page.save_revision(user=self.editor)
        submit_for_review(page, acting_user=self.editor)
        approve_current_step(page, acting_user=self.reviewer, secrecy_confirmed=True,
                             acknowledge_warnings=False, comment="")
        # The go-live time comes: moved into the past, in the revision and on the page.
        when = timezone.now() - timedelta(minutes=1)
        scheduled = Revision.page_revisions.filter(object_id=str(page.pk), approved_go_live_at__isnull=False)
        if not scheduled.exists():
            raise RuntimeError(f"article {page.pk} was not scheduled by its approval")
        for revision in scheduled:
            Revision.objects.filter(pk=revision.pk).update(
                approved_go_live_at=when, content=dict(revision.content, go_live_at=when.isoformat()))
        Page.objects.filter(pk=page.pk).update(go_live_at=when)
        return page.pk

    def all_live(self) -> bool:
        from django_tenants.utils import tenant_context
        from wagtail.models import Page

        for site in self.sites:
            with tenant_context(site):
                ids = self.pages.get(site.schema_name, [])
                if Page.objects.filter(pk__in=ids, live=True).count() != len(ids):
                    return False
        return True


def every_site_the_old_way(sites) -> None:
    """Before the due-work query: every provisioned site entered, every minute."""
    from django_tenants.utils import tenant_context

    from tenants.content.services.scheduling import publish_scheduled_in_site

    for site in sites:
        with tenant_context(site):
            publish_scheduled_in_site()


def run(count: int, *, due: int, runs: int, old_runs: int, build: str, build_workers: int) -> dict:
    from tenants.content.services.scheduling import publish_scheduled_in_every_site
    from tenants.registry.models import Site
    from tenants.registry.models.sites import PROVISIONED_STATUSES

    started = time.monotonic()
    migrate_in_process()
    result = {"bench": "scheduling", "sites": count, "due_sites": due, "beat_s": None, "every_site_s": None,
              "ratio": None, "build": build}
    try:
        result["build_s"] = round(build_sites(count, build_workers, build), 1)
    except Exception as error:  # a site that cannot be built is a finding too
        log(f"building sites failed: {error!r}")
        result.update(error=f"building sites ({build}) failed: {error!r}"[:500], ok=False)
        return result
    sites = list(Site.objects.filter(status__in=PROVISIONED_STATUSES).order_by("pk"))
    step = len(sites) / due
    due_sites = [sites[int(index * step + step / 2)] for index in range(due)]
    schedules = Schedules(due_sites)
    expected = sorted(site.schema_name for site in due_sites)
    problems = []

    def timed(function):
        t0 = time.perf_counter()
        value = function()
        return time.perf_counter() - t0, value

    log(f"{count} sites; {due} with a due scheduled page: {', '.join(expected)}")
    publish_scheduled_in_every_site()  # warm-up: imports, content types, connection
    beat, idle_beat = [], []
    for number in range(runs):
        schedules.arm()
        seconds, beat_run = timed(publish_scheduled_in_every_site)
        beat.append(seconds)
        if sorted(beat_run.due) != expected or beat_run.failed or beat_run.sites != count:
            problems.append(f"beat run {number + 1}: checked {beat_run.sites}, entered {beat_run.due}, "
                            f"failed {beat_run.failed}")
        if not schedules.all_live():
            problems.append(f"beat run {number + 1}: a due article is not live")
        seconds, idle_run = timed(publish_scheduled_in_every_site)
        idle_beat.append(seconds)
        if idle_run.due:
            problems.append(f"idle beat run {number + 1} entered {idle_run.due}")
        log(f"beat run {number + 1}/{runs}: {beat[-1]:.3f}s with {due} due, {idle_beat[-1]:.3f}s idle")

    old, idle_old = [], []
    for number in range(old_runs):
        schedules.arm()
        old.append(timed(lambda: every_site_the_old_way(sites))[0])
        if not schedules.all_live():
            problems.append(f"old-way run {number + 1}: a due article is not live")
        idle_old.append(timed(lambda: every_site_the_old_way(sites))[0])
        log(f"old way {number + 1}/{old_runs}: {old[-1]:.3f}s with {due} due, {idle_old[-1]:.3f}s idle")

    result.update({
        "beat_s": p50(beat),
        "every_site_s": p50(old),
        "ratio": round(p50(old) / p50(beat), 1),
        "idle_beat_s": p50(idle_beat),
        "idle_every_site_s": p50(idle_old),
        "idle_ratio": round(p50(idle_old) / p50(idle_beat), 1),
        "beat_runs": runs,
        "every_site_runs": old_runs,
        "timed": "publish_scheduled_in_every_site() vs tenant_context + publish_scheduled_in_site() per site",
        "total_s": round(time.monotonic() - started, 1),
    })
    if problems:
        result["error"] = "; ".join(problems)[:1000]
    result["ok"] = not problems
    return result


if __name__ == "__main__":
    main()
