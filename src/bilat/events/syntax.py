"""Parse-reading helpers and the frame data of the event extractor (extract.py): subjects, objects,
prepositional objects, actors from mentions, time picking, places, anchors."""
from __future__ import annotations

import bisect
import dataclasses
import logging
from collections.abc import Iterable
from datetime import date
from typing import Any

from spacy.tokens import Doc, Span, Token

from ..model import Document, Event, Mention
from .modality import Modality, ModalityReader
from .ontology import LightVerb, Ontology, Rule
from .timing import relative_clause

logger = logging.getLogger(__name__)

_SUBJ = ("nsubj", "nsubjpass")
_MOD_DEPS = ("compound", "amod", "poss", "nmod", "npadvmod")
_CONTENT_DEPS = ("dobj", "xcomp", "ccomp", "prep", "attr", "dative", "acomp", "oprd", "nsubjpass")
_RELATIVE = ("who", "which", "that", "whom")
_OBJECT_CONTROL = ("urge", "ask", "invite", "persuade", "help", "allow", "encourage", "press", "call", "offer",
                   "request", "tell", "force", "order")


@dataclasses.dataclass(frozen=True)
class Actor:
    code: str
    name: str | None  # a person's name, when the mention is a person
    kind: str
    mention: Mention = dataclasses.field(compare=False, hash=False)


@dataclasses.dataclass
class _Frame:
    """A trigger with its actors, before it becomes Events."""

    rule_id: str
    type: str
    mode: str | None
    cameo: str | None
    trigger: Token
    text: str
    sources: list[Actor]
    targets: list[Actor]
    modality: Modality
    is_noun: bool
    collective: bool = True  # two actors on one side and none on the other make one event between them
    clause: Token | None = None  # the verb that carries tense and time ("held" in "held talks")
    fallback: list[Actor] = dataclasses.field(default_factory=list)  # targets if nothing better is found


class _Sentence:
    """Per-sentence lookup: token -> mentions, token -> gazetteer place; ``story_org``: the organisation
    named last in the few sentences before (whose summit "the meeting" is)."""

    def __init__(self, sent: Span, mentions: list[Mention], places: list[tuple[Any, int, int]],
                 story_org: Mention | None = None):
        self.sent = sent
        self.story_org = story_org
        self.by_token: dict[int, list[Mention]] = {}
        for m in mentions:
            span = sent.doc.char_span(m.span[0], m.span[1], alignment_mode="expand")
            if span is None:
                continue
            for t in span:
                self.by_token.setdefault(t.i, []).append(m)
        self.places: dict[int, Any] = {}
        for place, start, end in places:
            span = sent.doc.char_span(start, end, alignment_mode="expand")
            for t in span or []:
                self.places[t.i] = place


# ---------------------------------------------------------------------- parse helpers
_PRECISION = {"day": 4, "week": 3, "month": 2, "year": 1}


def _is_past(f: _Frame, reader: ModalityReader) -> bool:
    """A verb in the past tense ("met", "has met") reports what happened, whatever date it carries."""
    verb = f.clause or (reader.governing_verb(f.trigger) if f.is_noun else f.trigger)
    if verb is None:
        return False
    return verb.tag_ in ("VBD", "VBN") or any(
        c.dep_ == "aux" and c.lemma_.lower() in ("have", "do") and c.tag_ in ("VBD", "VBZ", "VBP") for c in verb.children)


def _main_of_after(f: _Frame, times: dict[bool, list[tuple[Any, Token]]]) -> Any:
    """"signed a treaty two days after the talks ended": the count hangs on "ended" in the parse but
    dates the clause that "after" modifies."""
    head = f.clause or f.trigger
    for texp, root in times.get(f.modality.planned, []):
        found = relative_clause(root)
        if found is not None and found[1].i == head.i:
            return texp
    return None


