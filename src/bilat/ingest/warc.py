"""Web archives (.warc, .warc.gz): HTML response records, streamed one record at a time.

A .warc.gz is decompressed by Python's gzip module (so both per-record and whole-file gzip work)
and a cut-off file is reported as truncated after the records before the break were yielded.
"""
from __future__ import annotations

import contextlib
import gzip
import io
import logging
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import DecompressingBufferedReader
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecord

from ..errors import EmptyInput, InputError, MalformedInput
from ..model import RawDocument, ReadError
from .common import (
    ReadContext,
    declared_charset,
    decode_bytes,
    megabytes,
    one_line,
    path_text,
    short_hash,
    valid_codec,
)
from .html import has_visible_text

logger = logging.getLogger(__name__)

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_GZIP_MAGIC = b"\x1f\x8b"
# Longest header or separator line read between records (http.client's limit for HTTP headers).
# warcio joins a long line block by block, quadratic in its length: a 50 MB line took minutes.
MAX_LINE_BYTES = 64 * 1024


def read_warc(path: Path, ctx: ReadContext, compressed: bool = False) -> Iterator[RawDocument | ReadError]:
    if path.stat().st_size == 0:
        raise EmptyInput("empty file")
    with open(path, "rb") as raw:
        is_gzip = raw.peek(2)[:2] == _GZIP_MAGIC
        if compressed and not is_gzip:
            raise MalformedInput("not a gzip file, although the name ends in .gz")
        stream = ArchiveStream(gzip.GzipFile(fileobj=raw, mode="rb") if is_gzip else raw)
        yield from read_warc_stream(stream, path_text(path), ctx)


class ArchiveStream:
    """A read-only stream that ends quietly where its source breaks off, remembering why.

    warcio takes an exception inside a read for the end of the archive and drops the block it
    was filling, so records before a cut would be lost; here each read returns what was there
    and the cut is reported once the records before it have been read.
    """

    def __init__(self, source: IO[bytes]) -> None:
        self._source = source
        self._pushback = b""
        self.failure: str | None = None

    def read(self, size: int | None = -1) -> bytes:
        if self._pushback:
            chunk, self._pushback = self._pushback, b""
            return chunk
        if self.failure is not None:
            return b""
        read = getattr(self._source, "read1", self._source.read)
        try:
            return read(size if size and size > 0 else 64 * 1024)
        except EOFError as exc:
            self.failure = f"the file ends in the middle of a record ({one_line(exc, 60)})"
        except (zlib.error, gzip.BadGzipFile) as exc:
            self.failure = f"corrupt compressed data ({one_line(exc, 80)})"
        return b""

    def head(self, size: int) -> bytes:
        """The first bytes, left in place for the next read."""
        while len(self._pushback) < size:
            saved, self._pushback = self._pushback, b""
            more = self.read(size - len(saved))
            self._pushback = saved + more
            if not more:
                break
        return self._pushback[:size]


class LineTooLong(Exception):
    """A header or separator line longer than ``MAX_LINE_BYTES``: no WARC has one."""


class BoundedLineReader(DecompressingBufferedReader):
    """warcio's buffered reader whose ``readline`` stops at ``max_line`` bytes and refuses longer lines.

    Record bodies are read with ``read`` and are not affected; only WARC and HTTP header lines and
    the blank lines between records are read line by line.
    """

    def __init__(self, stream: IO[bytes], max_line: int = MAX_LINE_BYTES, **kwargs: object) -> None:
        super().__init__(stream, **kwargs)
        self.max_line = max_line

    def readline(self, length: int | None = None) -> bytes:
        if length == 0:
            return b""
        limit = self.max_line if not length or length > self.max_line else length
        # Pieces joined once (warcio's own loop appends to a growing bytes and miscounts the limit).
        parts: list[bytes] = []
        size = 0
        while size < limit:
            self._fillbuff()
            if self.empty():
                break
            part = self.buff.readline(limit - size)
            parts.append(part)
            size += len(part)
            if part.endswith(b"\n"):
                break
        line = b"".join(parts)
        if size >= self.max_line and not line.endswith(b"\n"):
            raise LineTooLong(f"a header or separator line longer than {self.max_line:,} bytes")
        return line


class QuietArchiveIterator(ArchiveIterator):
    """warcio's iterator without its stderr warning on a wrong Content-Length, reading lines bounded.

    warcio writes that warning, with the whole offending line (binary bytes, megabytes of markup),
    straight to sys.stderr; here it is counted (``err_count``) and logged once per file instead.
    """

    INC_RECORD = ""

    def __init__(self, fileobj: IO[bytes], max_line: int = MAX_LINE_BYTES) -> None:
        super().__init__(fileobj)
        # Replaced before the first record is read (the base class only builds its reader here).
        self.reader = BoundedLineReader(self.fh, max_line, block_size=self.reader.block_size)


