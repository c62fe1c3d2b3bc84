"""Russian text: sentences, tokens with lemmas and morphology, a dependency parse and names.

natasha (razdel, slovnet, navec; models inside the installed packages, no network) segments, tags,
parses and finds names (PER, LOC, ORG); pymorphy3 gives lemmas (natasha's own lemmatiser needs
pymorphy2, which does not run on Python 3.11). spaCy has no Russian model on PyPI, so the Russian stages
read these plain objects rather than spaCy ``Doc`` objects.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..errors import ConfigError

_CYRILLIC = re.compile(r"[А-Яа-яЁё]")


def fold(word: str) -> str:
    """Lower case with ё as е: Russian print uses both for one letter."""
    return word.lower().replace("ё", "е")


@dataclass(frozen=True)
class RuToken:
    text: str
    start: int  # character offsets into the document
    end: int
    lemma: str  # folded (lower case, ё → е)
    pos: str  # universal POS tag
    feats: dict[str, str] = field(hash=False, compare=False)
    head: int  # index of the head token in the sentence, -1 for the root
    rel: str  # universal dependency relation


@dataclass(frozen=True)
class RuName:
    """A name natasha found: PER, LOC or ORG, as token indexes [first, last) into its sentence."""

    type: str
    first: int
    last: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class RuSentence:
    start: int
    end: int
    text: str
    tokens: tuple[RuToken, ...]
    names: tuple[RuName, ...]


class Lemmatizer:
    """pymorphy3's most probable lemma of a word, cached; names prefer a proper-noun reading."""

    def __init__(self) -> None:
        try:
            import pymorphy3
        except ImportError as exc:  # pragma: no cover - a declared dependency
            raise ConfigError("Russian needs pymorphy3 (pip install pymorphy3)") from exc
        self.morph = pymorphy3.MorphAnalyzer()
        self.lemma = lru_cache(maxsize=200_000)(self._lemma)

    def _lemma(self, word: str) -> str:
        if not _CYRILLIC.search(word):
            return fold(word)
        parses = self.morph.parse(word)
        if not parses:
            return fold(word)
        if word[:1].isupper():
            # a capitalised word: a name or a place before an ordinary word of the same letters
            for p in parses:
                if {"Name", "Surn", "Geox", "Orgn", "Abbr"} & p.tag.grammemes:
                    return fold(p.normal_form)
        return fold(parses[0].normal_form)


class RussianPipeline:
    """natasha's news models, loaded once per process (about 1 s; 27 MB of embeddings)."""

    lang = "ru"

    def __init__(self) -> None:
        try:
            from natasha import NewsEmbedding, NewsMorphTagger, NewsNERTagger, NewsSyntaxParser, Segmenter
        except ImportError as exc:  # pragma: no cover - a declared dependency
            raise ConfigError("Russian needs natasha (pip install natasha)") from exc
        embedding = NewsEmbedding()
        self.segmenter = Segmenter()
        self.morph = NewsMorphTagger(embedding)
        self.syntax = NewsSyntaxParser(embedding)
        self.ner = NewsNERTagger(embedding)
        self.lemmatizer = Lemmatizer()

    def __call__(self, text: str) -> list[RuSentence]:
        """Sentences of the text; a line break always ends one (a headline never runs into the lead)."""
        out: list[RuSentence] = []
        offset = 0
        for line in text.split("\n"):
            if line.strip():
                out.extend(self._paragraph(line, offset))
            offset += len(line) + 1
        return out

    def _paragraph(self, para: str, offset: int) -> list[RuSentence]:
        from natasha import Doc

        doc = Doc(para)
        doc.segment(self.segmenter)
        doc.tag_morph(self.morph)
        doc.parse_syntax(self.syntax)
        doc.tag_ner(self.ner)
        spans = sorted(doc.spans, key=lambda s: s.start)
        out: list[RuSentence] = []
        k = 0
        for sent in doc.sents:
            index = {t.id: i for i, t in enumerate(sent.tokens)}
            tokens = tuple(
                RuToken(t.text, offset + t.start, offset + t.stop, self.lemmatizer.lemma(t.text), t.pos or "X",
                        dict(t.feats or {}), index.get(t.head_id, -1), t.rel or "dep")
                for t in sent.tokens)
            names = []
            while k < len(spans) and spans[k].start < sent.stop:
                s = spans[k]
                k += 1
                start, end = offset + s.start, offset + s.stop
                first = next((i for i, t in enumerate(tokens) if t.start >= start), None)
                last = next((i for i in range(len(tokens) - 1, -1, -1) if tokens[i].end <= end), None)
                if first is None or last is None or last < first:
                    continue
                names.append(RuName(s.type, first, last + 1, start, end, para[s.start:s.stop]))
            out.append(RuSentence(offset + sent.start, offset + sent.stop, para[sent.start:sent.stop], tokens,
                                  tuple(names)))
        return out
