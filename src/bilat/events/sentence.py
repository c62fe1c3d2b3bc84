"""Coding one actor-annotated sentence, for researchers comparing the coder with human coders.

    bilat.code("Russia and Kyrgyzstan signed a border treaty.", source="Russia", target="Kyrgyzstan")
    bilat.code("Россия и Киргизия подписали договор о границе.", source="Россия", target="Киргизия")
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..clean.language import detect_language
from ..errors import InputError
from ..model import Span
from .coder import EventCoder
from .featurize import order, overlaps
from .multilingual import MultilingualCoder, pair_syntax


@dataclass(frozen=True)
class SentenceCoding:
    """The coder's answer for (sentence, source, target): ``type`` is NONE when it sees no event."""

    type: str
    confidence: float
    probabilities: dict[str, float]
    source_acts: float  # P(the given source acts on the given target, not the reverse)
    negated: float
    planned: float
    hypothetical: float
    reported: float
    model: str

    def as_dict(self) -> dict:
        return {"type": self.type, "confidence": round(self.confidence, 4),
                "probabilities": {k: round(v, 4) for k, v in sorted(self.probabilities.items(),
                                                                   key=lambda kv: -kv[1])},
                "source_acts": round(self.source_acts, 4), "negated": round(self.negated, 4),
                "planned": round(self.planned, 4), "hypothetical": round(self.hypothetical, 4),
                "reported": round(self.reported, 4), "model": self.model}


def _find(sentence: str, name: str, what: str, after: Span | None = None) -> Span:
    if not name.strip():
        raise InputError(f"{what} is empty")
    hits = [m.span() for m in re.finditer(re.escape(name.strip()), sentence, flags=re.IGNORECASE)]
    hits = [h for h in hits if after is None or not overlaps(h, after)]
    if not hits:
        raise InputError(f"{what} {name!r} does not occur in the sentence")
    return hits[0]


def code(sentence: str, source: str, target: str,
         coder: EventCoder | MultilingualCoder | None = None) -> SentenceCoding:
    """Type distribution and modality of the event ``source`` → ``target`` stated in ``sentence``.

    ``source`` and ``target`` are the actors as the sentence names them (case-insensitive; the first
    occurrence counts). A Russian sentence goes to the multilingual coder, which does not judge the
    direction (``source_acts`` 0.5). Raises InputError when either is missing from the sentence."""
    sentence = " ".join(sentence.split())
    if not sentence:
        raise InputError("the sentence is empty")
    s = _find(sentence, source, "source")
    t = _find(sentence, target, "target", after=s)
    first, second, source_first = order(s, t)
    if detect_language(sentence) == "ru" and not isinstance(coder, EventCoder):
        return _code_multilingual(sentence, first, second, coder or MultilingualCoder())
    coder = coder or EventCoder()
    (coding,) = coder.code_pairs([(sentence, first, second)])
    if coding is None:
        raise InputError("the sentence is too long for the coder around these actors")
    acts = coding.first_is_source if source_first else 1.0 - coding.first_is_source
    return SentenceCoding(coding.type, coding.confidence, coding.probabilities, acts, coding.flags["negated"],
                          coding.flags["planned"], coding.flags["hypothetical"], coding.flags["reported"],
                          coder.version)


def _code_multilingual(sentence: str, first: Span, second: Span, coder: MultilingualCoder) -> SentenceCoding:
    """As ``RussianEventPass`` codes a pair: the embeddings and the parse of the two actors."""
    from ..nlp.russian import RussianPipeline

    parsed = next((s for s in RussianPipeline()(sentence) if s.start <= first[0] < s.end), None)
    syntax = pair_syntax(parsed.tokens, first, second) if parsed is not None else None
    (c,) = coder.code([sentence], [(0, first, second)], [syntax])
    best = max(c.probabilities, key=c.probabilities.__getitem__)
    return SentenceCoding(best, c.probabilities[best], c.probabilities, 0.5, c.flags["negated"], c.flags["planned"],
                          c.flags["hypothetical"], c.flags["reported"], coder.version)
