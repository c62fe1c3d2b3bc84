"""One way in: :func:`ingest` runs every ingest, whatever does the work, and does centrally, in input order,
what every run needs: admit, record failures, link near-duplicates, write batches, re-cluster.

The executors differ in where documents are read, cleaned and analysed: ``engines.local.LocalExecutor``
in this process or a pool of worker processes (``Settings.n_process``), ``engines.dask.DaskExecutor`` on
a Dask cluster. What is then done with each input is the same, and is done here, so that they store the
same rows and report the same counts. A run is a :class:`Coordinator` over the store's single writer;
each input ends as one entry of the ingest log: failed (:meth:`Coordinator.fail`), already stored
(:meth:`Coordinator.exists`) or stored (:meth:`Coordinator.store`), gathered in a :class:`Batch` that
is written in one transaction (:meth:`Coordinator.write`).
"""
from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from ..clean import NearDuplicateIndex
from ..config import Settings
from ..events.cluster import PlaceLookup
from ..model import Document, RawDocument, ReadError
from ..store.backends import open_writer
from ..store.writer import LogEntry, RunInfo
from .clustering import recluster_events
from .ids import assign_id, candidate_ids

logger = logging.getLogger(__name__)

ProgressCallback = Callable[[int, int], None]  # (documents done in this call, failures in this call)


class Writer(Protocol):
    """What a run asks of the store's single writer (``store.writer.StoreWriter``, ``store.postgres.PostgresWriter``)."""

    con: Any
    placeholder: str
    run_id: str

    def start_run(self, args: dict, info: RunInfo | None = None) -> None: ...
    def canonical_texts(self) -> Iterator[tuple[str, str]]: ...
    def existing_origins(self, doc_ids: Sequence[str]) -> dict[str, str]: ...
    def write(self, docs: Iterable[Document], log: Iterable[LogEntry] = ()) -> None: ...
    def update_event_ids(self, assignments: dict[tuple[str, int], str]) -> None: ...
    def finish_run(self, counts: dict) -> None: ...


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
    stage_errors: Counter = field(default_factory=Counter)  # errors stages recovered from, by stage

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
            "stage_errors": dict(sorted(self.stage_errors.items())),
        }


@dataclass
class Outcome:
    """What became of one admitted document: a Document ready to store, or the reason it failed."""

    origin: str
    doc_id: str
    doc: Document | None = None
    error: str | None = None


@dataclass
class Batch:
    """Documents to write in one transaction, with an ingest-log entry for every input they came from (and a
    warning for every error a stage recovered from in one of them)."""

    docs: list[Document] = field(default_factory=list)
    log: list[LogEntry] = field(default_factory=list)

    def __len__(self) -> int:
        """The inputs the batch accounts for."""
        return sum(1 for e in self.log if e.status != "warning")


