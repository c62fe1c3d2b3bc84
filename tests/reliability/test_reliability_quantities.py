"""Property tests for the figure parser: any text gives well-formed figures or none, never an error.

Invariants: each figure's span lies inside the document text and covers exactly ``q.text``; the
span lies inside the sentence it names, and ``q.evidence`` is that sentence; values are finite;
periods are ISO-like (YYYY, YYYY-MM, YYYY-MM-DD, or one of those with a quarter/half suffix).
"""
from __future__ import annotations

import math
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bilat.model import DatedValue, Document
from bilat.quantities import QuantityExtractor

NUMBERS = ["0", "1", "12", "1,500", "1.5", "3,600", "810.4", "0.25", "1 000 000", "99999999999999999999", "1e9",
           "-5", "12-15", "1,2,3", ".5", "5.", "1,000.000,5", "²", "½", "٣", "one", "two", "a dozen", "hundreds of",
           "tens of thousands", "half"]
UNITS = ["$", "US$", "€", "₽", "RUB", "dollars", "roubles", "somoni", "million", "billion", "bn", "mln", "m", "k",
         "trillion", "per cent", "percent", "%", "km", "MW", "megawatts", "tonnes", "people", "migrants", "troops",
         "years", "times", "fold", "thousand"]
WORDS = ["Russia", "Tajikistan", "trade", "grew", "by", "to", "reached", "about", "nearly", "over", "more than",
         "up to", "at least", "between", "and", "in", "2023", "2024", "the first quarter of", "last year",
         "in January-March", "remittances", "investment", "loan", "worth", "of", "the", "said", ",", ".", ";", ":",
         "(", ")", "-", "—", "\n", "Mr.", "U.S.", "approx."]
PIECES = st.one_of(st.sampled_from(NUMBERS), st.sampled_from(UNITS), st.sampled_from(WORDS), st.text(max_size=5))
TEXTS = st.lists(PIECES, min_size=1, max_size=40).map(" ".join)
_PERIOD = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?(-?(Q[1-4]|H[12]))?.*")


@pytest.fixture(scope="module")
def extractor() -> QuantityExtractor:
    return QuantityExtractor()


def check(doc: Document, extractor: QuantityExtractor) -> None:
    sentences = doc.sentences
    for q in extractor.extract(doc):
        start, end = q.span
        assert 0 <= start < end <= len(doc.text), q
        assert doc.text[start:end] == q.text, q
        assert math.isfinite(q.value), q
        if sentences:
            sent = sentences[q.sentence]
            assert sent.start <= start and end <= sent.end, q
        assert q.text in q.evidence
        assert q.unit
        if q.period is not None:
            assert _PERIOD.fullmatch(q.period), q.period
        if q.value_usd is not None:
            assert math.isfinite(q.value_usd)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXTS, published=st.sampled_from([None, DatedValue("2024-03-05", "day", "metadata"),
                                              DatedValue("2024-03", "month", "url"), DatedValue("2024", "year", "x"),
                                              DatedValue("1950-01-01", "day", "metadata")]))
def test_figures_well_formed(extractor, text, published):
    check(Document("q", "test", "txt", text=text, published=published), extractor)


# The cleaner accepts such metadata dates as the publication date (see test_reliability_when.py).
@pytest.mark.parametrize("published", ["0001-01-01", "0999-12", "9999-01-01", "1005", "2024-13-01"])
def test_figures_extreme_publication_year(extractor, published):
    """A publication year too far out for four-digit relative periods is no anchor (was: period '1')."""
    for text in ("Trade reached $1.5 billion, the ministry said.", "Trade fell 5% last year and 2% last month."):
        doc = Document("q", "test", "txt", text=text, published=DatedValue(published, "day", "metadata"))
        check(doc, extractor)


@settings(max_examples=100, deadline=None)
@given(text=st.text(max_size=300))
def test_figures_arbitrary_text(extractor, text):
    check(Document("q", "test", "txt", text=text), extractor)
