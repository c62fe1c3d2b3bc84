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
- The default convention "news" is "dyadic" plus three general habits: protests, crackdowns and
  concessions inside one country are kept (open side = the country of the place, else the actor's own:
  rules/plover.yaml home_types), and a harmful act announced on a condition ("will withdraw unless")
  is THREATEN. Under "dyadic" alone:
- Source and target of the same country are not an event, and an event needs a target. With
  ``convention="plover"`` the PLOVER gold-record habits are followed instead: one-sided events are kept
  with target None, each actor of a compound side gets its own event ("X and Y agreed" is two), and
  domestic events (same country on both sides) are kept. PLOVER has no planned or negated flag: an
  announced act ("will", or "would" under a reporting verb) is AGREE, or THREATEN when it is a material
  conflict act ("will impose a curfew"); a negated cooperative act ("failed to reach agreement") is REJECT;
  a side left open takes the country where the event happens, else the named side's own.
- Actors named by role and place take the place's country ("rebels in Chad"); ethnic groups that of the
  state they live in ("ethnic Hungarians in Slovakia", "Bosnian Serbs"): roles.py, rules/residence.yaml.
- A commitment to a material conflict act ("vowed to attack") is THREATEN.
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
  without actors takes those of the event noun it is placed in ("no papers are to be signed in the
  course of the minister's trip"); finally a verb's target may be the first actor named in its object or complements.
- Dates: the time expression in the trigger's own clause (TimeResolver.find, resolved towards the
  future for planned events), else the current date of the story (the last date a sentence gave),
  else the publication date with ``date_method='document-date'``. A day after publication makes a
  present-tense event planned. With only the publication year known, "October 8" is in that year.
