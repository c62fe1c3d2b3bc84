"""Splitting raw article text into paragraphs and sentences, and normalising it for hashing."""
from __future__ import annotations

import hashlib
import re
import unicodedata

_TERMINAL = ".!?…:;\"”’)»/"
_WORD = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*", re.UNICODE)
# A sentence ends at . ! ? … (optionally closed by quotes/brackets) before whitespace and an
# upper-case letter, digit or opening quote; also where a full stop is glued to the next
# sentence ("reported.Emomali"), which is common in scraped text.
_SENT_BREAK = re.compile(
    r"(?<=[.!?…])[\"”’»)]*\s+(?=[\"“‘«(]?[A-Z0-9А-ЯЁ])"
    r"|(?<=[a-z]{2}[.!?])(?=[A-Z][a-z])"
)
# Abbreviations after which a full stop does not end a sentence.
_ABBREV = re.compile(
    r"\b(Mr|Mrs|Ms|Dr|Prof|Gen|Col|Lt|Sgt|St|Jr|Sr|Inc|Ltd|Co|Corp|No|Vol|vs|etc|approx|est|Jan|Feb|Mar|Apr|"
    r"Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|U\.S|U\.N|U\.K|E\.U|[A-Z])\.$"
)


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def split_paragraphs(text: str) -> list[str]:
    """One paragraph per non-blank line, except that hard-wrapped lines are joined again.

    Menus and one-line items are paragraphs of their own; a line is joined to the previous one
    only when it clearly continues it (previous ends mid-sentence and this starts in lower case).
    """
    out: list[str] = []
    prev_blank = True
    for raw_line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw_line.strip()
        if not line:
            prev_blank = True
            continue
        if out and not prev_blank and _continues(out[-1], line):
            hyphenated = out[-1].endswith("-") and not out[-1].endswith(" -")
            out[-1] = out[-1] + ("" if hyphenated else " ") + line
        else:
            out.append(line)
        prev_blank = False
    return out


def _continues(previous: str, line: str) -> bool:
    if previous.endswith("-") and not previous.endswith(" -"):
        return True
    if previous[-1] in _TERMINAL:
        return False
    return line[0].islower() or previous.endswith(",")


def split_sentences(paragraph: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of one paragraph (a rule splitter, good enough for cues)."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENT_BREAK.finditer(paragraph):
        candidate = paragraph[start : m.start()].rstrip()
        if _ABBREV.search(candidate.rstrip("\"”’»)")):
            continue
        if candidate:
            spans.append((start, start + len(candidate)))
        start = m.end()
    tail = paragraph[start:].rstrip()
    if tail:
        spans.append((start, start + len(tail)))
    return spans


def normalise(text: str) -> str:
    """Case-, accent- and whitespace-insensitive form used for hashing and duplicate checks."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = text.replace("’", "'").replace("“", '"').replace("”", '"')
    return " ".join(text.split())


def content_hash(text: str) -> str:
    return hashlib.sha1(normalise(text).encode("utf-8")).hexdigest()


def ends_like_sentence(text: str) -> bool:
    stripped = text.rstrip()
    return bool(stripped) and stripped[-1] in ".!?…\"”’»)"
