"""A sample retired site served on loopback (ops.retirement.sample_site), a target
site, and jobs that crawl it."""
import pytest

from ops.retirement.services.jobs import create_job
from tests.factories import make_online_site, unique


@pytest.fixture(scope="session")
def sample():
    from ops.retirement.sample_site import generate

    return generate(200, seed=7)


@pytest.fixture(scope="module")
def served(sample):
    from ops.retirement.sample_site import serve

    with serve(sample) as server:
        yield server


@pytest.fixture(scope="module")
def target_site(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        return make_online_site()


def new_job(target_site, base_url, **settings):
    """A job that crawls the sample site as fast as loopback allows (politeness is tested on its own)."""
    settings.setdefault("requests_per_second", 1000.0)
    settings.setdefault("concurrency", 4)
    settings.setdefault("timeout_seconds", 5.0)
    return create_job(acting_user=None, code=unique("old"), name="某县旧门户网站", target_site=target_site,
                      start_urls=[base_url + "/"], **settings)
