"""Celery tasks of the provisioning pipeline; each calls one service."""
from django.db import OperationalError

from jiyue.celery_app import app


@app.task(bind=True, acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def provision_site_task(self, job_id: int) -> str:
    from .services.provision import run_provisioning_job

    return run_provisioning_job(job_id).status
