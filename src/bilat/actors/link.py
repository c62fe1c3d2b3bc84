"""Find actor mentions in a parsed document and link them to the knowledge base.

Matching runs on the document's own words (``roles.WORD_RE``) so that gazetteer
entries and text are split alike; spaCy supplies sentences, part of speech, the
dependency parse (a capital is an actor only as subject, object or possessor) and
PERSON entities (people the knowledge base does not know).
"""
from __future__ import annotations

import logging
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from ..model import Document, Mention, Sentence
from .coref import Coreference, Trigger, pronoun_triggers, role_matches, subject_rank
from .learned import LearnedRole, LearnedStore, appositive_span, confidence_of, context_countries
from .roles import (
    WORD_RE,
    PersonIndex,
    RoleBook,
    Title,
    TitleVocab,
    _get,
    given_compatible,
    name_key,
    period_of,
    to_date,
    words_of,
)

if TYPE_CHECKING:  # spaCy is needed only by whoever parses; importing actors stays light
    from spacy.tokens import Doc as SpacyDoc
    from spacy.tokens import Token

logger = logging.getLogger(__name__)

PRONOUN_POSS = {"his", "her", "their"}
DATELINE_RE = re.compile(r"\s*(\d{1,2}\s+)?(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|"
                         r"fri|sat|sun)[a-z]*\.?\b|\s*\d{1,2}[./]\d{1,2}", re.IGNORECASE)


def _entity_of(tok: Token) -> Any:
    """The named-entity span a token is in (the token must carry an entity type)."""
    doc, a, b = tok.doc, tok.i, tok.i + 1
    while a > 0 and doc[a].ent_iob_ == "I":
        a -= 1
    while b < len(doc) and doc[b].ent_iob_ == "I":
        b += 1
    return doc[a:b]


def capitalised(word: str) -> bool:
    return word[:1].isupper() and word[:1].isalpha()


@dataclass
class Words:
    """The document's words with character offsets and their spaCy tokens."""

    text: list[str]
    low: list[str]
    start: list[int]
    end: list[int]
    tok: list[Token]

    @classmethod
    def build(cls, text: str, sdoc: SpacyDoc) -> Words:
        starts = [t.idx for t in sdoc]
        out = cls([], [], [], [], [])
        k = 0
        for m in WORD_RE.finditer(text):
            word, a = m.group(), m.start()
            while k + 1 < len(starts) and starts[k + 1] <= a:  # words and tokens both run left to right
                k += 1
            out.text.append(word)
            out.low.append(word.lower())
            out.start.append(a)
            out.end.append(m.end())
            out.tok.append(sdoc[k])
        return out

    def span_text(self, doc_text: str, i: int, j: int) -> str:
        return doc_text[self.start[i]:self.end[j - 1]]


@dataclass(frozen=True)
class Entry:
    kind: str  # country | adjective | metonym | org
    code: str
    name: str
    exact: bool  # acronyms and short forms must match case exactly


@dataclass
class Hit:
    start: int
    end: int
    entry: Entry
    used: bool = False


