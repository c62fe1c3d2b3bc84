"""The coder pass: the trained model decides each candidate pair's event type; rules add what they know.

For every candidate pair of a sentence (candidates.py) the coder (coder.py) gives a type distribution.
Then, per pair:
- a rule event of the pair that the model agrees with (its type has probability >= ``keep``) is kept,
  with the model's confidence and version; one the model rejects (NONE with probability >= ``drop``) is
  dropped; one the model gives another type (probability >= ``retype``) takes that type, keeping the
  rule's dates and place;
- where no rule fired, the model's best type is coded when the probability of an event (1 - P(NONE)),
  its confidence, reaches ``add_with_cue`` if a trigger word of the sentence names that type (the
  rules' vocabulary), else ``add``; its
  direction, negation and planned/hypothetical flags come from the model's heads, its date from the
  sentence's own time expression (else the publication date), its mode, CAMEO code and trigger from
  the first trigger rule of the same type in the sentence (else the type's default);
- beside the pair's first event (the rules' or the model's), any further type of probability at least
  ``also`` is coded too: news often tells two acts of one pair in one sentence ("met and signed"), and
  the coder learnt such sentences as a shared distribution (training/events/SPEC.md, ``also``).
Rule events whose pair is not a candidate (sides filled from context or from a place) are kept as the
rules made them. The network runs only on pairs whose answer can change the output: with the default
policy (add only), pairs without a rule event and without an organisation; rule events then keep
``model=None``; with ``also`` on (the default), rule pairs are coded too. A model event repeating an
event already coded in the document (same type, pair, negation and plan, no different day) is not coded
twice: news tells one occurrence in many sentences. A model event whose sentence gives no date takes
the date of the last dated event before it, as rule events take the story's current date.

Under the ``plover`` convention (PLOVER's gold-record habits: one event a sentence, no planned or negated
flag) the model adds at most one event to a sentence without a rule event, a planned act becomes AGREE
(THREATEN when hostile) and a negated cooperative act REJECT, as the rules do (extract.py).
"""
from __future__ import annotations

import dataclasses
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from ..model import Document, Event, Mention, Span
from .candidates import Candidate, coder_input, document_candidates, within_budget
from .coder import Coding
from .ontology import Ontology, Rule, RuleSet, dyad_key
from .protocols import TimeFinder
from .timing import COUNTED_FROM_TODAY

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CoderPolicy:
    """Thresholds on the coder's probabilities (chosen by measurement; see the model card)."""

    add: float = 0.8  # a type no trigger word of the sentence supports
    add_with_cue: float = 0.8  # a type one of the sentence's trigger words (rules) also names
    add_org: float = 1.1  # either side an organisation: often only the topic ("cooperation within the CSTO")
    drop: float = 0.985  # a rule event the model all but rules out (NONE this sure, its type under ``keep``)
    retype: float = 1.1  # above 1: the model does not change a rule event's type (it cost on every set)
    keep: float = 0.02
    flag: float = 0.5
    also: float = 0.6  # a further type of the same pair and sentence, beside its first event


def _pair(e: Event) -> frozenset:
    return frozenset((e.source, e.target))


def _dated(e: Event) -> str | None:
    return e.date if e.date and e.date_method not in ("document-date", "previous-event") else None


def _repeats(ev: Event, kept: Sequence[Event]) -> bool:
    for e in kept:
        # a plan and the act itself are two occurrences ("will meet again in May" after a meeting)
        if (e.type == ev.type and dyad_key(e.type, e.source, e.target) == dyad_key(ev.type, ev.source, ev.target)
                and e.negated == ev.negated and e.planned == ev.planned):
            a, b = _dated(e), _dated(ev)
            if a is None or b is None or a[:len(b)] == b[:len(a)]:
                return True
    return False


def _carry_dates(added: list[Event], coded: list[Event]) -> None:
    """A model event whose sentence gives no date takes the story's current date, as rule events do
    (extract.py): that of the last event before it dated by its own sentence (or carried), else it
    keeps the publication date. Plans keep theirs."""
    dated = sorted((e for e in coded if e.date and e.date_method not in (None, "document-date")),
                   key=lambda e: e.sentence)
    for ev in added:
        if ev.date_method != "document-date" or ev.planned:
            continue  # a plan's date is not the story's date
        before = [e for e in dated if e.sentence < ev.sentence]
        if before:
            last = before[-1]
            ev.date, ev.date_precision, ev.date_method = last.date, last.date_precision, "previous-event"


class Lemmas(Protocol):
    """A parsed sentence's tokens as (text, lemma, coarse part of speech)."""

    def __call__(self, sentence: int) -> list[tuple[str, str, str]]: ...


