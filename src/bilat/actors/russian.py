"""Actors named in Russian text: states, capitals and seats of power, adjectives, organisations, state
bodies and people, linked to the same knowledge-base entries as English text.

The Russian names live in ``kb/ru/`` (written by the team, nominative forms); they are matched on lemmas
(pymorphy3), so "России", "Россией" and "Российской Федерации" all find Russia. People are matched by
their Cyrillic name or surname with the endings of Russian declension ("Рахмоном", "Захаровой"); a
person the knowledge base does not know takes the country of the title in front of the name
("президент Таджикистана ...").
"""
from __future__ import annotations

import csv
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..model import Mention
from ..nlp.russian import Lemmatizer, RuSentence, RuToken, fold
from .kb_loader import KnowledgeBase, Person, load_groups, split_values

KB_RU = Path(__file__).parent / "kb" / "ru"
MAX_PHRASE = 6

# nouns that make an adjective of a state stand for that state ("российская сторона", "таджикские
# пограничники"); an adjective before other nouns ("российский рынок") names no actor
ACTOR_NOUNS = frozenset(fold(w) for w in (
    "сторона власть правительство руководство лидер президент премьер премьер-министр министр мид "
    "ведомство дипломат дипломатия делегация военный военнослужащий пограничник силовик армия войско "
    "авиация флот посол посольство парламент депутат глава коллега партнер миротворец спецслужба "
    "кабмин генштаб минобороны министерство канцлер король эмир власти вооруженный силы"
).split())
# surname endings of Russian declension: a text word is the surname's stem plus one of these
_SURNAME_ENDINGS = ("", "а", "у", "ом", "ым", "ем", "е", "ой", "ою", "ы", "и", "ых", "ыми", "ого", "ому", "ая",
                    "ую", "ей", "я", "ю")


@dataclass(frozen=True)
class Entry:
    """What a Russian phrase names."""

    name: str  # the knowledge base's (English) name
    code: str
    kind: str  # state | org | person
    via: str  # name | metonym | demonym
    sector: str | None = None
    kb_id: str | None = None