class Gazetteer:
    """Country names, adjectives, metonyms and organisation names as word tuples."""

    def __init__(self, kb: Any, vocab: TitleVocab):
        self.vocab = vocab
        self.table: dict[tuple[str, ...], list[tuple[str, Entry]]] = {}
        self.first_words: set[str] = set()
        self.max_len = 1
        for code, c in (_get(kb, "countries", {}) or {}).items():
            name = _get(c, "name") or code
            for s in [name, _get(c, "official_name")] + list(_get(c, "aliases") or []):
                self._add(s, Entry("country", code, name, False))
            for s in _get(c, "adjectives") or []:
                self._add(s, Entry("adjective", code, name, False))
            for s in _get(c, "metonyms") or []:
                self._add(s, Entry("metonym", code, name, False))
        for code, o in (_get(kb, "orgs", {}) or {}).items():
            name = _get(o, "name") or code
            for s in [code, name] + list(_get(o, "aliases") or []) + list(_get(o, "metonyms") or []):
                self._add(s, Entry("org", code, name, False))

    def _add(self, surface: str | None, entry: Entry) -> None:
        if not surface:
            return
        key = words_of(surface)
        letters = re.sub(r"[^A-Za-z]", "", surface)
        exact = len(letters) <= 3 or any(w[1:] != w[1:].lower() for w in surface.split())
        self.first_words.add(key[0])
        bucket = self.table.setdefault(key, [])
        if all(e != entry or s != surface for s, e in bucket):
            bucket.append((surface, Entry(entry.kind, entry.code, entry.name, exact)))
        self.max_len = max(self.max_len, len(key))

    def _accept(self, surface: str, text: str, exact: bool) -> bool:
        if exact:
            return _squash(text) == _squash(surface)
        if text == surface or text.isupper() and len(text) >= 4:
            return True
        content = [w for w in WORD_RE.findall(text) if w.lower() not in ("the", "of", "and")]
        if text.lower() == text:  # "russia" written lowercase on purpose by some outlets
            return len(content) == 1 and len(content[0]) >= 5 and content[0] not in self.vocab.lowercase_words
        return all(capitalised(w) or not w[:1].isalpha() for w in content)

    def match(self, words: Words, doc_text: str, i: int) -> Hit | None:
        if words.low[i] not in self.first_words:
            return None
        for n in range(min(self.max_len, len(words.low) - i), 0, -1):
            bucket = self.table.get(tuple(words.low[i:i + n]))
            if not bucket:
                continue
            text = words.span_text(doc_text, i, i + n)
            ok = [e for s, e in bucket if self._accept(s, text, e.exact)]
            if ok:
                # a country name beats its adjective; a state beats an organisation
                order = {"country": 0, "metonym": 1, "adjective": 2, "org": 3}
                return Hit(i, i + n, min(ok, key=lambda e: order[e.kind]))
        return None


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).replace("the ", "").replace("The ", "")


@dataclass
class Descriptor:
    """What stands in front of (or around) a name: title, country, possessor."""

    start: int  # first word of the descriptor
    title: Title | None = None
    country: str | None = None
    role: str | None = None
    possessor: Mention | None = None
    pronoun: str | None = None  # "his" in "his Tajik counterpart"
    former: bool = False  # "the former Russian president": not the holder on the day
    extra: list[str] = field(default_factory=list)  # more countries: "Tajik and Kyrgyz officials"
    hits: list[Hit] = field(default_factory=list)


@dataclass
class _Ctx:
    doc: Document
    sdoc: SpacyDoc
    words: Words
    on: date | None
    hits: list[Hit]
    hit_end: dict[int, Hit]
    titles: dict[int, tuple[int, Title]]  # start -> (end, title)
    title_end: dict[int, int]  # end -> start
    mentions: list[Mention] = field(default_factory=list)
    subjects: dict[int, int] = field(default_factory=dict)  # id(mention) -> subject rank
    triggers: list[Trigger] = field(default_factory=list)
    used_titles: set[int] = field(default_factory=set)
    seen: dict[str, Mention] = field(default_factory=dict)  # surname key -> mention with a full name
    learned: list[LearnedRole] = field(default_factory=list)
    sent_starts: list[int] = field(default_factory=list)
    shared: dict[int, int] = field(default_factory=dict)  # name start -> title start of a plural title
    hit_start: dict[int, Hit] = field(default_factory=dict)
    groups: list[Mention] = field(default_factory=list)  # "the Russian delegation", "the Tajik side"

    def sentence_of(self, char: int) -> int:
        return max(0, bisect_right(self.sent_starts, char) - 1)


