"""Property tests for the date resolver: any sentence and any anchor give valid dates or nothing.

Sentences are built from the resolver's own kinds of time words (dates, ranges, weekdays, counted
units, anaphora, seasons, decades, numeric dates) mixed with noise, so most examples reach a rule.
"""
from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bilat.events.when import TimeExpression, TimeResolver

_FORMAT = {"day": re.compile(r"\d{4}-\d{2}-\d{2}"), "week": re.compile(r"\d{4}-\d{2}-\d{2}"),
           "month": re.compile(r"\d{4}-\d{2}"), "year": re.compile(r"\d{4}")}
MONTHS = ["January", "Feb", "March", "Apr.", "May", "June", "Sept", "Sept.", "October", "Dec", "DECEMBER", "may"]
WEEKDAYS = ["Monday", "Tue", "Wednesday", "Thurs", "Friday", "Sat", "Sunday"]
COUNTS = ["a", "one", "two", "three", "several", "ten", "thirty", "0", "1", "12", "999", "99999999999"]
UNITS = ["day", "days", "week", "weeks", "month", "months", "year", "years", "decade"]
DAYS = ["0", "1", "5", "15", "29", "30", "31", "32", "99", "1st", "2nd", "23rd", "31st"]
YEARS = ["0", "1", "999", "1000", "1899", "1991", "2004", "2024", "2099", "9999", "10000", "123456789"]
PIECES = st.one_of(
    st.sampled_from(["on", "in", "since", "until", "by", "from", "to", "between", "and", "-", "–", ",", "the",
                     "last", "next", "this", "ago", "later", "earlier", "before", "after", "the day before",
                     "the next day", "the same day", "yesterday", "today", "tomorrow", "early", "mid", "late",
                     "end of", "beginning of", "the 1990s", "the '90s", "spring", "winter", "eve", "of",
                     "will", "plans to", "said", "Russia", "Tajikistan", "met", "signed", "."]),
    st.sampled_from(MONTHS), st.sampled_from(WEEKDAYS), st.sampled_from(COUNTS), st.sampled_from(UNITS),
    st.sampled_from(DAYS), st.sampled_from(YEARS),
    st.builds(lambda d, m, y: f"{d}.{m}.{y}", st.sampled_from(DAYS), st.sampled_from(["1", "02", "12", "13", "00"]),
              st.sampled_from(YEARS)),
    st.builds(lambda y, m, d: f"{y}-{m}-{d}", st.sampled_from(YEARS), st.sampled_from(["01", "02", "12", "13"]),
              st.sampled_from(DAYS)),
    st.text(max_size=6),
)
SENTENCES = st.lists(PIECES, min_size=1, max_size=14).map(" ".join)
ANCHORS = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))
FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def tr() -> TimeResolver:
    return TimeResolver()


def check(t: TimeExpression, sentence: str) -> None:
    assert 0 <= t.start < t.end <= len(sentence) and sentence[t.start : t.end] == t.text
    assert t.precision in _FORMAT, t
    assert _FORMAT[t.precision].fullmatch(t.value), t
    parts = [int(p) for p in t.value.split("-")] + [1, 1]
    dt.date(parts[0], parts[1], parts[2])  # valid ISO calendar date
    if t.end_value is not None:
        assert re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", t.end_value), t
        end = [int(p) for p in t.end_value.split("-")] + [1, 1]
        dt.date(end[0], end[1], end[2])
    assert t.relation in ("at", "since", "until", "range", "for") and t.method


@FAST
@given(sentence=SENTENCES, anchor=ANCHORS, previous=st.one_of(st.none(), ANCHORS),
       future=st.sampled_from([False, True, None]))
def test_resolve_gives_valid_dates(tr, sentence, anchor, previous, future):
    for t in tr.find(sentence, anchor, previous, future):
        check(t, sentence)
    best = tr.resolve(sentence, anchor, previous, future)
    if best is not None:
        check(best, sentence)


@settings(max_examples=100, deadline=None)
@given(sentence=st.text(max_size=200), anchor=ANCHORS)
def test_resolve_arbitrary_text(tr, sentence, anchor):
    best = tr.resolve(sentence, anchor)
    if best is not None:
        check(best, sentence)


# The cleaner accepts metadata dates such as "0001-01-05" or "9999-12-30" as the publication date
# (bilat.clean.dates, method "metadata"), so such anchors do reach the resolver.
@pytest.mark.parametrize("sentence,anchor", [
    ("They met two weeks ago.", dt.date(1, 1, 3)),  # OverflowError
    ("It ended last year.", dt.date(1, 1, 3)),  # year 0
    ("He left in December.", dt.date(1, 1, 3)),  # year 0
    ("They will meet next week.", dt.date(9999, 12, 28)),  # OverflowError
    ("It opens next month.", dt.date(9999, 12, 28)),  # "10000-01"
    ("The talks ended three days later.", dt.date(9999, 12, 30)),
    ("He arrived the day before.", dt.date(1, 1, 1)),
    ("They signed it on December 31.", dt.date(9999, 12, 31)),
    ("It happened in the 1990s and last winter.", dt.date(1, 1, 1)),
])
def test_extreme_anchor_does_not_crash(tr, sentence, anchor):
    """A publication date at the ends of the calendar (a garbled year in metadata) must not raise
    OverflowError from the date arithmetic; an out-of-range result is simply not returned."""
    best = tr.resolve(sentence, anchor)
    if best is not None:
        check(best, sentence)