def _drop_home_echoes(made: list[Event]) -> list[Event]:
    """"began a hunger strike to protest against X": a domestic event whose country takes part in an event
    of the same type with another actor in the sentence is that event told twice."""
    out = []
    for ev in made:
        if ev.source is not None and ev.source == ev.target and any(
                o is not ev and o.type == ev.type and o.source != o.target and ev.source in (o.source, o.target)
                for o in made):
            continue
        out.append(ev)
    return out


def _depth(tok: Token) -> int:
    n = 0
    while tok.head.i != tok.i and n < 50:  # spaCy makes a new Token object each time: compare indices
        tok, n = tok.head, n + 1
    return n


def _same_kind(a: Event, b: Event, onto: Ontology) -> bool:
    # a "general" mode is the type told without its kind: it matches any kind ("offered to finance": the
    # promised help and the financing are one act)
    same_mode = "general" in (a.mode, b.mode) or onto.mode_group(a.type, a.mode) == onto.mode_group(b.type, b.mode)
    return (a.type == b.type and same_mode and {a.source, a.target} == {b.source, b.target}
            and a.negated == b.negated)


def _same_people(a: Event, b: Event) -> bool:
    """No side names two different people ("met Rahmon" and "met Zarifi" are two meetings)."""
    def named(e: Event) -> dict[str | None, str]:
        return {c: n for c, n in ((e.source, e.source_actor), (e.target, e.target_actor)) if n}
    na, nb = named(a), named(b)
    return all(nb.get(code) in (None, name) for code, name in na.items())


def _same_time(a: Event, b: Event) -> bool:
    """Dates that may name the same occasion: one unknown, or one a prefix of the other."""
    if not a.date or not b.date or a.date_method == "document-date" or b.date_method == "document-date":
        return True
    return a.date.startswith(b.date) or b.date.startswith(a.date)


_DURING = ("during", "at", "on", "amid", "following", "after", "before", "ahead", "in")


def _verb_lemmas(tok: Token) -> list[str]:
    """The parser's lemma, then guesses from the form, for the lemmatizer's slips ("hopes" -> "hop")."""
    low = tok.lower_
    out = [tok.lemma_.lower()]
    if tok.tag_ == "VBZ" and low.endswith("s"):
        out.append(low[:-1])
    elif tok.tag_ in ("VBD", "VBN") and low.endswith("ed"):
        out += [low[:-1], low[:-2]]
    elif tok.tag_ == "VBG" and low.endswith("ing"):
        out += [low[:-3], low[:-3] + "e"]
    return list(dict.fromkeys(out))


def _unique(rules: Iterable[Rule]) -> list[Rule]:
    return list(dict.fromkeys(rules))


def _unique_light(items: Iterable[LightVerb]) -> list[LightVerb]:
    return list(dict.fromkeys(items))


def _owner(tok: Token, triggers: set[int]) -> Token:
    """The verb or event trigger whose clause holds ``tok``."""
    cur = tok
    for _ in range(20):
        if cur.head.i == cur.i:
            return cur
        cur = cur.head
        if cur.pos_ in ("VERB", "AUX") or cur.i in triggers:
            return cur
    return cur


def _pick_time(f: _Frame, times: list[tuple[Any, Token]], frames: list[_Frame], reader: ModalityReader) -> Any:
    """The time expression in the trigger's own clause, else one on the clause chain above it."""
    if not times:
        return None
    triggers = {x.trigger.i for x in frames}
    clause = f.clause or (reader.governing_verb(f.trigger) if f.is_noun else None)
    own = {f.trigger.i} | ({clause.i} if clause is not None else set())
    # "arrived ... on a state visit on Wednesday": a noun of the same event inside the clause counts
    head = clause or f.trigger
    own |= {x.trigger.i for x in frames if x.type == f.type and x.trigger.i in {t.i for t in head.subtree}}
    chain = {t.i for t in reader.chain(clause or f.trigger)}
    inside = [t for t, root in times if _owner(root, triggers).i in own
              or (f.is_noun and root.i in {x.i for x in f.trigger.subtree})]
    if not inside:
        inside = [t for t, root in times if _owner(root, triggers).i in chain]
    if not inside:
        return None
    return max(inside, key=lambda t: (getattr(t, "relation", "at") in ("at", "range"), _PRECISION.get(t.precision, 0)))


