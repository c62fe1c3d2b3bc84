"""Rule-based event extraction over the spaCy parse: who did what to whom, with evidence.

One pass over the sentences; a sentence is examined only if it holds a trigger cue (a verb or noun
lemma from the rules). For each trigger the rule's argument roles are read off the parse and turned
into actors through the linker's Mentions (matched by character span).

Choices, so a reader can predict the output:
- Compound actors. "Russia and Tajikistan signed" (two actors on the source side, none on the
  target side) is one event between them. With three or more such participants ("leaders of A, B
  and C will take part in the summit") each participant gets one *multilateral* event whose target
  is the organisation named in the sentence, else the host country (the country of the place), else
  nothing is coded. Collective mentions from coreference ("the two leaders") count as several actors.
- Source and target of the same country are not an event, and an event needs a target. With
  ``convention="plover"`` the PLOVER gold-record habits are followed instead: one-sided events are kept
  with target None, each actor of a compound side gets its own event ("X and Y agreed" is two), and
  domestic events (same country on both sides) are kept.
- One sentence reporting the same type between the same actors twice ("went to Dushanbe to discuss
  with the Tajik leaders") gives one event. A later sentence with the same type, mode group
  (plover.yaml: host = visit, talks = meeting), actors and a compatible date restates an event already
  coded ("Putin's visit to Dushanbe ...", "Putin welcomed Rahmon") and is dropped, unless it names a
  person the earlier one did not (``merge_repeats=False`` keeps every mention; cluster.py groups them).
- A trigger in the complement of a refusal ("refused to sign") is not coded; the refusal is REJECT.
  Likewise what is agreed, asked, refused, threatened or alleged ("urged Armenia to withdraw",
  "accused X of attacking Y") is the content of that event, not a second event.
- "X said Y must withdraw" is a REQUEST from X to Y (obligation under a reporting verb).
- Missing actors are taken from context, in this order: a possessive event noun without a target
  ("Putin's visit") goes to the source's last counterpart in the text; a noun without actors takes
  the subject of the verb it hangs on ("noted in a joint statement", "renewed talks"); a trigger
  without actors takes those of the event noun it is placed in ("no documents will be signed during
  Putin's visit"); finally a verb's target may be the first actor named in its object or complements.
- Dates: the time expression in the trigger's own clause (TimeResolver.find, resolved towards the
  future for planned events), else the current date of the story (the last date a sentence gave),
  else the publication date with ``date_method='document-date'``. A day after publication makes a
  present-tense event planned. With only the publication year known, "October 8" is in that year.
"""
from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from spacy.tokens import Doc, Span, Token

from ..model import Document, Event, Mention
from .modality import Modality, ModalityReader
from .ontology import LightVerb, Ontology, Rule, RuleSet

logger = logging.getLogger(__name__)

_SUBJ = ("nsubj", "nsubjpass")
_MOD_DEPS = ("compound", "amod", "poss", "nmod", "npadvmod")
_RELATIVE = ("who", "which", "that", "whom")
_FRAMING = ("AGREE", "REQUEST", "REJECT", "THREATEN", "ACCUSE")
_CONTENT_DEPS = ("dobj", "xcomp", "ccomp", "prep", "attr", "dative", "acomp", "oprd", "nsubjpass")
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
    """Per-sentence lookup: token -> mentions, token -> gazetteer place."""

    def __init__(self, sent: Span, mentions: list[Mention], places: list[tuple[Any, int, int]]):
        self.sent = sent
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


