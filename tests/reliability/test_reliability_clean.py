"""Property tests for the cleaner: any reader output is accepted, and nothing vanishes unrecorded.

Invariants checked on every generated article:
* ``clean_document`` raises nothing (it has no documented error of its own);
* for plain text, every word of the input is in the kept text or in a removed paragraph
  (kept + removed cover the input, word for word);
* the text is stripped, storable Unicode, and its hash is a SHA-1;
* a publication date, when found, is a valid ISO date of exactly the stated precision.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import random
import re
from collections import Counter

from fuzz_readers import Generator
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bilat.clean import clean_document
from bilat.clean.text import split_paragraphs, words
from bilat.config import Settings
from bilat.model import DatedValue, Document, RawDocument

GEN = Generator()
FAST = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_FORMAT = {"day": re.compile(r"\d{4}-\d{2}-\d{2}"), "month": re.compile(r"\d{4}-\d{2}"), "year": re.compile(r"\d{4}")}
# Lines of page furniture a scraped text carries; the cleaner is meant to remove them.
JUNK = ["Home | World | Politics | Sport", "Subscribe to our newsletter", "Share this article", "Read also:",
        "Last modified: 12.03.2024 10:15", "© 2024 The Regional Herald. All rights reserved.", "Advertisement",
        "Photo: press service", "Tags: Russia, Tajikistan", "Comments (0)", "MOST READ", "Updated 2 hours ago"]


def check_date(value: DatedValue | None) -> None:
    if value is None:
        return
    assert value.precision in _FORMAT, value
    assert _FORMAT[value.precision].fullmatch(value.value), value
    parts = [int(p) for p in value.value.split("-")] + [1, 1]
    dt.date(parts[0], parts[1], parts[2])  # a real calendar date
    assert value.method


def check_document(doc: Document, raw: RawDocument) -> None:
    assert doc.doc_id == raw.doc_id and doc.origin == raw.origin and doc.fmt == raw.fmt
    assert doc.text == doc.text.strip() or not doc.text.strip()
    doc.text.encode("utf-8")
    assert re.fullmatch(r"[0-9a-f]{40}", doc.content_hash)
    for r in doc.removed:
        assert r.reason and isinstance(r.text, str)
    check_date(doc.published)


def text_article(rnd: random.Random) -> str:
    lines = [GEN.sentence(rnd)]
    for _ in range(rnd.randint(1, 10)):
        lines.append(rnd.choice(JUNK) if rnd.random() < 0.3 else GEN.paragraph(rnd))
    joiner = rnd.choice(["\n", "\n\n", "\r\n", "\n \n"])
    return joiner.join(lines)


@FAST
@given(rnd=st.randoms(use_true_random=False))
def test_clean_text_covers_input(rnd: random.Random):
    text = text_article(rnd)
    raw = RawDocument("t", "test", "txt", text=text, url=rnd.choice([None, "https://x.example/2024/03/05/a"]))
    doc = clean_document(raw, Settings())
    check_document(doc, raw)
    given_words = Counter(w for p in split_paragraphs(text) for w in words(p))
    found = Counter(words(doc.text))
    for r in doc.removed:
        found.update(words(r.text))
    missing = given_words - found
    assert not missing, f"words neither kept nor recorded as removed: {dict(missing)}"


@FAST
@given(rnd=st.randoms(use_true_random=False))
def test_clean_html_never_raises(rnd: random.Random):
    markup, _ = GEN.html_text(rnd)
    raw = RawDocument("h", "test", rnd.choice(["html", "warc", "feed"]), html=markup,
                      url=rnd.choice([None, "https://x.example/2024/03/05/a", "not a url", "https://пример.рф/"]),
                      published=rnd.choice([None, "2024-03-05", "yesterday", "2024-13-45", "99999-01-01", ""]),
                      title=rnd.choice([None, "", GEN.sentence(rnd)]))
    check_document(clean_document(raw, Settings()), raw)


@settings(max_examples=40, deadline=None)
@given(text=st.text(max_size=300), meta=st.one_of(st.none(), st.text(max_size=30)),
       url=st.one_of(st.none(), st.text(max_size=40)))
def test_clean_arbitrary_strings(text: str, meta: str | None, url: str | None):
    """Lone surrogates and control characters can arrive through JSON escapes ("\\ud800")."""
    raw = RawDocument("s", "test", "jsonl", text=text or " ", published=meta, url=url)
    doc = clean_document(raw, Settings())
    assert isinstance(doc.text, str)
    check_date(doc.published)


def test_max_doc_chars_truncates_at_a_paragraph():
    paragraph = "The ministers met in Dushanbe and signed a protocol on labour migration, officials said."
    text = "\n\n".join(f"{paragraph} Item {i}." for i in range(400))
    limit = 5_000
    settings_ = dataclasses.replace(Settings(), max_doc_chars=limit)
    doc = clean_document(RawDocument("long", "test", "txt", text=text), settings_)
    assert 0 < len(doc.text) <= limit
    assert doc.text.endswith(".")  # cut between paragraphs, not inside one
    assert "Item 0." in doc.text and "Item 399." not in doc.text
