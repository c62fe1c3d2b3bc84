"""The model's attribute_ruler (tag → POS and morphology, a few lemma exceptions), applied by lookup.

spaCy's AttributeRuler runs its ~180 rules through the Matcher, which tests every rule on every
token: about 15% of the small English pipeline's time, as much as the parser. The rules only look at
a token's lower-case form, tag, dependency label and whether it is whitespace (and, for a handful of
contractions such as "gon na", at the next token), so their result can be computed once per
distinct (lower, tag, dep, is_space) and looked up afterwards. The rules themselves are read from
the loaded model, not copied; tests/nlp/test_attributes.py checks the output equals spaCy's.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import numpy
from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, ORTH, POS, TAG
from spacy.language import Language
from spacy.parts_of_speech import IDS as POS_IDS
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc, Token

Key = tuple[str, str, str, bool]  # lower, tag, dep, is_space
Rule = tuple[int, dict[str, Any]]  # rule order, attributes to set

COMPONENT = "bilat_attribute_table"
LEMMAS = "bilat_lemma_table"
CACHE_LIMIT = 200_000  # distinct token keys kept before the caches start over


def _value_test(spec: Any) -> Callable[[Any], bool]:
    if isinstance(spec, dict):
        tests = []
        for op, arg in spec.items():
            if op == "IN":
                allowed = frozenset(arg)
                tests.append(lambda v, allowed=allowed: v in allowed)
            elif op == "NOT_IN":
                banned = frozenset(arg)
                tests.append(lambda v, banned=banned: v not in banned)
            elif op == "REGEX":
                pattern = re.compile(arg)
                tests.append(lambda v, pattern=pattern: bool(pattern.search(v)))
            else:
                raise ValueError(f"attribute rule operator {op!r} is not supported")
        return lambda v: all(t(v) for t in tests)
    return lambda v: v == spec


_FIELDS = {"LOWER": 0, "TAG": 1, "DEP": 2, "IS_SPACE": 3}


def _token_test(spec: dict[str, Any]) -> Callable[[Key], bool]:
    unknown = set(spec) - set(_FIELDS)
    if unknown:
        raise ValueError(f"attribute rule on {sorted(unknown)} is not supported")
    tests = [(_FIELDS[name], _value_test(value)) for name, value in spec.items()]
    return lambda key: all(test(key[i]) for i, test in tests)


class AttributeTable:
    """Applies an AttributeRuler's rules with a cache per token key; same result as the ruler."""

    def __init__(self, ruler: AttributeRuler):
        self.single: list[tuple[int, Callable[[Key], bool], dict[str, Any]]] = []
        self.multi: list[tuple[int, list[Callable[[Key], bool]], int, dict[str, Any]]] = []
        for order, entry in enumerate(ruler.patterns):
            for pattern in entry["patterns"]:
                tests = [_token_test(tok) for tok in pattern]
                if len(tests) == 1:
                    self.single.append((order, tests[0], entry["attrs"]))
                else:
                    self.multi.append((order, tests, entry["index"], entry["attrs"]))
        self._rules: dict[Key, list[Rule]] = {}
        self._starts: dict[tuple[int, ...], bool] = {}  # can a multi-token rule start at a token like this?
        self._values: dict[tuple[Any, ...], tuple[Any, ...]] = {}  # hashed key -> column values to set
        self._strings: dict[int, str] = {}
        # the caches grow with the vocabulary of the text: emptied at a bound, so a long run stays flat
        self._caches = (self._rules, self._starts, self._values, self._strings)

    def rules_for(self, key: Key) -> list[Rule]:
        rules = self._rules.get(key)
        if rules is None:
            rules = [(order, attrs) for order, test, attrs in self.single if test(key)]
            self._rules[key] = rules
        return rules

    def _text(self, doc: Doc, h: int) -> str:
        text = self._strings.get(h)
        if text is None:
            text = doc.vocab.strings[h] if h else ""
            self._strings[h] = text
        return text

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        if len(self._values) > CACHE_LIMIT:
            for cache in self._caches:
                cache.clear()
        rows = [tuple(r) for r in doc.to_array([LOWER, TAG, DEP, IS_SPACE]).tolist()]
        current = doc.to_array(_SET)
        keys: dict[int, Key] = {}  # string keys, made only where a rule has to be tested

        def key(i: int) -> Key:
            k = keys.get(i)
            if k is None:
                lo, tg, dp, sp = rows[i]
                k = keys[i] = (self._text(doc, lo), self._text(doc, tg), self._text(doc, dp), bool(sp))
            return k

        extra: dict[int, list[Rule]] = {}
        if self.multi:
            for start, row in enumerate(rows):
                can = self._starts.get(row)
                if can is None:
                    can = self._starts[row] = any(tests[0](key(start)) for _, tests, _, _ in self.multi)
                if not can:
                    continue
                for order, tests, index, attrs in self.multi:
                    end = start + len(tests)
                    if end <= len(rows) and all(test(key(start + j)) for j, test in enumerate(tests)):
                        extra.setdefault(start + index, []).append((order, attrs))
        slow: list[tuple[int, list[Rule]]] = []
        for i, row in enumerate(rows):
            if i in extra:
                rules = sorted(self.rules_for(key(i)) + extra[i], key=lambda r: r[0])  # later rules win
                slow.append((i, rules))
                continue
            values = self._values.get(row)
            if values is None:
                values = self._values[row] = self._merge(doc, self.rules_for(key(i)))
            if values is _SLOW:
                slow.append((i, self.rules_for(key(i))))
                continue
            for col, value in enumerate(values):
                if value is not None:
                    current[i, col] = value
        doc.from_array(_SET, current)
        for i, rules in slow:  # rare: contractions, rules that set a tag or a dependency
            for _, attrs in rules:
                _set(doc[i], attrs)
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)

    def _merge(self, doc: Doc, rules: list[Rule]) -> tuple[Any, ...]:
        """The POS, MORPH and LEMMA values the rules leave, in array form; _SLOW if they set more."""
        merged: dict[str, Any] = {}
        for _, attrs in rules:
            merged.update(attrs)
        if set(merged) - {"POS", "MORPH", "LEMMA"}:
            return _SLOW
        pos = POS_IDS[merged["POS"]] if "POS" in merged else None
        morph = doc.vocab.morphology.add(merged["MORPH"]) if "MORPH" in merged else None
        lemma = doc.vocab.strings.add(merged["LEMMA"]) if "LEMMA" in merged else None
        return (pos, morph, lemma)