class PairCoder(Protocol):
    """What the pass needs of the coder (``coder.EventCoder``, or a test double)."""

    version: str

    def code_pairs(self, items: Sequence[tuple[str, Span, Span]]) -> Sequence[Coding | None]: ...


class CoderPass:
    def __init__(self, coder: PairCoder, ontology: Ontology, rules: RuleSet | None = None,
                 policy: CoderPolicy | None = None, convention: str = "news", max_pairs: int | None = None):
        self.coder = coder
        self.max_pairs = max_pairs
        self.ontology = ontology
        self.rules = rules
        self.policy = policy or CoderPolicy()
        self.plover = convention == "plover"

    def run(self, doc: Document, mentions: list[Mention], rule_events: list[Event],
            time: TimeFinder | None = None, anchor: date | None = None,
            tokens: Lemmas | None = None) -> list[Event]:
        orgs = {m.country for m in mentions if m.kind == "org" and m.country}
        by_pair: dict[tuple[int, frozenset], list[Event]] = {}
        for e in rule_events:
            by_pair.setdefault((e.sentence, _pair(e)), []).append(e)
        # the model runs only where its answer can change the output: the network is most of the time
        cands = [c for c in document_candidates(doc, mentions) if self._worth_coding(c, by_pair, orgs)]
        cands = within_budget(cands, self.max_pairs, doc.doc_id)
        codings = self.coder.code_pairs([coder_input(doc.sentences[c.sentence].text, c) for c in cands])
        judged: dict[int, Event | None] = {}  # id(rule event) -> what the model made of it
        added: list[Event] = []
        beside: list[Event] = []  # further types of a pair (policy.also)
        for cand, coding in zip(cands, codings, strict=True):
            if coding is None:
                continue
            rules = by_pair.get((cand.sentence, cand.codes), [])
            for r in rules:
                judged[id(r)] = self._judge(r, coding)
            first = {r.type for r in rules}
            if not rules:
                ev = self._new_event(doc, cand, coding, time, anchor)
                if ev is not None:
                    added.append(ev)
                    first = {ev.type}
            for t in self._further(coding, first):
                further = self._new_event(doc, cand, coding, time, anchor, as_type=t)
                if further is not None:
                    beside.append(further)
        out: list[Event] = []
        for e in rule_events:
            verdict = judged.get(id(e), e)
            if verdict is not None:
                out.append(verdict)
        for ev in added:
            if tokens is not None:
                self._mode_from_rules(ev, tokens(ev.sentence))
        # a type the rules' vocabulary supports may need less of the model's confidence (add_with_cue)
        added = [ev for ev in added if (ev.confidence or 0) >= self._bar(ev, orgs)]
        # a further type stands only beside a first event of its pair and sentence that was coded
        firsts = {(e.sentence, _pair(e)) for e in (*out, *added)}
        for ev in beside:
            if (ev.sentence, _pair(ev)) in firsts and not (ev.source in orgs or ev.target in orgs):
                if tokens is not None:
                    self._mode_from_rules(ev, tokens(ev.sentence))
                added.append(ev)
        if self.plover:
            added = self._one_a_sentence(added, {e.sentence for e in out})
        _carry_dates(added, out)
        for ev in added:
            if not _repeats(ev, out):
                if self.plover:
                    self._plover_habits(ev)
                out.append(ev)
        out.sort(key=lambda e: (e.sentence, e.span[0]))
        return out

    def _further(self, c: Coding, first: set[str]) -> list[str]:
        """Types beside the pair's first events that the model finds probable enough (none under plover:
        one event a sentence)."""
        if self.plover or not first or self.policy.also > 1:
            return []
        return [t for t, p in c.probabilities.items() if t != "NONE" and t not in first and p >= self.policy.also]

    def _worth_coding(self, c: Candidate, by_pair: dict[tuple[int, frozenset], list[Event]],
                      orgs: set[str]) -> bool:
        p = self.policy
        if by_pair.get((c.sentence, c.codes)):
            return p.drop <= 1 or p.retype <= 1 or p.also <= 1  # a rule event the model may change or join
        return p.add_org <= 1 or not (c.codes & orgs)

    def _bar(self, ev: Event, orgs: set[str]) -> float:
        """How sure the model must be to add an event no rule found."""
        bar = self.policy.add_with_cue if ev.rule.startswith("mode:") else self.policy.add
        if ev.source in orgs or ev.target in orgs:
            bar = max(bar, self.policy.add_org)
        return bar

    @staticmethod
    def _one_a_sentence(added: list[Event], coded: set[int]) -> list[Event]:
        best: dict[int, Event] = {}
        for ev in added:
            if ev.sentence not in coded and (ev.sentence not in best or
                                              (ev.confidence or 0) > (best[ev.sentence].confidence or 0)):
                best[ev.sentence] = ev
        return list(best.values())

    def _plover_habits(self, ev: Event) -> None:
        quad = self.ontology.quad(ev.type)
        if ev.negated and quad <= 2:
            ev.type, ev.mode, ev.negated = "REJECT", "refuse", False
        elif (ev.planned or ev.hypothetical) and ev.type not in ("AGREE", "THREATEN"):
            ev.type, ev.mode = ("THREATEN" if quad >= 4 else "AGREE"), None
        else:
            return
        ev.cameo, ev.intensity = self.ontology.code(ev.type, ev.mode, None)
        ev.rule = (ev.rule + "+" if ev.rule else "") + "plover-habits"

    def _mode_from_rules(self, ev: Event, tokens: list[tuple[str, str, str]]) -> None:
        """The first trigger rule of the event's type in the sentence names its mode and CAMEO code."""
        if self.rules is None:
            return
        lemmas = {lemma.lower() for _, lemma, _ in tokens}

        def fits(r: Rule) -> bool:  # a rule that needs a word ("by phone") only where the sentence has it
            needed = r.opt("prep_obj") or r.opt("needs_mod")
            return r.type == ev.type and (not needed or bool(lemmas & set(needed)))

        for text, lemma, pos in tokens:
            found = (self.rules.verb_rules(lemma) if pos in ("VERB", "AUX") else
                     self.rules.noun_rules(lemma) if pos in ("NOUN", "PROPN") else [])
            rule = next((r for r in found if fits(r)), None)
            if rule is not None:
                ev.mode, ev.trigger, ev.rule = rule.mode, text, "mode:" + rule.rule_id
                ev.cameo, ev.intensity = self.ontology.code(ev.type, rule.mode, rule.cameo)
                return

    def _judge(self, r: Event, c: Coding) -> Event | None:
        p = self.policy
        here = c.probabilities.get(r.type, 0.0)
        if here >= p.keep or c.type == r.type:
            return dataclasses.replace(r, model=self.coder.version, confidence=round(here, 3))
        if c.type == "NONE" and c.confidence >= p.drop:
            return None
        best, prob = c.best_event
        if prob >= p.retype and best != r.type:
            cameo, intensity = self.ontology.code(best, None, None)
            return dataclasses.replace(r, type=best, mode=None, cameo=cameo, intensity=intensity,
                                       model=self.coder.version, confidence=round(prob, 3),
                                       rule=f"{r.rule}+model-type")
        return dataclasses.replace(r, model=self.coder.version, confidence=round(here, 3))

    def _new_event(self, doc: Document, cand: Candidate, c: Coding, time: TimeFinder | None,
                   anchor: date | None, as_type: str | None = None) -> Event | None:
        """The model's event for the pair: its best type with confidence P(an event), or ``as_type``
        with that type's probability."""
        if as_type is None:
            best, prob = c.best_event[0], 1.0 - c.probabilities.get("NONE", 0.0)
            if prob < min(self.policy.add, self.policy.add_with_cue):
                return None
        else:
            best, prob = as_type, c.probabilities[as_type]
        src, tgt = (cand.first, cand.second) if c.first_is_source >= 0.5 else (cand.second, cand.first)
        sent = doc.sentences[cand.sentence]
        flag = self.policy.flag
        planned = c.flags["planned"] >= flag
        cameo, intensity = self.ontology.code(best, None, None)
        ev = Event(type=best, mode=None, source=src.country, target=tgt.country, span=(sent.start, sent.end),
                   evidence=sent.text, sentence=cand.sentence, trigger="",
                   source_actor=src.name if src.kind == "person" else None,
                   target_actor=tgt.name if tgt.kind == "person" else None, cameo=cameo, intensity=intensity,
                   negated=c.flags["negated"] >= flag, planned=planned,
                   hypothetical=c.flags["hypothetical"] >= flag, rule="", model=self.coder.version,
                   confidence=round(prob, 3))
        texp = None
        if time is not None and anchor is not None:
            try:
                texp = time.resolve(sent.text, anchor=anchor, future=planned)
            except Exception as exc:  # a resolver's bug must not lose the event: kept without its own date, the log says why
                logger.exception("time resolution failed in %s sentence %d", doc.doc_id, cand.sentence)
                doc.recover("events.when", exc)
        if texp is not None and texp.relation in ("at", "range"):
            ev.date, ev.date_precision, ev.date_method = texp.value, texp.precision, texp.method
            if doc.published is not None and doc.published.precision == "year" and texp.method in COUNTED_FROM_TODAY:
                ev.date, ev.date_precision = doc.published.value[:4], "year"
        elif doc.published is not None:
            ev.date, ev.date_precision, ev.date_method = (doc.published.value, doc.published.precision,
                                                          "document-date")
        return ev