def read_warc_stream(stream: ArchiveStream, origin: str, ctx: ReadContext) -> Iterator[RawDocument | ReadError]:
    head = stream.head(5)
    if head != b"WARC/":
        raise MalformedInput(f"not a WARC file: it starts with {head[:20]!r}, not 'WARC/'")
    number = yielded = html_records = 0
    records = QuietArchiveIterator(stream)
    while True:
        try:
            record = next(records)
        except StopIteration:
            break
        except ArchiveLoadFailed as exc:
            raise MalformedInput(f"corrupt WARC after {number} records: {one_line(exc, 120)}") from exc
        except LineTooLong as exc:
            raise MalformedInput(f"corrupt WARC after {number} records: {exc}") from exc
        except InputError:
            raise
        except Exception as exc:  # warcio fails in varied ways on cut-off headers
            raise MalformedInput(
                f"truncated or corrupt WARC after {number} records: {type(exc).__name__}: {one_line(exc, 120)}"
            ) from exc
        number += 1
        if not _is_html_response(record):
            continue
        html_records += 1
        item = _record_to_document(record, f"{origin}#record-{number}", ctx)
        if item is not None:
            yielded += isinstance(item, RawDocument)
            yield item
    if records.err_count:
        logger.info("%s: %d records not followed by a blank line (wrong Content-Length?)", origin,
                    records.err_count)
    if stream.failure:
        raise MalformedInput(f"truncated WARC: {stream.failure}; {yielded} documents were read before it")
    if html_records == 0:
        logger.info("%s: no HTML response records among %d records", origin, number)


def _is_html_response(record: ArcWarcRecord) -> bool:
    if record.rec_type != "response" or record.http_headers is None:
        return False
    status = record.http_headers.get_statuscode() or ""
    if not status.startswith("2"):
        return False
    ctype = (record.http_headers.get_header("Content-Type") or "").lower()
    return ctype.startswith(_HTML_TYPES) or not ctype


def _record_to_document(record: ArcWarcRecord, where: str, ctx: ReadContext) -> RawDocument | ReadError | None:
    # A record's page is read whole, parsed and copied to a worker like an HTML file, and costs RAM
    # many times its size (a 100 MB page: 3.7 GB), so it has an HTML file's limit when that is lower.
    limit, setting = ctx.settings.max_decompressed_bytes, "max_decompressed_bytes"
    if ctx.settings.max_file_bytes < limit:
        limit, setting = ctx.settings.max_file_bytes, "max_file_bytes"
    number = where.rsplit("-", 1)[-1]
    complaints = io.StringIO()
    try:
        # warcio reports a compressed body that breaks off part-way only on stderr, and returns what it
        # had: caught here, so the record is refused instead of being stored cut short.
        with contextlib.redirect_stderr(complaints):
            payload = record.content_stream().read(limit + 1)
            if len(payload) > limit:
                return ReadError(where, f"record too large: more than {megabytes(limit)} ({setting})")
            while record.raw_stream.read(64 * 1024):
                pass
    except (zlib.error, OSError) as exc:
        # A broken Content-Encoding in one record spoils only that record.
        return ReadError(where, f"record cannot be decoded: {one_line(exc, 120)}")
    if complaints.getvalue().strip():
        return ReadError(where, f"record cannot be decoded: {one_line(complaints.getvalue(), 120)}")
    if getattr(record.raw_stream, "limit", 0) > 0:
        # The record stopped before its declared Content-Length: the file was cut here.
        raise MalformedInput(f"truncated WARC: record {number} is cut off before its declared length")
    if not payload.strip():
        return None
    url = record.rec_headers.get_header("WARC-Target-URI")
    ctype = record.http_headers.get_header("Content-Type") or ""
    if not ctype and not _looks_like_html(payload):
        return None
    declared = _charset_param(ctype) or declared_charset(payload)
    try:
        markup = decode_bytes(payload, ctx.sniffer, declared=declared)
    except InputError as exc:
        return ReadError(where, str(exc))
    if not has_visible_text(markup):
        return ReadError(where, "no text in HTML (only markup)")
    doc_id = short_hash(url) if url else short_hash(markup)
    return RawDocument(doc_id=doc_id, origin=where, fmt="warc", html=markup, url=url)


def _charset_param(ctype: str) -> str | None:
    for part in ctype.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset":
            return valid_codec(value.strip().strip("\"'"))
    return None


def _looks_like_html(payload: bytes) -> bool:
    head = payload[:1024].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<body" in head
