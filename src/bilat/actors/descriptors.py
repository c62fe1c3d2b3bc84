"""Titles and what stands around them: countries, possessors, "of" phrases, roles without names."""
from __future__ import annotations

from bisect import bisect_right
from typing import Any

from ..model import Mention
from .coref import Trigger
from .names import Ctx, Descriptor, capitalised

PRONOUN_POSS = {"his", "her", "their"}


class DescriptorMixin:
    """Methods of ``ActorLinker`` that read titles and their modifiers."""

    vocab: Any

    def _descriptor(self, ctx: Ctx, s: int, e: int) -> Descriptor | None:
        w = ctx.words
        h = s  # step back over honorifics: "President Mr. X", "the emir, Sheikh X"
        while h > 0 and (w.low[h - 1] in self.vocab.honorifics or w.low[h - 1] == "." and h > 1
                         and w.low[h - 2] in self.vocab.honorifics):
            h -= 1
        tstart = ctx.title_end.get(s, ctx.shared.get(s, ctx.title_end.get(h)))
        if tstart is None and h > 0 and w.low[h - 1] == "," and h - 1 in ctx.title_end:
            tstart = ctx.title_end[h - 1]  # "Qatar's emir, Sheikh Hamad"
        if tstart is not None:
            _, title = ctx.titles[tstart]
            ctx.used_titles.add(tstart)
            desc = self._left(ctx, tstart, Descriptor(tstart, title))
            k = e + 1 + (e + 1 < len(w.low) and w.low[e + 1] == "the")
            after = ctx.hit_start.get(k) if e < len(w.low) and w.low[e] == "of" else None
            if desc.country is None and after is not None and after.entry.kind == "country":
                desc.country = after.entry.code  # "King Hassan of Morocco"
                desc.hits.append(after)
            if desc.country is None and desc.possessor is None:
                desc.country = self._listed_with(ctx, tstart)
            return desc
        for k in range(s - 1, max(s - 10, 0), -1):
            if w.low[k] != "of" or k not in ctx.title_end:
                continue
            if self._skip_of_phrase(ctx, k) != s:
                break
            tstart = ctx.title_end[k]
            title = ctx.titles[tstart][1]
            desc = self._left(ctx, tstart, Descriptor(tstart, title))
            hits = [h for h in ctx.hits if k < h.start < s]
            if hits and desc.country is None:
                desc.country = hits[0].entry.code
            desc.hits.extend(hits)
            desc.role = self._of_role(ctx, k, title, s)
            if desc.role and all(n in ("republic", "federation", "kingdom", "state") for n in
                                 desc.role.split(" of ", 1)[1].split()):
                desc.role = None
            ctx.used_titles.add(tstart)
            return desc
        # a nationality straight before the name: "Tajik analyst" is a title, "Tajik X" alone is not
        return None

    @staticmethod
    def _listed_with(ctx: Ctx, tstart: int) -> str | None:
        """The country of the official listed just before a title without one: in "Kyrgyz President A
        and Prime Minister B" the adjective serves both."""
        w = ctx.words
        if tstart < 2 or w.low[tstart - 1] not in ("and", ","):
            return None
        prev = next((m for m in reversed(ctx.mentions) if m.span[1] <= w.start[tstart - 1]), None)
        if prev is None or prev.kind != "person" or prev.span[1] != w.end[tstart - 2] or not prev.role:
            return None
        return prev.country

    def _left(self, ctx: Ctx, tstart: int, desc: Descriptor) -> Descriptor:
        """Walk left from a title over modifiers: 'Russian', "Tajikistan's", 'CIS', "Putin's", 'his'."""
        w, j = ctx.words, tstart
        while j > 0 and tstart - j < 6:
            k = j - 1
            hit = ctx.hit_end.get(j) if w.low[k] not in ("'s", "’s") else ctx.hit_end.get(k)
            if hit is not None and desc.country is None:
                desc.country = hit.entry.code
                desc.hits.append(hit)
                j = hit.start
                continue
            if desc.country and w.low[k] in ("and", "or") and ctx.hit_end.get(k) is not None \
                    and ctx.hit_end[k].entry.kind == "adjective":
                other = ctx.hit_end[k]  # "Tajik and Kyrgyz officials"
                desc.extra.append(other.entry.code)
                desc.hits.append(other)
                j = other.start
                continue
            if w.low[k] in ("'s", "’s"):
                owner = next((m for m in reversed(ctx.mentions) if m.kind == "person"
                              and m.span[1] == w.start[k]), None)
                if owner is None:
                    break
                desc.possessor = owner
                desc.country = desc.country or owner.country
                j = bisect_right(w.start, owner.span[0] - 1)
                continue
            owner = next((m for m in reversed(ctx.mentions) if m.kind == "person" and m.span[1] == w.end[k]),
                         None)
            if owner is not None and desc.country is None:  # "Putin aide Yury Ushakov"
                desc.possessor, desc.country = owner, owner.country
                j = bisect_right(w.start, owner.span[0] - 1)
                continue
            if w.low[k] in PRONOUN_POSS:
                desc.pronoun = w.low[k]
                j = k
                break
            if w.low[k] in self.vocab.former_words:
                desc.former = True
            if w.low[k] in self.vocab.fillers or (w.tok[k].pos_ == "ADJ" and not capitalised(w.text[k])):
                j = k
                continue
            break
        desc.start = j
        return desc

    # -- titles without names ----------------------------------------------------------------------

    def _role_descriptions(self, ctx: Ctx) -> None:
        w, text = ctx.words, ctx.doc.text
        for tstart, (tend, title) in sorted(ctx.titles.items()):
            if tstart in ctx.used_titles or title.former:
                continue
            desc = self._left(ctx, tstart, Descriptor(tstart, title))
            if desc.former:
                continue
            countries = ([desc.country] if desc.country else []) + desc.extra
            k = tend
            if k < len(w.low) and w.low[k] == "of":  # "the president of Russia (and Tajikistan)"
                k += 1
                while k < len(w.low):
                    hit = ctx.hit_start.get(k)
                    hit = hit if hit is not None and hit.entry.kind == "country" else None
                    if hit is not None:
                        countries.append(hit.entry.code)
                        desc.hits.append(hit)
                        k = hit.end
                    elif w.low[k] in ("the", "and", ","):
                        k += 1
                    else:
                        break
                if len(countries) == len(desc.hits) and not desc.country:
                    tend = max(tend, max((h.end for h in desc.hits), default=tend))
            definite = desc.start < tstart and w.low[desc.start] in ("the", "his", "her", "their") or \
                bool(countries) or desc.possessor is not None
            if not definite:
                continue
            span = (w.start[desc.start], w.end[tend - 1])
            sent = ctx.sentence_of(span[0])
            surface = text[span[0]:span[1]]
            role = title.role
            if role.endswith("ministry"):
                for code in countries:
                    ctx.mentions.append(Mention(surface, span, sent, self.country_name(code), code, title.sector,
                                                role, None, "state", False, "title"))
                self._use(desc)
                continue
            if title.role == "counterpart":
                ctx.triggers.append(Trigger("counterpart", surface, span, sent, country=desc.country,
                                            possessor=desc.possessor))
                self._use(desc)
                continue
            if title.plural and not countries:
                group = "persons" if title.role not in ("head",) else "states"
                ctx.triggers.append(Trigger("collective", surface, span, sent, role=role, group=group))
                continue
            for code in countries or [None]:
                ctx.triggers.append(Trigger("role", surface, span, sent, role=role, country=code,
                                            sector=title.sector))
            self._use(desc)
        firsts = {c[0] for c in self.vocab.collectives}
        for i in range(len(w.low)):
            if w.low[i] not in firsts:
                continue
            for phrase in self.vocab.collectives:
                if tuple(w.low[i:i + len(phrase)]) == phrase:
                    span = (w.start[i], w.end[i + len(phrase) - 1])
                    if any(t.span[0] <= span[0] < t.span[1] for t in ctx.triggers):
                        continue
                    group = "states" if phrase[-1] in self.vocab.collective_states else "persons"
                    role = self.vocab.collective_roles.get(phrase[-1])
                    ctx.triggers.append(Trigger("collective", text[span[0]:span[1]], span,
                                                ctx.sentence_of(span[0]), role=role, group=group,
                                                sector=None if phrase[-1] in self.vocab.collective_whole_states else "GOV"))

    @staticmethod
    def _use(desc: Descriptor) -> None:
        for h in desc.hits:
            h.used = True
