"""An S3 endpoint for tests: a moto server on loopback, spoken to through boto3 over HTTP."""
import contextlib
import socket
import subprocess
import sys
import time

import boto3
from django.core.files.storage import default_storage
from django.test import override_settings

from jiyue.storage import SiteS3Storage


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def moto_server(bucket: str):
    """Yields (endpoint URL, boto3 client) with `bucket` created."""
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                time.sleep(0.2)
        client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                              aws_access_key_id="test", aws_secret_access_key="test")
        client.create_bucket(Bucket=bucket)
        yield endpoint, client
    finally:
        process.terminate()
        process.wait(timeout=10)


@contextlib.contextmanager
def s3_default_storage(endpoint, bucket):
    """Django's default storage (and so Wagtail's images, renditions and documents) in
    the moto bucket. override_settings(STORAGES=...) makes Django drop its cached
    storages (django.test.signals.storages_changed), so default_storage is rebuilt with
    the AWS_* settings below; leaving the block rebuilds the local one."""
    with override_settings(
        STORAGES={"default": {"BACKEND": "jiyue.storage.SiteS3Storage"},
                  "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}},
        AWS_S3_ENDPOINT_URL=endpoint, AWS_STORAGE_BUCKET_NAME=bucket, AWS_ACCESS_KEY_ID="test",
        AWS_SECRET_ACCESS_KEY="test", AWS_S3_REGION_NAME="us-east-1", AWS_DEFAULT_ACL=None,
        AWS_QUERYSTRING_AUTH=False, AWS_S3_FILE_OVERWRITE=False,
    ):
        assert isinstance(default_storage, SiteS3Storage), "default_storage follows the overridden STORAGES"
        yield
    assert not isinstance(default_storage, SiteS3Storage)


def bucket_keys(s3_client, bucket, prefix=""):
    pages = s3_client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
    return [item["Key"] for page in pages for item in page.get("Contents", [])]
