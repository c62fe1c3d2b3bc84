"""The PostgreSQL store: the same single writer as :class:`~bilat.store.writer.StoreWriter`.

The tables and columns are those of the DuckDB store, created by the same numbered migrations
(``migrations/NNN_name.sql`` in PostgreSQL's dialect, ``dialect.py``; recorded in ``schema_version``). Each batch of whole
documents is written in one transaction with ``COPY``, so an interrupted run leaves only whole
documents and a rerun skips what is stored. Text columns sort by code point (``COLLATE "C"``)
as DuckDB does, so queries with ``ORDER BY`` give the same order on both stores.

Readers (export, the query layer) work on a DuckDB snapshot of the PostgreSQL tables
(:func:`snapshot`), so one set of SQL serves both stores.
"""
from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import duckdb
import pyarrow as pa

from ..errors import StoreError
from ..model import Document
from . import schema
from .writer import LogEntry, RunRecords

logger = logging.getLogger(__name__)

# Serialises migrations when several writers open the same database at once.
_MIGRATION_LOCK = 7_261_001
# Tables copied by `snapshot`, in an order that respects nothing but readability.
TABLES = ("documents", "removed", "sentences", "mentions", "events", "quantities", "ingest_log", "runs",
          "corrections")
_PAGE = 1000


def _psycopg():
    try:
        import psycopg
    except ImportError as exc:  # an optional dependency: only the PostgreSQL store needs it
        raise StoreError("the PostgreSQL store needs psycopg: pip install 'psycopg[binary]'") from exc
    return psycopg


def available_migrations() -> list[tuple[int, str, str]]:
    return schema.available_migrations("postgresql")


def connect(dsn: str):
    """An autocommit psycopg connection (writes open their own transactions)."""
    psycopg = _psycopg()
    try:
        return psycopg.connect(dsn, autocommit=True)
    except psycopg.Error as exc:
        raise StoreError(f"{_redact(dsn)}: cannot connect to PostgreSQL: {exc}") from exc


def _redact(dsn: str) -> str:
    """The DSN without its password, for messages."""
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", dsn)


def current_version(con) -> int:
    con.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT, "
                "applied_at TIMESTAMP DEFAULT current_timestamp)")
    row = con.execute("SELECT max(version) FROM schema_version").fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def migrate(con) -> int:
    """Apply every migration newer than the database, each in its own transaction."""
    with con.transaction():
        con.execute("SELECT pg_advisory_xact_lock(%s)", [_MIGRATION_LOCK])
        version = current_version(con)
    for number, name, sql in available_migrations():
        if number <= version:
            continue
        with con.transaction():
            con.execute("SELECT pg_advisory_xact_lock(%s)", [_MIGRATION_LOCK])
            if current_version(con) >= number:  # another writer applied it meanwhile
                continue
            con.execute(sql)
            con.execute("INSERT INTO schema_version (version, name) VALUES (%s, %s)", [number, name])
        logger.info("applied PostgreSQL migration %s", name)
        version = number
    return version


def _clean(value: Any) -> Any:
    # PostgreSQL text cannot hold NUL; readers already refuse control characters, this is a last guard.
    if isinstance(value, str) and "\x00" in value:
        return value.replace("\x00", "")
    return value


class PostgresWriter(RunRecords):
    """The only writer of a PostgreSQL store. Use as a context manager; ``write`` commits one batch."""

    placeholder = "%s"

    def __init__(self, dsn: str):
        self.dsn = dsn
        self.con = connect(dsn)
        try:
            migrate(self.con)
        except Exception:
            self.con.close()
            raise
        self.run_id = uuid.uuid4().hex[:12]

    def fetch(self, sql: str, params: Sequence[Any] = ()) -> tuple[list[str], list[tuple]]:
        """Column names and rows of a read query written with ``%s`` placeholders."""
        cur = self.con.execute(sql, list(params) or None)
        return [c.name for c in cur.description], cur.fetchall()

    def existing_origins(self, doc_ids: Sequence[str]) -> dict[str, str]:
        """The stored documents among ``doc_ids``, with the origin each was read from."""
        if not doc_ids:
            return {}
        cur = self.con.execute("SELECT doc_id, origin FROM documents WHERE doc_id = ANY(%s)", [list(doc_ids)])
        return {r[0]: r[1] for r in cur.fetchall()}

    def canonical_texts(self) -> Iterator[tuple[str, str]]:
        """Stored documents that are not duplicates, in doc_id order, a page at a time."""
        last = ""
        while True:
            rows = self.con.execute(
                "SELECT doc_id, text FROM documents WHERE duplicate_of IS NULL AND doc_id > %s "
                "ORDER BY doc_id LIMIT %s", [last, _PAGE]).fetchall()
            if not rows:
                return
            yield from rows
            last = rows[-1][0]

    def write(self, docs: Iterable[Document], log: Iterable[LogEntry] = ()) -> None:
        tables = self.batch_rows(docs, log)
        with self.con.transaction():
            for name, rows in tables.items():
                if rows:
                    self._copy(name, rows)

    def _copy(self, table: str, rows: list[dict]) -> None:
        columns = list(rows[0])
        with self.con.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([_clean(row[c]) for c in columns])

    def update_event_ids(self, assignments: dict[tuple[str, int], str]) -> None:
        """Store cluster ids: one real event, one id, across sentences and documents."""
        if not assignments:
            return
        with self.con.transaction(), self.con.cursor() as cur:
            cur.execute("CREATE TEMP TABLE _clusters (doc_id TEXT, idx INTEGER, event_id TEXT) ON COMMIT DROP")
            with cur.copy("COPY _clusters (doc_id, idx, event_id) FROM STDIN") as copy:
                for (doc_id, idx), event_id in assignments.items():
                    copy.write_row([doc_id, idx, event_id])
            cur.execute("UPDATE events SET event_id = c.event_id FROM _clusters c "
                        "WHERE events.doc_id = c.doc_id AND events.idx = c.idx")

    def snapshot(self, tables: Sequence[str] = TABLES) -> duckdb.DuckDBPyConnection:
        """An in-memory DuckDB copy of the store, for the read paths written in DuckDB SQL."""
        return snapshot(self.con, tables)


def snapshot(con, tables: Sequence[str] = TABLES) -> duckdb.DuckDBPyConnection:
    """Copy PostgreSQL tables into a fresh in-memory DuckDB store (same schema as a file store)."""
    duck = duckdb.connect(":memory:")
    schema.migrate(duck)
    for table in tables:
        with con.cursor() as cur:
            cur.execute(f"SELECT * FROM {table}")  # noqa: S608 (names come from TABLES, not from users)
            names = [c.name for c in cur.description]
            while rows := cur.fetchmany(5000):
                arrow = pa.Table.from_pylist([dict(zip(names, r, strict=True)) for r in rows])
                duck.register("_chunk", arrow)
                try:
                    duck.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _chunk")
                finally:
                    duck.unregister("_chunk")
    return duck


def open_snapshot(dsn: str) -> duckdb.DuckDBPyConnection:
    """A DuckDB snapshot of the store at ``dsn`` (read only: migrates nothing)."""
    psycopg = _psycopg()
    con = connect(dsn)
    try:
        return snapshot(con)
    except psycopg.errors.UndefinedTable as exc:
        raise StoreError(f"{_redact(dsn)}: no bilat store there (run `bilat ingest` first)") from exc
    finally:
        con.close()
