"""Candidates for the event coder: pairs of actors of different states or organisations in one sentence.

A person counts for their state and a ministry for its state (the linker gives each mention its
country code), so "Putin met Rahmon" is the pair RUS-TJK. Each code is represented by its first mention
in the sentence; a code named only inside another actor's span ("Russian-Tajik") gives no candidate.

A collective naming exactly the two parties ("the two leaders", "both sides": one span, two codes from
coreference) is a candidate too. The coder never saw such a phrase marked twice, so it reads the
sentence with the phrase spelled out as the two actors ("Putin and Rahmon agreed", ``coder_input``);
the event keeps the collective's own sentence as evidence.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from itertools import combinations
from typing import TypeVar

from ..model import Document, Mention, Span
from .featurize import overlaps

logger = logging.getLogger(__name__)
T = TypeVar("T")

MAX_ACTORS = 6  # codes per sentence considered; further ones are usually lists ("delegations from ...")


@dataclass(frozen=True)
class Candidate:
    """Two actors of one sentence, ``first`` named before ``second``; spans are relative to the sentence."""

    sentence: int
    first: Mention
    second: Mention
    first_span: Span
    second_span: Span

    @property
    def codes(self) -> frozenset[str]:
        return frozenset((self.first.country or "", self.second.country or ""))

    @property
    def shared(self) -> bool:
        """Both actors are one collective phrase ("the two sides")."""
        return self.first_span == self.second_span


def _representative(mentions: list[Mention]) -> dict[str, Mention]:
    """The first mention of each actor code; a named person or state is preferred over a pronoun."""
    out: dict[str, Mention] = {}
    for m in sorted(mentions, key=lambda m: (m.via == "coref", m.span[0])):
        if m.country and m.country not in out:
            out[m.country] = m
    return out


def sentence_candidates(doc: Document, index: int, mentions: list[Mention]) -> list[Candidate]:
    """The candidate pairs of sentence ``index``; ``mentions`` are the sentence's own."""
    sent = doc.sentences[index]
    reps = sorted(_representative(mentions).values(), key=lambda m: (m.span[0], m.country or ""))[:MAX_ACTORS]
    codes_at: dict[Span, int] = {}
    for m in reps:
        codes_at[m.span] = codes_at.get(m.span, 0) + 1
    out = []
    for a, b in combinations(reps, 2):
        # one phrase for exactly two parties is a collective; for more, a list ("presidents of A, B and C")
        if overlaps(a.span, b.span) and not (a.span == b.span and codes_at[a.span] == 2):
            continue
        out.append(Candidate(index, a, b, (a.span[0] - sent.start, a.span[1] - sent.start),
                             (b.span[0] - sent.start, b.span[1] - sent.start)))
    return out


def document_candidates(doc: Document, mentions: list[Mention]) -> list[Candidate]:
    """All candidate pairs of a document, sentence by sentence."""
    by_sentence: dict[int, list[Mention]] = {}
    for m in mentions:
        if m.country and 0 <= m.sentence < len(doc.sentences):
            by_sentence.setdefault(m.sentence, []).append(m)
    out: list[Candidate] = []
    for index in sorted(by_sentence):
        out.extend(sentence_candidates(doc, index, by_sentence[index]))
    return out


def coder_input(text: str, cand: Candidate) -> tuple[str, Span, Span]:
    """The sentence and the two actor spans the coder reads: a collective ("the two leaders agreed") is
    spelled out as its two actors ("Putin and Rahmon agreed"), in the form the coder was trained on."""
    if not cand.shared:
        return text, cand.first_span, cand.second_span
    start, end = cand.first_span
    for article in ("the ", "both "):  # "the two sides" -> "Russia and Tajikistan", not "the Russia and ..."
        if text[max(0, start - len(article)):start].lower() == article:
            start -= len(article)
            break
    a, b = cand.first.name, cand.second.name
    spelled = text[:start] + f"{a} and {b}" + text[end:]
    b_start = start + len(a) + len(" and ")
    return spelled, (start, start + len(a)), (b_start, b_start + len(b))


def within_budget(cands: list[T], max_pairs: int | None, doc_id: str) -> list[T]:
    """The first ``max_pairs`` candidates of a document (``Settings.max_coded_pairs``): the network costs
    about 10 ms a pair (50 ms in Russian), and a 70,000-word page of lists has thousands of pairs, which
    would outlast the document's time limit; the rules still code the rest."""
    if max_pairs is None or len(cands) <= max_pairs:
        return cands
    logger.info("%s: %d actor pairs, the event coder read the first %d (max_coded_pairs)",
                doc_id, len(cands), max_pairs)
    return cands[:max_pairs]