"""
from __future__ import annotations

import bisect
import dataclasses
import logging
import re
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from spacy.tokens import Doc, Token

from ..model import Document, Event, Mention
from .modality import Modality, ModalityReader
from .ontology import LightVerb, Ontology, Rule, RuleSet, dyad_key
from .protocols import PlaceFinder, TimeFinder
from .roles import RoleReader
from .syntax import (
    _CONTENT_DEPS,
    _DURING,
    _PRECISION,
    Actor,
    _actor,
    _anchor_date,
    _codes,
    _depth,
    _drop_home_echoes,
    _entity_list,
    _find_places,
    _Frame,
    _is_past,
    _main_of_after,
    _object,
    _pick_time,
    _place_country,
    _same_kind,
    _same_people,
    _same_time,
    _Sentence,
    _sentence_index,
    _speaker_name,
    _subject,
    _unique,
    _unique_light,
    _verb_lemmas,
    _via,
)
from .timing import COUNTED_FROM_TODAY, StoryClock, inherited, reanchor

logger = logging.getLogger(__name__)

_UNDOING = ("CONCEDE", "RETREAT")
_RELATIVE = ("who", "which", "that", "whom")
_FRAMING = ("AGREE", "REQUEST", "REJECT", "THREATEN", "ACCUSE")
_OBJECT_CONTROL = ("urge", "ask", "invite", "persuade", "help", "allow", "encourage", "press", "call", "offer",
                   "request", "tell", "force", "order")


# Coding habits. dyadic: the project's own conventions (eval README: dyads between states, one event
# for talks between two leaders, announced events planned); news (default): dyadic, plus protests,
# crackdowns, attacks and concessions inside one country (PLOVER codes them as domestic events);
# plover: the PLOVER gold-record habits (one event a sentence, planned acts as AGREE, open sides kept).
FEATURES = frozenset({"main_only", "planned_agree", "domestic_fill", "one_sided", "split", "domestic",
                      "domestic_conflict", "home_fill", "conditional_threat"})
CONVENTIONS: dict[str, frozenset[str]] = {
    "dyadic": frozenset(),
    "news": frozenset({"domestic_conflict", "home_fill", "conditional_threat"}),
    "plover": FEATURES,
}


def _infinitive(tok: Token) -> bool:
    """"have sworn to fight" parsed as an adverbial clause: a to-infinitive is still the complement."""
    return tok.dep_ == "advcl" and tok.tag_ == "VB" and any(a.dep_ == "aux" and a.lower_ == "to" for a in tok.children)


STORY_ORG_SENTENCES = 4  # how far back "the meeting" may find its organisation


class _StoryOrg:
    """The organisation named last before a point of the text, read forward once (sentences come in order)."""

    def __init__(self, mentions: list[Mention]):
        self._orgs = sorted((m for m in mentions if m.kind == "org" and m.country), key=lambda m: m.span)
        self._next = 0
        self._last: Mention | None = None

    def before(self, start: int, index: int) -> Mention | None:
        while self._next < len(self._orgs) and self._orgs[self._next].span[0] < start:
            self._last = self._orgs[self._next]
            self._next += 1
        last = self._last
        return last if last is not None and index - last.sentence <= STORY_ORG_SENTENCES else None


class _MentionsBySpan:
    """The mentions starting in [start, end), in their given order: bisected, since a scan of every
    mention for every sentence made a long document quadratic (a 680,000-character page: 70 s)."""

    def __init__(self, mentions: list[Mention]):
        self._mentions = mentions
        self._order = sorted(range(len(mentions)), key=lambda i: mentions[i].span[0])
        self._starts = [mentions[i].span[0] for i in self._order]

    def __call__(self, start: int, end: int) -> list[Mention]:
        lo, hi = bisect.bisect_left(self._starts, start), bisect.bisect_left(self._starts, end)
        return [self._mentions[i] for i in sorted(self._order[lo:hi])]


class EventExtractor(RoleReader):
    """Finds PLOVER events in parsed documents; rules are read from ``rules_dir`` (default: packaged)."""

    def __init__(self, rules_dir: str | Path | None = None, convention: str = "news",
                 merge_repeats: bool = True, features: Iterable[str] | None = None):
        self.ontology = Ontology(rules_dir)
        self.rules = RuleSet(rules_dir, self.ontology)
        self.modality = ModalityReader(rules_dir)
        if convention not in CONVENTIONS:
            raise ValueError(f"unknown convention {convention!r} ({' | '.join(CONVENTIONS)})")
        self.convention = convention
        # the convention is a bundle of coding habits; ``features`` replaces the bundle (for experiments)
        self.features = frozenset(CONVENTIONS[convention] if features is None else features)
        unknown = self.features - FEATURES
        if unknown:
            raise ValueError(f"unknown features {sorted(unknown)}")
        self.merge_repeats = merge_repeats

    def has_event_cue(self, sentence: str | Iterable[Any]) -> bool:
        return self.rules.has_cue(sentence)

    # ------------------------------------------------------------------ driver
    def extract(self, doc: Document, sdoc: Doc, mentions: list[Mention], time_resolver: TimeFinder | None = None,
                gazetteer: PlaceFinder | None = None) -> list[Event]:
        anchor = _anchor_date(doc)
        year_only = doc.published is not None and doc.published.precision == "year"
        # the story's current date: what undated events take and anaphora count from (timing.py)
        clock = StoryClock(anchor, doc.published.precision if doc.published else None)
        events: list[Event] = []
        earlier: dict[tuple, list[Event]] = {}  # events of earlier sentences by type, mode group, dyad
        partners: dict[str, Actor] = {}  # the last counterpart of each actor: "Putin's visit" goes there
        by_sent_start = {s.start: i for i, s in enumerate(doc.sentences)}
        text = doc.text  # the parsed text; ``sdoc.text`` would be rebuilt token by token
        entities = _entity_list(sdoc)
        story_org = _StoryOrg(mentions)
        sentence_mentions = _MentionsBySpan(mentions)
        for n, sent in enumerate(sdoc.sents):
            clock.at_sentence(text, sent.start_char, sent.end_char)
            if not self.has_event_cue(sent):
                self._tick(doc, clock, time_resolver, sent)
                continue
            index = _sentence_index(doc, sent, n, by_sent_start)
            sm = sentence_mentions(sent.start_char, sent.end_char)
            places = _find_places(gazetteer, sent, entities, doc)
            ctx = _Sentence(sent, sm, places, story_org.before(sent.start_char, index))
            frames = self._frames(ctx)
            if not frames:
                self._tick(doc, clock, time_resolver, sent)
                continue
            self._fill_from_context(frames, partners, ctx)
            _answer_requests(frames)
            for f in frames:
                if not f.targets and f.sources:
                    f.targets = f.fallback
                if f.type == "PROTEST" and not f.targets:
                    f.targets = self._protested(f, ctx)
            if "home_fill" in self.features:
                for f in frames:
                    self._home_side(f, ctx)
            if "conditional_threat" in self.features:
                for f in frames:
                    self._conditional_threat(f)
            if "main_only" in self.features or "planned_agree" in self.features or "domestic_fill" in self.features:
                frames = self._main_frame(frames, ctx)
            # "on Monday" is last Monday for what happened and next Monday for what is planned
            times = {planned: self._times(doc, time_resolver, ctx, clock.resolver_anchor(), clock.previous, planned)
                     for planned in {f.modality.planned for f in frames}}
            made: list[Event] = []
            picked = self._pick_times(frames, times, earlier)
            for f in frames:
                texp = picked[id(f)]
                for ev in self._events(f, ctx, doc, index):
                    group = self.ontology.mode_group(ev.type, ev.mode)
                    if any(_same_kind(ev, e, self.ontology) and _same_people(ev, e) for e in made):
                        continue  # the same event told twice in one sentence
                    self._date(ev, texp, doc, anchor, clock.carried, year_only, _is_past(f, self.modality),
                               day_known=clock.day is not None)
                    dkey = (ev.type, group, dyad_key(ev.type, ev.source, ev.target), ev.negated)
                    first = next((e for e in earlier.get(dkey, []) if _same_time(ev, e) and _same_people(ev, e)), None)
                    if self.merge_repeats and first is not None:
                        if places and first.location is None:
                            # the headline told it without a place, the lead says where
                            self._locate(first, f, places, ctx)
                        continue  # a later sentence restating an event already coded
                    if places and ev.location is None:
                        self._locate(ev, f, places, ctx)
                    made.append(ev)
                    clock.observe(ev.date, ev.date_precision, ev.date_method, getattr(texp, "relation", "at"))
                for a in f.sources:
                    for b in f.targets:
                        if a.code != b.code:
                            partners[a.code], partners[b.code] = b, a
            if not any(e.date_method not in ("document-date", "previous-event") for e in made):
                # a dated sentence without an event still moves the story's clock ("On 10 October a
                # summit takes place. Putin invited ...")
                point = [t for t, _ in times.get(False, times.get(True, [])) if getattr(t, "relation", "at") == "at"
                         and not (year_only and clock.day is None and t.method in COUNTED_FROM_TODAY)]
                if point:
                    best = max(point, key=lambda t: _PRECISION.get(t.precision, 0))
                    clock.observe(self._fix_year(str(best.value), best, anchor, year_only), best.precision,
                                  best.method, best.relation)
            made = _drop_home_echoes(made)
            for ev in made:
                dkey = (ev.type, self.ontology.mode_group(ev.type, ev.mode), dyad_key(ev.type, ev.source, ev.target),
                        ev.negated)
                earlier.setdefault(dkey, []).append(ev)
            events.extend(made)
        # one state acting on itself is kept only where the convention keeps domestic events (PLOVER's habit;
        # under "news" the conflict types, and only in a sentence naming no other state: there, "Vucic told his
        # forces" or "the ships were blocking" is a misread of the relation between the states)
        named: dict[int, set[str]] = {}  # states, people and organisations by name (not "ethnic Hungarians")
        for m in mentions:
            if m.country and m.kind in ("state", "person", "org"):
                named.setdefault(m.sentence, set()).add(m.country)
        return [e for e in events if not (e.source and e.source == e.target)
                or self._domestic_kept(e.type, bool(named.get(e.sentence, set()) - {e.source}))]

    def _domestic_kept(self, type_: str, other_states: bool) -> bool:
        return "domestic" in self.features or ("domestic_conflict" in self.features and not other_states
                                               and type_ in self.ontology.domestic_when_one_sided)

    def _tick(self, doc: Document, clock: StoryClock, resolver: TimeFinder | None, sent: Any) -> None:
        """A sentence that codes no event still moves the story's clock ("On Friday the station opened.")."""
        if resolver is None or clock.resolver_anchor() is None:
            return
        clock.observe_times(_find_times(doc, resolver, sent, anchor=clock.resolver_anchor(), previous=clock.previous))

    def _main_frame(self, frames: list[_Frame], ctx: _Sentence) -> list[_Frame]:
        """PLOVER records code one event a sentence: the trigger nearest the root that has an actor.
        A side left open takes the other side's country for the types the records code as domestic
        (plover.yaml ``domestic_when_one_sided``: "Egyptian police fired on demonstrators": EGY-EGY)."""
        live = [f for f in frames if f.sources or f.targets]
        # "Syria said it will withdraw": the reported act, not the saying, is the event
        if not live:
            return []
        if "main_only" in self.features:
            live = [min(live, key=lambda f: (_depth(f.clause or f.trigger), -(bool(f.sources) + bool(f.targets))))]
        for f in live:
            self._plover_habits(f, ctx)
        return live

    def _conditional_threat(self, f: _Frame) -> None:
        """"X will withdraw its troops unless Y pays": a harmful act announced on a condition is a threat
        (PLOVER THREATEN), not a planned act."""
        m = f.modality
        head = f.clause or f.trigger
        if not m.planned or m.negated or f.type == "THREATEN" or not (
                self.ontology.quad(f.type) >= 3 or f.type in _UNDOING):
            return
        if any(c.dep_ == "advcl" and any(k.dep_ == "mark" and k.lower_ in ("unless", "if") for k in c.children)
               for c in head.children):
            f.type, f.mode, f.cameo, f.rule_id = "THREATEN", "warn", None, f.rule_id + "+conditional"
            m.planned = False  # the threat itself is made now

    def _plover_habits(self, best: _Frame, ctx: _Sentence) -> None:
        m = best.modality
        if "planned_agree" in self.features and m.negated and self.ontology.quad(best.type) <= 2:
            # PLOVER has no negation: "failed to reach agreement", "would not meet the demands" refuse
            best.type, best.mode, best.cameo = "REJECT", "refuse", None
            best.rule_id, m.negated = best.rule_id + "+plover-negated", False
            return
        # "X said it would boycott Y": a reported "would" announces an intention, as "will" does
        intended = m.planned or (m.hypothetical and m.speaker is not None)
        if "planned_agree" in self.features and intended and not m.negated and best.type != "AGREE":
            # PLOVER has no planned flag: a promised act is AGREE, a conditional harmful one THREATEN
            # an announced material conflict act ("will impose a curfew", "would blockade the port") is a
            # threat even without a condition; a withdrawal only when it is one
            hostile = self.ontology.quad(best.type) >= 4 or (
                m.hypothetical and (self.ontology.quad(best.type) >= 3 or best.type == "RETREAT"))
            best.type = "THREATEN" if hostile else "AGREE"
            best.mode, best.cameo, best.rule_id = None, None, best.rule_id + "+plover-planned"
        if "domestic_fill" in self.features and best.type in self.ontology.domestic_when_one_sided and (
                bool(best.sources) != bool(best.targets)):
            # the open side is the country where it happens ("killed near Basra"), else the named side's
            named = best.sources or best.targets
            other = self._where(best, ctx) or dataclasses.replace(named[0], name=None)
            if best.sources:
                best.targets = [other]
            else:
                best.sources = [other]

    def _pick_times(self, frames: list[_Frame], times: dict[bool, list[tuple[Any, Token]]],
                    earlier: dict[tuple, list[Event]]) -> dict[int, Any]:
        """Each frame's time expression: its own clause's, else that of the event above it in the parse;
        then "N days after <clause>" is turned to the event it dates (timing.py)."""
        chosen: dict[int, Any] = {}
        own: dict[int, Any] = {}
        for f in frames:
            texp = _pick_time(f, times[f.modality.planned], frames, self.modality)
            own[id(f)] = texp
            if texp is not None:
                chosen[f.trigger.i] = chosen.get(f.trigger.i) or texp
                if f.clause is not None:
                    chosen[f.clause.i] = chosen.get(f.clause.i) or texp

        def known(main: Token) -> str | None:
            """The day of an earlier-coded event that the main clause restates ("the visit took place")."""
            for g in frames:
                if main.i not in ((g.clause or g.trigger).i, g.trigger.i, g.trigger.head.i):
                    continue
                codes = {a.code for a in g.sources + g.targets}
                for key, evs in earlier.items():
                    for e in reversed(evs) if key[0] == g.type else []:
                        if e.date and len(e.date) == 10 and e.date_method != "document-date" and (
                                codes & {e.source, e.target}):
                            return e.date
            return None

        out: dict[int, Any] = {}
        for f in frames:
            texp = own[id(f)] or _main_of_after(f, times) or inherited(f.clause or f.trigger, chosen)
            root = next((r for lst in times.values() for t, r in lst if t is texp), None)
            out[id(f)] = reanchor(texp, root, f.clause or f.trigger, known)
        return out

    def _times(self, doc: Document, resolver: TimeFinder | None, ctx: _Sentence, anchor: date | None,
               previous: date | None, future: bool) -> list[tuple[Any, Token]]:
        """The sentence's time expressions with the token each hangs on."""
        if resolver is None or anchor is None:
            return []
        found = _find_times(doc, resolver, ctx.sent, anchor=anchor, previous=previous, future=future)
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
            # "is ready to send troops": a predicative adjective with an infinitive acts as a verb
            willing = t.pos_ == "ADJ" and t.dep_ == "acomp" and any(c.dep_ == "xcomp" for c in t.children)
            if t.pos_ not in ("VERB", "AUX") and not willing and not (
                    t.pos_ == "NOUN" and t.dep_ == "ROOT" and t.tag_.startswith("VB")):
                continue
            frame = self._light_frame(t, ctx, consumed) or self._verb_frame(t, ctx, consumed)
            if frame is not None and not frame.modality.blocked:
                frames.append(frame)
        for t in ctx.sent:
            if t.i in consumed or t.pos_ not in ("NOUN", "PROPN") or t.ent_type_ in ("DATE", "TIME"):
                continue  # "on March 20" is no march
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
                    if (c.dep_ in _CONTENT_DEPS or _infinitive(c)) and c.i > head.i and not (
                            c.dep_ == "prep" and c.lower_ in _DURING):
                        content.update(t.i for t in c.subtree)
                content.discard(f.trigger.i)
        dropped = [f for f in frames if f.trigger.i in content or (f.clause or f.trigger).i in content]
        frames = [f for f in frames if f not in dropped]
        for f in frames:
            self._hostile_promise(f, dropped)
        for f in frames:
            self._obligation(f, ctx)
        # "Lavrov's meeting with Rahmon or talks with Muhriddin": the second noun shares the first's source
        for i, f in enumerate(frames):
            if f.is_noun and f.targets and not f.sources:
                prior = [p for p in frames[:i] if p.type == f.type and p.sources]
                if prior:
                    f.sources = prior[-1].sources
        return frames

    def _hostile_promise(self, f: _Frame, content: list[_Frame]) -> None:
        """"vowed to fight", "is prepared to impose martial law": a commitment to a material conflict act is
        a threat (CAMEO 13), aimed at that act's target."""
        if f.type != "AGREE" or f.mode != "promise" or f.is_noun:
            return
        head = f.clause or f.trigger
        # the promised act itself, not acts told inside it ("offered to hand over the men accused of bombing")
        acts = {c.i for c in head.children if c.dep_ in ("xcomp", "ccomp") or _infinitive(c)}
        hostile = [g for g in content if (g.clause or g.trigger).i in acts and self.ontology.quad(g.type) >= 4]
        if hostile:
            f.type, f.mode, f.cameo, f.rule_id = "THREATEN", "force", None, f.rule_id + "+hostile"
            f.targets = f.targets or hostile[0].targets

    def _obligation(self, f: _Frame, ctx: _Sentence) -> None:
        """"Russia said Sudan must return the helicopter": a demand by the speaker on the subject."""
        if not f.modality.obligation or f.modality.speaker is None or f.is_noun:
            return
        speaker = self._actors(f.modality.speaker, ctx)
        if speaker and f.sources and {a.code for a in speaker} != {a.code for a in f.sources}:
            f.rule_id, f.type, f.mode, f.cameo = f"{f.rule_id}+obligation", "REQUEST", "demand", None
            f.sources, f.targets = speaker, f.sources
            f.modality.obligation = False

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
            if rule.opt("promised"):
                mod.planned = True  # "pledged $2bn in aid": the act promised is still to come
            sources = self._roles(verb, rule.source, ctx, rule) or self._speaker_as_subject(verb, mod, ctx)
            targets = self._roles(verb, rule.target, ctx, rule)
            fallback = []
            if not targets and rule.opt("fallback", True) and "place" not in rule.target and not self._unknown_party(verb):
                fallback = self._content_actors(verb, ctx, sources)
            if rule.opt("require_target_prep") and not any(
                    self._role(verb, r, ctx, rule) for r in rule.target if r.startswith("prep:")):
                continue
            obj = _object(verb)
            # "lifted the blockade": the object noun is what is undone, not a new event
            if obj is not None and (rule.type in _UNDOING or any(
                    r.type == rule.type for r in self.rules.noun_rules(obj.lemma_))):
                consumed.add(obj.i)
            return _Frame(rule.rule_id, rule.type, rule.mode, rule.cameo, verb, verb.text, sources, targets, mod, False,
                          bool(rule.opt("collective", True)), fallback=fallback)
        return None

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
        - "no papers are to be signed in the course of the minister's trip": a trigger without actors takes those of
          the event noun it is placed in ("during", "at", "following")."""
        by_token = {f.trigger.i: f for f in frames}
        for f in frames:
            if f.is_noun and f.sources and not f.targets and any(
                    c.dep_ in ("poss", "det") for c in f.trigger.children):
                partner = partners.get(f.sources[0].code)
                if partner is not None:
                    f.targets = [partner]
        for f in frames:
            # "youths threw stones during demonstrations against X": who acts in the protest protests
            joined = f.type == "PROTEST" and f.trigger.dep_ == "pobj" and f.trigger.head.lower_ in (
                "during", "in", "amid", "at")
            if f.is_noun and f.targets and not f.sources and (self._own_noun(f.trigger) or joined):
                # "sped up the withdrawal of its forces from Syria": "its" is the subject of the verb
                verb = f.trigger.head.head if f.trigger.dep_ == "pobj" else f.trigger.head
                if verb.pos_ in ("VERB", "AUX"):
                    f.sources = [a for a in self._actors_of_heads(_subject(verb), ctx)
                                 if a.code not in {t.code for t in f.targets}]
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

    # ------------------------------------------------------------------ events
    def _events(self, f: _Frame, ctx: _Sentence, doc: Document, index: int) -> list[Event]:
        sources, targets = f.sources, f.targets
        pairs: list[tuple[Actor | None, Actor | None]] = []
        feats = self.features
        if "split" in feats and not (sources and targets) and (sources or targets):
            # PLOVER records: each actor of a compound side on its own
            pairs = [(a, None) if sources else (None, a) for a in sources or targets]
        elif not targets and len(_codes(sources)) >= 2 and f.collective:
            if len(_codes(sources)) == 2 and f.mode not in ("multilateral", "summit"):
                a = sources[0]
                # "Putin and Rahmon": one event; each further named person of the other side adds one
                others = [b for b in sources[1:] if b.code != a.code]
                pairs = [(a, b) for b in others if b.name] or [(a, others[0])]
            else:
                host = self._host(ctx)
                pairs = [(s, host) for s in sources if host is not None and s.code != host.code]
        elif not targets and sources and not f.is_noun and f.mode in ("multilateral", "summit") \
                and len(_codes(sources)) == 1:
            # "Japarov attended the summit" (a verb: a bare "summit" noun may be a plan or a topic):
            # one participant, with the summit's organisation
            host = self._host(ctx)
            pairs = [(sources[0], host)] if host is not None and host.code != sources[0].code else []
        elif not sources and len(_codes(targets)) >= 2 and f.collective:
            a = targets[0]
            pairs = [(a, b) for b in targets[1:] if b.code != a.code][:1]
        else:
            home = "domestic" in feats or ("domestic_conflict" in feats and f.type in self.ontology.domestic_when_one_sided)
            pairs = [(s, t) for s in sources for t in targets if s.code != t.code or (home and s.kind != "org")]
        if not pairs and "one_sided" in feats and len(_codes(sources or targets)) == 1 and not (sources and targets):
            # "Egyptian police fired on demonstrators": who acted is known, the other side is not named
            pairs = [(a, None) if sources else (None, a) for a in (sources or targets)[:1]]
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
        """Target of a multilateral event: an organisation in the sentence, else the one the story named
        just before ("the SCO summit opened ... the leaders of A, B and C joined the talks"), else the host
        country."""
        for ms in ctx.by_token.values():
            for m in ms:
                if m.kind == "org" and m.country:
                    return _actor(m)
        if ctx.story_org is not None:
            return _actor(ctx.story_org)
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
              carried: tuple[str, str | None] | None, year_only: bool, past: bool = False,
              day_known: bool = True) -> None:
        """The sentence's own time expression; else the last dated event of the text (news tells a
        story in order); else the publication date, flagged 'document-date'. "On Tuesday" in a text
        known only by its year, before any day is named, gives the year: the day cannot be counted."""
        if texp is not None and getattr(texp, "value", None):
            value = self._fix_year(str(texp.value), texp, anchor, year_only)
            ev.date, ev.date_precision = value, getattr(texp, "precision", None)
            ev.date_method = getattr(texp, "method", None) or "sentence"
            if year_only and anchor is not None and not day_known and ev.date_method in COUNTED_FROM_TODAY:
                ev.date, ev.date_precision = str(anchor.year), "year"
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
        ev.location = getattr(place, "label", None) or getattr(place, "name", None)
        ev.lat = getattr(place, "lat", None)
        ev.lon = getattr(place, "lon", None)


def _find_times(doc: Document, resolver: TimeFinder, sent: Any, **when: Any) -> list[Any]:
    """The time expressions of a sentence; a resolver's bug must not lose the document or its events: they
    are kept without their own dates (the clock stays), and the document's log says why."""
    try:
        return list(resolver.find(sent.text, **when))
    except Exception as exc:
        logger.exception("time resolution failed in %s at char %d", doc.doc_id, sent.start_char)
        doc.recover("events.when", exc)
        return []


def _answer_requests(frames: list[_Frame]) -> None:
    """"A asked B to send troops, but B declined": a refusal that names no one answers the request made
    of its subject in the same sentence."""
    asks = [f for f in frames if f.type == "REQUEST" and f.sources and f.targets]
    for f in frames:
        if f.type != "REJECT" or f.targets or not f.sources:
            continue
        own = {a.code for a in f.sources}
        asked = next((r for r in asks if own & {a.code for a in r.targets}), None)
        if asked is not None:
            f.targets = [a for a in asked.sources if a.code not in own]
