"""Stage runs: the progress the console and the CLI show, and the issues kept for the report."""
import datetime

from django.db import transaction
from django.utils import timezone

from ..models import JobIssue, RunState, StageRun

# A run whose heartbeat is older than this was killed (a live run beats every batch).
STALE_AFTER = datetime.timedelta(minutes=10)


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
