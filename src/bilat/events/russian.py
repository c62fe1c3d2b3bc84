"""Events in Russian text: every pair of states or organisations named in a sentence is a candidate,
coded by the multilingual coder; a date from the sentence's own words, else the publication date.

The direction comes from the parse: an actor in the nominative case or the subject acts on the other;
failing that, the one named first. A document keeps one event per type, pair and polarity (the
clearest, i.e. most probable, sentence), as one real occurrence is told several times in an article.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from ..clean.dates import WEEKDAY_RU, WEEKDAYS_RU, default_inferrer
from ..model import Document, Event, Mention
from ..nlp.russian import RuSentence, fold
from .candidates import within_budget
from .multilingual import MultilingualCoder, pair_syntax
from .ontology import Ontology
from .protocols import PlaceFinder
from .venue import FIELD_TYPES, carried_venue
from .where import Place


def _date_patterns() -> tuple[dict[str, int], re.Pattern[str]]:
    """The month words of the cleaning stage's date rules (``clean/dates.yaml``) and its day-month
    pattern, which a Russian sentence's dates are read with."""
    stamps = default_inferrer().rules.stamps
    return stamps.months_ru(), stamps.day_month_ru


_YEAR = re.compile(r"\bв\s+(\d{4})\s+году\b", re.IGNORECASE)
_RELATIVE = {"вчера": -1, "сегодня": 0, "позавчера": -2, "завтра": 1}
_RELATIVE_RE = re.compile(r"\b(" + "|".join(_RELATIVE) + r")\b", re.IGNORECASE)


@dataclass(frozen=True)
class RussianPolicy:
    add: float = 0.4  # P(an event) = 1 - P(NONE) at which a pair becomes an event
    also: float = 0.25  # a further type of the same pair
    flag: float = 0.5  # negated / planned / hypothetical
    max_actors: int = 6  # distinct actors per sentence considered
    meeting: float = 0.02  # CONSULT beside another type where the sentence says they met (_MEETING)


def sentence_date(text: str, published: date | None) -> tuple[str, str, str] | None:
    """(value, precision, method) of the date a Russian sentence gives, relative to ``published``."""
    months, day_month = _date_patterns()
    m = day_month.search(text)
    if m:
        day, month = int(m.group(1)), months[m.group(2).lower()]
        year = int(m.group(3)) if m.group(3) else (published.year if published else None)
        if year is None:
            return None
        try:
            when = date(year, month, day)
        except ValueError:
            return None
        if not m.group(3) and published and when > published + timedelta(days=60):
            try:
                when = date(year - 1, month, day)  # "5 декабря" in a January article
            except ValueError:  # 29 February
                pass
        return when.isoformat(), "day", "explicit"
    if published is None:
        y = _YEAR.search(text)
        return (y.group(1), "year", "explicit") if y else None
    m = _RELATIVE_RE.search(text)
    if m:
        return (published + timedelta(days=_RELATIVE[m.group(1).lower()])).isoformat(), "day", "relative"
    m = WEEKDAY_RU.search(text)
    if m:
        back = (published.weekday() - WEEKDAYS_RU.index(m.group("wd").lower())) % 7
        return (published - timedelta(days=back)).isoformat(), "day", "weekday"
    y = _YEAR.search(text)
    if y:
        return y.group(1), "year", "explicit"
    return None


def _acts(m: Mention, sent: RuSentence) -> bool:
    """The mention is in the nominative or is the subject of its clause."""
    for t in sent.tokens:
        if t.start >= m.span[0] and t.end <= m.span[1]:
            if t.feats.get("Case") == "Nom" or t.rel.startswith("nsubj"):
                return True
    return False


_LOCATIVE = frozenset({"в", "во", "на"})
_PHONE = re.compile(r"телефон|по видеосвязи|в режиме видеоконференции", re.IGNORECASE)


