"""HTML pages (.html, .htm): the markup is passed on untouched; the cleaning stage extracts the text."""
from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path

from ..errors import EmptyInput
from ..model import RawDocument, ReadError
from .common import ReadContext, declared_charset, decode_bytes, read_whole

logger = logging.getLogger(__name__)

_INVISIBLE = re.compile(r"<(script|style|noscript|template)\b.*?</\1\s*>|<!--.*?-->", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]*>?")
_ENTITY = re.compile(r"&#?\w+;")


def read_html(path: Path, ctx: ReadContext, doc_id: str, compressed: bool = False) -> Iterator[RawDocument | ReadError]:
    data = read_whole(path, compressed, ctx.settings)
    markup = decode_bytes(data, ctx.sniffer, declared=declared_charset(data))
    if not has_visible_text(markup):
        raise EmptyInput("no text in HTML (only markup)")
    yield RawDocument(doc_id=doc_id, origin=str(path), fmt="html", html=markup)


def has_visible_text(markup: str) -> bool:
    """True when some letter or digit survives removing tags, scripts, styles and comments.

    Deliberately crude: broken markup must not make a page look empty.
    """
    visible = _ENTITY.sub(" ", _TAG.sub(" ", _INVISIBLE.sub(" ", markup)))
    return any(ch.isalnum() for ch in visible)
