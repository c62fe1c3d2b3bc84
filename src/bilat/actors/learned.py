"""Actors learned from the text itself: people the knowledge base does not know, whose
role and country the article states ("Tajik Labour Minister Z", "X, the head of Y").

A learned role is evidence, not knowledge: it carries the sentence that states it, the
document's date and a confidence, and it is never used in place of a curated KB role.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..model import Mention

if TYPE_CHECKING:
    from spacy.tokens import Doc as SpacyDoc

logger = logging.getLogger(__name__)

# How much a pattern is trusted: a title with a nationality in front of the name is
# the plainest statement of a role; an apposition is looser; a bare title names no country.
CONFIDENCE = {"title+country": 0.85, "apposition+country": 0.75, "title+context": 0.6, "title": 0.5,
              "apposition": 0.45, "context": 0.4}


@dataclass
class LearnedRole:
    """A person's role as one article states it."""

    name: str
    role: str | None
    country: str | None
    sector: str | None
    evidence: str  # the sentence
    sentence: int
    doc_id: str
    date: str | None  # the document's date (YYYY-MM-DD, YYYY-MM or YYYY), if known
    confidence: float
    pattern: str  # key of CONFIDENCE


def confidence_of(pattern: str, country: str | None) -> tuple[str, float]:
    key = f"{pattern}+country" if country and f"{pattern}+country" in CONFIDENCE else pattern
    return key, CONFIDENCE.get(key, 0.4)


class LearnedStore:
    """Learned roles by normalised full name, kept across documents by whoever owns it.

    ``add`` refuses names the knowledge base already knows, so a learned role never
    overrides a curated one; a higher-confidence statement replaces a lower one.
    """

    def __init__(self) -> None:
        self._by_key: dict[str, LearnedRole] = {}

    def add(self, key: str, learned: LearnedRole, in_kb: bool) -> bool:
        if in_kb or not key:
            return False
        old = self._by_key.get(key)
        if old is None or learned.confidence > old.confidence:
            self._by_key[key] = learned
            return True
        return False

    def lookup(self, key: str) -> LearnedRole | None:
        return self._by_key.get(key)

    def __len__(self) -> int:
        return len(self._by_key)

    def roles(self) -> list[LearnedRole]:
        return list(self._by_key.values())


def appositive_span(sdoc: SpacyDoc, start: int, end: int) -> tuple[int, int] | None:
    """Character span of an apposition describing the name at [start, end):
    "Abdugani Mamadazimov, a Tajik analyst," -> "a Tajik analyst".

    Uses the parse (an ``appos`` child of the name's head) and falls back to the
    punctuation pattern "NAME, the|a|an ... ," when the parser attached it elsewhere.
    """
    span = sdoc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    root = span.root
    for child in root.children:
        if child.dep_ == "appos" and child.i >= span.end:
            sub = list(child.subtree)
            last = sub[-1]
            while last.is_punct and last.i > sub[0].i:
                last = sdoc[last.i - 1]
            return sub[0].idx, last.idx + len(last)
    i = span.end
    if i + 1 < len(sdoc) and sdoc[i].text == "," and sdoc[i + 1].lower_ in ("the", "a", "an"):
        j = i + 1
        sent_end = sdoc[i].sent.end
        while j < sent_end and sdoc[j].text not in (",", ".", ";", "(", ")") and j - i < 14:
            j += 1
        if j < sent_end and sdoc[j].text in (",", ".", ";"):
            return sdoc[i + 1].idx, sdoc[j - 1].idx + len(sdoc[j - 1])
    return None


def context_countries(mentions: list[Mention], groups: list[Mention], learned: list[LearnedRole]) -> None:
    """Officials named with a title but no nationality, next to "the Russian delegation"
    (same or the two sentences before, one country only), belong to that country.

    Changes the mentions in place and upgrades their learned roles.
    """
    for m in mentions:
        if m.kind != "person" or m.country or m.kb_id or not m.role:
            continue
        near = {g.country for g in groups if 0 <= m.sentence - g.sentence <= 2 and g.span[0] < m.span[0]}
        if len(near) == 1:
            m.country = near.pop()
            for lr in learned:
                if lr.name == m.name and lr.country is None:
                    lr.country, lr.pattern = m.country, "title+context"
                    lr.confidence = CONFIDENCE["title+context"]