def _set(token: Token, attrs: dict[str, Any]) -> None:
    for name, value in attrs.items():
        if name == "POS":
            token.pos_ = value
        elif name == "MORPH":
            token.set_morph(value)
        elif name == "LEMMA":
            token.lemma_ = value
        elif name == "TAG":
            token.tag_ = value
        elif name == "DEP":
            token.dep_ = value
        else:
            raise ValueError(f"attribute rule setting {name!r} is not supported")


_SET = [POS, MORPH, LEMMA]
_SLOW = ("slow",)


class LemmaTable:
    """The model's lemmatizer applied by lookup on (form, POS, morphology): the key spaCy's own rule
    lemmatizer caches on, so the lemmas are the same; the per-token Python of that component goes."""

    def __init__(self, lemmatizer: Any):
        self.lemmatizer = lemmatizer
        self.overwrite = bool(getattr(lemmatizer, "overwrite", False))
        self._lemmas: dict[tuple[int, int, int], int] = {}

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        if len(self._lemmas) > CACHE_LIMIT:
            self._lemmas.clear()
        rows = doc.to_array([ORTH, POS, MORPH, LEMMA])
        lemmas = rows[:, 3].copy()
        todo = range(len(doc)) if self.overwrite else numpy.flatnonzero(lemmas == 0).tolist()
        for i in todo:
            key = (int(rows[i, 0]), int(rows[i, 1]), int(rows[i, 2]))
            lemma = self._lemmas.get(key)
            if lemma is None:  # the component's own answer for the first token with this key
                lemma = self._lemmas[key] = doc.vocab.strings.add(self.lemmatizer.lemmatize(doc[i])[0])
            lemmas[i] = lemma
        doc.from_array([LEMMA], lemmas.reshape(-1, 1))
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)


@Language.factory(COMPONENT, default_config={"source": "attribute_ruler"})
def make_attribute_table(nlp: Language, name: str, source: str) -> AttributeTable:
    return AttributeTable(nlp.get_pipe(source))


@Language.factory(LEMMAS, default_config={"source": "lemmatizer"})
def make_lemma_table(nlp: Language, name: str, source: str) -> LemmaTable:
    return LemmaTable(nlp.get_pipe(source))