class EventExtractor:
    """Finds PLOVER events in parsed documents; rules are read from ``rules_dir`` (default: packaged)."""

    def __init__(self, rules_dir: str | Path | None = None, convention: str = "dyadic",
                 merge_repeats: bool = True):
        self.ontology = Ontology(rules_dir)
        self.rules = RuleSet(rules_dir, self.ontology)
        self.modality = ModalityReader(rules_dir)
        if convention not in ("dyadic", "plover"):
            raise ValueError(f"unknown convention {convention!r} (dyadic | plover)")
        self.convention = convention
        self.merge_repeats = merge_repeats

    def has_event_cue(self, sentence: str | Iterable[Any]) -> bool:
        return self.rules.has_cue(sentence)

    # ------------------------------------------------------------------ driver
    def extract(self, doc: Document, sdoc: Doc, mentions: list[Mention], time_resolver: Any = None,
                gazetteer: Any = None) -> list[Event]:
        anchor = _anchor_date(doc)
        year_only = doc.published is not None and doc.published.precision == "year"
        previous: date | None = None  # last day-precise event date: anaphora count from it
        carried: tuple[str, str | None] | None = None  # the narrative's current date and its precision
        events: list[Event] = []
        earlier: dict[tuple, list[Event]] = {}  # events of earlier sentences by type, mode group, dyad
        partners: dict[str, Actor] = {}  # the last counterpart of each actor: "Putin's visit" goes there
        by_sent_start = {s.start: i for i, s in enumerate(doc.sentences)}
        for n, sent in enumerate(sdoc.sents):
            if not self.has_event_cue(sent):
                continue
            index = _sentence_index(doc, sent, n, by_sent_start)
            sm = [m for m in mentions if sent.start_char <= m.span[0] < sent.end_char]
            places = _find_places(gazetteer, sent)
            ctx = _Sentence(sent, sm, places)
            frames = self._frames(ctx)
            if not frames:
                continue
            self._fill_from_context(frames, partners, ctx)
            for f in frames:
                if not f.targets and f.sources:
                    f.targets = f.fallback
            if self.convention == "plover":
                frames = self._main_frame(frames)
            # "on Monday" is last Monday for what happened and next Monday for what is planned
            times = {planned: self._times(time_resolver, ctx, anchor, previous, planned)
                     for planned in {f.modality.planned for f in frames}}
            made: list[Event] = []
            for f in frames:
                texp = _pick_time(f, times[f.modality.planned], frames, self.modality)
                for ev in self._events(f, ctx, doc, index):
                    group = self.ontology.mode_group(ev.type, ev.mode)
                    if any(_same_kind(ev, e, self.ontology) and _same_people(ev, e) for e in made):
                        continue  # the same event told twice in one sentence
                    self._date(ev, texp, doc, anchor, carried, year_only, _is_past(f, self.modality))
                    dkey = (ev.type, group, frozenset((ev.source, ev.target)), ev.negated)
                    if self.merge_repeats and any(_same_time(ev, e) and _same_people(ev, e) for e in earlier.get(dkey, [])):
                        continue  # a later sentence restating an event already coded
                    if places and ev.location is None:
                        self._locate(ev, f, places, ctx)
                    made.append(ev)
                    if ev.date and ev.date_method not in ("document-date", "previous-event"):
                        carried = (ev.date, ev.date_precision)
                        if len(ev.date) == 10:
                            previous = date.fromisoformat(ev.date)
                for a in f.sources:
                    for b in f.targets:
                        if a.code != b.code:
                            partners[a.code], partners[b.code] = b, a
            if not any(e.date_method not in ("document-date", "previous-event") for e in made):
                # a dated sentence without an event still moves the story's clock ("On 10 October a
                # summit takes place. Putin invited ...")
                point = [t for t, _ in times.get(False, times.get(True, [])) if getattr(t, "relation", "at") == "at"]
                if point:
                    best = max(point, key=lambda t: _PRECISION.get(t.precision, 0))
                    carried = (self._fix_year(str(best.value), best, anchor, year_only), best.precision)
            for ev in made:
                dkey = (ev.type, self.ontology.mode_group(ev.type, ev.mode), frozenset((ev.source, ev.target)),
                        ev.negated)
                earlier.setdefault(dkey, []).append(ev)
            events.extend(made)
        return events

    def _main_frame(self, frames: list[_Frame]) -> list[_Frame]:
        """PLOVER records code one event a sentence: the trigger nearest the root that has an actor.
        A side left open takes the other side's country for the types the records code as domestic
        (plover.yaml ``domestic_when_one_sided``: "Egyptian police fired on demonstrators": EGY-EGY)."""
        live = [f for f in frames if f.sources or f.targets]
        # "Syria said it will withdraw": the reported act, not the saying, is the event
        if not live:
            return []
        best = min(live, key=lambda f: (_depth(f.clause or f.trigger), -(bool(f.sources) + bool(f.targets))))
        m = best.modality
        if m.planned and not m.negated and best.type != "AGREE":
            # PLOVER has no planned flag: a promised act is AGREE, a conditional harmful one THREATEN
            hostile = self.ontology.quad(best.type) >= 3 or best.type == "RETREAT"
            best.type = "THREATEN" if (m.hypothetical and hostile) else "AGREE"
            best.mode, best.cameo, best.rule_id = None, None, best.rule_id + "+plover-planned"
        if best.type in self.ontology.domestic_when_one_sided and bool(best.sources) != bool(best.targets):
            if best.sources:
                best.targets = [dataclasses.replace(best.sources[0], name=None)]
            else:
                best.sources = [dataclasses.replace(best.targets[0], name=None)]
        return [best]

    def _times(self, resolver: Any, ctx: _Sentence, anchor: date | None, previous: date | None,
               future: bool) -> list[tuple[Any, Token]]:
        """The sentence's time expressions with the token each hangs on."""
        if resolver is None or anchor is None:
            return []
        try:
            if hasattr(resolver, "find"):
                found = resolver.find(ctx.sent.text, anchor=anchor, previous=previous, future=future)
            else:
                one = resolver.resolve(ctx.sent.text, anchor=anchor, previous=previous, future=future)
                found = [one] if one is not None else []
        except Exception:  # a date we cannot read must not lose the event
            logger.exception("time resolution failed at char %d", ctx.sent.start_char)
            return []
        out = []
        for t in found:
            start = getattr(t, "start", 0) + ctx.sent.start_char
            span = ctx.sent.doc.char_span(start, start + max(len(getattr(t, "text", "")), 1), alignment_mode="expand")
            out.append((t, span.root if span is not None else ctx.sent.root))
        return out

    # ------------------------------------------------------------------ frames
    def _frames(self, ctx: _Sentence) -> list[_Frame]:
        frames: list[_Frame] = []
        consumed: set[int] = set()
        for t in ctx.sent:
            if t.pos_ not in ("VERB", "AUX") and not (t.pos_ == "NOUN" and t.dep_ == "ROOT" and t.tag_.startswith("VB")):
                continue
            frame = self._light_frame(t, ctx, consumed) or self._verb_frame(t, ctx, consumed)
            if frame is not None and not frame.modality.blocked:
                frames.append(frame)
        for t in ctx.sent:
            if t.i in consumed or t.pos_ not in ("NOUN", "PROPN"):
                continue
            rule = next((r for r in self.rules.noun_rules(t.lemma_)
                         if not r.opt("light_only") and self._noun_ok(r, t)), None)
            if rule is not None:
                frame = self._noun_frame(rule, t, ctx)
                if frame is not None:
                    frames.append(frame)
        # "agreed to provide aid", "threatened to impose sanctions": the main verb is the event (PLOVER
        # codes the commitment, threat or appeal, not its content)
        # "rejected a U.S. request to ...", "accused X of attacking Y": what is agreed, asked, refused,
        # threatened or alleged is the content of that event, not a second one
        content: set[int] = set()
        for f in frames:
            if f.type in _FRAMING and not f.is_noun:
                head = f.clause or f.trigger
                for c in head.children:
                    if c.dep_ in _CONTENT_DEPS and c.i > head.i and not (c.dep_ == "prep" and c.lower_ in _DURING):
                        content.update(t.i for t in c.subtree)
                content.discard(f.trigger.i)
        frames = [f for f in frames if f.trigger.i not in content and (f.clause or f.trigger).i not in content]
        for f in frames:
            self._obligation(f, ctx)
        # "Lavrov's meeting with Rahmon or talks with Muhriddin": the second noun shares the first's source
        for i, f in enumerate(frames):
            if f.is_noun and f.targets and not f.sources:
                prior = [p for p in frames[:i] if p.type == f.type and p.sources]
                if prior:
                    f.sources = prior[-1].sources
        return frames

    def _obligation(self, f: _Frame, ctx: _Sentence) -> None:
        """"Russia said Sudan must return the helicopter": a demand by the speaker on the subject."""
        if not f.modality.obligation or f.modality.speaker is None or f.is_noun:
            return
        speaker = self._actors(f.modality.speaker, ctx)
        if speaker and f.sources and {a.code for a in speaker} != {a.code for a in f.sources}:
            f.rule_id, f.type, f.mode, f.cameo = f"{f.rule_id}+obligation", "REQUEST", "demand", None
            f.sources, f.targets = speaker, f.sources
            f.modality.obligation = False

    def _noun_ok(self, rule: Rule, noun: Token) -> bool:
        need = rule.opt("needs_mod")
        if need and not any(c.lemma_.lower() in need for c in noun.children if c.dep_ in _MOD_DEPS):
            return False
        return True

    def _light_frame(self, verb: Token, ctx: _Sentence, consumed: set[int]) -> _Frame | None:
        for lv in _unique_light(x for lemma in _verb_lemmas(verb) for x in self.rules.light(lemma)):
            for noun in _via(verb, lv):
                rule = next((r for r in self.rules.noun_rules(noun.lemma_) if self._noun_ok(r, noun) and (
                    r.id in lv.nouns if lv.nouns is not None else not r.opt("light_only"))), None)
                if rule is None:
                    continue
                frame = self._build_light(lv, verb, noun, rule, ctx)
                consumed.add(noun.i)
                return frame
        return None

    def _build_light(self, lv: LightVerb, verb: Token, noun: Token, rule: Rule, ctx: _Sentence) -> _Frame:
        mod = self.modality.read(verb)
        sources = self._role(verb, "subj", ctx, rule) or self._speaker_as_subject(verb, mod, ctx)
        if not sources:
            sources = self._roles(noun, rule.source, ctx, rule)
        targets = self._roles(noun, [r for r in rule.target if r != "ccomp_subj"], ctx, rule)
        if "ccomp_subj" in rule.target:
            targets = targets or self._role(noun, "ccomp_subj", ctx, rule) or self._role(verb, "ccomp_subj", ctx, rule)
        if not targets:
            verb_roles = [r for r in rule.target if r.startswith("prep:") or r == "place"]
            verb_roles += ["prep:with", "prep:to", "prep:between", "dative"]
            targets = self._roles(verb, verb_roles, ctx, rule)
        fallback = [] if targets or "place" in rule.target else self._content_actors(verb, ctx, sources)
        mode = lv.mode or rule.mode
        nm = self.modality.read(noun)
        mod.negated = mod.negated or nm.negated
        mod.planned = mod.planned or nm.planned
        return _Frame(f"{lv.rule_id}+{rule.rule_id}", lv.type or rule.type, mode, rule.cameo if not lv.type else None, noun,
                      f"{verb.text} {noun.text}", sources, targets, mod, False, clause=verb, fallback=fallback)

    def _speaker_as_subject(self, verb: Token, mod: Modality, ctx: _Sentence) -> list[Actor]:
        """"Switzerland said it had expelled two diplomats": a pronoun subject is the speaker."""
        subj = _subject(verb)
        if mod.speaker is None or not subj or any(s.pos_ != "PRON" or self._actors(s, ctx) for s in subj):
            return []
        return self._actors(mod.speaker, ctx)

    def _verb_frame(self, verb: Token, ctx: _Sentence, consumed: set[int]) -> _Frame | None:
        for rule in _unique(r for lemma in _verb_lemmas(verb) for r in self.rules.verb_rules(lemma)):
            if not self._verb_conditions(rule, verb, ctx):
                continue
            mod = self.modality.read(verb)
            if rule.opt("negation") == "required":
                if not mod.negated:
                    continue
                mod.negated = False
            sources = self._roles(verb, rule.source, ctx, rule) or self._speaker_as_subject(verb, mod, ctx)
            targets = self._roles(verb, rule.target, ctx, rule)
            fallback = []
            if not targets and rule.opt("fallback", True) and "place" not in rule.target:
                fallback = self._content_actors(verb, ctx, sources)
            if rule.opt("require_target_prep") and not any(
                    self._role(verb, r, ctx, rule) for r in rule.target if r.startswith("prep:")):
                continue
            obj = _object(verb)
            if obj is not None and any(r.type == rule.type for r in self.rules.noun_rules(obj.lemma_)):
                consumed.add(obj.i)
            return _Frame(rule.rule_id, rule.type, rule.mode, rule.cameo, verb, verb.text, sources, targets, mod, False,
                          bool(rule.opt("collective", True)), fallback=fallback)
        return None

    def _verb_conditions(self, rule: Rule, verb: Token, ctx: _Sentence) -> bool:
        obj = _object(verb)
        prep = rule.opt("prep")
        if prep and not any(c.dep_ in ("prep", "prt") and c.lower_ == prep for c in verb.children):
            return False
        if rule.opt("require_obj") and obj is None:
            return False
        lemmas = rule.opt("obj_lemmas")
        if lemmas and obj is not None and obj.lemma_.lower() not in lemmas:
            if not (rule.opt("obj_or_actor") and self._actors(obj, ctx)):
                return False
        if rule.opt("obj_actor") and (obj is None or not self._actors(obj, ctx)):
            return False
        prep_obj = rule.opt("prep_obj")
        if prep_obj and not any(p.lemma_.lower() in prep_obj for o in [verb, *(c for c in verb.children if c.dep_ == "dobj")]
                                for c in o.children if c.dep_ == "prep" for p in _pobjs(c)):
            return False
        need_aux = rule.opt("ccomp_aux")
        if need_aux and not any(c.dep_ == "ccomp" and any(a.dep_ == "aux" and a.lower_ in need_aux for a in c.children)
                                for c in verb.children):
            return False
        subj_lemmas = rule.opt("subj_lemmas")
        if subj_lemmas and not any(h.lemma_.lower() in subj_lemmas for h in _subject(verb)):
            return False
        mods = rule.opt("obj_mod")
        if mods and (obj is None or not any(c.lemma_.lower() in mods for c in obj.children)):
            return False
        comps = [c for c in verb.children if c.dep_ in ("xcomp", "ccomp")]
        if obj is not None:
            comps += [c for c in obj.children if c.dep_ in ("xcomp", "acl", "relcl") and c.pos_ == "VERB"]
        xcomp = rule.opt("xcomp")
        if xcomp and not any(c.dep_ in ("xcomp", "ccomp", "acl") and ("*" in xcomp or c.lemma_.lower() in xcomp)
                             for c in comps):
            return False
        if rule.opt("no_xcomp") and any(c.dep_ == "xcomp" for c in verb.children):
            return False
        return True

    def _noun_frame(self, rule: Rule, noun: Token, ctx: _Sentence) -> _Frame | None:
        sources = self._roles(noun, rule.source, ctx, rule)
        targets = self._roles(noun, rule.target, ctx, rule)
        mod = self.modality.read(noun)
        return _Frame(rule.rule_id, rule.type, rule.mode, rule.cameo, noun, noun.text, sources, targets, mod, True)

    def _fill_from_context(self, frames: list[_Frame], partners: dict[str, Actor], ctx: _Sentence) -> None:
        """Actors a trigger does not name itself, taken from what the sentence or the text already says:
        - "Putin's visit" (a source, no target): the source's last counterpart in the text;
        - "noted in a joint statement", "renewed talks": a noun without actors takes the subject of the verb
      it is the object of, or hangs on through a preposition;
        - "no documents will be signed during Putin's visit": a trigger without actors takes those of
          the event noun it is placed in ("during", "at", "following")."""
        by_token = {f.trigger.i: f for f in frames}
        for f in frames:
            if f.is_noun and f.sources and not f.targets and any(
                    c.dep_ in ("poss", "det") for c in f.trigger.children):
                partner = partners.get(f.sources[0].code)
                if partner is not None:
                    f.targets = [partner]
        for f in frames:
            if f.sources or f.targets:
                continue
            anchor = f.clause or f.trigger
            if f.is_noun:
                # "noted in a joint statement", "renewed negotiations", "returned to Geneva for talks":
                # the noun's actors are the subject of the verb it hangs on
                verb = f.trigger.head.head if f.trigger.dep_ == "pobj" else f.trigger.head
                if f.trigger.dep_ in ("pobj", "dobj") and verb.pos_ in ("VERB", "AUX"):
                    f.sources = self._actors_of_heads(_subject(verb), ctx)
            for prep in anchor.children:
                if prep.dep_ == "prep" and prep.lower_ in _DURING:
                    for pobj in prep.children:
                        g = by_token.get(pobj.i)
                        if g is not None and g is not f and g.type == "CONSULT":
                            f.sources, f.targets = g.sources, g.targets

    # ------------------------------------------------------------------ roles
    def _roles(self, anchor: Token, roles: Iterable[str], ctx: _Sentence, rule: Rule) -> list[Actor]:
        for role in roles:
            found = self._role(anchor, role, ctx, rule)
            if found:
                return found
        return []

    def _role(self, anchor: Token, role: str, ctx: _Sentence, rule: Rule) -> list[Actor]:
        name, _, flag = role.partition("/")
        deep = flag == "deep"
        passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in anchor.children)
        heads: list[Token] = []
        if name == "subj":
            heads = _agent(anchor) if passive else _subject(anchor)
        elif name == "obj":
            heads = [c for c in anchor.children if c.dep_ == "nsubjpass"] if passive else [
                c for c in anchor.children if c.dep_ in ("dobj", "attr")]
            heads = [_relative_antecedent(h) for h in heads]
        elif name == "dative":
            heads = [c for c in anchor.children if c.dep_ == "dative"]
            heads = [p for h in heads for p in ([h] if h.pos_ != "ADP" else _pobjs(h))]
        elif name.startswith("prep:"):
            heads = _prep_objects(anchor, name[5:])
        elif name == "mod":
            found = self._mod_actors(anchor, ctx)
            return [a for a in found if a.kind == "org"] if flag == "org" else found
        elif name == "place":
            return self._place_actors(anchor, ctx, rule)
        elif name == "ccomp_subj":
            want = rule.opt("ccomp")
            for c in list(anchor.children) + list(anchor.head.children):
                if c.dep_ in ("ccomp", "acl", "xcomp") and (not want or c.lemma_.lower() in want):
                    heads = [s for s in c.children if s.dep_ in _SUBJ]
                    if heads:
                        break
        elif name == "xcomp_obj":
            for c in anchor.children:
                if c.dep_ == "xcomp":
                    heads = [o for o in c.children if o.dep_ == "dobj"]
            deep = True
        out: list[Actor] = []
        for h in heads:
            out.extend(self._actors(h, ctx, deep=deep))
        if flag == "org":
            out = [a for a in out if a.kind == "org"]
        return _dedupe(out)

    def _actors_of_heads(self, heads: list[Token], ctx: _Sentence) -> list[Actor]:
        return _dedupe([a for h in heads for a in self._actors(h, ctx)])

    def _actors(self, tok: Token, ctx: _Sentence, deep: bool = False, depth: int = 0) -> list[Actor]:
        """Actors named by the phrase headed at ``tok``: the token's own mentions, else its modifiers
        and an "of" phrase ("leaders of A and B"); conjuncts always; ``deep`` searches the whole subtree."""
        if depth > 6:
            return []
        found = [_actor(m) for m in ctx.by_token.get(tok.i, []) if m.country]
        if deep:
            for t in tok.subtree:
                if t.i != tok.i:
                    found.extend(_actor(m) for m in ctx.by_token.get(t.i, []) if m.country)
            return _dedupe(found)
        if not found:
            for c in tok.children:
                if c.dep_ in _MOD_DEPS or c.dep_ == "appos":
                    found.extend(self._actors(c, ctx, depth=depth + 1))
                elif c.dep_ == "prep" and c.lower_ == "of":
                    for p in _pobjs(c):
                        found.extend(self._actors(p, ctx, depth=depth + 1))
        for c in tok.children:
            if c.dep_ == "conj":
                found.extend(self._actors(c, ctx, depth=depth + 1))
        return _dedupe(found)

    def _content_actors(self, verb: Token, ctx: _Sentence, sources: list[Actor]) -> list[Actor]:
        """Last resort for a target: the first actor named in the verb's object or complements
        ("denounced as a crime Serbia's suppression of ...")."""
        own = {a.code for a in sources}
        for c in verb.children:
            if c.dep_ in _CONTENT_DEPS and c.i > verb.i and not (c.dep_ == "prep" and c.lower_ in _DURING):
                found = [a for a in self._actors(c, ctx, deep=True) if a.code not in own]
                if found:
                    return found[:1]
        return []

    def _mod_actors(self, noun: Token, ctx: _Sentence) -> list[Actor]:
        found: list[Actor] = []
        for c in noun.children:
            if c.dep_ in _MOD_DEPS and c.i < noun.i:
                found.extend(self._actors(c, ctx, deep=True))  # "the Russian-Tajik talks"
        return _dedupe(found)

    def _place_actors(self, anchor: Token, ctx: _Sentence, rule: Rule) -> list[Actor]:
        preps = rule.opt("place_preps") or ["to", "in", "for", "at", "into"]
        cands: list[Token] = []
        for p in preps:
            cands.extend(_prep_objects(anchor, p))
        for c in cands:
            for t in [c] + [a for a in c.children if a.dep_ in ("appos", "compound", "amod")]:
                acts = [_actor(m) for m in ctx.by_token.get(t.i, []) if m.country and m.kind != "person"]
                if acts:
                    return _dedupe(acts)
                place = ctx.places.get(t.i)
                code = _place_country(place)
                if code:
                    fake = Mention(t.text, (t.idx, t.idx + len(t.text)), -1, getattr(place, "name", t.text), code,
                                   kind="state", via="place")
                    return [_actor(fake)]
        return []

    # ------------------------------------------------------------------ events
    def _events(self, f: _Frame, ctx: _Sentence, doc: Document, index: int) -> list[Event]:
        sources, targets = f.sources, f.targets
        pairs: list[tuple[Actor | None, Actor | None]] = []
        if self.convention == "plover":
            # PLOVER records: each actor of a compound side on its own, one-sided and domestic events kept
            side = sources or targets
            if sources and targets:
                pairs = [(s, t) for s in sources for t in targets]
            elif side:
                pairs = [(a, None) if sources else (None, a) for a in side]
        elif not targets and len(_codes(sources)) >= 2 and f.collective:
            if len(_codes(sources)) == 2 and f.mode not in ("multilateral", "summit"):
                a = sources[0]
                # "Putin and Rahmon": one event; each further named person of the other side adds one
                others = [b for b in sources[1:] if b.code != a.code]
                pairs = [(a, b) for b in others if b.name] or [(a, others[0])]
            else:
                host = self._host(ctx)
                pairs = [(s, host) for s in sources if host is not None and s.code != host.code]
        elif not sources and len(_codes(targets)) >= 2 and f.collective:
            a = targets[0]
            pairs = [(a, b) for b in targets[1:] if b.code != a.code][:1]
        else:
            pairs = [(s, t) for s in sources for t in targets if s.code != t.code]
        if not pairs:
            return []
        cameo, intensity = self.ontology.code(f.type, f.mode, f.cameo)
        speaker = _speaker_name(f.modality.speaker, ctx)
        out = []
        for s, t in pairs:
            out.append(Event(
                type=f.type, mode=f.mode, source=s.code if s else None, target=t.code if t else None,
                span=(ctx.sent.start_char, ctx.sent.end_char), evidence=ctx.sent.text, sentence=index,
                trigger=f.text, source_actor=s.name if s else None, target_actor=t.name if t else None,
                cameo=cameo, intensity=intensity, negated=f.modality.negated, planned=f.modality.planned,
                hypothetical=f.modality.hypothetical, attribution=speaker, rule=f.rule_id))
        return out

    def _host(self, ctx: _Sentence) -> Actor | None:
        """Target of a multilateral event: an organisation in the sentence, else the host country."""
        for ms in ctx.by_token.values():
            for m in ms:
                if m.kind == "org" and m.country:
                    return _actor(m)
        for place in ctx.places.values():
            code = _place_country(place)
            if code:
                return _actor(Mention(getattr(place, "name", ""), (0, 0), -1, getattr(place, "name", ""), code,
                                      kind="state", via="place"))
        return None

    def _fix_year(self, value: str, texp: Any, anchor: date | None, year_only: bool) -> str:
        """With only the article's year known, a day and month without a year are in that year."""
        if year_only and anchor is not None and value[:4] != str(anchor.year) and not re.search(
                r"\b\d{4}\b", str(getattr(texp, "text", ""))):
            return str(anchor.year) + value[4:]
        return value

    def _date(self, ev: Event, texp: Any, doc: Document, anchor: date | None,
              carried: tuple[str, str | None] | None, year_only: bool, past: bool = False) -> None:
        """The sentence's own time expression; else the last dated event of the text (news tells a
        story in order); else the publication date, flagged 'document-date'."""
        if texp is not None and getattr(texp, "value", None):
            value = self._fix_year(str(texp.value), texp, anchor, year_only)
            ev.date, ev.date_precision = value, getattr(texp, "precision", None)
            ev.date_method = getattr(texp, "method", None) or "sentence"
            if anchor is not None and not year_only and not past and len(value) == 10 and value > anchor.isoformat():
                ev.planned = not ev.negated or ev.planned  # a date after publication is still to come
        elif carried is not None:
            ev.date, ev.date_precision, ev.date_method = carried[0], carried[1], "previous-event"
        elif doc.published is not None:
            ev.date = doc.published.value
            ev.date_precision = doc.published.precision
            ev.date_method = "document-date"

    def _locate(self, ev: Event, f: _Frame, places: list[tuple[Any, int, int]], ctx: _Sentence) -> None:
        """The place named nearest the trigger (the gazetteer already prefers places after "in", "to")."""
        at = f.trigger.idx
        place = min(places, key=lambda p: min(abs(p[1] - at), abs(p[2] - at)))[0]
        ev.location = getattr(place, "name", None)
        ev.lat = getattr(place, "lat", None)
        ev.lon = getattr(place, "lon", None)


