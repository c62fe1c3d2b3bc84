"""Modality of an event mention: negated, planned, hypothetical, and who reports it.

Read from the dependency parse around the trigger:
- the *clause chain* is the trigger and the verbs it hangs on through infinitive complements
  (``xcomp``: "plans to visit") and coordination (``conj``: "will arrive and meet"); auxiliaries and
  negation on the chain count for the trigger, a that-clause (``ccomp``) ends the chain;
- negated: "not/never" on the chain, "no" on the object ("no documents will be signed"), a failing
  head ("failed to sign"); a refusing head ("refused to sign") *blocks* the event instead, because
  the refusal is itself the event (REJECT);
- planned: a future auxiliary ("will", "shall"), "is to", a planning head ("plans/is expected/is
  scheduled to"), an upcoming-type adjective on an event noun, "to be held";
- hypothetical: a modal ("could", "would"), a conditional clause ("if", "unless"), a wishing head
  ("hope that", "want to");
- attribution: the subject of a reporting verb whose that-clause holds the trigger ("X said that"),
  the agent of "was stated by X", or "according to X".
The cue words live in rules/modality.yaml.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import yaml
from spacy.tokens import Token

from ..errors import ConfigError
from .ontology import RULES_DIR

logger = logging.getLogger(__name__)

_SUBJ = ("nsubj", "nsubjpass", "csubj")


@dataclass
class Modality:
    negated: bool = False
    planned: bool = False
    hypothetical: bool = False
    blocked: bool = False  # the trigger is the complement of a refusal: the REJECT carries it
    obligation: bool = False  # "must", "should", "has to": someone demands it
    speaker: Token | None = None  # head token of the attributed source


class ModalityReader:
    """Reads the modality of a verb or noun trigger; word lists from rules/modality.yaml."""

    def __init__(self, rules_dir: str | Path | None = None):
        path = Path(rules_dir or RULES_DIR) / "modality.yaml"
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise ConfigError(f"{path}: cannot read modality cues: {exc}") from exc
        self.words = {k: frozenset(str(x).lower() for x in v) for k, v in data.items() if isinstance(v, list)}

    def _w(self, key: str) -> frozenset[str]:
        return self.words.get(key, frozenset())

    def chain(self, tok: Token) -> list[Token]:
        """The trigger and the verbs above it through xcomp/conj (and the 'be' of 'is to')."""
        out = [tok]
        cur = tok
        while cur.dep_ in ("xcomp", "conj", "acomp", "auxpass") and cur.head is not cur and len(out) < 6:
            if cur.dep_ == "conj" and any(c.dep_ in _SUBJ for c in cur.children):
                break  # a conjoined clause with its own subject has its own tense
            cur = cur.head
            out.append(cur)
        return out

    def governing_verb(self, noun: Token) -> Token | None:
        """For an event noun, the occurrence verb that carries its tense ("talks will take place")."""
        if noun.dep_ in ("nsubj", "nsubjpass", "dobj") and noun.head.lemma_.lower() in self._w("occurrence_verbs"):
            return noun.head
        if noun.dep_ == "pobj" and noun.head.dep_ == "prep" and noun.head.head.lemma_.lower() in (
                "participate", "take", "attend", "hold"):
            return noun.head.head
        return None

    def read(self, trigger: Token, obj: Token | None = None) -> Modality:
        m = Modality()
        is_noun = trigger.pos_ in ("NOUN", "PROPN")
        base = trigger
        if is_noun:
            for c in trigger.children:
                low = c.lower_
                if c.dep_ == "det" and low == "no":
                    m.negated = True
                if c.dep_ in ("amod", "compound") and c.lemma_.lower() in self._w("planned_adjectives"):
                    m.planned = True
                if c.dep_ in ("acl", "relcl") and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children) and (
                        any(a.dep_ == "auxpass" for a in c.children) or c.lemma_.lower() in ("take", "happen", "occur")):
                    m.planned = True  # "the meeting to be held in May", "talks to take place"
            gov = self.governing_verb(trigger)
            if gov is None:
                host = _occasion_verb(trigger)
                if host is not None and not m.planned:
                    # "will sign it during the visit": the occasion shares the tense of what happens at it
                    m.planned = self.read(host).planned
                self._attribution(trigger, m)
                return m
            base = gov
        chain = self.chain(base)
        if (base.dep_ in ("acl", "relcl") and any(c.dep_ == "aux" and c.lower_ == "to" for c in base.children)
                and any(c.dep_ == "auxpass" for c in base.children)):
            m.planned = True  # "an accord to be signed in October": not done yet
        if (base.tag_ == "VBG" and base.lemma_.lower() in self._w("progressive_future")
                and any(c.dep_ == "aux" and c.tag_ in ("VBZ", "VBP") for c in base.children)):
            m.planned = True  # "is leaving for Ashgabat": on the way, not yet there
        for i, t in enumerate(chain):
            lemma = t.lemma_.lower()
            if i > 0 and lemma in self._w("refusing_heads") and chain[i - 1].dep_ == "xcomp":
                m.blocked = True
            if i > 0 and lemma in self._w("failing_heads"):
                m.negated = True
            if i > 0 and (lemma in self._w("planning_heads") or t.lower_ in self._w("planning_heads")):
                m.planned = True
            if i > 0 and lemma in self._w("hypothetical_heads"):
                m.hypothetical = True
            for c in t.children:
                low = c.lower_
                if c.dep_ == "neg" or (c.dep_ == "advmod" and low == "never"):
                    m.negated = True
                elif c.dep_ in ("aux", "auxpass"):
                    if low in self._w("future_aux") or c.lemma_.lower() in self._w("future_aux"):
                        m.planned = True
                    elif low in self._w("hypothetical_aux"):
                        m.hypothetical = True
                    elif low in self._w("obligation_aux"):
                        m.obligation = True
                    elif low == "to" and t.head.lemma_.lower() == "be" and t.dep_ == "xcomp":
                        m.planned = True  # "is to sign"
                elif c.dep_ == "mark" and low in self._w("conditional_marks"):
                    m.hypothetical = True
                elif c.dep_ == "advcl" and i == 0 and any(
                        d.dep_ == "mark" and d.lower_ in self._w("conditional_marks") for d in c.children):
                    m.hypothetical = True  # "will attack if provoked": the event hangs on a condition
            if t.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in self._w("conditional_marks")
                                         for c in t.children):
                m.hypothetical = True
        # "no documents will be signed": the negation sits on the object or the passive subject
        for c in base.children:
            if c.dep_ in ("dobj", "nsubjpass") and any(d.dep_ == "det" and d.lower_ == "no" for d in c.children):
                m.negated = True
        top = chain[-1]
        if top.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in self._w("conditional_marks")
                                       for c in top.children):
            m.hypothetical = True
        if top.dep_ == "ccomp" and top.head.lemma_.lower() in self._w("hypothetical_heads"):
            m.hypothetical = True
        self._attribution(top, m)
        return m

    def _attribution(self, tok: Token, m: Modality) -> None:
        """Climb from the clause to a reporting verb that governs it through a that-clause."""
        cur = tok
        for _ in range(8):
            if cur.dep_ in ("ccomp", "parataxis") and cur.head is not cur:
                head = cur.head
                if head.lemma_.lower() in self._w("reporting_verbs"):
                    m.speaker = _speaker_of(head)
                    if m.speaker is not None:
                        return
            if cur.head is cur:
                break
            cur = cur.head
        root = cur
        # "..., the ministry said" parsed with the reporting verb as a child of the main clause
        for c in root.children:
            if c.dep_ in ("parataxis", "advcl", "ccomp") and c.lemma_.lower() in self._w("reporting_verbs"):
                m.speaker = _speaker_of(c)
                if m.speaker is not None:
                    return
        for t in root.subtree:
            if t.lower_ == "according" and t.i + 1 < len(t.doc) and t.doc[t.i + 1].lower_ == "to":
                objs = [c for c in t.doc[t.i + 1].children if c.dep_ == "pobj"]
                if objs:
                    m.speaker = objs[0]
                    return


def _occasion_verb(noun: Token) -> Token | None:
    """The verb a time-like phrase around an event noun attaches to ("signed during the visit")."""
    prep = noun.head
    if noun.dep_ == "pobj" and prep.dep_ == "prep" and prep.lower_ in ("during", "at", "after", "before"):
        if prep.head.pos_ in ("VERB", "AUX"):
            return prep.head
    return None


def _speaker_of(verb: Token) -> Token | None:
    for c in verb.children:
        if c.dep_ == "nsubj" and c.lower_ not in ("it", "this", "that"):
            return c
        if c.dep_ == "agent":
            objs = [p for p in c.children if p.dep_ == "pobj"]
            if objs:
                return objs[0]
    return None
