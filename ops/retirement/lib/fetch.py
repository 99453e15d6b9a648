"""One HTTP request of the crawler, kept as it came over the wire (for the WARC file).

Redirects are not followed here: each hop is its own frontier entry and its own
archive record, so the chain is recorded. The body is read raw (transfer coding
removed, content coding kept, as WARC response records hold it) and only up to the
job's size cap: a 2 GB attachment costs at most the cap, not the disk."""
import datetime
import time
from dataclasses import dataclass, field

import httpx
from django.utils import timezone
from django.utils.translation import gettext as _

USER_AGENT = "JiyueArchiver/1.0 (government site migration; +https://github.com/jiyue)"
CHUNK = 64 * 1024


@dataclass
class Fetched:
    url: str
    started_at: datetime.datetime
    status: int | None = None
    reason: str = ""
    http_version: str = "HTTP/1.1"
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    error: str = ""
    # A network failure worth another attempt (timeouts, refused connections), not a refusal by the server.
    retryable: bool = False

    @property
    def content_type(self) -> str:
        return self.header("content-type")

    def header(self, name: str) -> str:
        return header_value(self.headers, name)


def header_value(headers: list[tuple[str, str]], name: str) -> str:
    """The first header of that name (names compare without case), or ""."""
    name = name.lower()
    return next((value for key, value in headers if key.lower() == name), "")


def make_client(*, timeout: float, connections: int) -> httpx.Client:
    return httpx.Client(
        follow_redirects=False, timeout=httpx.Timeout(timeout), headers={"User-Agent": USER_AGENT},
        limits=httpx.Limits(max_connections=connections, max_keepalive_connections=connections),
        # Old sites' certificates are often expired or self-signed; what matters is the content.
        verify=False, trust_env=False)


def fetch(client: httpx.Client, url: str, *, max_bytes: int, timeout: float) -> Fetched:
    result = Fetched(url=url, started_at=timezone.now())
    deadline = time.monotonic() + timeout * 3  # a server dripping bytes slowly times out too
    try:
        with client.stream("GET", url) as response:
            result.status = response.status_code
            result.reason = response.reason_phrase or ""
            result.http_version = response.http_version or "HTTP/1.1"
            result.headers = [(key.decode("latin-1"), value.decode("latin-1"))
                              for key, value in response.headers.raw]
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                return _too_large(result, int(declared), max_bytes)
            chunks, size = [], 0
            for chunk in response.iter_raw(CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    return _too_large(result, size, max_bytes)
                if time.monotonic() > deadline:
                    result.error, result.retryable = _("the server sent the response too slowly"), True
                    result.status = None
                    return result
                chunks.append(chunk)
            result.body = b"".join(chunks)
    except httpx.TimeoutException:
        result.status, result.retryable = None, True
        result.error = _("no answer within %(seconds)s s") % {"seconds": f"{timeout:g}"}
    except httpx.ConnectError as error:
        result.status, result.retryable = None, True
        result.error = _("cannot connect: %(error)s") % {"error": str(error)[:200]}
    except (httpx.RemoteProtocolError, httpx.DecodingError) as error:
        result.status = None
        result.error = _("the server's answer is not valid HTTP: %(error)s") % {"error": str(error)[:200]}
    except httpx.HTTPError as error:
        result.status, result.retryable = None, True
        result.error = _("request failed: %(error)s") % {"error": str(error)[:200]}
    return result


def _too_large(result: Fetched, size: int, max_bytes: int) -> Fetched:
    result.status, result.body = None, b""
    result.error = _("larger than the limit of %(limit)s MB (at least %(size)s MB); not archived") % {
        "limit": f"{max_bytes / 1048576:.0f}", "size": f"{size / 1048576:.0f}"}
    return result
