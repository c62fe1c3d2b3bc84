"""The single way into storage: one writer, each batch of whole documents in one transaction.

A batch holds documents together with all their sentences, mentions, events and
quantities, so a crash (even SIGKILL) leaves only whole documents behind; rerunning the
same input skips what is already stored and completes the rest.
"""
from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Self

import duckdb
import pyarrow as pa

from ..errors import StoreError, one_line
from ..model import Document
from .rows import rows_of
from .schema import available_migrations, migrate, stored_version

logger = logging.getLogger(__name__)

DEFAULT_DB = "bilat.duckdb"


@dataclass
class LogEntry:
    origin: str
    doc_id: str | None
    status: str  # ingested | duplicate | exists | failed | warning (a stage's error, the document kept)
    reason: str | None = None


# By default DuckDB caches up to 80% of RAM: the writer's cache of written blocks grew ~7 KB a document
# (distinct texts) without bound. At 128MB it levels off at ~110 MB of DuckDB's own up to 100,000
# documents, as fast at 20,000 (bench/memory_parts.py store). Candidate for Settings (store_memory_limit).
WRITER_MEMORY_LIMIT = "128MB"


def connect(path: str | Path = DEFAULT_DB, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """A connection to the store; a writable one has its memory bounded (``WRITER_MEMORY_LIMIT``).

    Opening checks what the file is (``schema.stored_version``): another program's database, one a newer
    bilat wrote or one missing core tables is refused in one line. A writable connection migrates an
    older store; a read-only one does too, briefly opening it for writing, so ``serve`` and ``summary``
    read an old store as a new one."""
    path = str(path)
    if read_only and path != ":memory:" and not Path(path).exists():
        raise StoreError(f"{path}: no such database (run `bilat ingest` first)")
    con = _open(path, read_only)
    try:
        version = stored_version(con, path)
    except (StoreError, duckdb.Error) as exc:
        con.close()
        raise exc if isinstance(exc, StoreError) else StoreError(f"{path}: unreadable database: {one_line(exc, 300)}") from exc
    if not read_only:
        migrate(con)
    elif version is not None and version < available_migrations()[-1][0]:
        con.close()
        writer = _open(path, False)  # an older store: migrate it, then read it
        try:
            migrate(writer)
        finally:
            writer.close()
        con = _open(path, True)
    return con


def _open(path: str, read_only: bool) -> duckdb.DuckDBPyConnection:
    config = {} if read_only else {"memory_limit": WRITER_MEMORY_LIMIT}
    try:
        return duckdb.connect(path, read_only=read_only, config=config)
    except duckdb.Error as exc:
        if "conflicting lock" in str(exc).lower() or "could not set lock" in str(exc).lower():
            # another process holds it: a running `bilat serve` (read-only) blocks writers, an ingest blocks all
            raise StoreError(f"{path}: in use by another process (a running `bilat serve` or `bilat ingest`): "
                             "stop it first, or write into another file") from exc
        raise StoreError(f"{path}: cannot open database: {one_line(exc, 300)}") from exc


@dataclass(frozen=True)
class RunInfo:
    """What produced a run, recorded in its ``runs`` row: every document the run stores names it (``run_id``).

    ``settings``: every field of :class:`bilat.config.Settings` the run used; ``coder_model``: the English
    event coder's version (None with ``coder="rules"``); ``ml_coder_model``: the multilingual coder's, which
    codes Russian documents; ``rule_versions``: the version of each rule file and a digest of them all."""

    settings: dict[str, Any]
    bilat_version: str | None = None
    convention: str | None = None
    parse: str | None = None
    coder_model: str | None = None
    ml_coder_model: str | None = None
    rule_versions: dict[str, Any] = field(default_factory=dict)

    def columns(self) -> dict[str, str | None]:
        """The ``runs`` columns, JSON for the settings and rule versions."""
        return {"settings": json.dumps(self.settings, sort_keys=True, default=str),
                "bilat_version": self.bilat_version, "convention": self.convention, "parse": self.parse,
                "coder_model": self.coder_model, "ml_coder_model": self.ml_coder_model,
                "rule_versions": json.dumps(self.rule_versions, sort_keys=True)}


class RunRecords:
    """What both writers share: the ``runs`` table, the rows of a batch stamped with the run, the context
    manager that closes the connection; ``placeholder`` is the driver's parameter marker."""

    placeholder = "?"
    con: Any
    run_id: str

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.con.close()

    def existing_ids(self, doc_ids: Sequence[str]) -> set[str]:
        return set(self.existing_origins(doc_ids))

    def existing_origins(self, doc_ids: Sequence[str]) -> dict[str, str]:
        raise NotImplementedError

    def start_run(self, args: dict, info: RunInfo | None = None) -> None:
        p = self.placeholder
        values = {"run_id": self.run_id, "args": json.dumps(args, default=str)} | (info.columns() if info else {})
        self.con.execute(f"INSERT INTO runs (started, {', '.join(values)}) "
                         f"VALUES (current_timestamp, {', '.join([p] * len(values))})", list(values.values()))

    def finish_run(self, counts: dict) -> None:
        p = self.placeholder
        self.con.execute(f"UPDATE runs SET finished = current_timestamp, counts = {p} WHERE run_id = {p}",
                         [json.dumps(counts), self.run_id])

    def batch_rows(self, docs: Iterable[Document], log: Iterable[LogEntry]) -> dict[str, list[dict]]:
        """The rows of one batch by table: each document stamped with this run, the log entries of the run."""
        tables = rows_of(docs)
        for row in tables.get("documents", ()):
            row["run_id"] = self.run_id
        log_rows = [{"run_id": self.run_id, "origin": e.origin, "doc_id": e.doc_id, "status": e.status,
                     "reason": e.reason} for e in log]
        if log_rows:
            tables["ingest_log"] = log_rows
        return tables


class StoreWriter(RunRecords):
    """The only writer. Use as a context manager; ``write`` commits one batch atomically."""

    def __init__(self, path: str | Path = DEFAULT_DB):
        self.path = str(path)
        self.con = connect(self.path)
        self.run_id = uuid.uuid4().hex[:12]

    def existing_origins(self, doc_ids: Sequence[str]) -> dict[str, str]:
        """The stored documents among ``doc_ids``, with the origin each was read from."""
        if not doc_ids:
            return {}
        table = pa.table({"doc_id": pa.array(sorted(set(doc_ids)), pa.string())})
        self.con.register("_ids", table)
        try:
            rows = self.con.execute("SELECT d.doc_id, d.origin FROM documents d JOIN _ids USING (doc_id)").fetchall()
        finally:
            self.con.unregister("_ids")
        return {r[0]: r[1] for r in rows}

    def canonical_texts(self) -> Iterator[tuple[str, str]]:
        """Stored documents that are not duplicates, to warm-start the near-duplicate index."""
        cur = self.con.execute("SELECT doc_id, text FROM documents WHERE duplicate_of IS NULL ORDER BY doc_id")
        while batch := cur.fetchmany(1000):
            yield from batch

    def write(self, docs: Iterable[Document], log: Iterable[LogEntry] = ()) -> None:
        tables = self.batch_rows(docs, log)
        self.con.execute("BEGIN TRANSACTION")
        try:
            for name, rows in tables.items():
                if rows:
                    self._insert(name, rows)
            self.con.execute("COMMIT")
        except Exception:
            self.con.execute("ROLLBACK")
            raise

    def _insert(self, table: str, rows: list[dict]) -> None:
        arrow = pa.Table.from_pylist(rows)
        view = f"_batch_{table}"
        self.con.register(view, arrow)
        try:
            self.con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM {view}")
        finally:
            self.con.unregister(view)

    def update_event_ids(self, assignments: dict[tuple[str, int], str]) -> None:
        """Store cluster ids: one real event, one id, across sentences and documents."""
        if not assignments:
            return
        table = pa.table({
            "doc_id": [k[0] for k in assignments], "idx": [k[1] for k in assignments],
            "event_id": list(assignments.values())})
        self.con.register("_clusters", table)
        try:
            self.con.execute("BEGIN TRANSACTION")
            self.con.execute("UPDATE events SET event_id = c.event_id FROM _clusters c "
                             "WHERE events.doc_id = c.doc_id AND events.idx = c.idx")
            self.con.execute("COMMIT")
        finally:
            self.con.unregister("_clusters")
