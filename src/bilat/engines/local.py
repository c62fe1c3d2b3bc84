"""Run the pipeline on one machine: read → clean → deduplicate → analyse → store, in batches.

Each batch is written in one transaction, so an interrupted run leaves only whole
documents; documents already stored are skipped before any work is spent on them, so a
rerun resumes where the last one stopped and re-ingesting adds nothing.
"""
from __future__ import annotations

import logging
import time
from collections import ChainMap, Counter, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from itertools import islice

from ..clean import NearDuplicateIndex
from ..config import Settings
from ..ingest import iter_inputs
from ..model import Document, RawDocument, ReadError
from ..pipeline import Pipeline
from ..store.backends import open_writer
from ..store.writer import LogEntry, StoreWriter
from .clustering import recluster_events
from .ids import candidate_ids, choose_id
from .provenance import run_info
from .workers import Analyser

logger = logging.getLogger(__name__)

ProgressCallback = Callable[[int, int], None]  # (documents done in this call, failures in this call)


@dataclass
class IngestReport:
    db: str
    read: int = 0
    ingested: int = 0
    duplicates: int = 0
    existing: int = 0
    failed: int = 0
    removed_paragraphs: int = 0
    events: int = 0
    quantities: int = 0
    mentions: int = 0
    seconds: float = 0.0
    failures: list[tuple[str, str]] = field(default_factory=list)
    reasons: Counter = field(default_factory=Counter)

    @property
    def docs_per_s(self) -> float:
        return self.read / self.seconds if self.seconds else 0.0

    def as_dict(self) -> dict:
        return {
            "db": self.db, "read": self.read, "ingested": self.ingested, "duplicates": self.duplicates,
            "already_stored": self.existing, "failed": self.failed,
            "removed_paragraphs": self.removed_paragraphs, "mentions": self.mentions,
            "events": self.events, "quantities": self.quantities, "seconds": round(self.seconds, 2),
            "docs_per_s": round(self.docs_per_s, 1),
            "failures": [{"origin": o, "reason": r} for o, r in self.failures],
        }


def _batches(items: Iterable, size: int):
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


def ingest(paths: list[str], db: str, settings: Settings | None = None, pipeline: Pipeline | None = None,
           progress: ProgressCallback | None = None, stdin=None) -> IngestReport:
    settings = settings or (pipeline.settings if pipeline else Settings())
    report = IngestReport(db=db)
    started = time.perf_counter()
    with open_writer(db) as writer:
        pipeline = pipeline or Pipeline(settings)
        writer.start_run({"paths": paths}, run_info(settings, pipeline))
        near_dups = NearDuplicateIndex(threshold=settings.near_duplicate_threshold)
        for doc_id, text in writer.canonical_texts():
            near_dups.add_text(doc_id, text)
        seen: dict[str, str] = {}  # ids given in this run, with their origins
        raws = pipeline.timed("read", iter_inputs(paths, settings, stdin=stdin))
        # batches in flight: handed to the workers, not yet stored (bounded, so memory stays flat)
        in_flight: deque[tuple[list[LogEntry], object]] = deque()
        with Analyser(pipeline, settings) as analyser:
            for batch in _batches(raws, settings.batch_size):
                todo, log = _admit(batch, writer, seen, report)
                in_flight.append((log, analyser.submit(todo)))
                while len(in_flight) > analyser.lookahead:
                    _store(*in_flight.popleft(), analyser, writer, pipeline, near_dups, report, progress)
            while in_flight:
                _store(*in_flight.popleft(), analyser, writer, pipeline, near_dups, report, progress)
        for assignments in recluster_events(writer.con, places=pipeline.places, placeholder=writer.placeholder):
            writer.update_event_ids(assignments)
        report.seconds = time.perf_counter() - started
        writer.finish_run(report.as_dict() | {"failures": len(report.failures)})
    return report


def _admit(batch: list[RawDocument | ReadError], writer: StoreWriter, seen: dict[str, str], report: IngestReport
           ) -> tuple[list[RawDocument], list[LogEntry]]:
    """Record read errors and documents already stored; return the documents still to analyse."""
    log: list[LogEntry] = []
    raws: list[RawDocument] = []
    for item in batch:
        report.read += 1
        if isinstance(item, ReadError):
            _fail(report, log, item.origin, None, item.reason)
        else:
            raws.append(item)
    taken = ChainMap(seen, writer.existing_origins([i for r in raws for i in candidate_ids(r)]))
    todo: list[RawDocument] = []
    for raw in raws:
        doc_id = choose_id(raw, taken)
        if doc_id is None:
            report.existing += 1
            log.append(LogEntry(raw.origin, raw.doc_id, "exists", "already stored"))
            continue
        if doc_id != raw.doc_id:
            logger.info("%s: stored as %r (%r is another file's)", raw.origin, doc_id, raw.doc_id)
            raw = replace(raw, doc_id=doc_id)
        seen[doc_id] = raw.origin
        todo.append(raw)
    return todo, log


def _store(log: list[LogEntry], handle, analyser: Analyser, writer: StoreWriter, pipeline: Pipeline,
           near_dups: NearDuplicateIndex, report: IngestReport, progress: ProgressCallback | None) -> None:
    """Wait for one batch, link near-duplicates in input order and write the batch in one transaction."""
    docs: list[Document] = []
    for outcome in analyser.result(handle):
        if outcome.error is not None:
            _fail(report, log, outcome.origin, outcome.doc_id, outcome.error)
            continue
        doc = outcome.doc
        t0 = time.perf_counter()
        doc.duplicate_of = near_dups.add(doc)
        pipeline.seconds["near-duplicates"] += time.perf_counter() - t0
        docs.append(doc)
        log.append(record_stored(report, doc))
    t0 = time.perf_counter()
    writer.write(docs, log)
    pipeline.seconds["store"] += time.perf_counter() - t0
    logger.info("stored a batch of %d documents (%d read so far)", len(docs), report.read)
    if progress:
        progress(len(log), sum(1 for e in log if e.status == "failed"))


def record_stored(report: IngestReport, doc: Document) -> LogEntry:
    """Count a document about to be stored and say what the ingest log keeps of it."""
    report.ingested += 1
    report.duplicates += doc.duplicate_of is not None
    report.removed_paragraphs += len(doc.removed)
    report.events += len(doc.events)
    report.quantities += len(doc.quantities)
    report.mentions += len(doc.mentions)
    status = "duplicate" if doc.duplicate_of else "ingested"
    notes = [f"near-duplicate of {doc.duplicate_of}"] if doc.duplicate_of else []
    notes += [f"{r.reason} ({len(r.text)} chars kept aside)" for r in doc.removed if r.reason.startswith("limit:")]
    notes += doc.limits
    return LogEntry(doc.origin, doc.doc_id, status, "; ".join(notes) or None)


def _fail(report: IngestReport, log: list[LogEntry], origin: str, doc_id: str | None, reason: str) -> None:
    report.failed += 1
    report.failures.append((origin, reason))
    report.reasons[reason.split(":")[0]] += 1
    log.append(LogEntry(origin, doc_id, "failed", reason))
