"""Numbered migrations: ``migrations/NNN_name.sql`` applied in order, recorded in ``schema_version``; the
same files serve PostgreSQL, translated (``dialect.py``)."""
from __future__ import annotations

import logging
import re
from importlib import resources

import duckdb

from ..errors import StoreError
from .dialect import translate

logger = logging.getLogger(__name__)

_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")


def available_migrations(dialect: str = "duckdb") -> list[tuple[int, str, str]]:
    """``(number, file name, SQL)`` of each migration in ``migrations/`` of this package, in order, the SQL
    as ``dialect`` (duckdb, postgresql) runs it: one source for both stores (``dialect.py``)."""
    folder = resources.files("bilat.store") / "migrations"
    found = []
    for entry in folder.iterdir():
        match = _NAME.match(entry.name)
        if match:
            sql = translate(entry.read_text(encoding="utf-8"), dialect, f"migrations/{entry.name}")
            found.append((int(match.group(1)), entry.name, sql))
    return sorted(found)


def current_version(con: duckdb.DuckDBPyConnection) -> int:
    con.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name VARCHAR, "
                "applied_at TIMESTAMP DEFAULT current_timestamp)")
    row = con.execute("SELECT max(version) FROM schema_version").fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def migrate(con: duckdb.DuckDBPyConnection) -> int:
    """Apply every migration newer than the database; each in its own transaction."""
    version = current_version(con)
    applied = False
    for number, name, sql in available_migrations():
        if number <= version:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(sql)
            con.execute("INSERT INTO schema_version (version, name) VALUES (?, ?)", [number, name])
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        logger.info("applied migration %s", name)
        applied = True
        version = number
    if applied:
        # Write the new schema into the file now: DuckDB cannot replay an ALTER TABLE from the
        # write-ahead log of a run killed before its first checkpoint.
        con.execute("CHECKPOINT")
    return version


# Tables every bilat store has from its first migration on; their absence means damage or another program's file.
CORE_TABLES = ("documents", "sentences", "mentions", "events", "quantities", "removed", "ingest_log")


def stored_version(con: duckdb.DuckDBPyConnection, where: str) -> int | None:
    """The schema version of an existing store without changing it: None for an empty database. Raises
    StoreError, in one line, for a database of another program, one a newer bilat wrote, or one with core
    tables missing."""
    tables = {r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'").fetchall()}
    if "schema_version" not in tables:
        if tables:
            shown = ", ".join(sorted(tables)[:5]) + (", ..." if len(tables) > 5 else "")
            raise StoreError(f"{where}: not a bilat database (it holds the tables {shown})")
        return None
    row = con.execute("SELECT max(version) FROM schema_version").fetchone()
    version = int(row[0]) if row and row[0] is not None else 0
    latest = available_migrations()[-1][0]
    if version > latest:
        raise StoreError(f"{where}: written by a newer bilat (schema {version}; this one knows up to {latest}): "
                         "upgrade bilat to use it")
    missing = [t for t in CORE_TABLES if t not in tables] if version else []
    if missing:
        raise StoreError(f"{where}: a damaged bilat database: table {', '.join(missing)} missing")
    return version
