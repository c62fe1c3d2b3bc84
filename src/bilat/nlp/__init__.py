"""The language-specific NLP stage behind one interface.

Every later stage reads spaCy ``Doc`` objects (sentences, tokens, entities, dependency
parses). A language plugs in by implementing :class:`LanguagePipeline`; English uses a
spaCy pipeline installed from PyPI. A Russian pipeline (natasha) would build the same
``Doc`` objects from its own analyses.
"""
from .pipeline import EnglishPipeline, LanguagePipeline, load_pipeline
from .selective import ParseSelector, SelectivePipeline, parse_stats

__all__ = ["LanguagePipeline", "EnglishPipeline", "ParseSelector", "SelectivePipeline", "load_pipeline", "parse_stats"]
