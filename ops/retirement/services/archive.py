"""The job's WARC archive in object storage, and reading one record back from it."""
from jiyue.storage import read_range, site_storage

from ..lib.warc import ArchivedResponse, read_response


def archive_storage(job):
    """`sites/<schema>/archive/<job>/` of the site the archive belongs to."""
    return site_storage(job.archive_schema, f"archive/{job.code}")


def read_record(record, storage=None) -> ArchivedResponse:
    """One archived response, by a ranged read of its WARC file."""
    storage = storage or archive_storage(record.job)
    return read_response(read_range(storage, record.warc.name, record.offset, record.length))