# ---------------------------------------------------------------------- parse helpers
_PRECISION = {"day": 4, "week": 3, "month": 2, "year": 1}


def _is_past(f: _Frame, reader: ModalityReader) -> bool:
    """A verb in the past tense ("met", "has met") reports what happened, whatever date it carries."""
    verb = f.clause or (reader.governing_verb(f.trigger) if f.is_noun else f.trigger)
    if verb is None:
        return False
    return verb.tag_ in ("VBD", "VBN") or any(
        c.dep_ == "aux" and c.lemma_.lower() in ("have", "do") and c.tag_ in ("VBD", "VBZ", "VBP") for c in verb.children)


def _depth(tok: Token) -> int:
    n = 0
    while tok.head is not tok and n < 50:
        tok, n = tok.head, n + 1
    return n


def _same_kind(a: Event, b: Event, onto: Ontology) -> bool:
    return (a.type == b.type and onto.mode_group(a.type, a.mode) == onto.mode_group(b.type, b.mode)
            and {a.source, a.target} == {b.source, b.target} and a.negated == b.negated)


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
        if cur.head is cur:
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
        return [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")]
    return _prep_objects(verb, lv.via.partition(":")[2])


def _object(verb: Token) -> Token | None:
    passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children)
    for c in verb.children:
        if c.dep_ == ("nsubjpass" if passive else "dobj"):
            return c
    return None


def _pobjs(prep: Token) -> list[Token]:
    return [c for c in prep.children if c.dep_ in ("pobj", "pcomp")]


def _prep_objects(anchor: Token, word: str) -> list[Token]:
    """Objects of preposition ``word`` on the anchor, on its direct object, or on a particle."""
    owners = [anchor] + [c for c in anchor.children if c.dep_ in ("dobj", "nsubjpass")]
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
        if cur.dep_ in ("xcomp", "conj", "advcl") and cur.head is not cur:
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


def _find_places(gazetteer: Any, sent: Span) -> list[tuple[Any, int, int]]:
    """Places in the sentence, offsets made absolute (the gazetteer counts from the sentence start)."""
    if gazetteer is None:
        return []
    base = sent.start_char
    ents = [(e.text, e.label_, e.start_char - base, e.end_char - base) for e in sent.ents]
    try:
        found = gazetteer.find_locations(sent.text, ents)
    except Exception:  # a failing gazetteer must not lose the events
        logger.exception("gazetteer failed on sentence at %d", base)
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
