"""Plain data objects passed between pipeline stages.

Spans are character offsets ``(start, end)`` into ``Document.text`` (the cleaned text),
so every fact can be traced to the sentence that states it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Span = tuple[int, int]


@dataclass
class RawDocument:
    """What a reader yields: one article as found, before cleaning."""

    doc_id: str
    origin: str  # file path, optionally with a record locator ("feed.xml#3")
    fmt: str  # txt | html | jsonl | warc | feed
    text: str | None = None  # plain text, when the source had no markup
    html: str | None = None  # raw markup, when it had
    title: str | None = None
    url: str | None = None
    published: str | None = None  # date string from metadata, unparsed
    outlet: str | None = None  # site name from metadata
    # ids to use, in order, where doc_id is another file's ("a/index.html" and "b/index.html" are both
    # "index"): the file name with its ending, then with its folders (engines/ids.py)
    alt_ids: tuple[str, ...] = ()


@dataclass
class ReadError:
    """A file or record that could not be read; it is logged, the run goes on."""

    origin: str
    reason: str


@dataclass
class RemovedParagraph:
    text: str
    reason: str  # navigation | subscription | byline | related | modified | spam | extractor


@dataclass
class DatedValue:
    """A calendar date with how precisely and how it was known."""

    value: str  # YYYY-MM-DD, YYYY-MM or YYYY
    precision: str  # day | month | year
    method: str  # metadata | url | dateline | modified-line | weekday | anniversary | years | roles ...
    evidence: str = ""


@dataclass
class Sentence:
    start: int
    end: int
    text: str


@dataclass
class Document:
    """A cleaned article; later stages fill sentences, mentions, events and quantities."""

    doc_id: str
    origin: str
    fmt: str
    text: str
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: DatedValue | None = None
    cited_sources: list[str] = field(default_factory=list)
    removed: list[RemovedParagraph] = field(default_factory=list)
    content_hash: str = ""
    duplicate_of: str | None = None
    lang: str = "en"  # ISO 639-1 code of the text's language (en, ru)
    sentences: list[Sentence] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    limits: list[str] = field(default_factory=list)  # limits this document hit, for the ingest log
    stage_errors: list[StageError] = field(default_factory=list)  # recovered from, for the ingest log

    def recover(self, stage: str, exc: BaseException) -> None:
        """Note that ``stage`` failed on this document and the document went on without what it would
        have added (an event kept undated or unplaced); the same error of a stage is noted once."""
        error = StageError(stage, f"{type(exc).__name__}: {' '.join(str(exc).split())[:200]}")
        if error not in self.stage_errors:
            self.stage_errors.append(error)


@dataclass
class StageError:
    """An error a stage recovered from in one document (``Document.recover``): the ingest log keeps it as
    a warning of that document, and the run report counts it by stage."""

    stage: str  # the module that failed: events.when (dates), events.where (places)
    error: str  # the exception's class and message, on one line


@dataclass
class Mention:
    """A stretch of text that refers to an actor."""

    text: str
    span: Span
    sentence: int  # index into Document.sentences
    name: str  # canonical name ("Emomali Rahmon", "Tajikistan")
    country: str | None  # ISO alpha-3 or organisation code
    sector: str | None = None  # GOV, MIL, IGO, ...
    role: str | None = None  # "president", "foreign minister", ...
    kb_id: str | None = None
    kind: str = "state"  # state | person | org | sector
    learned: bool = False
    via: str = "name"  # name | metonym | title | coref | demonym


@dataclass
class Event:
    type: str  # PLOVER type
    mode: str | None
    source: str | None  # actor code
    target: str | None
    span: Span  # the evidence sentence
    evidence: str
    sentence: int
    trigger: str = ""
    source_actor: str | None = None
    target_actor: str | None = None
    cameo: str | None = None
    intensity: float | None = None
    negated: bool = False
    planned: bool = False
    hypothetical: bool = False
    attribution: str | None = None
    date: str | None = None
    date_precision: str | None = None
    date_method: str | None = None
    location: str | None = None
    lat: float | None = None
    lon: float | None = None
    rule: str = ""  # the trigger rules that contributed ("" when the model alone coded it)
    model: str | None = None  # version of the event coder that judged it (None: rules alone)
    confidence: float | None = None  # the coder's probability of ``type`` for this pair
    event_id: str | None = None  # cluster id across mentions


@dataclass
class Quantity:
    text: str
    span: Span
    sentence: int
    value: float
    unit: str  # USD, RUB, percent, count, km, years ...
    evidence: str
    value_usd: float | None = None
    bound: str = "exact"  # exact | min | max | approx | lower | upper
    metric: str | None = None
    countries: list[str] = field(default_factory=list)
    period: str | None = None
    is_claim: bool = True
    extra: dict[str, Any] = field(default_factory=dict)
