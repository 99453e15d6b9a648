"""Celery tasks of the site lifecycle; each calls services.schedule."""
from jiyue.celery_app import app


@app.task
def run_lifecycle_schedule_task() -> dict:
    from .services.schedule import run_lifecycle_schedule

    return run_lifecycle_schedule()


@app.task
def remove_orphaned_files_task() -> int:
    from .services.schedule import remove_orphaned_files

    return remove_orphaned_files()
