"""Selective parsing keeps one Doc with the right offsets, entities and boundaries, and the same events."""
import dataclasses

import pytest

from bilat.config import Settings
from bilat.model import Document
from bilat.nlp import ParseSelector, SelectivePipeline, parse_stats
from bilat.pipeline import Pipeline

# Our own sentences: events between named actors, mixed with sentences that cannot hold one.
TEXT = (
    "The weather in Dushanbe was mild on Tuesday. "
    "Russian President Vladimir Putin met Tajik President Emomali Rahmon in Moscow on 12 May 2023. "
    "Prices of flour rose again in the markets of Khujand. "
    "The two leaders signed an agreement on military cooperation. "
    "Tajikistan accused Kyrgyzstan of shelling border villages near Isfara. "
    "Nobody could say how long the rain would last."
)


@pytest.fixture(scope="module")
def pipelines():
    return Pipeline(Settings(parse="full")), Pipeline(Settings(parse="selective"))


def _doc(text: str) -> Document:
    from bilat.model import DatedValue

    return Document("t1", "test", "txt", text, published=DatedValue("2023-05-13", "day", "test", "fixed"))


def _analyse(p: Pipeline, text: str) -> Document:
    doc, error = next(p.analyse([_doc(text)]))
    assert error is None
    return doc


def test_selective_gives_the_same_events_and_mentions(pipelines):
    full, selective = pipelines
    assert isinstance(selective.nlp, SelectivePipeline)
    a, b = _analyse(full, TEXT), _analyse(selective, TEXT)
    key = lambda e: (e.type, e.source, e.target, e.negated, e.planned, e.date)  # noqa: E731
    assert a.events, "the full parse should find events here"
    assert sorted(map(key, a.events)) == sorted(map(key, b.events))
    assert [(m.span, m.country) for m in a.mentions] == [(m.span, m.country) for m in b.mentions]
    assert [(s.start, s.end) for s in a.sentences] == [(s.start, s.end) for s in b.sentences]


def test_no_statistical_entities_by_default(pipelines):
    _, selective = pipelines
    list(selective.analyse([]))  # sets the selector
    assert not selective.nlp.ner and "ner" not in selective.nlp.nlp.pipe_names
    assert selective.nlp(TEXT).ents == ()


def test_offsets_entities_and_boundaries_survive(pipelines):
    full, selective = pipelines
    list(selective.analyse([]))  # sets the selector
    with_ner = SelectivePipeline(ner=True)
    with_ner.set_selector(selective.nlp.component.select)
    sdoc = with_ner(TEXT)
    ref = full.nlp(TEXT)
    assert sdoc.text == TEXT
    assert [(e.start_char, e.end_char, e.label_) for e in sdoc.ents] == [
        (e.start_char, e.end_char, e.label_) for e in ref.ents]
    sents = list(sdoc.sents)
    assert len(sents) == 6
    stats = parse_stats(sdoc)
    assert stats["sentences"] == 6 and 0 < stats["parsed"] < 6 and stats["too_long"] == 0
    weather, meeting = sents[0], sents[1]
    assert all(t.dep_ in ("", "ROOT") for t in weather)  # no event cue: not parsed
    assert [e.text for e in weather.ents] == ["Dushanbe", "Tuesday"]  # ... but its entities are there
    assert {t.dep_ for t in meeting} >= {"nsubj", "dobj"}
    assert meeting.root.lemma_ == "meet"
    for t in meeting:  # parse copied back at the right place
        assert TEXT[t.idx:t.idx + len(t)] == t.text
        assert t.head.sent == meeting


def test_long_sentences_are_not_parsed(pipelines):
    _, selective = pipelines
    short = SelectivePipeline(max_sentence_tokens=8)
    short.set_selector(selective.nlp.component.select)
    sdoc = short(TEXT)
    stats = parse_stats(sdoc)
    assert stats["too_long"] >= 4
    assert all(not t.dep_ or t.dep_ == "ROOT" for s in sdoc.sents if len(s) > 8 for t in s)
    assert len(list(sdoc.sents)) == 6


def test_selector_needs_both_cues(pipelines):
    _, selective = pipelines
    select = selective.nlp.component.select
    assert isinstance(select, ParseSelector)
    nlp = selective.nlp.nlp
    assert select(next(nlp("Rahmon visited Moscow.").sents))
    assert not select(next(nlp("Rahmon likes tea.").sents))  # no event cue
    assert not select(next(nlp("The rain visited nobody.").sents))  # no actor cue


def test_settings_choose_the_mode():
    assert dataclasses.replace(Settings(), parse="full").parse == "full"
    from bilat.errors import ConfigError
    from bilat.nlp import load_pipeline

    with pytest.raises(ConfigError):
        load_pipeline("en", parse="partial")
