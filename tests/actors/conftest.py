from __future__ import annotations

import re

import pytest

from bilat.actors.link import ActorLinker
from bilat.model import DatedValue, Document, Mention
from bilat.nlp.pipeline import EnglishPipeline

from .kbfixture import tiny_kb


@pytest.fixture(scope="session")
def nlp() -> EnglishPipeline:
    return EnglishPipeline()


@pytest.fixture(scope="session")
def kb():
    return tiny_kb()


@pytest.fixture(scope="session")
def linker(kb) -> ActorLinker:
    return ActorLinker(kb)


@pytest.fixture(scope="session")
def real_kb():
    from .seedmeasure import load_real_kb
    kb = load_real_kb()
    if kb is None:
        pytest.skip("bilat.actors.kb_loader is not there yet")
    return kb


@pytest.fixture(scope="session")
def real_linker(real_kb) -> ActorLinker:
    return ActorLinker(real_kb)


class Linked:
    """The mentions of one text, with small lookups for assertions."""

    def __init__(self, doc: Document, mentions: list[Mention]):
        self.doc = doc
        self.mentions = mentions

    def at(self, text: str, nth: int = 0) -> list[Mention]:
        """Mentions whose span starts where ``text`` occurs (nth occurrence) in the document."""
        hits = [m.start() for m in re.finditer(rf"(?<!\w){re.escape(text)}(?!\w)", self.doc.text)]
        pos = hits[nth]
        return [m for m in self.mentions if m.span[0] <= pos < m.span[1] or pos <= m.span[0] < pos + len(text)]

    def one(self, text: str, nth: int = 0) -> Mention:
        found = self.at(text, nth)
        assert len(found) == 1, (text, found)
        return found[0]

    def persons(self) -> list[Mention]:
        return [m for m in self.mentions if m.kind == "person"]


@pytest.fixture(scope="session")
def run(nlp, linker):
    def _run(text: str, published: str | None = None) -> Linked:
        pub = DatedValue(published, "day" if len(published) == 10 else "year", "metadata") if published else None
        doc = Document("t", "test", "txt", text, published=pub)
        return Linked(doc, linker.link(doc, nlp(text)))
    return _run
