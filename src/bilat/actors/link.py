"""Find actor mentions in a parsed document and link them to the knowledge base.

Matching runs on the document's own words (``roles.WORD_RE``) so that gazetteer
entries and text are split alike; spaCy supplies sentences, part of speech, the
dependency parse (a capital is an actor only as subject, object or possessor) and
PERSON entities (people the knowledge base does not know).

The work is split by what is found: ``names`` (the document's words, the gazetteer of
states, organisations and ``kb/groups.yaml``, the linking context), ``descriptors``
(titles and their modifiers, roles without names, collectives), ``nominals`` (states,
organisations, groups, metonyms and demonym phrases such as "Israeli soldiers" or
"an Indian proposal"); this module scans, finds people and runs coreference.
"""
from __future__ import annotations

import logging
from bisect import bisect_right
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any

from ..model import Document, Mention, Sentence
from .coref import Coreference, pronoun_triggers, role_matches, subject_rank
from .descriptors import DescriptorMixin
from .kb_loader import load_groups
from .learned import LearnedRole, LearnedStore, appositive_span, confidence_of, context_countries
from .names import Ctx, Descriptor, Gazetteer, Hit, Words, capitalised, entity_of
from .nominals import NominalMixin, SectorWords
from .roles import (
    PersonIndex,
    RoleBook,
    Title,
    TitleVocab,
    _get,
    given_compatible,
    name_key,
    period_of,
    to_date,
)

if TYPE_CHECKING:  # spaCy is needed only by whoever parses; importing actors stays light
    from spacy.tokens import Doc as SpacyDoc

logger = logging.getLogger(__name__)


_STANCE = ("anti", "pro", "non")


def _stance_prefixed(w: Words, i: int) -> bool:
    """A name glued by a hyphen to "anti", "pro" or "non" ("anti-Russian", "pro-Kremlin")."""
    if i < 1:
        return False
    k = i - 1
    if w.low[k] == "-" and k >= 1 and w.end[k - 1] == w.start[k] and w.end[k] == w.start[i]:
        return w.low[k - 1] in _STANCE
    return w.low[k].endswith(tuple(p + "-" for p in _STANCE)) and w.end[k] == w.start[i]


def _currency(w: Words, end: int, v: TitleVocab) -> bool:
    """A country name that only names a currency ("US$ 40 million", "30 million US dollars")."""
    return end < len(w.low) and w.low[end] in v.currency_words and (w.low[end] != "$" or w.start[end] == w.end[end - 1])


def _region_or_era(w: Words, hit: Hit, v: TitleVocab) -> bool:
    """"Latin America(n)", "Inter-American", "post-Soviet", "Soviet-era", "Soviet-built": a region, a
    period or a make, not the state (word lists in titles.yaml)."""
    k = hit.start - 1
    if k >= 1 and w.low[k] == "-" and w.end[k - 1] == w.start[k]:
        k -= 1  # "Inter-American", "post-Soviet"
    before = w.low[k] if k >= 0 else ""
    if before in v.region_words and w.low[hit.start] in v.region_names:
        return True
    if hit.entry.code not in v.historic_states:
        return False
    after = hit.end + 1 if hit.end < len(w.low) and w.low[hit.end] == "-" else hit.end
    return before in v.era_words_before or (after < len(w.low) and w.low[after] in v.era_words_after)


def _dateline(text: str, w: Words, hit: Hit) -> bool:
    """A capital in capitals opening a paragraph before a comma, colon, slash or dash ("YEREVAN, May 2 -",
    "ISLAMABAD:", "KIEV/MOSCOW") is where the story was filed, not an actor."""
    if hit.entry.kind != "metonym":
        return False
    start, end = w.start[hit.start], w.end[hit.end - 1]
    if not text[start:end].isupper() or end - start < 3:
        return False
    before = text[text.rfind("\n", 0, start) + 1:start].strip()
    after = text[end:end + 3]
    return (not before or before.endswith("/")) and (
        after[:1] in (",", ":", "/", "(") or (after[:1] == " " and after.lstrip()[:1] in ("-", "—", "(", "–")))


