"""Reads of the publish-event outbox."""
from django.conf import settings
from django.db import connection
from django.db.models import Count
from django_tenants.utils import get_public_schema_name

from tenants.registry.models import Site

from .models import EventStatus, PublishEvent


def site_of_current_schema() -> Site | None:
    """The site whose schema the connection is in; None in the public schema, in a
    template schema, or in a schema that no site owns."""
    schema = connection.schema_name
    if schema == get_public_schema_name() or schema in settings.JIYUE_TEMPLATE_SCHEMAS.values():
        return None
    tenant = getattr(connection, "tenant", None)
    if isinstance(tenant, Site) and tenant.pk is not None and tenant.schema_name == schema:
        return tenant
    # schema_context() leaves a FakeTenant on the connection: look the site up.
    return Site.objects.filter(schema_name=schema).first()


def outbox_counts() -> dict[str, int]:
    """Number of events per status (every status present, zero if none)."""
    counts = dict(PublishEvent.objects.values_list("status").annotate(n=Count("id")).order_by())
    return {status: counts.get(status, 0) for status in EventStatus.values}


def failed_events(site: Site | None = None):
    events = PublishEvent.objects.filter(status=EventStatus.FAILED).select_related("site")
    return events.filter(site=site) if site is not None else events


def page_events(site: Site, page_id: int):
    """The events of one page of a site, oldest first."""
    return PublishEvent.objects.filter(site=site, page_id=page_id).order_by("id")
