"""Actor roles of an event trigger, read off the parse: subject, object, prepositional objects,
modifiers, the place an event happens in. A mixin of EventExtractor (extract.py)."""
from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from spacy.tokens import Token

from ..model import Mention
from .ontology import Rule
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
    _place_country,
    _pobjs,
    _prep_objects,
    _relative_antecedent,
    _Sentence,
    _subject,
)


class RoleReader:
    """Finds the actors of a trigger; needs ``self.ontology`` (home types)."""

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
        """The country of the place the event happens in ("in", "throughout", "across" on the trigger)."""
        for head in dict.fromkeys(x for x in (f.trigger, f.clause) if x is not None):
            for word in ("in", "throughout", "across", "outside", "near"):
                for t in _prep_objects(head, word):
                    for a in [t] + [c for c in t.children if c.dep_ in ("appos", "compound", "amod")]:
                        found = [_actor(m) for m in ctx.by_token.get(a.i, [])
                                 if m.country and m.kind not in ("person", "org")]
                        if found:
                            return dataclasses.replace(found[0], name=None)
                        code = _place_country(ctx.places.get(a.i))
                        if code:
                            return _actor(Mention(a.text, (a.idx, a.idx + len(a.text)), -1, a.text, code,
                                                  kind="state", via="place"))
        return None