def _via(verb: Token, lv: LightVerb) -> list[Token]:
    if lv.via == "dobj":
        objs = [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")]
        # "launched ten days of war games", "held a round of talks": the noun after "of" as well
        return objs + [p for o in objs for c in o.children if c.dep_ == "prep" and c.lower_ == "of" for p in _pobjs(c)]
    return _prep_objects(verb, lv.via.partition(":")[2])


def _object(verb: Token) -> Token | None:
    passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children)
    for c in verb.children:
        if c.dep_ == ("nsubjpass" if passive else "dobj"):
            return c
    return None


def _pobjs(prep: Token) -> list[Token]:
    return [c for c in prep.children if c.dep_ in ("pobj", "pcomp")]


_WHERE_WHEN = frozenset({"in", "at", "on", "during"})
_PLACE_OR_TIME = frozenset({"GPE", "LOC", "FAC", "DATE", "TIME"})


def _prep_objects(anchor: Token, word: str) -> list[Token]:
    """Objects of preposition ``word`` on the anchor, on its direct object, or on a particle."""
    owners = [anchor] + [c for c in anchor.children if c.dep_ in ("dobj", "nsubjpass")]
    if anchor.pos_ == "NOUN":  # "the withdrawal of the forces from Panama"
        owners += [p for c in anchor.children if c.dep_ == "prep" and c.lower_ == "of" for p in _pobjs(c)]
    if word == "with" and anchor.pos_ in ("VERB", "AUX"):
        # "met in the Kremlin with X", "conferred September 7 with X": the parser hangs the partner on
        # the place or the date, but one meets a partner, not a place
        owners += [p for c in anchor.children if c.dep_ == "prep" and c.lower_ in _WHERE_WHEN for p in _pobjs(c)
                   if p.ent_type_ in _PLACE_OR_TIME or p.pos_ == "PROPN"]
        owners += [c for c in anchor.children if c.dep_ in ("npadvmod", "tmod") or (
            c.dep_ == "dobj" and c.ent_type_ in ("DATE", "TIME"))]
    out = []
    for o in owners:
        for c in o.children:
            if c.dep_ in ("prep", "agent", "dative") and c.lower_ == word:
                out.extend(_pobjs(c))
            elif c.dep_ == "prt" and c.lower_ == word:
                out.extend(x for x in o.children if x.dep_ == "dobj")
    return out


def _relative_antecedent(tok: Token) -> Token:
    if tok.lower_ in _RELATIVE and tok.head.dep_ == "relcl":
        return tok.head.head
    return tok


def _subject(verb: Token) -> list[Token]:
    cur = verb
    for _ in range(5):
        # the trigger's own passive subject is its object; a head's ("is expected to meet") is the actor
        subs = [c for c in cur.children if c.dep_ == "nsubj" or (c.dep_ == "nsubjpass" and cur is not verb)]
        if subs:
            return [_relative_antecedent(s) for s in subs]
        if cur.dep_ == "relcl" or cur.dep_ == "acl":
            return [cur.head]
        if cur.dep_ in ("xcomp", "ccomp") and cur.head.lemma_.lower() in _OBJECT_CONTROL:
            objs = [c for c in cur.head.children if c.dep_ in ("dobj", "dative")]
            if objs:
                return objs
        if cur.dep_ in ("xcomp", "conj", "advcl", "acomp") and cur.head is not cur:
            cur = cur.head
            continue
        break
    return []


def _agent(verb: Token) -> list[Token]:
    return [p for c in verb.children if c.dep_ == "agent" for p in _pobjs(c)]


