"""Actor roles of an event trigger, read off the parse: subject, object, prepositional objects,
modifiers, the place an event happens in, the country a role noun or an ethnic group belongs to
(rules/residence.yaml), and the conditions a rule sets on them. A mixin of EventExtractor (extract.py)."""
from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable

from spacy.tokens import Token

from ..model import Mention
from .ontology import Ontology, Rule, RuleSet
from .syntax import (
    _CONTENT_DEPS,
    _DURING,
    _MOD_DEPS,
    _SUBJ,
    Actor,
    _actor,
    _agent,
    _dedupe,
    _Frame,
    _object,
    _place_country,
    _pobjs,
    _prep_objects,
    _relative_antecedent,
    _Sentence,
    _subject,
)

_PLACE_WORDS = ("in", "throughout", "across", "outside", "near", "inside")


class RoleReader:
    """Finds the actors of a trigger; needs ``self.ontology`` (home types), ``self.rules`` (residence) and
    ``self.features`` (the coding habits)."""

    ontology: Ontology
    rules: RuleSet
    features: frozenset[str]

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
        # "Israel is opposed to X", "is committed to": a state, not a passive; its subject acts
        stative = passive and rule.opt("stative_passive") and not _agent(anchor)
        if name == "subj":
            heads = [c for c in anchor.children if c.dep_ == "nsubjpass"] if stative else (
                _agent(anchor) if passive else _subject(anchor))
        elif name == "obj" and stative:
            heads = []
        elif name == "obj":
            heads = [c for c in anchor.children if c.dep_ == "nsubjpass"] if passive else [
                c for c in anchor.children if c.dep_ in ("dobj", "attr")]
            if not heads and any(c.dep_ == "prt" and c.lower_ == "up" for c in anchor.children):
                heads = _prep_objects(anchor, "to")  # "kidnapped up to 16 advisers": a count, not a particle
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
        if deep:
            # "rejected Moscow's offer to mediate between A and B": the proposer, not the content
            out = [a for h in heads for a in self._actors(h, ctx) + self._by_from(h, ctx)]
        if not out:
            for h in heads:
                out.extend(self._actors(h, ctx, deep=deep))
        if flag == "org":
            out = [a for a in out if a.kind == "org"]
        return _dedupe(out)

    def _by_from(self, noun: Token, ctx: _Sentence) -> list[Actor]:
        """Who made a proposal, request or offer: "an offer from Kabul", "a plan by the EU"."""
        # "crimes committed by Croat forces": the agent of the participle on the noun
        owners = [noun] + [c for c in noun.children if c.dep_ in ("acl", "relcl")]
        return [a for o in owners for c in o.children if c.dep_ in ("prep", "agent") and c.lower_ in ("from", "by")
                for p in _pobjs(c) for a in self._actors(p, ctx)]

    # ------------------------------------------------------------------ rule conditions
    def _noun_ok(self, rule: Rule, noun: Token) -> bool:
        need = rule.opt("needs_mod")
        if need and not any(c.lemma_.lower() in need for c in noun.children if c.dep_ in _MOD_DEPS):
            return False
        return True

    def _verb_conditions(self, rule: Rule, verb: Token, ctx: _Sentence) -> bool:
        obj = _object(verb)
        prep = rule.opt("prep")
        # "called on Russia" but not "called off the strike on Thursday": a date is no addressee
        if prep and not any(c.dep_ in ("prep", "prt") and c.lower_ == prep and not any(
                p.ent_type_ in ("DATE", "TIME") for p in _pobjs(c)) for c in verb.children):
            return False
        if rule.opt("require_obj") and obj is None:
            return False
        if obj is not None and obj.lemma_.lower() in (rule.opt("obj_not") or ()):
            return False  # "held the EU presidency", "shares a border": the verb in another sense
        lemmas = rule.opt("obj_lemmas")
        if lemmas and obj is not None and obj.lemma_.lower() not in lemmas:
            # "700 kg of medicine", "part of the aid programme": the thing is named after "of"
            inner = [p for c in obj.children if c.dep_ == "prep" and c.lower_ == "of" for p in _pobjs(c)]
            obj = next((p for p in inner if p.lemma_.lower() in lemmas), obj)
        either = rule.opt("obj_lemma_or_mod") and obj is not None and any(
            c.lemma_.lower() in (rule.opt("obj_mod") or ()) for c in obj.children)
        if lemmas and obj is not None and obj.lemma_.lower() not in lemmas and not either:
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
        subj_mod = rule.opt("subj_mod")  # or a modifier of the subject ("NATO peacekeeping troops arrived")
        if subj_lemmas and not any(h.lemma_.lower() in subj_lemmas or (subj_mod and any(
                c.lemma_.lower() in subj_mod for k in [h, *(p for q in h.children if q.dep_ == "prep" for p in _pobjs(q))]
                for c in k.children)) for h in _subject(verb)):
            return False
        subj_not = rule.opt("subj_not")
        if subj_not and any(h.lemma_.lower() in subj_not or self._state_organ(h, ctx) for h in _subject(verb)):
            return False
        mods = rule.opt("obj_mod")
        if mods and not either and (obj is None or not any(c.lemma_.lower() in mods for c in obj.children)):
            return False
        comps = [c for c in verb.children if c.dep_ in ("xcomp", "ccomp")]
        if obj is not None:
            comps += [c for c in obj.children if c.dep_ in ("xcomp", "acl", "relcl") and c.pos_ == "VERB"]
        xcomp = rule.opt("xcomp")
        if xcomp and not any(c.dep_ in ("xcomp", "ccomp", "acl") and ("*" in xcomp or c.lemma_.lower() in xcomp)
                             and not _question(c) for c in comps):
            return False
        if rule.opt("no_xcomp") and any(c.dep_ == "xcomp" for c in verb.children):
            return False
        return True

    @staticmethod
    def _own_noun(noun: Token) -> bool:
        """"its withdrawal", "the withdrawal of their troops": a possessive pronoun points to the subject."""
        heads = [noun] + [p for c in noun.children if c.dep_ == "prep" and c.lower_ == "of" for p in _pobjs(c)]
        return any(c.dep_ == "poss" and c.pos_ == "PRON" for h in heads for c in h.children)

    def _unknown_party(self, verb: Token) -> bool:
        """"ordered former president Menem to appear in a probe of arms sales to Croatia": the object is a
        person or group we cannot place, so the actors inside the complement are not the target."""
        obj = _object(verb)
        if obj is None:
            return False
        low = obj.lower_
        return obj.pos_ == "PROPN" and obj.ent_type_ in ("PERSON", "ORG", "NORP") or bool(
            {obj.lemma_.lower(), low, low[:-1]} & self.rules.residence.people_nouns)

    def _state_organ(self, tok: Token, ctx: _Sentence) -> bool:
        """A state acting as such: a country, capital or government body, not its people."""
        return any(m.kind == "state" and m.via != "demonym" or m.sector in ("GOV", "MIL", "COP")
                   for m in ctx.by_token.get(tok.i, []))

    def _actors_of_heads(self, heads: list[Token], ctx: _Sentence) -> list[Actor]:
        return _dedupe([a for h in heads for a in self._actors(h, ctx)])

    def _actors(self, tok: Token, ctx: _Sentence, deep: bool = False, depth: int = 0) -> list[Actor]:
        """Actors named by the phrase headed at ``tok``: the token's own mentions, else its modifiers
        and an "of" phrase ("leaders of A and B"); conjuncts always; ``deep`` searches the whole subtree."""
        if depth > 6:
            return []
        found = self._resident(tok, [_actor(m) for m in ctx.by_token.get(tok.i, []) if m.country], ctx)
        if deep:
            for t in tok.subtree:
                if t.i != tok.i:
                    found.extend(self._resident(t, [_actor(m) for m in ctx.by_token.get(t.i, []) if m.country], ctx))
            return _dedupe(found)
        if not found:
            for c in tok.children:
                if c.dep_ in _MOD_DEPS or c.dep_ == "appos":
                    found.extend(self._actors(c, ctx, depth=depth + 1))
                elif c.dep_ == "prep" and c.lower_ == "of":
                    for p in _pobjs(c):
                        found.extend(self._actors(p, ctx, depth=depth + 1))
        if not found:
            found = self._located(tok, ctx)
        for c in tok.children:
            if c.dep_ == "conj":
                found.extend(self._actors(c, ctx, depth=depth + 1))
        return _dedupe(found)

    def _located(self, tok: Token, ctx: _Sentence) -> list[Actor]:
        """"rebels in the Ivory Coast", "students throughout Indonesia", "a group based in Trinidad": a role
        noun that names no state belongs to the country of the place it is in (residence.yaml)."""
        res = self.rules.residence
        low = tok.lower_
        # a sentence-initial "Rebels" is tagged a proper noun with itself as lemma
        if tok.pos_ not in ("NOUN", "PROPN") or not {tok.lemma_.lower(), low, low[:-1], low[:-2]} & res.people_nouns:
            return []
        place = self._place_on(tok, ctx)
        return [place] if place is not None else []

    def _place_on(self, head: Token, ctx: _Sentence) -> Actor | None:
        """The country of a place phrase on a noun or on its participle ("operating in Macedonia")."""
        res = self.rules.residence
        owners = [head] + [c for c in head.children if c.dep_ in ("acl", "relcl")]
        for o in owners:
            for c in o.children:
                if c.dep_ == "prep" and c.lower_ in res.place_preps:
                    for p in _pobjs(c):
                        found = self._country_at(p, ctx)
                        if found is not None:
                            return found
        return None

    def _country_at(self, tok: Token, ctx: _Sentence, nested: bool = False) -> Actor | None:
        """A state named at ``tok`` (or its modifiers), else the country of a gazetteer place there; with
        ``nested`` also "the town of X", "a camp in X" (one level down)."""
        cands = [tok] + [c for c in tok.children if c.dep_ in ("appos", "compound", "amod", "poss")]
        if nested:
            cands += [p for c in tok.children if c.dep_ == "prep" and c.lower_ in ("of", "in", "near")
                      for p in _pobjs(c)]
        for a in cands:
            found = [_actor(m) for m in ctx.by_token.get(a.i, []) if m.country and m.kind not in ("person", "org")
                     and not re.search(r"-[a-z]", m.text)]  # "Israeli-occupied West Bank" is not Israel
            if found:
                return dataclasses.replace(found[0], name=None)
            code = _place_country(ctx.places.get(a.i))
            if code:
                return _actor(Mention(a.text, (a.idx, a.idx + len(a.text)), -1, a.text, code, kind="state",
                                      via="place"))
        return None

    def _resident(self, tok: Token, actors: list[Actor], ctx: _Sentence) -> list[Actor]:
        """Ethnic groups are coded by the state they live in (CAMEO): "Bosnian Serbs" BIH, "Albanians in
        Serbia" SRB, "ethnic Albanians" the other state the sentence names; "Russian troops in Syria" stay."""
        demonyms = [a for a in actors if a.mention.via == "demonym" and a.kind != "person"]
        if not demonyms:
            return actors
        rest = [a for a in actors if a not in demonyms]
        # "Bosnian Serbs" (one mention holding another): the outer demonym names the state of residence
        inner = [a for a in demonyms if " " not in a.mention.text and any(
            b.code != a.code and b.mention.span[0] < a.mention.span[0] and b.mention.span[1] >= a.mention.span[1]
            and " and " not in b.mention.text for b in demonyms)]  # not "Armenian and Azerbaijani troops"
        if inner:
            return [a for a in demonyms if a not in inner] + rest
        codes = {a.code for a in demonyms}
        head = tok if tok.pos_ in ("NOUN", "PROPN") else tok.head
        marks = self.rules.residence.ethnic_marks
        ethnic = any(t.lower_ in marks for left in head.lefts for t in left.subtree)
        bare = tok is head and tok.lower_.endswith("s") and demonyms[0].mention.text.lower() == tok.lower_
        if not (ethnic or bare):
            return actors
        place = self._place_on(head, ctx)
        if place is None and ethnic:
            place = self._other_state(codes, ctx)
        if place is None or place.code in codes:
            return actors
        return [place] + rest

    def _other_state(self, codes: set[str], ctx: _Sentence) -> Actor | None:
        """The first state or place of the sentence that is not the group's kin state."""
        for t in ctx.sent:
            found = self._country_at(t, ctx) if t.pos_ == "PROPN" else None
            if found is not None and found.code not in codes and not any(
                    m.via == "demonym" and m.text.lower().endswith("s") for m in ctx.by_token.get(t.i, [])):
                return found
        return None

    def _content_actors(self, verb: Token, ctx: _Sentence, sources: list[Actor]) -> list[Actor]:
        """Last resort for a target: the first actor named in the verb's object or complements
        ("denounced as a crime Serbia's suppression of ...")."""
        own = {a.code for a in sources}
        for c in verb.children:
            if c.dep_ in _CONTENT_DEPS and c.i > verb.i and not (c.dep_ == "prep" and c.lower_ in _DURING):
                found = [a for a in self._actors(c, ctx, deep=True) if a.code not in own]
                if found:
                    # PLOVER habit (split): the first actor and those coordinated with it ("aid for Romania
                    # and Poland"); otherwise the first alone
                    at = [i for i, ms in ctx.by_token.items() if found[0].mention in ms]
                    if not at or "split" not in self.features:
                        return found[:1]
                    tok = ctx.sent.doc[min(at)]
                    near = {t.i for t in (tok, tok.head, *tok.conjuncts, *tok.head.conjuncts)}
                    return [a for a in found if a is found[0] or any(
                        a.mention in ctx.by_token.get(i, []) for i in near)]
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

    def _protested(self, f: _Frame, ctx: _Sentence) -> list[Actor]:
        """Whom a protest is aimed at when the trigger names no one: "in defiance of Chinese authorities",
        "to show their disapproval of U.S. policy", "demanding independence from Indonesian rule"."""
        own = {a.code for a in f.sources}
        head = f.clause or f.trigger
        for c in head.children:
            if c.dep_ == "prep" and c.lower_ in ("in", "against", "over"):
                # "in defiance of X", "in protest at X": the object of the noun's own preposition
                inner = [p for o in _pobjs(c) for k in o.children if k.dep_ == "prep" for p in _pobjs(k)] \
                    if c.lower_ == "in" else _pobjs(c)
                found = [a for p in inner for a in self._actors(p, ctx, deep=True) if a.code not in own]
                if found:
                    return found[:1]
        for c in head.children:
            if c.dep_ in ("advcl", "xcomp", "acl") and c.pos_ == "VERB":  # the purpose of the protest
                found = [a for a in self._actors(c, ctx, deep=True) if a.code not in own]
                if found:
                    return found[:1]
        return []

    def _home_side(self, f: _Frame, ctx: _Sentence) -> None:
        """A protest, crackdown, attack or concession with one side unnamed: the open side is the country
        where it happens ("demonstrated in Lagos"), else the named side's own country ("the government
        lifted the curfew": its own people)."""
        if f.type not in self.ontology.home_types or (f.sources and f.targets):
            return
        named = f.sources or f.targets
        if any(a.kind == "org" for a in named):
            return
        place = self._where(f, ctx)
        if not named:
            if place is not None:
                f.sources, f.targets = [place], [place]
            return
        other = [place] if place is not None else [dataclasses.replace(named[0], name=None)]
        if f.sources:
            f.targets = other
        else:
            f.sources = other

    def _where(self, f: _Frame, ctx: _Sentence) -> Actor | None:
        """The country of the place the event happens in: "in", "throughout", "near" ... on the trigger or
        its clause, then on the clause's subject or object noun ("a bombing near Samarra killed", "fired
        at targets in Jericho") and on the clauses it governs ("when they blew themselves up in X")."""
        heads = list(dict.fromkeys(x for x in (f.trigger, f.clause) if x is not None))
        verbs = [h for h in heads if h.pos_ in ("VERB", "AUX")]
        for h in verbs:
            heads += [c for c in h.children if c.dep_ in ("nsubj", "nsubjpass", "dobj", "agent")]
            heads += [p for c in h.children if c.dep_ in ("agent",) or (c.dep_ == "prep" and c.lower_ == "at")
                      for p in _pobjs(c)]
            heads += [c for c in h.children if c.dep_ in ("advcl", "conj") and c.pos_ == "VERB"]
        for head in heads:
            for t in self._place_objects(head):
                found = self._country_at(t, ctx, nested=True)
                if found is not None:
                    return found
        return None

    @staticmethod
    def _place_objects(head: Token) -> list[Token]:
        """Objects of the place prepositions on ``head``; "outside of X" counts as "outside X"."""
        out: list[Token] = []
        for c in head.children:
            if c.dep_ != "prep" or c.lower_ not in _PLACE_WORDS:
                continue
            objs = _pobjs(c)
            out += objs or [p for k in c.children if k.dep_ == "prep" and k.lower_ == "of" for p in _pobjs(k)]
        return out


def _question(clause: Token) -> bool:
    """"asked whether the issue would be raised", "asked what Moscow wanted": a question put, not an act
    asked for."""
    return any((c.dep_ == "mark" and c.lower_ in ("whether", "if")) or (c.tag_ in ("WDT", "WP", "WRB") and c.i < clause.i)
               for c in clause.children)