class RussianEventPass:
    def __init__(self, coder: MultilingualCoder, ontology: Ontology, places: PlaceFinder | None = None,
                 policy: RussianPolicy | None = None, max_pairs: int | None = None):
        self.coder = coder
        self.max_pairs = max_pairs
        self.ontology = ontology
        self.places = places
        self.policy = policy or RussianPolicy()

    def candidates(self, mentions: list[Mention]) -> list[tuple[int, Mention, Mention]]:
        """(sentence, first, second) for every pair of actors of different codes in a sentence, each
        actor by its first mention there, in text order."""
        by_sentence: dict[int, dict[str, Mention]] = {}
        for m in mentions:
            if m.country:
                by_sentence.setdefault(m.sentence, {}).setdefault(m.country, m)
        out = []
        for i, actors in sorted(by_sentence.items()):
            chosen = sorted(actors.values(), key=lambda m: m.span)[:self.policy.max_actors]
            for x in range(len(chosen)):
                for y in range(x + 1, len(chosen)):
                    out.append((i, chosen[x], chosen[y]))
        return out

    def run(self, doc: Document, sentences: list[RuSentence], mentions: list[Mention],
            published: date | None) -> list[Event]:
        items, pairs = [], []
        for i, a, b in within_budget(self.candidates(mentions), self.max_pairs, doc.doc_id):
            sent = sentences[i]
            items.append((i, (a.span[0] - sent.start, a.span[1] - sent.start),
                          (b.span[0] - sent.start, b.span[1] - sent.start)))
            pairs.append((a, b))
        syntax = [pair_syntax(sentences[i].tokens, a.span, b.span) for (i, _, _), (a, b) in zip(items, pairs, strict=True)]
        codings = self.coder.code([s.text for s in sentences], items, syntax)
        best: dict[tuple, Event] = {}
        for (i, _, _), (a, b), c in zip(items, pairs, codings, strict=True):
            if c.event_probability < self.policy.add:
                continue
            sent = sentences[i]
            src, tgt = (b, a) if _acts(b, sent) and not _acts(a, sent) else (a, b)
            types = [(c.type, c.event_probability)] + [
                (t, p) for t, p in c.probabilities.items()
                if t not in ("NONE", c.type) and p >= self.policy.also]
            if c.type != "CONSULT" and all(t != "CONSULT" for t, _ in types) and _MEETING & {
                    t.lemma for t in sent.tokens} and c.probabilities.get("CONSULT", 0.0) >= self.policy.meeting:
                # "встретились и договорились": the meeting the coder ranks below the agreement
                types.append(("CONSULT", c.probabilities["CONSULT"]))
            for kind, prob in types:
                ev = self._event(doc, i, sent, src, tgt, kind, prob, c.flags, published)
                key = (ev.type, frozenset((ev.source, ev.target)), ev.negated)
                if key not in best or (ev.confidence or 0) > (best[key].confidence or 0):
                    best[key] = ev
        events = sorted(best.values(), key=lambda e: (e.sentence, e.type))
        if self.places is not None:
            self._place(events, sentences, doc.text)
        return events

    def _place(self, events: list[Event], sentences: list[RuSentence], text: str) -> None:
        """As for English (events/venue.py): a city the sentence names after в/во/на; else, not for field
        events or calls, a city named so in the ``CARRY`` sentences before, else for a meeting or signing
        of the story's day the first city of the lead, else the dateline's."""
        dateline = self._dateline_city(text)
        own = [self._sentence_place(s) for s in sentences]

        def cities(k: int) -> list[Place]:
            p = own[k] if 0 <= k < len(own) else None
            return [p] if p is not None and p.kind in ("city", "landmark") else []

        for ev in events:
            place = own[ev.sentence]
            if place is None and ev.type not in FIELD_TYPES and not _PHONE.search(ev.evidence):
                place = carried_venue(ev, cities, iter(()), dateline)
            if place is not None:
                ev.location, ev.lat, ev.lon = place.label, place.lat, place.lon

    def _sentence_place(self, sent: RuSentence) -> Place | None:
        country_level = None
        for name in sent.names:
            if name.type != "LOC" or name.first == 0 or fold(sent.tokens[name.first - 1].text) not in _LOCATIVE:
                continue
            place = self.places.lookup(" ".join(t.lemma for t in sent.tokens[name.first:name.last]))
            if place is None:
                continue
            if place.kind in ("city", "landmark"):
                return place
            country_level = country_level or place
        return country_level

    def _dateline_city(self, text: str) -> Place | None:
        name = default_inferrer().dateline_place(text)
        place = self.places.lookup(name) if name else None
        return place if place is not None and place.kind == "city" else None

    def _event(self, doc: Document, i: int, sent: RuSentence, src: Mention, tgt: Mention, kind: str, prob: float,
               flags: dict[str, float], published: date | None) -> Event:
        cameo, intensity = self.ontology.code(kind, None, None)
        flag = self.policy.flag
        ev = Event(type=kind, mode=None, source=src.country, target=tgt.country, span=(sent.start, sent.end),
                   evidence=sent.text, sentence=i, trigger="",
                   source_actor=src.name if src.kind == "person" else None,
                   target_actor=tgt.name if tgt.kind == "person" else None, cameo=cameo, intensity=intensity,
                   negated=flags["negated"] >= flag or _negated(sent), planned=flags["planned"] >= flag,
                   hypothetical=flags["hypothetical"] >= flag, rule="", model=self.coder.version,
                   confidence=round(prob, 3))
        when = sentence_date(sent.text, published)
        if when is not None:
            ev.date, ev.date_precision, ev.date_method = when
        elif doc.published is not None:
            ev.date, ev.date_precision, ev.date_method = (doc.published.value, doc.published.precision,
                                                          "document-date")
        return ev


# lemmas (folded) that tell a meeting or talks happened: a pair coded otherwise also met
_MEETING = frozenset({"встретиться", "встреча", "переговоры", "беседа", "побеседовать",
                      "обсудить", "визит", "посетить", "саммит", "консультация", "разговор", "созвониться"})


def _negated(sent: RuSentence) -> bool:
    """"не" right before the sentence's main verb: "не подписали", "не состоялись"."""
    toks = sent.tokens
    root = next((i for i, t in enumerate(toks) if t.head == -1), None)
    if root is None or toks[root].pos not in ("VERB", "AUX"):
        return False
    return any(fold(t.text) == "не" and t.head == root for t in toks[:root])
