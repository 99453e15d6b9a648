"""Stage runs: the progress the console and the CLI show, and the issues kept for the report."""
import datetime
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import JobIssue, RunState, StageRun

# A run whose heartbeat is older than this was killed (a live run beats every batch).
STALE_AFTER = datetime.timedelta(minutes=10)
LOCK_CLASS = 0x4A59  # advisory lock namespace of migration jobs ("JY")


@contextmanager
def job_lock(job):
    """One stage of a job runs at a time: a PostgreSQL advisory lock on the session,
    released when the session ends, so also when the process is killed."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [LOCK_CLASS, job.pk])
        if not cursor.fetchone()[0]:
            raise ValidationError(_("A stage of %(job)s is running already; wait for it to finish") % {"job": job.code})
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_CLASS, job.pk])


def run_stage(job, stage: str, work, *, acting_user=None, progress_callback=None) -> StageRun:
    """Run `work(progress)` as a new StageRun of `stage` under the job's lock; `work`
    returns None when the stage is complete, else why it stopped."""
    with job_lock(job):
        run = begin_run(job, stage, acting_user=acting_user)
        progress = Progress(run, progress_callback)
        try:
            stopped = work(progress)
        except Exception as error:
            progress.finish(RunState.FAILED, str(error))
            raise
        progress.finish(RunState.DONE if stopped is None else RunState.STOPPED, stopped)
        return run


class Progress:
    """Updates one StageRun (and an optional callback, the CLI's progress bar)."""

    def __init__(self, run: StageRun, callback=None):
        self.run = run
        self.callback = callback

    def update(self, done: int, total: int | None, message: str = "") -> None:
        self.run.done, self.run.total, self.run.message = done, total, message[:300]
        StageRun.objects.filter(pk=self.run.pk).update(done=done, total=total, message=self.run.message,
                                                       heartbeat_at=timezone.now())
        if self.callback is not None:
            self.callback(done, total, message)

    def finish(self, state: str = RunState.DONE, message: str | None = None) -> None:
        if message is not None:
            self.run.message = message[:300]
        self.run.state, self.run.finished_at = state, timezone.now()
        StageRun.objects.filter(pk=self.run.pk).update(state=state, finished_at=self.run.finished_at,
                                                       message=self.run.message, heartbeat_at=timezone.now())


def begin_run(job, stage: str, *, acting_user=None) -> StageRun:
    """A new run; earlier runs of the stage that stopped beating are marked stopped."""
    with transaction.atomic():
        StageRun.objects.filter(job=job, stage=stage, state=RunState.RUNNING,
                                heartbeat_at__lt=timezone.now() - STALE_AFTER).update(
            state=RunState.STOPPED, finished_at=timezone.now())
        user = acting_user if acting_user is not None and acting_user.is_authenticated else None
        return StageRun.objects.create(job=job, stage=stage, started_by=user)


def record_issue(job, stage: str, message: str, url: str = "") -> None:
    JobIssue.objects.create(job=job, stage=stage, url=url, message=str(message)[:500])


def latest_runs(job) -> dict[str, StageRun]:
    runs = {}
    for run in StageRun.objects.filter(job=job).order_by("-started_at", "-id"):
        runs.setdefault(run.stage, run)
    return runs
