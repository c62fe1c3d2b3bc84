"""A small regex sentence and clause splitter, so the stage also runs without the NLP stage."""
from __future__ import annotations

import re

from ..model import Sentence

# Abbreviations whose full stop does not end a sentence.
_ABBREV = (r"(?<!\bMr)(?<!\bMrs)(?<!\bMs)(?<!\bDr)(?<!\bSt)(?<!\bNo)(?<!\bvs)(?<!\bJan)(?<!\bFeb)"
           r"(?<!\bAug)(?<!\bSept)(?<!\bSep)(?<!\bOct)(?<!\bNov)(?<!\bDec)(?<!\bGen)(?<!\bCol)"
           r"(?<!\bLt)(?<!\bProf)(?<!\bapprox)(?<!\bincl)(?<!\be\.g)(?<!\bi\.e)(?<!\bU\.S)(?<!\bU\.N)")
_BOUNDARY = re.compile(
    rf"(?:{_ABBREV}(?P<p>[.!?…]+[\"'”’)\]]*)\s+(?=[\"'“‘(\[]?[A-Z0-9А-Я])|\n\s*)")
# Where a sentence splits into clauses that may carry their own period or countries.
# No leading or trailing \s*: on a long run of spaces those made every start position scan the run again
# (cubic with "\s+while"); the clause bounds are trimmed of whitespace instead (split_clauses).
_CLAUSE = re.compile(
    r";|:(?!\d)|\n|,\s+(?:and|but|while|whereas|although|though|compared)\b|\s(?:while|whereas)\b")


def split_sentences(text: str) -> list[Sentence]:
    """Sentences with offsets into ``text``; a line break always ends one."""
    out: list[Sentence] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        _add(text, start, m.end("p") if m.group("p") else m.start(), out)
        start = m.end()
    _add(text, start, len(text), out)
    return out


def _add(text: str, start: int, end: int, out: list[Sentence]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Sentence(start, end, text[start:end]))


def split_clauses(text: str) -> list[tuple[int, int]]:
    """Clause offsets within a sentence."""
    bounds: list[tuple[int, int]] = []
    start = 0
    for m in _CLAUSE.finditer(text):
        _trimmed(text, start, m.start(), bounds)
        start = m.end()
    _trimmed(text, start, len(text), bounds)
    return bounds or [(0, len(text))]


def _trimmed(text: str, start: int, end: int, out: list[tuple[int, int]]) -> None:
    """Add the clause ``text[start:end]`` without the whitespace at its edges, if anything is left."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append((start, end))