# Offices held abroad or in an organisation: the dateline says nothing of whose they are.
_POSTED_ABROAD = ("ambassador", "envoy", "consul", "representative", "secretary general", "commissioner",
                  "counterpart", "delegate", "attache", "chargé", "charge", "observer", "mediator")


def _home_officials(ctx: Ctx) -> None:
    """An official the text gives no nationality ("Vice Foreign Minister Li Wei") in a story filed from a
    capital ("BEIJING (Wire) -") whose state the story is about is that state's: wire copy names local
    officials without one. A bureau's city (a story filed from Prague about Turkmenistan) does not count."""
    if ctx.dateline is None or not any(m.country == ctx.dateline for m in ctx.mentions):
        return
    text = ctx.doc.text
    for m in ctx.mentions:
        if m.kind == "person" and m.country is None and m.kb_id is None and m.role \
                and not any(word in m.role for word in _POSTED_ABROAD) and not _apposed_state(ctx, m, text):
            m.country = ctx.dateline
            ctx.learned = [replace(lr, country=ctx.dateline) if lr.name == m.name and lr.country is None else lr
                           for lr in ctx.learned]


def _apposed_state(ctx: Ctx, m: Mention, text: str) -> bool:
    """"X, first deputy director of Russia's security service": the apposition names his state."""
    if text[m.span[1]:m.span[1] + 2].strip()[:1] != ",":
        return False
    stop = text.find(",", m.span[1] + 1)
    end = min(m.span[1] + 90, stop if stop > 0 else len(text))
    return any(o is not m and o.country and m.span[1] < o.span[0] < end and o.sentence == m.sentence
               for o in ctx.mentions)


# A short name two states share, and the state it means in a text that names the other one in full.
_SHARED_SHORT_NAMES = {("congo",): ("COG", "COD")}


def _short_names_by_context(ctx: Ctx) -> None:
    """"Congo" alone is the Republic of the Congo, unless the text names the DR Congo in full."""
    codes = {h.entry.code for h in ctx.hits if tuple(ctx.words.low[h.start:h.end]) not in _SHARED_SHORT_NAMES}
    for h in ctx.hits:
        pair = _SHARED_SHORT_NAMES.get(tuple(ctx.words.low[h.start:h.end]))
        if pair and h.entry.code == pair[0] and pair[1] in codes and pair[0] not in codes:
            other = next(x.entry for x in ctx.hits if x.entry.code == pair[1])
            h.entry = replace(h.entry, code=other.code, name=other.name)


def _national_council(w: Words, hit: Hit, v: TitleVocab) -> bool:
    """A bare "Security Council" that a state or body qualifies is that body's, not the UN's:
    "Iran's Supreme National Security Council", "the Armenian Security Council", "AU Peace and Security Council"."""
    if hit.end - hit.start != 2 or w.low[hit.start:hit.end] != ["security", "council"] or hit.start == 0:
        return False
    k = hit.start - 1
    return w.low[k] in v.council_qualifiers or (capitalised(w.text[k]) and w.low[k] != "the"
                                                 and not w.tok[k].is_sent_start)


