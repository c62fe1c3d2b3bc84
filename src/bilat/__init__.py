"""bilat: evidence-linked political event data from news about relations between states."""
from .config import Settings
from .corpus import Corpus, open
from .errors import BilatError
from .events.sentence import SentenceCoding, code
from .model import DatedValue, Document, Event, Mention, Quantity, RawDocument, Sentence
from .store.queries import Table

__version__ = "0.1.0"

__all__ = ["open", "code", "SentenceCoding", "Corpus", "Table", "Settings", "BilatError", "DatedValue", "Document", "Event", "Mention", "Quantity", "RawDocument",
           "Sentence", "__version__"]