def _actor(m: Mention) -> Actor:
    return Actor(str(m.country), m.name if m.kind == "person" else None, m.kind, m)


def _dedupe(actors: list[Actor]) -> list[Actor]:
    """One actor per (country, person); a bare country drops out when a person of it is named."""
    people = {a.code for a in actors if a.name}
    out: list[Actor] = []
    seen: set[tuple[str, str | None]] = set()
    for a in actors:
        key = (a.code, a.name)
        if key in seen or (a.name is None and a.code in people):
            continue
        seen.add(key)
        out.append(a)
    return out


def _codes(actors: list[Actor]) -> list[str]:
    return list(dict.fromkeys(a.code for a in actors))


def _speaker_name(tok: Token | None, ctx: _Sentence) -> str | None:
    if tok is None:
        return None
    for m in ctx.by_token.get(tok.i, []):
        if m.kind == "person":
            return m.name
    words = [t for t in tok.subtree if t.dep_ not in ("relcl", "acl") and t.i <= tok.i + 3]
    return " ".join(t.text for t in words)[:120]


def _place_country(place: Any) -> str | None:
    code = getattr(place, "country", None) if place is not None else None
    if not code:
        return None
    if len(code) == 2:
        import pycountry  # only when a gazetteer gives ISO alpha-2

        c = pycountry.countries.get(alpha_2=code.upper())
        return c.alpha_3 if c else None
    return str(code)


def _entity_list(sdoc: Doc) -> list[tuple[int, int, str, str]]:
    """(start_char, end_char, text, label) of every entity, in order: ``Span.ents`` walks the whole
    document on each call, so a per-sentence lookup would make long documents quadratic."""
    return [(e.start_char, e.end_char, e.text, e.label_) for e in sdoc.ents]


def sentence_entities(entities: list[tuple[int, int, str, str]], start: int, end: int
                      ) -> list[tuple[str, str, int, int]]:
    """The entities (``_entity_list``) inside [start, end), as (text, label, start, end) counted from ``start``:
    the form the gazetteer takes."""
    out = []
    for s, e, text, label in entities[bisect.bisect_left(entities, (start,)):]:
        if s >= end:
            break
        if e <= end:
            out.append((text, label, s - start, e - start))
    return out


def _find_places(gazetteer: Any, sent: Span, entities: list[tuple[int, int, str, str]], doc: Document
                 ) -> list[tuple[Any, int, int]]:
    """Places in the sentence, offsets made absolute (the gazetteer counts from the sentence start)."""
    if gazetteer is None:
        return []
    base = sent.start_char
    ents = sentence_entities(entities, base, sent.end_char)
    try:
        found = gazetteer.find_locations(sent.text, ents)
    except Exception as exc:  # a gazetteer's bug must not lose the events: kept unplaced, the log says why
        logger.exception("gazetteer failed in %s at char %d", doc.doc_id, base)
        doc.recover("events.where", exc)
        return []
    return [(place, start + base, end + base) for place, start, end in found or []]


def _anchor_date(doc: Document) -> date | None:
    """The publication date; a month or year known alone counts from its last day, so that a month
    named in the text falls in the same year."""
    pub = doc.published
    if pub is None or not pub.value:
        return None
    try:
        parts = [int(x) for x in pub.value[:10].split("-")]
        if len(parts) == 3:
            return date(*parts)
        if len(parts) == 2:
            nxt = date(parts[0] + parts[1] // 12, parts[1] % 12 + 1, 1)
            return date.fromordinal(nxt.toordinal() - 1)
        return date(parts[0], 12, 31)
    except ValueError:
        return None


def _sentence_index(doc: Document, sent: Span, n: int, by_start: dict[int, int]) -> int:
    if not doc.sentences:
        return n
    if sent.start_char in by_start:
        return by_start[sent.start_char]
    for i, s in enumerate(doc.sentences):
        if s.start <= sent.start_char < s.end:
            return i
    return n
