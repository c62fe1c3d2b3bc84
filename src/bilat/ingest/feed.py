"""RSS and Atom feeds (.xml, .rss, .atom): one document per item, full content preferred over summary."""
from __future__ import annotations

import html as htmllib
import io
import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import feedparser

from ..errors import MalformedInput
from ..model import RawDocument, ReadError
from .common import (
    ReadContext,
    check_not_binary,
    declared_charset,
    decode_bytes,
    one_line,
    path_text,
    read_whole,
    short_hash,
)

logger = logging.getLogger(__name__)

_HTML_TYPES = ("text/html", "application/xhtml+xml", "html", "xhtml")
_XML_DECLARED_ENCODING = re.compile(r"""^(\s*<\?xml[^>]{0,200}?encoding\s*=\s*["'])[^"']*(["'])""")
# "<" excluded inside a tag: "<[^>]*>" took quadratic time on a title of many "<" (40,000 took 8 s).
_CHARREF = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));?")  # bounded: int() of 5,000 digits raises
_TAG = re.compile(r"<[^<>]*>")


def read_feed(path: Path, ctx: ReadContext, compressed: bool = False) -> Iterator[RawDocument | ReadError]:
    data = read_whole(path, compressed, ctx.settings)
    yield from read_feed_bytes(data, path_text(path), ctx)


def read_feed_bytes(data: bytes, origin: str, ctx: ReadContext) -> Iterator[RawDocument | ReadError]:
    check_not_binary(data[:8192], ctx.sniffer)
    # Decode here (declaration, UTF-8, then detection) and hand feedparser UTF-8: on undeclared or
    # wrongly declared bytes it would fall back to Windows-1252 and garble Cyrillic.
    text = decode_bytes(data, ctx.sniffer, declared=declared_charset(data))
    # feedparser calls chr() on numeric character references without a range check and raises on
    # "&#99999999;" (found by tests/reliability); such a reference becomes U+FFFD here.
    text = _CHARREF.sub(_checked_charref, text)
    # a lone surrogate decoded from broken UTF-16 becomes "?" rather than failing the whole feed
    data = _XML_DECLARED_ENCODING.sub(r"\1utf-8\2", text, count=1).encode("utf-8", "replace")
    # A stream, never a str: feedparser would treat a str as a URL or a file name.
    try:
        parsed = feedparser.parse(io.BytesIO(data), sanitize_html=False, resolve_relative_uris=True)
    except ValueError as exc:  # feedparser's strict parser unpacks odd namespaced names without a check
        raise MalformedInput(f"not an RSS/Atom feed: {one_line(exc, 150)}") from exc
    entries = parsed.get("entries") or []
    if not entries:
        if parsed.get("bozo"):
            raise MalformedInput(f"not an RSS/Atom feed: {one_line(parsed.get('bozo_exception'), 150)}")
        if not parsed.get("version"):
            raise MalformedInput("not an RSS/Atom feed: no channel or feed element")
        raise MalformedInput("feed has no items")
    if parsed.get("bozo"):
        logger.info("%s: feed is not well-formed (%s); items read leniently", origin,
                    one_line(parsed.get("bozo_exception"), 150))
    outlet = _plain(parsed.get("feed", {}).get("title"))
    for number, entry in enumerate(entries, start=1):
        yield _entry_to_document(entry, f"{origin}#item-{number}", number, outlet)


def _checked_charref(match: re.Match[str]) -> str:
    hexa, dec = match.groups()
    value = int(hexa, 16) if hexa else int(dec)
    # surrogates are not characters: feedparser's chr() would make one that UTF-8 cannot encode
    return match.group(0) if 0 < value <= 0x10FFFF and not 0xD800 <= value <= 0xDFFF else "&#xFFFD;"


def _entry_to_document(entry: Any, where: str, number: int, outlet: str | None) -> RawDocument | ReadError:
    value, is_html = _best_content(entry)
    if not value:
        return ReadError(where, f"item {number} has no content or summary")
    link = entry.get("link") or None
    return RawDocument(
        doc_id=short_hash(link) if link else short_hash(value),
        origin=where,
        fmt="feed",
        text=None if is_html else value,
        html=value if is_html else None,
        title=_plain(entry.get("title")),
        url=link,
        published=entry.get("published") or entry.get("updated") or None,
        outlet=outlet,
    )


def _best_content(entry: Any) -> tuple[str | None, bool]:
    """Full content (content:encoded, atom:content) over the summary; the longest when several."""
    contents = [c for c in entry.get("content") or [] if (c.get("value") or "").strip()]
    if contents:
        best = max(contents, key=lambda c: len(c.get("value", "")))
        return best["value"], _is_html(best.get("type"))
    summary = entry.get("summary") or ""
    if summary.strip():
        detail = entry.get("summary_detail") or {}
        return summary, _is_html(detail.get("type"))
    return None, False


def _is_html(content_type: str | None) -> bool:
    return (content_type or "text/html").lower() in _HTML_TYPES


def _plain(value: str | None) -> str | None:
    if not value:
        return None
    text = " ".join(htmllib.unescape(_TAG.sub(" ", value)).split())
    return text or None
