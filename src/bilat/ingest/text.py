"""Plain-text articles (.txt, .text, .md): one file, one document; a title line is split off."""
from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path

from ..errors import EmptyInput
from ..model import RawDocument, ReadError
from .common import ReadContext, decode_bytes, path_text, read_whole

logger = logging.getLogger(__name__)

_MAX_TITLE_CHARS = 200
_MAX_TITLE_WORDS = 30
# Headlines have a subject and a verb or a topic; one- and two-word first lines in scraped text are
# mostly site furniture ("MAIN MENU", "All news"), left in the text for the cleaning stage.
_MIN_TITLE_WORDS = 3
_CLOSERS = "\"'”’»)]*_ "
_SENTENCE_END = (".", ",", ";", ":", "-", "—")
_MARKDOWN_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")


def read_text(path: Path, ctx: ReadContext, doc_id: str, compressed: bool = False) -> Iterator[RawDocument | ReadError]:
    data = read_whole(path, compressed, ctx.settings)
    text = normalize_newlines(decode_bytes(data, ctx.sniffer))
    if not text.strip():
        raise EmptyInput("empty file (only whitespace)")
    title, body = split_title(text)
    yield RawDocument(doc_id=doc_id, origin=path_text(path), fmt="txt", text=body, title=title)


def normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")


def split_title(text: str) -> tuple[str | None, str]:
    """Return (title, rest) when the first line reads as a headline, else (None, whole text).

    A headline is short, does not end like a sentence, and is followed either by a blank line or by
    a line that starts a new sentence (a wrapped paragraph continues in lower case).
    """
    stripped = text.strip("\n")
    first, _, rest = stripped.partition("\n")
    candidate = _MARKDOWN_HEADING.sub("", first).strip()
    body = rest.strip()
    if not candidate or not body or not _looks_like_title(candidate):
        return None, text.strip()
    next_line, _, after = rest.partition("\n")
    next_line = next_line.strip()
    if next_line and set(next_line) <= set("=-"):  # a Markdown underline heading
        return candidate, after.strip()
    if next_line and not _starts_new_sentence(next_line):
        return None, text.strip()
    return candidate, body


def _looks_like_title(line: str) -> bool:
    words = len(line.split())
    if len(line) > _MAX_TITLE_CHARS or not _MIN_TITLE_WORDS <= words <= _MAX_TITLE_WORDS:
        return False
    if not any(ch.isalpha() for ch in line):
        return False
    return not line.rstrip(_CLOSERS).endswith(_SENTENCE_END)


def _starts_new_sentence(line: str) -> bool:
    first = line.lstrip("\"'“‘«([*-–—•# ")[:1]
    return bool(first) and not first.islower()