class ActorLinker(DescriptorMixin, NominalMixin):
    """Links actor mentions in a document to the knowledge base (see module docstring)."""

    def __init__(self, kb: Any, vocab: TitleVocab | None = None, store: LearnedStore | None = None,
                 groups: list[Any] | None = None):
        self.kb = kb
        self.vocab = vocab or TitleVocab.load()
        self.book = RoleBook(kb, self.vocab)
        # institutions, armed groups and NGOs: the package's groups.yaml unless the caller passes its own
        self.gaz = Gazetteer(kb, self.vocab, load_groups() if groups is None else groups)
        self.sector_words = SectorWords(_get(kb, "sectors", {}) or {})
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
        ctx = Ctx(doc, sdoc, words, to_date(doc.published), [], {}, {}, {})
        ctx.sent_starts = [s.start for s in doc.sentences]
        self._scan(ctx)
        _short_names_by_context(ctx)
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
        _home_officials(ctx)
        self._harmonise(ctx.mentions)
        ctx.mentions.sort(key=lambda m: (m.span, m.country or ""))
        return ctx.mentions, ctx.learned

    # -- scanning ----------------------------------------------------------------------------------

    def _scan(self, ctx: Ctx) -> None:
        w, i, n = ctx.words, 0, len(ctx.words.low)
        while i < n:
            hit = self.gaz.match(w, ctx.doc.text, i)
            v = self.vocab
            if hit and ctx.dateline is None and not ctx.hits and _dateline(ctx.doc.text, w, hit):
                ctx.dateline = hit.entry.code
            if hit and (_stance_prefixed(w, hit.start) or _currency(w, hit.end, v) or _national_council(w, hit, v)
                        or _region_or_era(w, hit, v) or _dateline(ctx.doc.text, w, hit)):
                i = hit.end  # "anti-Syria journalist", "pro-Iranian group": a stance, not the state; "US$ 5m"
                continue
            if hit and self._organ_of_other_state(ctx, hit):
                i = hit.end  # "Pakistan's Foreign Office": the organ of the state named before it
                continue
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

    @staticmethod
    def _organ_of_other_state(ctx: Ctx, hit: Hit) -> bool:
        """A state organ's name ("Foreign Office") right after another state's name or adjective
        ("Pakistan's", "the Pakistani") is that state's organ, not the one the name usually means."""
        if hit.entry.kind != "group" or hit.entry.group_kind != "state":
            return False
        k = hit.start - 1 if hit.start > 0 and ctx.words.low[hit.start - 1] in ("'s", "’s") else hit.start
        before = ctx.hit_end.get(k)
        return before is not None and before.entry.kind in ("country", "adjective", "metonym") \
            and before.entry.code != hit.entry.code

    def _inside_other_entity(self, ctx: Ctx, hit: Hit) -> bool:
        """A name inside a longer entity is part of that name ("Latin America", "New Mexico")."""
        w = ctx.words
        tok = w.tok[hit.start]
        if hit.entry.kind == "group" and hit.end - hit.start == 1 and hit.start > 0:
            # a one-word group name ending a longer name is that name's: "the Party Congress"
            k = hit.start - 1
            return capitalised(w.text[k]) and w.end[k] + 1 == w.start[hit.start] and w.low[k] != "the" \
                and not w.tok[k].is_sent_start and self.gaz.match(w, ctx.doc.text, k) is None
        if tok.ent_type_ not in ("PERSON", "ORG", "FAC", "WORK_OF_ART", "GPE", "LOC") or hit.entry.kind in ("org", "group"):
            return False
        ent, label = entity_of(tok), tok.ent_type_
        # spaCy often calls "Tajik Foreign Ministry" or "Dushanbe" an ORG: only a real
        # institution's name ("Moscow State University", "Bank of Russia") hides the place in it.
        if label == "ORG" and not any(t.lower_ in self.vocab.institution_words for t in ent):
            return False
        if label in ("PERSON", "GPE", "LOC"):
            # "Tajik-Russian" as PERSON, "Russia and Tajikistan" as one GPE: every other
            # capitalised word is a place or title word, so the entity is no name of its own
            first = bisect_right(w.start, ent.start_char) - 1
            last = bisect_right(w.start, ent.end_char - 1)
            # only a word right before the name makes another place: "New Mexico", but not "southern Lebanon"
            if label != "PERSON":
                first = max(first, hit.start - 1)
                last = hit.end
            rest = [k for k in range(first, last) if not hit.start <= k < hit.end and capitalised(w.text[k])
                    and w.low[k] not in ("the", "of", "and") and w.low[k] not in self.vocab.compass_words]
            return not all(self.gaz.match(w, ctx.doc.text, k) or self.vocab.match_title(w.low, k) for k in rest)
        inner = ent.text.removeprefix("the ").removeprefix("The ")
        text = w.span_text(ctx.doc.text, hit.start, hit.end)
        if label == "ORG" and hit.entry.kind in ("country", "metonym") and inner.endswith(("'s", "’s")):
            return False
        return len(inner) > len(text) + 1 and not inner.startswith(text + " and")

    def _person_spans(self, ctx: Ctx) -> list[tuple[int, int]]:
        w = ctx.words
        covered = {k for h in ctx.hits for k in range(h.start, h.end)}
        covered |= {k for s, (e, _) in ctx.titles.items() for k in range(s, e)}
        spans: dict[int, int] = {}

        def name_run(i: int, limit: int = 5) -> int:
            j = i
            while j < len(w.low) and j - i < limit and j not in covered:
                if j > i and "\n" in ctx.doc.text[w.end[j - 1]:w.start[j]]:
                    break  # a name does not run over a line break (a byline above a dateline)
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
            # the small model reads some surnames as nouns ("Trump"): a KB surname that is no common word counts
            if tok.pos_ != "PROPN" and tok.ent_type_ != "PERSON" and i not in ctx.title_end and (
                    tok.pos_ != "NOUN" or len(word) < 4 or w.low[i] in self.vocab.not_bare_surnames
                    or w.low[i] in self.vocab.not_names):
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
            spans[s] = self._family_first_end(ctx, i) if s == i else i + 1
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
        out = [self._without_honorific(ctx, s, e) for s, e in sorted(spans.items()) if e > s]
        return sorted(out + self._names_again(ctx, out, covered))

    def _without_honorific(self, ctx: Ctx, s: int, e: int) -> tuple[int, int]:
        """"Mr Chavez" is Chavez: an honorific the model took into the name is no given name."""
        w = ctx.words
        while e - s > 1 and w.low[s].rstrip(".") in self.vocab.honorifics:
            s += 1 + (e - s > 2 and w.low[s + 1] == ".")
        return s, e

    def _names_again(self, ctx: Ctx, spans: list[tuple[int, int]], covered: set[int]) -> list[tuple[int, int]]:
        """A person named in full is later named by one word of it: the surname ("Kibaki"), or, where
        custom puts it first, the given name ("Hailemariam") that the small model does not tag. Such a word
        after the full name is a mention of the same person (resolved in ``_person``)."""
        w = ctx.words
        taken = covered | {k for s, e in spans for k in range(s, e)}
        first_seen: dict[str, int] = {}
        for s, e in spans:
            if 2 <= e - s <= 3:
                for k in (s, e - 1):
                    first_seen.setdefault(name_key(w.text[k]), e)
        out = []
        for i, word in enumerate(w.text):
            if i in taken or not capitalised(word) or first_seen.get(name_key(word), len(w.text)) > i:
                continue
            if w.tok[i].pos_ in ("PROPN", "NOUN", "X") or w.tok[i].ent_type_ == "PERSON":
                out.append((i, i + 1))
        return out

    def _skip_of_phrase(self, ctx: Ctx, j: int) -> int | None:
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

    def _resolve_kb(self, ctx: Ctx, s: int, e: int) -> tuple[Any | None, bool]:
        """(KB person or None, ambiguous?) for the name words [s, e)."""
        person, ambiguous = self._resolve_surname_last(ctx, s, e)
        if person is None and not ambiguous and e - s >= 2:
            person = self._family_first(ctx, s, e)
        return person, ambiguous

    def _resolve_surname_last(self, ctx: Ctx, s: int, e: int) -> tuple[Any | None, bool]:
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
            prior = ctx.seen.get(surname) or ctx.seen_given.get(surname)
            if prior is not None:
                return (self.people.by_id.get(prior.kb_id) if prior.kb_id else None), False
            if (w.low[e - 1] in self.vocab.not_bare_surnames or w.low[e - 1] in self.vocab.not_names) \
                    and s not in ctx.title_end:
                return None, False  # "May" alone is a month, not Theresa May (unless she was named before)
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
        # of several namesakes, the one whose state or organisation the text names ("Guterres" in a
        # story about the UN is its secretary general, not a minister of Timor-Leste)
        named = {h.entry.code for h in ctx.hits}
        local = [p for p in (active or persons) if _get(p, "country") in named
                 or any(_get(r, "country") in named for r in _get(p, "roles") or ())]
        if len(local) == 1:
            return local[0], False
        return None, True

    def _family_first(self, ctx: Ctx, s: int, e: int) -> Any | None:
        """The KB person named family name first ("Xi Jinping", "Kim Jong Un"): the first word is their
        surname and every other word one of their given names."""
        w = ctx.words
        rest = [name_key(w.text[k]) for k in range(s + 1, e) if w.text[k][:1].isalpha()]
        if not rest:
            return None
        fits = {id(p): p for p, gks in self.people.by_surname.get(name_key(w.text[s]), [])
                if all(any(given_compatible(g, gk) for gk in gks) for g in rest)}
        return next(iter(fits.values())) if len(fits) == 1 else None

    def _family_first_end(self, ctx: Ctx, i: int) -> int:
        """Where a name that starts with the family name at word ``i`` ends ("Xi Jinping", "Kim Jong Un"),
        or ``i + 1`` where no KB person is named so."""
        w = ctx.words
        best = i + 1
        for _, gks in self.people.by_surname.get(name_key(w.text[i]), []):
            j, found = i + 1, 0
            while j < len(w.text) and j - i <= 5:
                glued = w.end[j - 1] == w.start[j]
                if w.text[j] == "-" and glued and j + 1 < len(w.text) and w.end[j] == w.start[j + 1]:
                    j += 1  # "Ki-moon", "Jae-in"
                    continue
                if not ((capitalised(w.text[j]) or (glued and w.text[j - 1] == "-"))
                        and name_key(w.text[j]) in gks):
                    break
                j, found = j + 1, found + 1
            if found and found == len(gks) and j > best:
                best = j
        return best

    def _person(self, ctx: Ctx, s: int, e: int) -> None:
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
        elif ambiguous and not (desc and (desc.title or desc.country)):
            m = Mention(surface, span, sent, surface, None, kind="person")
        else:
            prior = (ctx.seen.get(surname) or ctx.seen_given.get(surname)) if e - s == 1 else None
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
            if e - s <= 3:
                ctx.seen_given.setdefault(name_key(w.text[s]), m)  # "Thaksin" for "Thaksin Shinawatra"
        ctx.mentions.append(m)

    def _person_mention(self, person: Any, text: str, span: tuple[int, int], sentence: int, via: str,
                        on: date | None) -> Mention:
        tenure = self.book.role_on(person, on)
        # the country someone acts for: a secretary general acts for the organisation
        country = tenure.country if tenure and tenure.country else _get(person, "country")
        return Mention(text, span, sentence, _get(person, "name"), country,
                       tenure.sector if tenure and tenure.sector else "GOV", tenure.role if tenure else None,
                       _get(person, "id"), "person", False, via)

    def _desc_role(self, ctx: Ctx, desc: Descriptor, m: Mention) -> str | None:
        if desc.title is None:
            return None
        if desc.title.role == "counterpart":
            ante = desc.possessor or self.coref.antecedent(ctx.mentions, m.span[0], ctx.subjects, m.sentence)
            return ante.role if ante else None
        return desc.role or desc.title.role

    def _learn(self, ctx: Ctx, m: Mention, pattern: str, sent: int) -> None:
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

    def _apposition(self, ctx: Ctx, m: Mention, e: int, sent: int) -> None:
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

    def _of_role(self, ctx: Ctx, tend: int, title: Title, stop: int) -> str | None:
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
