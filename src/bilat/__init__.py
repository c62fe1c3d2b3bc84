"""bilat: evidence-linked political event data from news about relations between states."""
from .config import Settings
from .errors import BilatError
from .model import DatedValue, Document, Event, Mention, Quantity, RawDocument, Sentence

__version__ = "0.1.0"

__all__ = ["Settings", "BilatError", "DatedValue", "Document", "Event", "Mention", "Quantity", "RawDocument",
           "Sentence", "__version__"]