class Coordinator:
    """One run into one store: the report, the ids given so far, the near-duplicate index.

    ``writer``: the store's single writer (``store.backends.open_writer``); ``seconds``: where to add
    the time spent linking near-duplicates and storing (the pipeline's stage timers)."""

    def __init__(self, writer: Writer, settings: Settings, report: IngestReport,
                 seconds: Counter[str] | None = None) -> None:
        self.writer = writer
        self.report = report
        self.seconds: Counter[str] = Counter() if seconds is None else seconds
        self.seen: dict[str, str] = {}  # ids given in this run, with their origins
        self.near_dups = NearDuplicateIndex(threshold=settings.near_duplicate_threshold)
        for doc_id, text in writer.canonical_texts():
            self.near_dups.add_text(doc_id, text)

    def admit(self, batch: Batch, items: Iterable[RawDocument | ReadError]) -> list[RawDocument]:
        """Count every item read and log those that go no further (unreadable, stored already); return
        the documents to clean and analyse, each under the id it is to be stored as."""
        raws: list[RawDocument] = []
        for item in items:
            self.report.read += 1
            if isinstance(item, ReadError):
                self.fail(batch, item.origin, None, item.reason)
            else:
                raws.append(item)
        stored = self.writer.existing_origins([i for r in raws for i in candidate_ids(r)])
        todo: list[RawDocument] = []
        for raw in raws:
            named = assign_id(raw, self.seen, stored)
            if named is None:
                self.exists(batch, raw.origin, raw.doc_id)
            else:
                todo.append(named)
        return todo

    def claim(self, doc_id: str, origin: str) -> bool:
        """Note ``doc_id`` as given in this run; False when it was already (admitted by a worker that
        could not see what other workers admitted)."""
        if doc_id in self.seen:
            return False
        self.seen[doc_id] = origin
        return True

    def settle(self, batch: Batch, outcomes: Iterable[Outcome]) -> None:
        """Log each analysed document's failure, or link and store it."""
        for outcome in outcomes:
            if outcome.error is not None:
                self.fail(batch, outcome.origin, outcome.doc_id, outcome.error)
            else:
                assert outcome.doc is not None
                self.store(batch, outcome.doc)

    def store(self, batch: Batch, doc: Document, origin: str | None = None) -> None:
        """Link ``doc`` to the earlier document it nearly repeats, if any, and add it to ``batch``."""
        started = time.perf_counter()
        doc.duplicate_of = self.near_dups.add(doc)
        self.seconds["near-duplicates"] += time.perf_counter() - started
        batch.docs.append(doc)
        batch.log.extend(replace(e, origin=origin) if origin is not None else e for e in record_stored(self.report, doc))

    def exists(self, batch: Batch, origin: str, doc_id: str | None) -> None:
        self.report.existing += 1
        batch.log.append(LogEntry(origin, doc_id, "exists", "already stored"))

    def fail(self, batch: Batch, origin: str, doc_id: str | None, reason: str) -> None:
        report = self.report
        report.failed += 1
        report.failures.append((origin, reason))
        report.reasons[reason.split(":")[0]] += 1
        batch.log.append(LogEntry(origin, doc_id, "failed", reason))

    def write(self, batch: Batch, progress: ProgressCallback | None = None) -> None:
        """Write ``batch`` in one transaction and say how far the run is."""
        started = time.perf_counter()
        self.writer.write(batch.docs, batch.log)
        self.seconds["store"] += time.perf_counter() - started
        logger.info("stored a batch of %d documents (%d read so far)", len(batch.docs), self.report.read)
        if progress:
            progress(len(batch), sum(1 for e in batch.log if e.status == "failed"))

    def finish(self, started: float, places: PlaceLookup | None = None) -> IngestReport:
        """Re-cluster every stored event (one real event, one id) and close the run's record."""
        for assignments in recluster_events(self.writer.con, places=places, placeholder=self.writer.placeholder):
            self.writer.update_event_ids(assignments)
        self.report.seconds = time.perf_counter() - started
        self.writer.finish_run(self.report.as_dict() | {"failures": len(self.report.failures)})
        return self.report


@dataclass
class Execution:
    """An executor at work on one run's inputs: what the run's record keeps of it, and its batches."""

    args: dict  # what the ``runs`` row keeps of the call (paths, engine, ...)
    info: RunInfo  # what produced the run: settings, versions (engines.provenance.run_info)
    # the run's batches, each filled through the coordinator, in input order
    batches: Callable[[Coordinator], Iterator[Batch]]
    seconds: Counter[str] | None = None  # where stage times are added (a pipeline's timers), if any
    places: PlaceLookup | None = None  # a loaded gazetteer, for re-clustering, if at hand


class Executor(Protocol):
    """Where an ingest's inputs are read, cleaned and analysed: in this process, in worker processes, on a Dask
    cluster (``engines.local.LocalExecutor``, ``engines.dask.DaskExecutor``). ``run`` is entered once the store
    is open, so a store that cannot be opened fails before any worker starts."""

    def run(self, paths: list[str], settings: Settings, writer: Writer) -> AbstractContextManager[Execution]: ...


def ingest(paths: list[str], store: str, settings: Settings, executor: Executor,
           progress: ProgressCallback | None = None) -> IngestReport:
    """Read, clean, analyse and store ``paths`` in ``store`` (a DuckDB file or a ``postgresql://`` DSN), the work
    done by ``executor``; every batch written in one transaction, so an interrupted run leaves only whole
    documents and a rerun resumes (documents stored already are skipped before any work is spent on them)."""
    report = IngestReport(db=store)
    started = time.perf_counter()
    with open_writer(store) as writer, executor.run(paths, settings, writer) as execution:
        writer.start_run(execution.args, execution.info)
        run = Coordinator(writer, settings, report, execution.seconds)
        for batch in execution.batches(run):
            run.write(batch, progress)
        run.finish(started, places=execution.places)
    return report


def record_stored(report: IngestReport, doc: Document) -> list[LogEntry]:
    """Count a document about to be stored and say what the ingest log keeps of it: its entry, then a
    warning for each error a stage recovered from (``Document.stage_errors``)."""
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
    entries = [LogEntry(doc.origin, doc.doc_id, status, "; ".join(notes) or None)]
    for err in doc.stage_errors:
        report.stage_errors[err.stage] += 1
        entries.append(LogEntry(doc.origin, doc.doc_id, "warning", f"{err.stage} failed: {err.error}"))
    return entries
