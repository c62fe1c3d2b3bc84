"""Helpers for the reader tests (a uniquely named module, so no other conftest shadows it)."""
from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from bilat.config import Settings
from bilat.ingest import iter_inputs
from bilat.model import RawDocument, ReadError

DATA = Path(__file__).parent / "data"

# (url, content type, body) of one HTTP response
Page = tuple[str, str, bytes]


def read_all(paths: Sequence[str | Path], settings: Settings, stdin=None) -> list[RawDocument | ReadError]:
    return list(iter_inputs([str(p) for p in paths], settings, stdin=stdin))


def docs_of(items: list[RawDocument | ReadError]) -> list[RawDocument]:
    return [i for i in items if isinstance(i, RawDocument)]


def errors_of(items: list[RawDocument | ReadError]) -> list[ReadError]:
    return [i for i in items if isinstance(i, ReadError)]


def warc_bytes(pages: Sequence[Page], gzip: bool = True, extra_records: bool = True) -> bytes:
    """A WARC with a request record and a response record per page (plus a non-HTML one)."""
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gzip)
    for url, ctype, body in pages:
        if extra_records:
            req = StatusAndHeaders("GET / HTTP/1.1", [("Host", "example.org")], is_http_request=True)
            writer.write_record(writer.create_warc_record(url, "request", http_headers=req))
        headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
        record = writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers)
        writer.write_record(record)
    if extra_records:
        headers = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
        png = writer.create_warc_record("https://example.org/logo.png", "response",
                                        payload=io.BytesIO(b"\x89PNG\r\n\x1a\n" + bytes(64)), http_headers=headers)
        writer.write_record(png)
    return buf.getvalue()


def html_page(title: str, paragraph: str) -> bytes:
    return (f"<html><head><title>{title}</title></head><body><h1>{title}</h1>"
            f"<p>{paragraph}</p></body></html>").encode()
