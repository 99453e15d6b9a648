"""Carry stored resources up to a new metadata schema version (lib/metadata_schema.py):
in batches of one transaction each, so an upgrade stopped half-way is resumed by running
it again; each upgraded resource is validated again and gets a version of kind
元数据规范已升级."""
from django.db import transaction

from ..lib import metadata_schema
from ..models import Resource
from ..models.resources import VersionKind
from .ingest import add_version


def upgrade_resources(to_version: int = metadata_schema.CURRENT_VERSION, *, batch_size: int = 500,
                      progress=None) -> int:
    upgraded = 0
    while True:
        with transaction.atomic():
            batch = list(Resource.objects.select_for_update(skip_locked=True)
                         .filter(schema_version__lt=to_version).order_by("pk")[:batch_size])
            if not batch:
                return upgraded
            for resource in batch:
                resource.metadata = metadata_schema.upgrade(resource.metadata, to_version)
                resource.schema_version = to_version
                resource.schema_issues = [issue.as_dict() for issue in metadata_schema.validate(resource.metadata)]
                add_version(resource, kind=VersionKind.UPGRADE, event_id=None, revision_id=None)
        upgraded += len(batch)
        if progress is not None:
            progress(upgraded)
