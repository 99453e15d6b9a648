"""A 200 MB upload is refused from its Content-Length header alone
(tenants.media.middleware): the body is never read, not spooled to disk, and the
editor gets a Chinese message (JSON for Wagtail's multiple uploader)."""
import socket
import threading

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
from django.core.wsgi import get_wsgi_application
from django.db import connections
from django.test import Client, override_settings
from django_tenants.utils import schema_context
from wagtail.documents.models import Document

from tests.tenants.media import samples
from tests.tenants.media.conftest import CONSOLE, signed_in, upload

TWO_HUNDRED_MB = 200 * 1024 * 1024
BOUNDARY = "jiyue-boundary"


def multipart_start(filename):
    """The first bytes of a multipart body; the test client's FakePayload refuses to be
    read past them, so a view or middleware that reads the body fails the test."""
    return (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"files[]\"; filename=\"{filename}\"\r\n"
            f"Content-Type: application/pdf\r\n\r\n").encode() + samples.pdf()


def post_claiming(client, path, length, **headers):
    return client.generic("POST", path, multipart_start("大文件.pdf"),
                          content_type=f"multipart/form-data; boundary={BOUNDARY}",
                          HTTP_HOST=CONSOLE, CONTENT_LENGTH=str(length), **headers)


@pytest.mark.parametrize("what, limit", [("documents", "50 MB"), ("images", "20 MB")])
def test_upload_over_the_limit_gets_413_json_for_the_multiple_uploader(editor, site, what, limit):
    client = signed_in(editor)
    response = post_claiming(client, f"/s/{site.short_code}/admin/{what}/multiple/add/", TWO_HUNDRED_MB,
                             HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    assert response.status_code == 413
    assert response["Content-Type"].startswith("application/json")
    data = response.json()
    assert data["success"] is False
    assert "过大（200 MB）" in data["error_message"] and f"上限为 {limit}" in data["error_message"]


def test_upload_over_the_limit_gets_a_413_page_for_the_single_form(editor, site):
    response = post_claiming(signed_in(editor), f"/s/{site.short_code}/admin/documents/add/", TWO_HUNDRED_MB)
    assert response.status_code == 413
    assert response["Content-Type"].startswith("text/html")
    assert "过大（200 MB）" in response.content.decode() and "上限为 50 MB" in response.content.decode()


def test_upload_over_the_limit_is_refused_before_sign_in_is_even_checked(site):
    response = post_claiming(Client(), f"/s/{site.short_code}/admin/documents/multiple/add/", TWO_HUNDRED_MB)
    assert response.status_code == 413


@override_settings(JIYUE_UPLOAD_MAX_BYTES=1024 * 1024)
def test_upload_limit_follows_the_setting_plus_room_for_the_multipart_envelope(editor, site):
    client = signed_in(editor)
    path = f"/s/{site.short_code}/admin/documents/multiple/add/"
    assert post_claiming(client, path, 2 * 1024 * 1024 + 1).status_code == 413
    # Within limit + envelope the request goes on (to the form, which has the last word).
    response = upload(client, site, "documents", "限额内.pdf", samples.pdf(), multiple=True)
    assert response.status_code == 200 and response.json()["success"] is True


@pytest.mark.parametrize("path, method", [
    ("/s/{code}/admin/pages/", "POST"),  # not an upload URL
    ("/s/{code}/admin/documents/multiple/add/", "GET"),
])
def test_other_requests_are_not_limited(editor, site, path, method):
    client = signed_in(editor)
    url = path.format(code=site.short_code)
    if method == "GET":
        assert client.get(url, HTTP_HOST=CONSOLE, CONTENT_LENGTH=str(TWO_HUNDRED_MB)).status_code == 200
    else:
        assert post_claiming(client, url, TWO_HUNDRED_MB).status_code != 413


def test_a_real_server_answers_413_before_the_body_is_sent(site):
    """Over a socket: headers claiming 200 MB and a few KB of body, and the answer comes
    back at once; nothing waits for (or stores) the other 199.99 MB."""
    server = ThreadedWSGIServer(("127.0.0.1", 0), WSGIRequestHandler, allow_reuse_address=True)
    server.set_app(get_wsgi_application())
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        body_start = multipart_start("大文件.pdf")
        head = (f"POST /s/{site.short_code}/admin/documents/multiple/add/ HTTP/1.1\r\n"
                f"Host: {CONSOLE}\r\nX-Requested-With: XMLHttpRequest\r\n"
                f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\n"
                f"Content-Length: {TWO_HUNDRED_MB}\r\n\r\n").encode()
        with socket.create_connection(server.server_address, timeout=10) as sock:
            sock.sendall(head + body_start)
            answer = b""
            while b"\r\n\r\n" not in answer or not answer.rstrip().endswith(b"}"):
                chunk = sock.recv(65536)
                if not chunk:
                    break
                answer += chunk
        status_line = answer.split(b"\r\n", 1)[0]
        assert status_line.startswith(b"HTTP/1.1 413"), answer[:300]
        assert "上限为 50 MB".encode() in answer
    finally:
        server.shutdown()
        server.server_close()
        connections.close_all()
    with schema_context(site.schema_name):
        assert not Document.objects.filter(title="大文件").exists()
