"""Media of each site under its own prefix in S3 (a moto server on loopback, spoken
to through boto3 over HTTP), and on the local disk."""
import pytest
from django.core.files.base import ContentFile
from django_tenants.utils import schema_context

from jiyue.storage import SiteFileSystemStorage, SiteS3Storage
from tests.factories import make_online_site
from tests.moto_s3 import moto_server

BUCKET = "jiyue-test"


@pytest.fixture(scope="module")
def s3_endpoint():
    with moto_server(BUCKET) as endpoint_and_client:
        yield endpoint_and_client


def test_s3_keys_carry_the_site_prefix_and_other_sites_do_not_see_them(s3_endpoint):
    endpoint, client = s3_endpoint
    site_a, site_b = make_online_site(), make_online_site()
    storage = SiteS3Storage(endpoint_url=endpoint, bucket_name=BUCKET, access_key="test", secret_key="test",
                            region_name="us-east-1")
    with schema_context(site_a.schema_name):
        name = storage.save("images/logo.txt", ContentFile(b"site A"))
        assert name == "images/logo.txt"  # names stay site-relative
        assert storage.exists(name)
    keys = [item["Key"] for item in client.list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert f"sites/{site_a.schema_name}/images/logo.txt" in keys
    with schema_context(site_b.schema_name):
        assert not storage.exists(name)
        storage.save("images/logo.txt", ContentFile(b"site B"))
    with schema_context(site_a.schema_name):
        assert storage.open(name).read() == b"site A"


def test_local_files_carry_the_site_prefix(tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path)
    site_a, site_b = make_online_site(), make_online_site()
    storage = SiteFileSystemStorage()
    with schema_context(site_a.schema_name):
        name = storage.save("docs/a.txt", ContentFile(b"A"))
    assert (tmp_path / "sites" / site_a.schema_name / "docs" / "a.txt").read_bytes() == b"A"
    with schema_context(site_b.schema_name):
        assert not storage.exists(name)
