"""WARC files (ISO 28500, WARC/1.1 via warcio): writing a batch of responses into one
gzipped file, every record its own gzip member so that one record can be read back
from its offset and length alone (a ranged GET), and reading it back."""
import io
from dataclasses import dataclass
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from .fetch import USER_AGENT, Fetched, header_value

# The body is stored without its transfer coding (httpx removes chunking), so the
# header saying otherwise is kept under another name, as pywb does.
RENAMED_HEADERS = {"transfer-encoding": "X-Archive-Orig-Transfer-Encoding"}


@dataclass(frozen=True)
class WrittenRecord:
    url: str
    offset: int
    length: int
    record_id: str
    payload_digest: str


class WarcBatchWriter:
    def __init__(self, fileobj):
        self.fileobj = fileobj
        self.writer = WARCWriter(fileobj, gzip=True, warc_version="1.1")

    def add(self, fetched: Fetched) -> WrittenRecord:
        """The response record (indexed) and the request that asked for it."""
        headers = [(RENAMED_HEADERS.get(key.lower(), key), value) for key, value in fetched.headers]
        date = fetched.started_at.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
        http_headers = StatusAndHeaders(f"{fetched.status} {fetched.reason}".strip(), headers,
                                        protocol=fetched.http_version)
        response = self.writer.create_warc_record(
            fetched.url, "response", payload=io.BytesIO(fetched.body), http_headers=http_headers,
            warc_headers_dict={"WARC-Date": date})
        offset = self.fileobj.tell()
        self.writer.write_record(response)
        length = self.fileobj.tell() - offset
        record_id = response.rec_headers.get_header("WARC-Record-ID")
        parts = urlsplit(fetched.url)
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        request = self.writer.create_warc_record(
            fetched.url, "request", payload=io.BytesIO(b""),
            http_headers=StatusAndHeaders(f"GET {target or '/'} HTTP/1.1",
                                          [("Host", parts.netloc), ("User-Agent", USER_AGENT)],
                                          is_http_request=True),
            warc_headers_dict={"WARC-Date": date, "WARC-Concurrent-To": record_id})
        self.writer.write_record(request)
        return WrittenRecord(url=fetched.url, offset=offset, length=length, record_id=record_id,
                             payload_digest=response.rec_headers.get_header("WARC-Payload-Digest") or "")


@dataclass
class ArchivedResponse:
    url: str
    date: str
    status: int
    reason: str
    headers: list[tuple[str, str]]
    raw_body: bytes  # as the server sent it (content coding kept)
    body: bytes  # content coding removed

    def header(self, name: str) -> str:
        return header_value(self.headers, name)


def read_response(data: bytes) -> ArchivedResponse:
    """The response record that `data` (one record's bytes) holds."""
    for record in ArchiveIterator(io.BytesIO(data)):
        if record.rec_type != "response":
            continue
        status_line = record.http_headers.get_statuscode() or "0"
        raw = record.raw_stream.read()
        encoding = (record.http_headers.get_header("Content-Encoding") or "").lower()
        body = _decode_content(raw, encoding)
        reason = record.http_headers.statusline.split(" ", 1)[1] if " " in record.http_headers.statusline else ""
        return ArchivedResponse(
            url=record.rec_headers.get_header("WARC-Target-URI"), date=record.rec_headers.get_header("WARC-Date"),
            status=int(status_line), reason=reason, headers=list(record.http_headers.headers), raw_body=raw,
            body=body)
    raise ValueError("no response record")


def _decode_content(raw: bytes, encoding: str) -> bytes:
    import gzip
    import zlib

    try:
        if encoding in ("gzip", "x-gzip"):
            return gzip.decompress(raw)
        if encoding == "deflate":
            try:
                return zlib.decompress(raw)
            except zlib.error:
                return zlib.decompress(raw, -zlib.MAX_WBITS)
    except (OSError, zlib.error, EOFError):
        return raw
    return raw
