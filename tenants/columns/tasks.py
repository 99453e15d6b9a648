"""Tasks that run inside one site's schema. tenant-schemas-celery carries the schema
of the sender in the task's headers; the worker switches to it before the task runs."""
from django.db import connection

from jiyue.celery_app import app


@app.task
def summarize_site_tree() -> dict:
    """A health probe for ops: which schema the task ran in, the site's host and how
    many pages it has."""
    from wagtail.models import Page
    from wagtail.models import Site as WagtailSite

    site = WagtailSite.objects.filter(is_default_site=True).first()
    return {
        "schema": connection.schema_name,
        "hostname": site.hostname if site else None,
        "pages": Page.objects.count(),
    }
