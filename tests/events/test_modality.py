"""Modality read from the parse, and edge cases the extractor must survive."""
from __future__ import annotations

import pytest

from bilat.events import ModalityReader
from bilat.model import Document, Mention


@pytest.fixture(scope="module")
def reader() -> ModalityReader:
    return ModalityReader()


def _tok(nlp, text, word):
    doc = nlp(text)
    return next(t for t in doc if t.text == word)


@pytest.mark.parametrize("text, word, neg, plan, hyp", [
    ("Russia will sign the deal.", "sign", False, True, False),
    ("Russia did not sign the deal.", "sign", True, False, False),
    ("Russia never signed the deal.", "signed", True, False, False),
    ("Russia is to sign the deal.", "sign", False, True, False),
    ("Russia plans to sign the deal.", "sign", False, True, False),
    ("Russia is expected to sign the deal.", "sign", False, True, False),
    ("Russia could sign the deal.", "sign", False, False, True),
    ("If Russia signs the deal, prices will fall.", "signs", False, False, True),
    ("Russia hopes that Iran would sign the deal.", "sign", False, False, True),
    ("No deal will be signed.", "signed", True, True, False),
    ("Russia failed to sign the deal.", "sign", True, False, False),
    ("They agreed on a pact to be signed in March.", "signed", False, True, False),
    ("They signed a pact that was drafted in March.", "signed", False, False, False),
])
def test_flags(nlp, reader, text, word, neg, plan, hyp):
    m = reader.read(_tok(nlp, text, word))
    assert (m.negated, m.planned, m.hypothetical) == (neg, plan, hyp)


def test_refusal_blocks_its_complement(nlp, reader):
    assert reader.read(_tok(nlp, "Russia refused to sign the deal.", "sign")).blocked


def test_obligation(nlp, reader):
    assert reader.read(_tok(nlp, "Moscow said Dushanbe must return the aircraft.", "return")).obligation


@pytest.mark.parametrize("text, word, speaker", [
    ("The minister said Russia will sign the deal.", "sign", "minister"),
    ("Russia will sign the deal, officials said.", "sign", "officials"),
    ("According to the ministry, Russia signed the deal.", "signed", "ministry"),
    ("Russia signed the deal.", "signed", None),
])
def test_attribution(nlp, reader, text, word, speaker):
    m = reader.read(_tok(nlp, text, word))
    assert (m.speaker.text if m.speaker is not None else None) == speaker


@pytest.mark.parametrize("text, word, plan", [
    ("The upcoming visit was announced.", "visit", True),
    ("The meeting to be held in May was announced.", "meeting", True),
    ("The visit ended on Monday.", "visit", False),
    ("Talks will take place in May.", "Talks", True),
    ("The pact will be signed during the visit in March.", "visit", True),
    ("The pact was signed during the visit in March.", "visit", False),
])
def test_noun_events(nlp, reader, text, word, plan):
    assert reader.read(_tok(nlp, text, word)).planned is plan


def test_edge_cases(nlp, extractor):
    for text in ["", "   ", "Visit.", "Russia.", "The the the met met with with."]:
        sdoc = nlp(text)
        assert extractor.extract(Document("e", "t", "txt", text), sdoc, []) == []
    # a mention whose span does not fall on the parsed text is ignored, not fatal
    text = "Putin met Tokayev."
    bad = [Mention("x", (500, 510), 0, "X", "XXX")]
    assert extractor.extract(Document("e", "t", "txt", text), nlp(text), bad) == []
