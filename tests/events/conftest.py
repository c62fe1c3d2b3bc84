"""Shared fixtures for the events tests: one spaCy pipeline, one extractor, the test tagger."""
from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from tagger import SimpleTagger  # noqa: E402

from bilat.events.extract import EventExtractor  # noqa: E402
from bilat.model import DatedValue, Document, Event, Sentence  # noqa: E402
from bilat.nlp.pipeline import EnglishPipeline  # noqa: E402

PUBLISHED = date(2024, 3, 15)


@pytest.fixture(scope="session")
def nlp() -> EnglishPipeline:
    return EnglishPipeline()


@pytest.fixture(scope="session")
def tagger() -> SimpleTagger:
    return SimpleTagger()


@pytest.fixture(scope="session")
def extractor() -> EventExtractor:
    return EventExtractor()


@pytest.fixture(scope="session")
def resolver():
    try:
        from bilat.events.when import TimeResolver
    except ImportError:
        return None
    return TimeResolver()


@pytest.fixture(scope="session")
def gazetteer():
    try:
        from bilat.events.where import Gazetteer
    except ImportError:
        return None
    return Gazetteer()


@pytest.fixture(scope="session")
def run(nlp, tagger, extractor, resolver, gazetteer):
    """Text in, events out, through the real parser, tagger, time resolver and gazetteer."""
    def _run(text: str, published: date | None = PUBLISHED, ex: EventExtractor | None = None) -> list[Event]:
        sdoc = nlp(text)
        pub = DatedValue(published.isoformat(), "day", "metadata") if published else None
        doc = Document("t", "test", "txt", text, published=pub,
                       sentences=[Sentence(s.start_char, s.end_char, s.text) for s in sdoc.sents])
        mentions = tagger.tag(text, [(s.start, s.end) for s in doc.sentences])
        return (ex or extractor).extract(doc, sdoc, mentions, time_resolver=resolver, gazetteer=gazetteer)
    return _run


@pytest.fixture(scope="session")
def linker():
    """The project's actor linker (for cases that need demonyms, groups and people it knows)."""
    from bilat.actors.kb_loader import load_kb
    from bilat.actors.link import ActorLinker

    return ActorLinker(load_kb())


@pytest.fixture(scope="session")
def plover_extractor() -> EventExtractor:
    return EventExtractor(convention="plover")


@pytest.fixture(scope="session")
def linked_run(nlp, linker, extractor, plover_extractor, resolver, gazetteer):
    """Like ``run``, with the ActorLinker's mentions; ``convention`` picks the news or plover extractor."""
    def _run(text: str, convention: str = "news", published: date | None = PUBLISHED) -> list[Event]:
        sdoc = nlp(text)
        pub = DatedValue(published.isoformat(), "day", "metadata") if published else None
        doc = Document("t", "test", "txt", text, published=pub,
                       sentences=[Sentence(s.start_char, s.end_char, s.text) for s in sdoc.sents])
        ex = plover_extractor if convention == "plover" else extractor
        return ex.extract(doc, sdoc, linker.link(doc, sdoc), time_resolver=resolver, gazetteer=gazetteer)
    return _run
