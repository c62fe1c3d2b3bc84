"""Any text: the extractor does not fail, and every figure points at its own surface in the text."""
from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from bilat.model import DatedValue, Document
from bilat.quantities import QuantityExtractor

EXTRACTOR = QuantityExtractor()  # read-only after loading; shared so each example stays fast
PIECES = ["$", "US$", "€", "UAH", "RUB", "1", "25", "810.4", "1,200", "3 000", "2011", "million", "bln", "bn",
          "percent", "%", "per cent", "km", "years", "more than", "up to", "about", "-", "–", "to", "and",
          "in", "last year", "the first five months of this year", "Russia", "Tajik", "migrants", "trade",
          "(", ")", ",", ".", "\n", " ", "October", "8", "th", "st", ":", "/", "+", "a", "half", "twenty"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40), st.sampled_from([None, "2023-06-15", "2019"]))
def test_spans_point_at_the_text(pieces: list[str], pub: str | None) -> None:
    text = " ".join(pieces) if len(pieces) % 2 else "".join(pieces)
    published = DatedValue(pub, "day", "test") if pub else None
    for q in EXTRACTOR.extract(Document("h", "t", "txt", text, published=published)):
        assert text[q.span[0]:q.span[1]] == q.text
        assert q.text and q.text in q.evidence
        assert math.isfinite(q.value) and q.value >= 0
        assert q.bound in {"exact", "approx", "min", "max", "lower", "upper"}
        assert q.period is None or q.period[:4].isdigit()


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_unicode(text: str) -> None:
    for q in EXTRACTOR.extract(Document("h", "t", "txt", text)):
        assert text[q.span[0]:q.span[1]] == q.text