def _read(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def surname_stem(surname: str) -> str:
    """The part of a surname all its case forms share: "Захарова" and "Захаровой" share "захаров"."""
    s = fold(surname)
    if len(s) > 4 and s.endswith(("ова", "ева", "ина", "ына")):
        return s[:-1]
    if len(s) > 4 and s.endswith(("ий", "ый", "ой")):
        return s[:-2]
    return s


def combining_forms(adjective: str) -> list[str]:
    """The first part of a compound adjective: "российско-", "таджикско-" (stem + о), and the short
    forms many take ("армяно-" of "армянский", "ирано-" of "иранский")."""
    if not adjective.endswith(("ий", "ый", "ой")):
        return []
    forms = [adjective[:-2] + "о"]
    if adjective.endswith("ский") and len(adjective) > 6:
        forms.append(adjective[:-4] + "о")
    return forms


class RussianNames:
    """Lemma-keyed tables of the Russian names in ``kb/ru`` and the knowledge base's entries."""

    def __init__(self, kb: KnowledgeBase, lemmatizer: Lemmatizer, folder: Path = KB_RU):
        self.kb = kb
        self.lemma = lemmatizer.lemma
        self.phrases: dict[tuple[str, ...], Entry] = {}
        self.casing: dict[tuple[str, ...], str | None] = {}
        self.adjectives: dict[str, Entry] = {}
        self.compound_stems: dict[str, Entry] = {}  # "российско" of "российско-таджикский"
        self.titles: dict[tuple[str, ...], tuple[str, str]] = {}
        self.surnames: dict[str, list[Person]] = {}
        self.given: dict[str, list[Person]] = {}
        self.people_names: dict[tuple[str, ...], list[Person]] = {}
        self._load(folder)

    def key(self, phrase: str) -> tuple[str, ...]:
        return tuple(self.lemma(w) for w in _WORD.findall(phrase))

    def _add(self, phrase: str, entry: Entry) -> None:
        k = self.key(phrase)
        if k and len(k) <= MAX_PHRASE and k not in self.phrases:
            self.phrases[k] = entry
            if len(k) == 1:
                # a one-word name is a name only as it is written: "Того" and "Рада" the countries,
                # "того" and "рада" ordinary words; "ГУАМ" the organisation, "Гуам" the island
                word = phrase.strip()
                self.casing[k] = "upper" if word.isupper() and len(word) > 1 else (
                    "title" if word[:1].isupper() else None)

    def _load(self, folder: Path) -> None:
        kb = self.kb
        # organisations first: a name both use (Брюссель: Belgium's capital, the EU's seat) is the organisation's
        groups = {}
        for g in load_groups():
            groups[g.id] = groups[g.code] = g
        for row in _read(folder / "orgs.csv"):
            code = row["code"].strip()
            org = kb.orgs.get(code)
            group = groups.get(code)
            if org is not None:
                entry = Entry(org.name, org.code, "org", "name", "IGO")
            elif group is not None:
                entry = Entry(group.name, group.code, "org" if group.kind == "org" else "state", "name", group.sector)
            else:
                entry = Entry(code, code, "org", "name", "IGO")
            for name in split_values(row.get("names")):
                self._add(name, entry)
        for row in _read(folder / "states.csv"):
            code = row["code"].strip()
            country = kb.countries.get(code)
            if country is None:
                continue
            state = Entry(country.name, code, "state", "name", "GOV")
            for name in split_values(row.get("names")):
                self._add(name, state)
            for name in split_values(row.get("capital"))[:1] + split_values(row.get("metonyms")):
                self._add(name, Entry(country.name, code, "state", "metonym", "GOV"))
            for adj in split_values(row.get("adjectives")):
                e = Entry(country.name, code, "state", "demonym", None)
                self.adjectives.setdefault(fold(adj), e)
                for stem in combining_forms(fold(adj)):
                    self.compound_stems.setdefault(stem, e)
            for noun in split_values(row.get("demonyms")):
                self._add(noun, Entry(country.name, code, "state", "demonym", None))
        for row in _read(folder / "institutions.csv"):
            code = (row.get("code") or "").strip()
            if not code:
                continue
            country = kb.countries.get(code)
            display = country.name if country else code
            kind = "org" if (row.get("kind") or "").strip() == "org" and country is None else "state"
            for name in split_values(row.get("names")):
                self._add(name, Entry(display, code, kind, "name", (row.get("sector") or "").strip() or None))
        for row in _read(folder / "titles.csv"):
            k = self.key(row.get("title", ""))
            if k:
                self.titles.setdefault(k, ((row.get("role") or "").strip(), (row.get("sector") or "").strip()))
        for path in sorted(folder.glob("people_*.csv")):
            for row in _read(path):
                person = kb.person(row["id"].strip())
                if person is None:
                    continue
                for name in (row.get("name", ""), *split_values(row.get("variants"))):
                    words = _WORD.findall(name)
                    if not words:
                        continue
                    self.people_names.setdefault(tuple(fold(w) for w in words), []).append(person)
                    if len(words) >= 2:
                        self.surnames.setdefault(surname_stem(words[-1]), []).append(person)
                        self.given.setdefault(fold(words[0]), []).append(person)
        for table in (self.surnames, self.given, self.people_names):
            for k, people in table.items():
                table[k] = list(dict.fromkeys(people))

    def surname_people(self, word: str) -> list[Person]:
        """People whose surname this word is, in any case form."""
        w = fold(word)
        if len(w) <= 2:
            return self.surnames.get(w, [])
        for cut in range(0, 4):
            if cut > len(w) - 2:
                break
            stem, ending = (w[:-cut], w[-cut:]) if cut else (w, "")
            if ending in _SURNAME_ENDINGS and stem in self.surnames:
                return self.surnames[stem]
        return []


_WORD = re.compile(r"[\w-]+")


class RussianLinker:
    """Finds and links the actors of Russian sentences (``link``), one Mention per name."""

    def __init__(self, kb: KnowledgeBase, lemmatizer: Lemmatizer, folder: Path = KB_RU):
        self.kb = kb
        self.names = RussianNames(kb, lemmatizer, folder)
        self.lemmatizer = lemmatizer

    def link(self, sentences: list[RuSentence], on: date | None) -> list[Mention]:
        found: list[Mention] = []
        for i, sent in enumerate(sentences):
            found.extend(self._sentence(i, sent, on, found))
        return found

    def _sentence(self, idx: int, sent: RuSentence, on: date | None, before: list[Mention]) -> list[Mention]:
        toks = sent.tokens
        taken = [False] * len(toks)
        out: list[Mention] = []
        # people first: natasha's PER names, then the knowledge base's surnames among capitalised words
        for name in sent.names:
            if name.type != "PER":
                continue
            m = self._person(idx, sent, name.first, name.last, on, before + out)
            if m is not None:
                out.append(m)
                for j in range(name.first, name.last):
                    taken[j] = True
        j = 0
        while j < len(toks):
            if taken[j]:
                j += 1
                continue
            hit = self._phrase_at(toks, j, taken)
            if hit is not None and j > 0 and toks[j - 1].lemma in _CURRENCY_WORDS:
                hit = None  # "долларов США": a currency, not the state
            if hit is not None:
                end, entry = hit
                out.append(self._mention(idx, sent, j, end, entry))
                for k in range(j, end):
                    taken[k] = True
                j = end
                continue
            tok = toks[j]
            compound = self._compound(idx, tok) if "-" in tok.text else []
            if compound:
                out.extend(compound)
                taken[j] = True
            elif tok.lemma in self.names.adjectives and self._heads_actor_noun(toks, j):
                out.append(self._mention(idx, sent, j, j + 1, self.names.adjectives[tok.lemma]))
                taken[j] = True
            elif tok.text[:1].isupper() and tok.pos == "PROPN":
                people = self.names.surname_people(tok.text)
                if people:
                    title = self._title_before(idx, sent, j, before + out)
                    m = self._person_mention(idx, sent, j, j + 1, self._choose(people, on, before + out), title, on)
                    out.append(m)
                    taken[j] = True
            j += 1
        out.extend(self._both_sides(idx, sent, before, out))
        out.sort(key=lambda m: m.span)
        return out

    def _both_sides(self, idx: int, sent: RuSentence, before: list[Mention], here: list[Mention]) -> list[Mention]:
        """"стороны", "лидеры", "обе страны", "министры": the two states the story is about (the two
        named most so far), for the ones this sentence does not name itself."""
        toks = sent.tokens
        at = next((j for j, t in enumerate(toks) if _names_both_sides(toks, j)), None)
        if at is None:
            return []
        # the story's two states: the two named most so far (a third state quoted in between is a bystander)
        top = _two_most_named(before + here, self.kb)
        if not top:
            return []
        named = {m.country for m in here}
        tok = toks[at]
        return [Mention(tok.text, (tok.start, tok.end), idx, self.kb.countries[c].name, c, "GOV", None, None,
                        "state", False, "coref") for c in top if c not in named]

    def _phrase_at(self, toks: tuple[RuToken, ...], j: int, taken: list[bool]) -> tuple[int, Entry] | None:
        for n in range(min(MAX_PHRASE, len(toks) - j), 0, -1):
            if any(taken[j:j + n]):
                continue
            key = tuple(t.lemma for t in toks[j:j + n])
            entry = self.names.phrases.get(key)
            if entry is None:
                continue
            if n == 1 and entry.via == "demonym" and not toks[j].text[:1].isupper() and toks[j].pos != "NOUN":
                continue
            if n == 1 and not _cased_as(toks[j].text, self.names.casing.get(key)):
                continue
            return j + n, entry
        return None

    def _heads_actor_noun(self, toks: tuple[RuToken, ...], j: int) -> bool:
        """An adjective of a state that stands for it: its head, or a word just after it, is an actor noun."""
        h = toks[j].head
        if 0 <= h < len(toks) and toks[h].lemma in ACTOR_NOUNS:
            return True
        return any(t.lemma in ACTOR_NOUNS for t in toks[j + 1:j + 3])

    def _compound(self, idx: int, tok: RuToken) -> list[Mention]:
        """"российско-таджикские (переговоры)": each part before the last names a state, and so does the last."""
        parts = tok.text.split("-")
        out, offset = [], tok.start
        for k, part in enumerate(parts):
            low = fold(part)
            entry = self.names.compound_stems.get(low) if k < len(parts) - 1 else self.names.adjectives.get(
                fold(self.lemmatizer.lemma(part)))
            if entry is None and k == len(parts) - 1:
                entry = next((e for stem, e in self.names.compound_stems.items() if low.startswith(stem[:-1])
                              and len(stem) > 4), None)
            if entry is not None:
                out.append(Mention(part, (offset, offset + len(part)), idx, entry.name, entry.code,
                                   entry.sector, None, entry.kb_id, entry.kind, False, "demonym"))
            offset += len(part) + 1
        return out if len(out) >= 2 else []

    def _mention(self, idx: int, sent: RuSentence, first: int, last: int, entry: Entry) -> Mention:
        toks = sent.tokens
        start, end = toks[first].start, toks[last - 1].end
        text = sent.text[start - sent.start:end - sent.start]
        return Mention(text, (start, end), idx, entry.name, entry.code, entry.sector, None, entry.kb_id,
                       entry.kind, False, entry.via)

    def _person(self, idx: int, sent: RuSentence, first: int, last: int, on: date | None,
                context: list[Mention]) -> Mention | None:
        toks = sent.tokens
        words = [fold(t.text) for t in toks[first:last]]
        people = self.names.people_names.get(tuple(words)) or self.names.people_names.get(
            tuple(self.lemmatizer.lemma(t.text) for t in toks[first:last]))
        if not people:
            people = self.names.surname_people(toks[last - 1].text)
            if people and len(words) >= 2:
                given = {p.id for p in self.names.given.get(fold(self.lemmatizer.lemma(toks[first].text)), [])} | {
                    p.id for p in self.names.given.get(words[0], [])}
                same = [p for p in people if p.id in given]
                people = same or ([] if given or len(people) > 1 else people)
        title = self._title_before(idx, sent, first, context)
        if title is None or not title[0]:
            shared = _shared_title(sent, first, context)
            if shared is not None:
                title = (shared[0], shared[1], title[2] if title else None)
        if people:
            return self._person_mention(idx, sent, first, last, self._choose(people, on, context), title, on)
        return self._unknown_person(idx, sent, first, last, title)

    def _title_before(self, idx: int, sent: RuSentence, first: int,
                      context: list[Mention]) -> tuple[str, str, str | None] | None:
        """(role, sector, country) of a title just before a name: "глава МИД России", "президент Киргизии"."""
        toks = sent.tokens
        lo = max(0, first - 6)
        role = None
        for n in range(MAX_PHRASE, 0, -1):
            for j in range(lo, first - n + 1):
                hit = self.names.titles.get(tuple(t.lemma for t in toks[j:j + n]))
                if hit:
                    role = hit
                    break
            if role:
                break
        country = None
        window = (toks[lo].start, toks[first].start)
        for m in context:
            if m.sentence == idx and window[0] <= m.span[0] < window[1] and m.kind != "person" and m.country:
                country = m.country
        if country is None:
            for j in range(lo, first):
                hit = self._phrase_at(toks, j, [False] * len(toks))
                if hit is not None:
                    country = hit[1].code
                elif toks[j].lemma in self.names.adjectives:
                    country = self.names.adjectives[toks[j].lemma].code
        if role is None and country is None:
            return None
        return (role[0] if role else "", role[1] if role else "", country)

    def _choose(self, people: list[Person], on: date | None, context: list[Mention]) -> Person:
        if len(people) == 1:
            return people[0]
        named = Counter(m.country for m in context if m.country)
        def score(p: Person) -> tuple[int, int]:
            active = on is not None and any(r.active_on(on) for r in p.roles)
            return (int(active), named.get(p.country, 0))
        return max(people, key=score)

    def _person_mention(self, idx: int, sent: RuSentence, first: int, last: int, person: Person,
                        title: tuple[str, str, str | None] | None, on: date | None) -> Mention:
        toks = sent.tokens
        start, end = toks[first].start, toks[last - 1].end
        active = next((r for r in person.roles if on is not None and r.active_on(on)), None)
        # a person stands for whom they serve that day (the EU's president for the EU, not Portugal);
        # on an unknown day, for whom they served last (news is mostly recent)
        serving = active if on is not None else max(person.roles, key=lambda r: r.start or date.min, default=None)
        country = serving.country if serving is not None and serving.country else person.country
        # the role the text gives, else the one held that day; none when neither is known (a role
        # guessed here would mislead the dating of an undated article by its office-holders)
        role = title[0] if title and title[0] else (active.role if active is not None else None)
        return Mention(sent.text[start - sent.start:end - sent.start], (start, end), idx, person.name,
                       country, active.sector if active is not None else "GOV", role, person.id, "person", False,
                       "name")

    def _unknown_person(self, idx: int, sent: RuSentence, first: int, last: int,
                        title: tuple[str, str, str | None] | None) -> Mention | None:
        toks = sent.tokens
        start, end = toks[first].start, toks[last - 1].end
        name = " ".join(nominative(t.text, self.lemmatizer) for t in toks[first:last])
        country = title[2] if title else None
        role = title[0] if title and title[0] else None
        sector = title[1] if title and title[1] else None
        return Mention(sent.text[start - sent.start:end - sent.start], (start, end), idx, name, country, sector,
                       role, None, "person", True, "title" if country else "name")


_CURRENCY_WORDS = frozenset({"доллар", "цент", "фунт", "иена", "юань", "рубль", "евро", "франк"})
_GROUP_NOUNS = frozenset({"лидер", "президент", "министр", "глава", "премьер", "руководитель", "делегация"})
_GENERIC_GENITIVE = frozenset({"государство", "страна", "правительство", "ведомство", "мид", "делегация", "два",
                               "оба", "стороны", "сторона"})
_NOT_BOTH = frozenset({"другой", "один", "со", "с", "той", "этой", "нашей", "своей"})


def _names_both_sides(toks: tuple[RuToken, ...], j: int) -> bool:
    """The token stands for both parties: plural "стороны" as a subject or object (not "с другой
    стороны"), "обе/две страны", or plural leaders and ministers with no state of their own after them."""
    t = toks[j]
    prev = fold(toks[j - 1].text) if j > 0 else ""
    plural = t.feats.get("Number") == "Plur"
    if t.lemma == "сторона":
        return (prev in ("обе", "обеих", "обоих") or (plural and t.rel in ("nsubj", "obj", "iobj", "obl")
                                                      and prev not in _NOT_BOTH))
    if t.lemma == "страна":
        return prev in ("обе", "обеих", "две", "двух", "оба", "обоих")
    if t.lemma in _GROUP_NOUNS and plural and t.rel.startswith("nsubj"):
        after = toks[j + 1:j + 3]
        return not any(a.pos == "PROPN" or (a.feats.get("Case") == "Gen" and a.lemma not in _GENERIC_GENITIVE)
                       for a in after)
    return False


def _two_most_named(mentions: list[Mention], kb: KnowledgeBase) -> list[str]:
    counts = Counter(m.country for m in mentions if m.country in kb.countries and m.via != "coref")
    top = counts.most_common(3)
    if len(top) < 2 or (len(top) == 3 and top[2][1] == top[1][1]):
        return []  # fewer than two states, or no clear second one
    return [top[0][0], top[1][0]]


def _shared_title(sent: RuSentence, first: int, context: list[Mention]) -> tuple[str, str] | None:
    """"министры иностранных дел ... Арарат Мирзоян и Илья Дарчиашвили": the second name of a pair shares the
    first's title."""
    prev = context[-1] if context else None
    if prev is None or prev.kind != "person" or not prev.role or prev.span[1] > sent.tokens[first].start:
        return None
    between = sent.text[prev.span[1] - sent.start:sent.tokens[first].start - sent.start].strip()
    return (prev.role, prev.sector or "") if between in ("и", ",") else None


def _cased_as(word: str, casing: str | None) -> bool:
    if casing == "upper":
        return word.isupper()
    if casing == "title":
        return word[:1].isupper()
    return True


_NOMINATIVE_ENDINGS = re.compile(r"(ов|ев|ёв|ин|ын)(а|у|ым|е|ой|ою)$")


def nominative(word: str, lemmatizer: Lemmatizer) -> str:
    """A name in the nominative: pymorphy3's name reading, else the -ов/-ев/-ин surname endings cut."""
    parses = lemmatizer.morph.parse(word)
    for p in parses:
        if {"Name", "Surn", "Patr"} & p.tag.grammemes:
            return _cased(p.normal_form, word)
    m = _NOMINATIVE_ENDINGS.search(word)
    if m:
        return word[:m.start(2)]
    return word


def _cased(lemma: str, like: str) -> str:
    return lemma[:1].upper() + lemma[1:] if like[:1].isupper() else lemma
