import pytest


@pytest.fixture(autouse=True)
def _outbox_of_this_test_only():
    """The library's tests dispatch the whole outbox: the events earlier tests of the
    session left pending are removed first, so that a dispatch here handles this
    test's events (see tests/tenants/publishing/conftest.py)."""
    from tenants.publishing.models import EventStatus, PublishEvent

    PublishEvent.objects.filter(status=EventStatus.PENDING).delete()
