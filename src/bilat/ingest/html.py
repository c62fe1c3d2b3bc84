"""HTML pages (.html, .htm): the markup is passed on untouched; the cleaning stage extracts the text."""
from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path

from ..errors import EmptyInput
from ..model import RawDocument, ReadError
from .common import ReadContext, declared_charset, decode_bytes, path_text, read_whole

logger = logging.getLogger(__name__)

_HIDDEN_OPEN = re.compile(r"<!--|<(script|style|noscript|template)\b", re.IGNORECASE)
_CLOSERS = {"": re.compile("-->")} | {
    name: re.compile(rf"</{name}\s*>", re.IGNORECASE) for name in ("script", "style", "noscript", "template")}
_TAG = re.compile(r"<[^>]*>?")
_ENTITY = re.compile(r"&#?\w+;")


def read_html(path: Path, ctx: ReadContext, doc_id: str, compressed: bool = False) -> Iterator[RawDocument | ReadError]:
    data = read_whole(path, compressed, ctx.settings)
    markup = decode_bytes(data, ctx.sniffer, declared=declared_charset(data))
    if not has_visible_text(markup):
        raise EmptyInput("no text in HTML (only markup)")
    yield RawDocument(doc_id=doc_id, origin=path_text(path), fmt="html", html=markup)


def has_visible_text(markup: str) -> bool:
    """True when some letter or digit survives removing tags, scripts, styles and comments.

    Deliberately crude: broken markup must not make a page look empty.
    """
    visible = _ENTITY.sub(" ", _TAG.sub(" ", strip_hidden(markup)))
    return any(ch.isalnum() for ch in visible)


def strip_hidden(markup: str) -> str:
    """The markup without scripts, styles, noscript, templates and comments, in linear time.

    The same as removing ``<(script|style|noscript|template)\\b.*?</\\1\\s*>|<!--.*?-->`` (an
    unclosed one stays, so broken markup does not hide the text after it); that regex took
    quadratic time on pages of unclosed openers (128 KB of "<script>" took 80 s). Here a closer
    found once is jumped past, and a closer known to be missing is not searched for again.
    """
    unclosed: set[str] = set()
    out: list[str] = []
    pos = 0
    while match := _HIDDEN_OPEN.search(markup, pos):
        out.append(markup[pos : match.start()])
        name = (match.group(1) or "").lower()
        closer = None if name in unclosed else _CLOSERS[name].search(markup, match.end())
        if closer is None:
            unclosed.add(name)
            out.append(match.group(0))  # not hidden: left for the tag pattern, like any tag
            pos = match.end()
        else:
            out.append(" ")
            pos = closer.end()
    out.append(markup[pos:])
    return "".join(out)
