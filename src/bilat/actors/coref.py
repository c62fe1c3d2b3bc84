"""In-document coreference for actors: pronouns, role descriptions, counterparts, collectives.

Rules, no learned model: a pronoun goes to the last person who was a grammatical
subject (else the last person named); "the minister" to the last person whose role
has that title; "his Tajik counterpart" to the person of that country holding the
antecedent's role; "the two leaders" / "both sides" to the two countries named most so far
(persons of them, for "the two leaders"), one mention each.
"""
from __future__ import annotations

import logging
from bisect import bisect_left, insort
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from ..model import Mention, Span

if TYPE_CHECKING:
    from spacy.tokens import Token

logger = logging.getLogger(__name__)

PRONOUNS = {"he": "subject", "she": "subject", "him": "object", "her": "object", "his": "possessive",
            "hers": "possessive"}
# How far back (in sentences) a pronoun or definite description may look.
WINDOW = 4
RECENT = 300  # mentions looked at before a trigger


@dataclass
class Trigger:
    """A stretch of text that needs an antecedent."""

    kind: str  # pronoun | role | counterpart | collective
    text: str
    span: Span
    sentence: int
    role: str | None = None
    country: str | None = None
    sector: str | None = None
    group: str = "persons"  # collective: persons | states
    possessor: Mention | None = None  # "Lavrov's counterpart"
    countries: list[str] = field(default_factory=list)
    subject_rank: int = 0  # a pronoun that is itself a subject passes the rank on


def role_matches(wanted: str, role: str | None) -> bool:
    """'minister' matches 'foreign minister'; 'leader' matches a head of state or government."""
    if not role:
        return False
    if wanted in ("leader", "head"):
        return role in ("president", "prime minister", "leader", "supreme leader", "king", "emir")
    if wanted == role:
        return True
    words = role.split()
    if "deputy" in words and "deputy" not in wanted.split():
        return False  # "the minister" is not the deputy prime minister
    return wanted in words or role.endswith(" " + wanted)


