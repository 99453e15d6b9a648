"""The pipeline's stages as Celery tasks, for the console: each is resumable, so a task
is acknowledged late and a worker killed mid-stage hands it on to be run again."""
from jiyue.celery_app import app

STAGES = ("crawl", "extract", "map", "import")


@app.task(acks_late=True, reject_on_worker_lost=True)
def run_migration_stage(job_id: int, stage: str, user_id: int | None = None, then: tuple = ()) -> str:
    """Run one stage of a job, then the stages in `then` (the console's "run all")."""
    from django.contrib.auth import get_user_model
    from django.core.exceptions import ValidationError

    from .models import MigrationJob, RunState
    from .services.crawl import run_crawl
    from .services.extraction import run_extract
    from .services.importing import run_import
    from .services.mapping import run_map

    job = MigrationJob.objects.select_related("target_site").get(pk=job_id)
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    runners = {"crawl": run_crawl, "extract": lambda job, **kw: run_extract(job, processes=1, **kw),
               "map": run_map, "import": run_import}
    try:
        run = runners[stage](job, acting_user=user)
    except ValidationError:
        # Another stage of the job holds its lock (or Redis redelivered this task after
        # its visibility timeout while the first delivery still runs): leave it be.
        return "busy"
    if run.state == RunState.DONE and then:
        run_migration_stage.delay(job_id, then[0], user_id, tuple(then[1:]))
    return run.state