class ActorLinker:
    """Links actor mentions in a document to the knowledge base (see module docstring)."""

    def __init__(self, kb: Any, vocab: TitleVocab | None = None, store: LearnedStore | None = None):
        self.kb = kb
        self.vocab = vocab or TitleVocab.load()
        self.book = RoleBook(kb, self.vocab)
        self.gaz = Gazetteer(kb, self.vocab)
        self.people = PersonIndex(_get(kb, "people", []) or [])
        self.countries = _get(kb, "countries", {}) or {}
        # Learned roles persist only in a store the caller passes; none by default.
        self.store = store
        self.coref = Coreference(self.book.resolve_role, self._person_mention, self.country_name)

    def country_name(self, code: str) -> str:
        c = self.countries.get(code)
        if c is not None:
            return _get(c, "name") or code
        o = (_get(self.kb, "orgs", {}) or {}).get(code)
        return (_get(o, "name") if o is not None else None) or code

    # -- entry point -------------------------------------------------------------------------------

    def link(self, doc: Document, sdoc: SpacyDoc) -> list[Mention]:
        """All actor mentions of ``doc`` in text order (``doc.sentences`` is filled if empty)."""
        return self.link_and_learn(doc, sdoc)[0]

    def link_and_learn(self, doc: Document, sdoc: SpacyDoc) -> tuple[list[Mention], list[LearnedRole]]:
        """Mentions, and the roles this document states for people the KB does not know."""
        if not doc.sentences:
            doc.sentences = [Sentence(s.start_char, s.end_char, s.text) for s in sdoc.sents]
        words = Words.build(doc.text, sdoc)
        ctx = _Ctx(doc, sdoc, words, to_date(doc.published), [], {}, {}, {})
        ctx.sent_starts = [s.start for s in doc.sentences]
        self._scan(ctx)
        for s, e in self._person_spans(ctx):
            self._person(ctx, s, e)
        self._role_descriptions(ctx)
        self._plain_hits(ctx)
        context_countries(ctx.mentions, ctx.groups, ctx.learned)
        taken = {t.span[0] for t in ctx.triggers if t.kind == "counterpart"}
        ctx.triggers.extend(pronoun_triggers(ctx.words.text, ctx.words.tok, ctx.words.start, ctx.sentence_of, taken))
        # a text dated to a month or year names an office holder only if one held it all along
        period = period_of(doc.published) or (ctx.on, ctx.on)
        coref = Coreference(lambda c, r, _on: self.book.resolve_role(c, r, period[0], period[1]),
                            self._person_mention, self.country_name)
        ctx.mentions.extend(coref.resolve(ctx.triggers, ctx.mentions, ctx.subjects, ctx.on))
        self._harmonise(ctx.mentions)
        ctx.mentions.sort(key=lambda m: (m.span, m.country or ""))
        return ctx.mentions, ctx.learned

    # -- scanning ----------------------------------------------------------------------------------

    def _scan(self, ctx: _Ctx) -> None:
        w, i, n = ctx.words, 0, len(ctx.words.low)
        while i < n:
            hit = self.gaz.match(w, ctx.doc.text, i)
            if hit and not self._inside_other_entity(ctx, hit):
                ctx.hits.append(hit)
                ctx.hit_end[hit.end] = hit
                ctx.hit_start[hit.start] = hit
                i = hit.end
                continue
            t = self.vocab.match_title(w.low, i)
            tok = w.tok[i]
            if t and tok.ent_type_ == "PERSON" and tok.ent_iob_ == "I" and i > 0 and capitalised(w.text[i - 1]) \
                    and i not in ctx.hit_end and i not in ctx.title_end:
                t = None  # "Tom King": a surname that happens to be a title word
            if t:
                ctx.titles[i] = t
                ctx.title_end[t[0]] = i
                i = t[0]
                continue
            i += 1

    def _inside_other_entity(self, ctx: _Ctx, hit: Hit) -> bool:
        """A name inside a longer entity is part of that name ("Latin America", "New Mexico")."""
        w = ctx.words
        tok = w.tok[hit.start]
        if tok.ent_type_ not in ("PERSON", "ORG", "FAC", "WORK_OF_ART", "GPE", "LOC") or hit.entry.kind == "org":
            return False
        ent, label = _entity_of(tok), tok.ent_type_
        # spaCy often calls "Tajik Foreign Ministry" or "Dushanbe" an ORG: only a real
        # institution's name ("Moscow State University", "Bank of Russia") hides the place in it.
        if label == "ORG" and not any(t.lower_ in self.vocab.institution_words for t in ent):
            return False
        if label in ("PERSON", "GPE", "LOC"):
            # "Tajik-Russian" as PERSON, "Russia and Tajikistan" as one GPE: every other
            # capitalised word is a place or title word, so the entity is no name of its own
            first = bisect_right(w.start, ent.start_char) - 1
            last = bisect_right(w.start, ent.end_char - 1)
            if label != "PERSON":  # only a word right before the name makes another place: "New Mexico"
                first = max(first, hit.start - 1)
                last = hit.end
            rest = [k for k in range(first, last) if not hit.start <= k < hit.end and capitalised(w.text[k])
                    and w.low[k] not in ("the", "of", "and")]
            return not all(self.gaz.match(w, ctx.doc.text, k) or self.vocab.match_title(w.low, k) for k in rest)
        inner = ent.text.removeprefix("the ").removeprefix("The ")
        text = w.span_text(ctx.doc.text, hit.start, hit.end)
        if label == "ORG" and hit.entry.kind in ("country", "metonym") and inner.endswith(("'s", "’s")):
            return False
        return len(inner) > len(text) + 1 and not inner.startswith(text + " and")

    def _person_spans(self, ctx: _Ctx) -> list[tuple[int, int]]:
        w = ctx.words
        covered = {k for h in ctx.hits for k in range(h.start, h.end)}
        covered |= {k for s, (e, _) in ctx.titles.items() for k in range(s, e)}
        spans: dict[int, int] = {}

        def name_run(i: int, limit: int = 5) -> int:
            j = i
            while j < len(w.low) and j - i < limit and j not in covered:
                if j > i and w.low[j] in self.vocab.name_particles:
                    k = j
                    while k < len(w.low) and w.low[k] in self.vocab.name_particles:
                        k += 1
                    if k < len(w.low) and capitalised(w.text[k]) and k - j <= 2:
                        j = k  # "Hans van den Broek", "Hamad bin Khalifa"
                        continue
                    break
                if not (capitalised(w.text[j]) and w.tok[j].pos_ in ("PROPN", "NOUN", "ADJ", "X")
                        and w.low[j] not in self.vocab.not_names):
                    break
                j += 1
            while j > i and w.low[j - 1] in self.vocab.name_particles:
                j -= 1
            return j

        for i, word in enumerate(w.text):
            if not capitalised(word) or i in covered or name_key(word) not in self.people.by_surname:
                continue
            tok = w.tok[i]
            if tok.pos_ != "PROPN" and tok.ent_type_ != "PERSON" and i not in ctx.title_end:
                continue
            nxt = w.tok[i + 1] if i + 1 < len(w.low) else None
            if nxt is not None and capitalised(w.text[i + 1]) and i + 1 not in covered \
                    and w.end[i] + 1 == w.start[i + 1] and nxt.ent_iob_ == "I" and nxt.ent_type_ == "PERSON" \
                    and (name_key(word) in self.people.given_names
                         or name_key(word, endings=False) not in self.people.surname_forms):
                continue  # "Ivan Petrov": a given name (only like "Ivanov"), the surname comes next
            s = i
            while s - 1 >= 0 and i - s < 3 and s not in ctx.title_end:
                if w.text[s - 1] == "-" and s >= 2 and w.end[s - 2] == w.start[s - 1] \
                        and w.end[s - 1] == w.start[s] and capitalised(w.text[s - 2]):
                    s -= 2  # "Kassym-Jomart"
                    continue
                if not (capitalised(w.text[s - 1]) and s - 1 not in covered and w.tok[s - 1].pos_ == "PROPN"
                        and (w.tok[s - 1].ent_type_ == "PERSON" or w.end[s - 1] + 1 == w.start[s])):
                    break
                s -= 1
            spans[s] = i + 1
        for ent in ctx.sdoc.ents:
            if ent.label_ != "PERSON":
                continue
            s = bisect_right(w.start, ent.start_char) - 1
            e = bisect_right(w.start, ent.end_char - 1)
            while s < e and (s in covered or not capitalised(w.text[s])):
                s += 1
            while e > s and (w.low[e - 1] in ("'s", "’s") or not capitalised(w.text[e - 1]) or e - 1 in covered):
                e -= 1
            # the small model often tags only the surname: take the given name beside it
            while e > s and s > 0 and e - s < 3 and capitalised(w.text[s - 1]) and s - 1 not in covered \
                    and s not in ctx.title_end and w.tok[s - 1].pos_ == "PROPN" and w.end[s - 1] + 1 == w.start[s]:
                s -= 1
            if e > s and not any(a <= s < b or s <= a < e for a, b in spans.items()):
                spans[s] = e
        for tstart, (tend, title) in ctx.titles.items():
            j = tend
            if j < len(w.low) and w.low[j] == "of":
                j = self._skip_of_phrase(ctx, j) or j
            k = name_run(j)
            first = True
            while k > j:
                if spans.get(j, k) < k:  # NER saw "Ivan" of "Ivan Petrov"
                    spans[j] = k
                known = any(a <= j < b for a, b in spans.items())
                if not known and (k - j >= 2 or w.tok[j].ent_type_ == "PERSON"
                                  or name_key(w.text[j]) in self.people.by_surname):
                    spans[j] = k
                if not first:
                    ctx.shared[j] = tstart  # "Deputy Prime Ministers A and B": B shares the title
                first = False
                if not (title.plural and k + 1 < len(w.low) and w.low[k] in ("and", ",")):
                    break
                j = k + 1
                if j < len(w.low) and w.low[j] == "and":
                    j += 1
                k = name_run(j)
        out = sorted(spans.items())
        return [(s, e) for s, e in out if e > s]

    def _skip_of_phrase(self, ctx: _Ctx, j: int) -> int | None:
        """After "of": "of the Republic of Tajikistan", "of Tajikistan's migration service".

        Returns the index just past the phrase when a name follows it, else None.
        """
        w, k, steps = ctx.words, j + 1, 0
        hit_seen = False
        while k < len(w.low) and steps < 8:
            hit = ctx.hit_start.get(k)
            if hit is not None:
                k, hit_seen = hit.end, True
            elif w.low[k] in ("the", "'s", "’s") or (not capitalised(w.text[k]) and w.tok[k].pos_ in ("NOUN", "ADJ")):
                k += 1
            else:
                break
            steps += 1
        if hit_seen and k < len(w.low) and capitalised(w.text[k]) and w.tok[k].pos_ == "PROPN":
            return k
        return None

    # -- people ------------------------------------------------------------------------------------

    def _resolve_kb(self, ctx: _Ctx, s: int, e: int) -> tuple[Any | None, bool]:
        """(KB person or None, ambiguous?) for the name words [s, e)."""
        w = ctx.words
        surname = name_key(w.text[e - 1])
        cands = self.people.by_surname.get(surname, [])
        if not cands:
            return None, False
        given = [w.text[k] for k in range(s, e - 1) if w.text[k][:1].isalpha()]
        if given:
            g = name_key(given[0])
            fits = {id(p): p for p, gks in cands if any(given_compatible(g, gk) for gk in gks)}
            if not fits:
                return None, False
            persons = list(fits.values())
        else:
            prior = ctx.seen.get(surname)
            if prior is not None:
                return (self.people.by_id.get(prior.kb_id) if prior.kb_id else None), False
            persons = list({id(p): p for p, _ in cands}.values())
        if len(persons) == 1:
            return persons[0], False
        # A bare surname means whoever carries it as a surname now (not an old or
        # patronymic variant), and of those the one in office on the day.
        if not given:
            own = [p for p in persons if name_key((_get(p, "name") or "").split()[-1]) == surname]
            persons = own or persons
            if len(persons) == 1:
                return persons[0], False
        active = [p for p in persons if self.book.role_on(p, ctx.on) is not None and ctx.on is not None]
        if len(active) == 1:
            return active[0], False
        return None, True

    def _person(self, ctx: _Ctx, s: int, e: int) -> None:
        w, text = ctx.words, ctx.doc.text
        span = (w.start[s], w.end[e - 1])
        sent = ctx.sentence_of(span[0])
        person, ambiguous = self._resolve_kb(ctx, s, e)
        desc = self._descriptor(ctx, s, e)
        surface = text[span[0]:span[1]]
        surname = name_key(w.text[e - 1])
        if person is not None:
            m = self._person_mention(person, surface, span, sent, "name", ctx.on)
            if desc and desc.title and desc.title.role not in ("leader", "counterpart"):
                said = self._desc_role(ctx, desc, m)
                # "Putin aide X": the KB's "presidential aide" says more than the text's "aide"
                if said and not (m.role and role_matches(said, m.role)):
                    m.role, m.sector = said, desc.title.sector or m.sector
        elif ambiguous:
            m = Mention(surface, span, sent, surface, None, kind="person")
        else:
            prior = ctx.seen.get(surname) if e - s == 1 else None
            if prior is not None:
                m = Mention(surface, span, sent, prior.name, prior.country, prior.sector, prior.role,
                            prior.kb_id, "person", prior.learned)
            else:
                m = Mention(surface, span, sent, surface, None, kind="person")
                if desc and (desc.title or desc.country):
                    m.country = desc.country
                    m.role = self._desc_role(ctx, desc, m)
                    m.sector = desc.title.sector if desc.title else None
                    self._learn(ctx, m, "title", sent)
                else:
                    self._apposition(ctx, m, e, sent)
                if m.country is None and self.store is not None:
                    known = self.store.lookup(self.people.full_key(surface.split()))
                    if known is not None:
                        m.country, m.role, m.sector = known.country, m.role or known.role, known.sector
        if desc:
            for h in desc.hits:
                h.used = True
        rank = subject_rank(w.tok[e - 1])
        if rank:
            ctx.subjects[id(m)] = rank
        if e - s > 1 and m.kb_id or (e - s > 1 and not ambiguous):
            ctx.seen[surname] = m
        ctx.mentions.append(m)

    def _person_mention(self, person: Any, text: str, span: tuple[int, int], sentence: int, via: str,
                        on: date | None) -> Mention:
        tenure = self.book.role_on(person, on)
        # the country someone acts for: a secretary general acts for the organisation
        country = tenure.country if tenure and tenure.country else _get(person, "country")
        return Mention(text, span, sentence, _get(person, "name"), country,
                       tenure.sector if tenure and tenure.sector else "GOV", tenure.role if tenure else None,
                       _get(person, "id"), "person", False, via)

    def _desc_role(self, ctx: _Ctx, desc: Descriptor, m: Mention) -> str | None:
        if desc.title is None:
            return None
        if desc.title.role == "counterpart":
            ante = desc.possessor or self.coref.antecedent(ctx.mentions, m.span[0], ctx.subjects, m.sentence)
            return ante.role if ante else None
        return desc.role or desc.title.role

    def _learn(self, ctx: _Ctx, m: Mention, pattern: str, sent: int) -> None:
        if m.country is None and m.role is None:
            return
        m.learned = True
        key, conf = confidence_of(pattern, m.country)
        pub = ctx.doc.published.value if ctx.doc.published else None
        lr = LearnedRole(m.name, m.role, m.country, m.sector, ctx.doc.sentences[sent].text if ctx.doc.sentences
                         else "", sent, ctx.doc.doc_id, pub, conf, key)
        # one learned role per name and document: the best-supported statement
        ctx.learned = [x for x in ctx.learned if x.name != lr.name or x.confidence > conf]
        if not any(x.name == lr.name for x in ctx.learned):
            ctx.learned.append(lr)
        if self.store is not None:
            self.store.add(self.people.full_key(m.name.split()), lr, in_kb=False)

    def _apposition(self, ctx: _Ctx, m: Mention, e: int, sent: int) -> None:
        span = appositive_span(ctx.sdoc, m.span[0], m.span[1])
        if span is None:
            return
        w = ctx.words
        a = bisect_right(w.start, span[0] - 1)
        b = bisect_right(w.start, span[1] - 1)
        for tstart in range(a, b):
            if tstart in ctx.titles:
                tend, title = ctx.titles[tstart]
                desc = self._left(ctx, tstart, Descriptor(tstart, title))
                if desc.country is None:
                    desc.country = next((h.entry.code for h in ctx.hits if a <= h.start < b), None)
                m.country, m.sector = desc.country, title.sector
                m.role = self._of_role(ctx, tend, title, b) or title.role
                ctx.used_titles.add(tstart)
                self._learn(ctx, m, "apposition", sent)
                return

    def _of_role(self, ctx: _Ctx, tend: int, title: Title, stop: int) -> str | None:
        """"head of the migration service" -> role "head of migration service" (words before ``stop``)."""
        w = ctx.words
        if tend >= len(w.low) or w.low[tend] != "of":
            return None
        nouns, k = [], tend + 1
        while k < min(stop, len(w.low)) and len(nouns) < 4:
            hit = ctx.hit_start.get(k)
            if hit is not None:
                k = hit.end
            elif w.low[k] in ("the", "'s", "’s"):
                k += 1
            elif w.tok[k].pos_ in ("NOUN", "ADJ", "PROPN") and w.text[k][:1].isalpha():
                nouns.append(w.low[k])
                k += 1
            else:
                break
        return f"{title.role} of {' '.join(nouns)}" if nouns else None

    # -- descriptors -------------------------------------------------------------------------------

    def _descriptor(self, ctx: _Ctx, s: int, e: int) -> Descriptor | None:
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

    def _left(self, ctx: _Ctx, tstart: int, desc: Descriptor) -> Descriptor:
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
            if desc.country and w.low[k] in ("and", "or") and ctx.hit_end.get(k) is not None:
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

    def _role_descriptions(self, ctx: _Ctx) -> None:
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
                    group = "states" if phrase[-1] in ("sides", "parties", "countries") else "persons"
                    role = self.vocab.collective_roles.get(phrase[-1])
                    ctx.triggers.append(Trigger("collective", text[span[0]:span[1]], span,
                                                ctx.sentence_of(span[0]), role=role, group=group,
                                                sector="GOV" if phrase[-1] != "countries" else None))

    @staticmethod
    def _use(desc: Descriptor) -> None:
        for h in desc.hits:
            h.used = True

    # -- countries, organisations, metonyms, groups ------------------------------------------------

    def _plain_hits(self, ctx: _Ctx) -> None:
        w, text = ctx.words, ctx.doc.text
        for hit in ctx.hits:
            if hit.used:
                continue
            e = hit.entry
            nxt = hit.end + (hit.end < len(w.low) and w.low[hit.end] in ("'s", "’s"))
            group = self._group_noun(w, nxt) if e.kind in ("country", "adjective", "metonym") else None
            if group is None and e.kind == "adjective":
                group = self._coordinated_group(ctx, hit)
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

    def _coordinated_group(self, ctx: _Ctx, hit: Hit) -> tuple[int, tuple[str, str]] | None:
        """"Tajik and Kyrgyz border guards": the first adjective shares the second one's noun."""
        w, k = ctx.words, hit.end
        if k < len(w.low) and w.low[k] == ",":
            k += 1
        if k >= len(w.low) or w.low[k] not in ("and", "or"):
            return None
        other = ctx.hit_start.get(k + 1)
        other = other if other is not None and other.entry.kind == "adjective" else None
        return self._group_noun(w, other.end) if other is not None else None

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
    def _dateline(ctx: _Ctx, hit: Hit) -> bool:
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

    # -- pronouns and harmonising ------------------------------------------------------------------

    @staticmethod
    def _harmonise(mentions: list[Mention]) -> None:
        """One person, one country within a document: fill gaps from the best-known mention."""
        best: dict[str, Mention] = {}
        for m in mentions:
            if m.kind == "person" and m.country:
                key = m.kb_id or m.name
                if key not in best or (m.kb_id and not best[key].kb_id):
                    best[key] = m
        for m in mentions:
            ref = best.get(m.kb_id or m.name) if m.kind == "person" else None
            if ref is not None and m.country is None:
                m.country, m.sector = ref.country, m.sector or ref.sector
                m.role = m.role or ref.role
