"""Word-level matching: the document's words, gazetteer of names, and the linking context."""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from ..model import Document, Mention
from .coref import Trigger
from .kb_loader import spelling_variants
from .learned import LearnedRole
from .roles import WORD_RE, Title, TitleVocab, _get, words_of

if TYPE_CHECKING:
    from spacy.tokens import Doc as SpacyDoc
    from spacy.tokens import Token


def entity_of(tok: Token) -> Any:
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
    kind: str  # country | adjective | metonym | org | group
    code: str
    name: str
    exact: bool  # acronyms and short forms must match case exactly
    sector: str | None = None  # groups: their CAMEO sector
    ref: str | None = None  # groups: their id
    group_kind: str | None = None  # groups: state (an organ of a state) | org


@dataclass
class Hit:
    start: int
    end: int
    entry: Entry
    used: bool = False


class Gazetteer:
    """Country names, adjectives, metonyms and organisation names as word tuples."""

    def __init__(self, kb: Any, vocab: TitleVocab, groups: list[Any] | None = None):
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
            for s in spelling_variants((code, name, *(_get(o, "aliases") or ()), *(_get(o, "metonyms") or ()))):
                self._add(s, Entry("org", code, name, False))
        for g in groups or []:
            for s in g.names():
                self._add(s, Entry("group", g.code, g.name, False, g.sector, g.id, g.kind))

    def _add(self, surface: str | None, entry: Entry) -> None:
        if not surface:
            return
        key = words_of(surface)
        letters = re.sub(r"[^A-Za-z]", "", surface)
        exact = len(letters) <= 3 or any(w[1:] != w[1:].lower() for w in surface.split())
        self.first_words.add(key[0])
        bucket = self.table.setdefault(key, [])
        if all(e != entry or s != surface for s, e in bucket):
            bucket.append((surface, replace(entry, exact=exact)))
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
                if words.low[i] == "the" and i + 1 < len(words.low):
                    # "the Commonwealth" must not cut short "the Commonwealth of Independent States"
                    longer = self.match(words, doc_text, i + 1)
                    if longer is not None and longer.end > i + n:
                        return longer
                # a country name beats its adjective; a state beats an organisation
                order = {"country": 0, "metonym": 1, "adjective": 2, "org": 3, "group": 4}
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
class Ctx:
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
    seen_given: dict[str, Mention] = field(default_factory=dict)  # given-name key -> the same ("Thaksin")
    learned: list[LearnedRole] = field(default_factory=list)
    sent_starts: list[int] = field(default_factory=list)
    shared: dict[int, int] = field(default_factory=dict)  # name start -> title start of a plural title
    hit_start: dict[int, Hit] = field(default_factory=dict)
    groups: list[Mention] = field(default_factory=list)  # "the Russian delegation", "the Tajik side"
    dateline: str | None = None  # the state of the capital the story is filed from ("BEIJING (Wire) -")

    def sentence_of(self, char: int) -> int:
        return max(0, bisect_right(self.sent_starts, char) - 1)
