"""Countries, organisations, metonyms, groups and demonym phrases that are not people."""
from __future__ import annotations

import re
from bisect import bisect_right
from typing import TYPE_CHECKING, Any

from ..model import Mention
from .coref import subject_rank
from .names import Ctx, Hit, Words
from .roles import words_of

if TYPE_CHECKING:
    from spacy.tokens import Token

DATELINE_RE = re.compile(r"\s*(\d{1,2}\s+)?(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|"
                         r"fri|sat|sun)[a-z]*\.?\b|\s*\d{1,2}[./]\d{1,2}", re.IGNORECASE)


class SectorWords:
    """The sector keywords of ``sectors.yaml`` as word tuples: "security forces" -> MIL."""

    def __init__(self, sectors: dict[str, Any]):
        self.table: dict[tuple[str, ...], str] = {}
        for code, sec in sectors.items():
            for kw in getattr(sec, "keywords", None) or (sec.get("keywords", ()) if isinstance(sec, dict) else ()):
                self.table.setdefault(words_of(kw), code)
        self.max_len = max((len(k) for k in self.table), default=1)

    def sector(self, low: list[str], a: int, b: int) -> str | None:
        """The sector of the longest keyword in words [a, b), the later one on a tie (the head noun)."""
        best: tuple[int, int, str] | None = None
        for i in range(a, b):
            for n in range(min(self.max_len, b - i), 0, -1):
                code = self.table.get(tuple(low[i:i + n]))
                if code is None and n == 1 and low[i].endswith("s"):
                    code = self.table.get((low[i][:-1],))  # "bombers" -> "bomber"
                if code is not None:
                    if best is None or (n, i) >= best[:2]:
                        best = (n, i, code)
                    break
        return best[2] if best else None


