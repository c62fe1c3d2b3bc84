"""JSON Lines (.jsonl, .ndjson, stdin): one article per line, read line by line.

Fields: ``id``, ``url``, ``title``, ``text`` and/or ``html``, ``published`` (or ``date``),
``source`` (or ``outlet``). A broken line becomes a ReadError naming its number; the rest is read.
"""
from __future__ import annotations

import codecs
import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from ..errors import BinaryInput, EmptyInput
from ..model import RawDocument, ReadError
from .common import (
    ReadContext,
    check_not_binary,
    decode_bytes,
    iter_lines,
    megabytes,
    one_line,
    open_binary,
    path_text,
    short_hash,
)

logger = logging.getLogger(__name__)


def read_jsonl(path: Path, ctx: ReadContext, compressed: bool = False) -> Iterator[RawDocument | ReadError]:
    if path.stat().st_size == 0:
        raise EmptyInput("empty file")
    with open_binary(path, compressed, ctx.settings) as stream:
        check_not_binary(stream.peek(4096)[:4096], ctx.sniffer)
        yield from read_jsonl_stream(stream, path_text(path), ctx)


def read_jsonl_stream(stream: IO[bytes] | IO[str], origin: str, ctx: ReadContext) -> Iterator[RawDocument | ReadError]:
    """Read JSON Lines from an open stream (binary or text); memory holds one line at a time."""
    limit = ctx.settings.max_file_bytes
    records = 0
    for number, line in iter_lines(stream, limit):
        where = f"{origin}#line-{number}"
        if line is None:
            yield ReadError(where, f"line {number} too large: over {megabytes(limit)} (max_file_bytes)")
            records += 1
            continue
        if number == 1:
            line = line.removeprefix(codecs.BOM_UTF8)
        if not line.strip():
            continue
        records += 1
        yield _parse_line(line, number, where, ctx)
    if records == 0:
        raise EmptyInput("empty file (no JSON lines)")


def _parse_line(line: bytes, number: int, where: str, ctx: ReadContext) -> RawDocument | ReadError:
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = decode_bytes(line, ctx.sniffer)
        except BinaryInput as exc:
            return ReadError(where, f"line {number}: {exc}")
    try:
        record = json.loads(text)
    except json.JSONDecodeError as exc:
        return ReadError(where, f"invalid JSON on line {number}, column {exc.colno}: {exc.msg}")
    except (ValueError, RecursionError) as exc:
        return ReadError(where, f"invalid JSON on line {number}: {one_line(exc)}")
    if not isinstance(record, dict):
        return ReadError(where, f"line {number}: expected a JSON object, got {type(record).__name__}")
    return record_to_document(record, where, number)


def record_to_document(record: dict[str, Any], origin: str, number: int) -> RawDocument | ReadError:
    text = _string(record.get("text"))
    html = _string(record.get("html"))
    if not (text and text.strip()) and not (html and html.strip()):
        return ReadError(origin, f"line {number}: record has no 'text' or 'html'")
    url = _string(record.get("url"))
    raw_id = record.get("id")
    if isinstance(raw_id, str) and raw_id.strip():
        doc_id = raw_id.strip()
    elif isinstance(raw_id, int) and not isinstance(raw_id, bool):
        doc_id = str(raw_id)
    else:
        doc_id = short_hash(url or text or html or "")
    return RawDocument(
        doc_id=doc_id,
        origin=origin,
        fmt="jsonl",
        text=text,
        html=html,
        title=_string(record.get("title")),
        url=url,
        published=_string(record.get("published", record.get("date"))),
        outlet=_string(record.get("source", record.get("outlet"))),
    )


def _string(value: Any) -> str | None:
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None
