"""The text a candidate becomes for the event coder: one sentence with its two actors marked.

Training (``training/train_coder.py``) and inference (``coder.py``) both call ``mark``, so the model sees
at run time exactly the form it was trained on (``tests/events/test_coder.py`` checks they agree).

The two actors are marked in the order they appear: ``[A] ... [/A]`` is the earlier one, ``[B] ... [/B]``
the later one. The model predicts the event type of the pair and, in a separate head, its direction
(A acts on B, or B on A), so one pass per unordered pair suffices.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..model import Span

MARKS = ("[A]", "[/A]", "[B]", "[/B]")
WINDOW_CHARS = 220  # context kept on each side of the marked actors in very long sentences
MAX_CHARS = 700


@dataclass(frozen=True)
class Marked:
    """A marked sentence and where its two opening marks start (character offsets in ``text``)."""

    text: str
    a_start: int
    b_start: int
    a_first_is_source: bool | None = None  # set for training rows only


def order(x: Span, y: Span) -> tuple[Span, Span, bool]:
    """The two spans in text order, and whether ``x`` came first."""
    return (x, y, True) if x[0] <= y[0] else (y, x, False)


def overlaps(x: Span, y: Span) -> bool:
    return x[0] < y[1] and y[0] < x[1]


def mark(text: str, first: Span, second: Span) -> Marked:
    """Insert the marks around ``first`` and ``second`` (spans into ``text``, ``first`` before ``second``,
    not overlapping); a sentence longer than MAX_CHARS is cut to a window around the two actors."""
    if overlaps(first, second) or first[0] > second[0]:
        raise ValueError(f"actor spans must be ordered and disjoint: {first} {second}")
    lo, hi = 0, len(text)
    if hi > MAX_CHARS:
        lo = max(0, first[0] - WINDOW_CHARS)
        hi = min(len(text), second[1] + WINDOW_CHARS)
        lo = text.rfind(" ", 0, lo) + 1 if lo else 0  # whole words only
        space = text.find(" ", hi)
        hi = len(text) if space < 0 else space
    a0, a1 = first
    b0, b1 = second
    head = " ".join(text[lo:a0].split())
    parts = [head, MARKS[0], " ".join(text[a0:a1].split()), MARKS[1], " ".join(text[a1:b0].split()),
             MARKS[2], " ".join(text[b0:b1].split()), MARKS[3], " ".join(text[b1:hi].split())]
    out, a_start, b_start = "", 0, 0
    for i, part in enumerate(parts):
        if not part:
            continue
        if out:
            out += " "
        if i == 1:
            a_start = len(out)
        elif i == 5:
            b_start = len(out)
        out += part
    return Marked(out, a_start, b_start)


def _row_spans(text: str, source: str, target: str, source_span: Span | None,
               target_span: Span | None) -> tuple[Span, Span] | None:
    if source_span is not None and target_span is not None:
        s, t = (source_span[0], source_span[1]), (target_span[0], target_span[1])
        return None if text[s[0]:s[1]] != source or text[t[0]:t[1]] != target else (s, t)
    s0, t0 = text.find(source), text.find(target)
    if s0 < 0 or t0 < 0 or not source or not target:
        return None
    s, t = (s0, s0 + len(source)), (t0, t0 + len(target))
    if overlaps(s, t):
        # the target may be named again later ("Iran ... Iran's ally Iraq"): try its next occurrence
        t1 = text.find(target, s[1])
        t = (t1, t1 + len(target)) if t1 >= 0 else t
    return s, t


def mark_row(text: str, source: str, target: str, source_span: Span | None = None,
             target_span: Span | None = None) -> Marked | None:
    """A training row: the given spans, else the first occurrences of the source and target strings;
    None where they are missing or overlap ("Russian-Tajik" naming both)."""
    spans = _row_spans(text, source, target, source_span, target_span)
    if spans is None or overlaps(*spans):
        return None
    first, second, source_first = order(*spans)
    m = mark(text, first, second)
    return Marked(m.text, m.a_start, m.b_start, source_first)