class NominalMixin:
    """Methods of ``ActorLinker`` for mentions of states, organisations and groups."""

    vocab: Any
    sector_words: SectorWords

    def _plain_hits(self, ctx: Ctx) -> None:
        w, text = ctx.words, ctx.doc.text
        for hit in ctx.hits:
            if hit.used:
                continue
            e = hit.entry
            nxt = hit.end + (hit.end < len(w.low) and w.low[hit.end] in ("'s", "’s"))
            group = self._group_noun(w, nxt) if e.kind in ("country", "adjective", "metonym") else None
            if group is None and e.kind == "adjective":
                group = self._coordinated_group(ctx, hit)
            if group is None and e.kind == "adjective":
                group = self._demonym_phrase(ctx, hit)
            if group is not None:
                gend, (sector, kind) = group
                span = (w.start[hit.start], w.end[gend - 1])
                m = Mention(text[span[0]:span[1]], span, ctx.sentence_of(span[0]), e.name, e.code, sector,
                            None, None, kind, False, "demonym" if e.kind == "adjective" else "name")
                ctx.mentions.append(m)
                if kind == "state":
                    ctx.groups.append(m)
                continue
            span = (w.start[hit.start], w.end[hit.end - 1])
            surface, sent = text[span[0]:span[1]], ctx.sentence_of(span[0])
            if e.kind == "country":
                m = Mention(surface, span, sent, e.name, e.code, None, None, None, "state", False, "name")
            elif e.kind == "org":
                m = Mention(surface, span, sent, e.name, e.code, "IGO", None, e.code, "org", False, "name")
            elif e.kind == "group":
                m = Mention(surface, span, sent, e.name, e.code, e.sector, None, e.ref, e.group_kind or "org",
                            False, "name")
            elif e.kind == "metonym" and self._acts(w.tok[hit.end - 1]) and not self._dateline(ctx, hit):
                m = Mention(surface, span, sent, e.name, e.code, "GOV", None, None, "state", False, "metonym")
            elif e.kind == "adjective" and surface.lower().endswith("s") and w.tok[hit.end - 1].pos_ in (
                    "NOUN", "PROPN"):  # "Russians", "Tajiks" as people
                m = Mention(surface, span, sent, e.name, e.code, "CVL", None, None, "sector", False, "demonym")
            else:
                continue
            rank = subject_rank(w.tok[hit.end - 1])
            if rank:
                ctx.subjects[id(m)] = rank
            ctx.mentions.append(m)

    def _demonym_phrase(self, ctx: Ctx, hit: Hit) -> tuple[int, tuple[str | None, str]] | None:
        """"Israeli tanks", "an Indian proposal", "Palestinian security forces": a demonym on any noun.

        The phrase runs to the noun the demonym modifies (at most four words on); its sector
        comes from the sector keywords in it. Place names ("Indian Ocean") are left out.
        """
        w = ctx.words
        last = hit.end - 1
        tok = w.tok[last]
        if w.text[last][:1].islower():
            return None
        if hit.end + 1 < len(w.low) and w.low[hit.end] == "-" and w.end[last] == w.start[hit.end] \
                and w.text[hit.end + 1][:1].islower():
            return hit.end + 2, (None, "sector")  # "Israeli-occupied", "Russian-led"
        anchor = tok
        while anchor.dep_ == "conj" and anchor.head is not anchor:  # "Tajik and Uzbek traders": the first one's noun
            anchor = anchor.head
        head = anchor.head
        if anchor.dep_ not in ("amod", "compound", "nmod", "nummod", "npadvmod") or head.i <= tok.i \
                or head.i - tok.i > 4 or head.pos_ not in ("NOUN", "PROPN"):
            return None
        end = bisect_right(w.start, head.idx)  # the word just past the head noun
        if end <= hit.end or any(w.low[k] in self.vocab.demonym_not_actors for k in range(hit.end, end)):
            return None
        sector = self.sector_words.sector(w.low, hit.end, end)
        return end, (sector, "state" if sector == "GOV" else "sector")

    def _coordinated_group(self, ctx: Ctx, hit: Hit) -> tuple[int, tuple[str, str]] | None:
        """"Tajik and Kyrgyz border guards": the first adjective shares the second one's noun."""
        w, k = ctx.words, hit.end
        if k < len(w.low) and w.low[k] == ",":
            k += 1
        if k >= len(w.low) or w.low[k] not in ("and", "or"):
            return None
        other = ctx.hit_start.get(k + 1)
        other = other if other is not None and other.entry.kind == "adjective" else None
        if other is None:
            return None
        return self._group_noun(w, other.end) or self._demonym_phrase(ctx, other)

    def _group_noun(self, w: Words, i: int) -> tuple[int, tuple[str, str]] | None:
        for skip in (0, 1):  # one adjective may stand between: "Russian military base"
            if skip and (i >= len(w.low) or w.tok[i].pos_ not in ("ADJ", "PROPN", "NUM")):
                break
            for n in (2, 1):
                key = tuple(w.low[i + skip:i + skip + n])
                if len(key) == n and key in self.vocab.group_nouns:
                    return i + skip + n, self.vocab.group_nouns[key]
        return None

    @staticmethod
    def _dateline(ctx: Ctx, hit: Hit) -> bool:
        """"MOSCOW, May 3 (TASS) -": the city where a wire story was filed."""
        w, i = ctx.words, hit.end
        if i + 1 >= len(w.low) or w.low[i] != ",":
            return False
        first = hit.start == 0 or "\n" in ctx.doc.text[w.end[hit.start - 1]:w.start[hit.start]] \
            or w.tok[hit.start].is_sent_start
        after = ctx.doc.text[w.end[i]:w.end[i] + 30]
        return first and (w.text[hit.start].isupper() or w.tok[i + 1].ent_type_ == "DATE"
                          or DATELINE_RE.match(after) is not None)

    def _acts(self, tok: Token) -> bool:
        """A capital or seat of power acting (subject, object, possessor), not a place."""
        while tok.dep_ == "conj" and tok.head is not tok:
            tok = tok.head
        if tok.dep_ in self.vocab.actor_deps:
            return True
        if tok.dep_ == "pobj":
            return tok.head.lower_ not in self.vocab.place_prepositions
        return False