class Coreference:
    """Resolves triggers against the mentions already found, in text order."""

    def __init__(self, resolve_role: Callable[[str | None, str, date | None], Any | None],
                 person_mention: Callable[[Any, str, Span, int, str, date | None], Mention],
                 country_name: Callable[[str], str] = str):
        # resolve_role(country, role, on) -> KB person; person_mention(person, text, span, sentence, via, on)
        self.resolve_role = resolve_role
        self.person_mention = person_mention
        self.country_name = country_name

    def antecedent(self, mentions: list[Mention], before: int, subjects: dict[int, int], sentence: int,
                   role: str | None = None, country: str | None = None) -> Mention | None:
        """The person a pronoun or description points back to, before char ``before``.

        ``subjects`` ranks mentions: 2 = subject of a main clause, 1 = of another clause.
        Going back sentence by sentence, the first sentence with a subject person gives
        its best-ranked (then latest) subject; without any, the last person named.
        """
        persons = [m for m in mentions if m.kind == "person" and m.span[1] <= before
                   and sentence - m.sentence <= WINDOW
                   and (role is None or role_matches(role, m.role))
                   and (country is None or m.country == country)]
        if not persons:
            return None
        if role is None:
            for sent in sorted({m.sentence for m in persons}, reverse=True):
                ranked = [m for m in persons if m.sentence == sent and subjects.get(id(m), 0) > 0]
                if ranked:
                    return max(ranked, key=lambda m: (subjects[id(m)], m.span))
        return persons[-1]

    def resolve(self, triggers: Iterable[Trigger], mentions: list[Mention], subjects: dict[int, int],
                on: date | None) -> list[Mention]:
        """New mentions (via='coref') for the triggers; ``mentions`` is read, not changed."""
        pool = sorted(mentions, key=lambda m: m.span)
        out: list[Mention] = []
        for trig in sorted(triggers, key=lambda t: t.span):
            idx = bisect_left(pool, trig.span[0], key=lambda m: m.span[0])
            # the window rule bounds how far back anything may point; RECENT keeps this linear
            before = [m for m in pool[max(0, idx - RECENT):idx] if m.span[1] <= trig.span[0]]
            for m in self._resolve_one(trig, before, subjects, on):
                out.append(m)
                insort(pool, m, key=lambda m: m.span)
                if trig.subject_rank:
                    subjects[id(m)] = trig.subject_rank
        return out

    def _resolve_one(self, trig: Trigger, before: list[Mention], subjects: dict[int, int],
                     on: date | None) -> list[Mention]:
        if trig.kind == "pronoun":
            ante = self.antecedent(before, trig.span[0], subjects, trig.sentence)
            return [self._copy(ante, trig)] if ante else []
        if trig.kind == "counterpart":
            return self._counterpart(trig, before, subjects, on)
        if trig.kind == "role":
            return self._role(trig, before, subjects, on)
        if trig.kind == "collective":
            return self._collective(trig, before)
        return []

    def _copy(self, ante: Mention, trig: Trigger, role: str | None = None) -> Mention:
        return replace(ante, text=trig.text, span=trig.span, sentence=trig.sentence, via="coref",
                       role=role or ante.role)

    def _role(self, trig: Trigger, before: list[Mention], subjects: dict[int, int], on: date | None) -> list[Mention]:
        role = trig.role or ""
        if trig.country and role not in ("minister", "official"):
            person = self.resolve_role(trig.country, role, on)
            if person is not None:
                return [self.person_mention(person, trig.text, trig.span, trig.sentence, "coref", on)]
        ante = self.antecedent(before, trig.span[0], subjects, trig.sentence, role=role, country=trig.country)
        if ante is not None:
            return [self._copy(ante, trig)]
        return self._unnamed(trig, role)

    def _unnamed(self, trig: Trigger, role: str | None) -> list[Mention]:
        """"the Kremlin's envoy" with nobody to name: still an actor of that country and sector."""
        if not trig.country:
            return []
        kind = "org" if len(trig.country) != 3 else "state"
        return [Mention(trig.text, trig.span, trig.sentence, self.country_name(trig.country), trig.country,
                        trig.sector, role, None, kind, False, "title")]

    def _counterpart(self, trig: Trigger, before: list[Mention], subjects: dict[int, int],
                     on: date | None) -> list[Mention]:
        ante = trig.possessor or self.antecedent(before, trig.span[0], subjects, trig.sentence)
        if not trig.country:
            return []
        if ante is None or not ante.role:
            # "the delegation will brief its Kyrgyz counterpart": nobody to name, still Kyrgyzstan
            return self._unnamed(trig, None)
        person = self.resolve_role(trig.country, ante.role, on)
        if person is not None:
            return [self.person_mention(person, trig.text, trig.span, trig.sentence, "coref", on)]
        named = self.antecedent(before, trig.span[0], subjects, trig.sentence, role=ante.role,
                                country=trig.country)
        return [self._copy(named, trig)] if named else self._unnamed(trig, ante.role)

    def _collective(self, trig: Trigger, before: list[Mention]) -> list[Mention]:
        if trig.countries:  # "the presidents of Russia and Tajikistan": handled by the linker
            return []
        want_persons = trig.group == "persons"
        # the two sides are the story's two most named countries so far (the later named first on a
        # tie), not merely the last two named: a third state quoted in between is a bystander
        count: dict[str, int] = {}
        last: dict[str, Mention] = {}
        for m in before:
            if m.sentence > trig.sentence or m.country is None or m.via == "coref" and len(m.country) != 3:
                continue
            if want_persons and (m.kind != "person" or trig.role and not role_matches(trig.role, m.role)):
                continue
            if not want_persons and (m.kind not in ("state", "person") or len(m.country) != 3):
                continue
            count[m.country] = count.get(m.country, 0) + 1
            last[m.country] = m
        ranked = sorted(last, key=lambda c: (count[c], last[c].span[0]), reverse=True)
        picked = sorted((last[c] for c in ranked[:2]), key=lambda m: m.span[0], reverse=True)
        if want_persons and len(picked) < 2:
            return self._collective(replace(trig, group="states"), before)
        if len(picked) < 2:
            return []
        out = []
        for m in reversed(picked):
            if trig.group == "states" and m.kind == "person":
                m = replace(m, name=self.country_name(m.country or ""), kind="state", kb_id=None, role=None)
            sector = trig.sector if trig.group == "states" else m.sector
            out.append(replace(m, text=trig.text, span=trig.span, sentence=trig.sentence, via="coref",
                               sector=sector))
        return out


def subject_rank(tok: Token) -> int:
    """2 for the subject of a main clause, 1 for a subject elsewhere, 0 otherwise."""
    # "Foreign Minister X held talks": the name hangs as appos/conj off the subject
    while tok.dep_ in ("conj", "appos") and tok.head is not tok:
        tok = tok.head
    if tok.dep_ not in ("nsubj", "nsubjpass"):
        return 0
    head = tok.head
    while head.dep_ == "conj" and head.head is not head:
        head = head.head
    return 2 if head.dep_ == "ROOT" else 1


def pronoun_triggers(texts: list[str], toks: list[Token], starts: list[int],
                     sentence_of: Callable[[int], int], taken: set[int]) -> list[Trigger]:
    """Personal pronouns that may point at a person (not those already part of a trigger)."""
    out = []
    for i, word in enumerate(texts):
        if word.lower() in PRONOUNS and toks[i].pos_ == "PRON" and starts[i] not in taken:
            span = (starts[i], starts[i] + len(word))
            out.append(Trigger("pronoun", word, span, sentence_of(span[0]), subject_rank=subject_rank(toks[i])))
    return out
