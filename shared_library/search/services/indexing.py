"""Rebuild the search index from the library, in batches of one transaction each.

Without `full`, a resource is (re)indexed when its row is missing, older than the
resource (`source_updated_at`) or of an older INDEX_FORMAT, and a row is dropped when
its resource is no longer searchable: a run stopped half-way is resumed by running it
again, and finds nothing to do the second time. `full` re-segments every resource;
`after` resumes a full run after the last resource id it reported."""
from dataclasses import dataclass

from django.db import transaction

from shared_library.resources.models import Resource

from ..backends import get_backend
from ..backends.postgres import is_searchable
from ..models import INDEX_FORMAT, SearchEntry

BATCH_SIZE = 500


@dataclass
class ReindexProgress:
    checked: int = 0
    indexed: int = 0
    removed: int = 0
    total: int = 0
    last_id: int = 0


def _needs_work(resource, entry) -> bool:
    if not is_searchable(resource):
        return entry is not None
    return entry is None or entry[0] != resource.updated_at or entry[1] != INDEX_FORMAT


def reindex(*, site=None, full: bool = False, after: int = 0, batch_size: int = BATCH_SIZE,
            progress=None) -> ReindexProgress:
    backend = get_backend()
    resources = Resource.objects.order_by("pk")
    if site is not None:
        resources = resources.filter(site=site)
    state = ReindexProgress(total=resources.filter(pk__gt=after).count(), last_id=after)
    while True:
        with transaction.atomic():
            batch = list(resources.filter(pk__gt=state.last_id)
                         .only("pk", "site_id", "status", "schema_issues", "title", "metadata", "body_text",
                               "pub_date", "topic_code", "created_at", "updated_at")[:batch_size])
            if not batch:
                return state
            entries = {} if full else {
                resource_id: (updated_at, index_format) for resource_id, updated_at, index_format in
                SearchEntry.objects.filter(resource_id__in=[r.pk for r in batch])
                .values_list("resource_id", "source_updated_at", "index_format")}
            work = batch if full else [r for r in batch if _needs_work(r, entries.get(r.pk))]
            if work:
                backend.index_many(work)
        state.checked += len(batch)
        state.indexed += sum(1 for r in work if is_searchable(r))
        state.removed += sum(1 for r in work if not is_searchable(r))
        state.last_id = batch[-1].pk
        if progress is not None:
            progress(state)
