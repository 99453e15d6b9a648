"""Celery task of scheduled publishing (定时发布/到期下线), sent by the beat schedule
every minute (CELERY_BEAT_SCHEDULE "publish-scheduled-pages")."""
from django_tenants.utils import get_public_schema_name, schema_context

from jiyue.celery_app import app


@app.task(acks_late=True)
def publish_scheduled_pages() -> dict:
    """Run Wagtail's `publish_scheduled` in each provisioned site that has something due
    (one query finds them; see services/scheduling.py)."""
    from .services.scheduling import publish_scheduled_in_every_site

    # Beat sends it without a schema; the loop enters each site's schema itself.
    with schema_context(get_public_schema_name()):
        return publish_scheduled_in_every_site().as_dict()
