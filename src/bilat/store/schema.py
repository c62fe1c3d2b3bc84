"""Numbered migrations: ``migrations/NNN_name.sql`` applied in order, recorded in ``schema_version``."""
from __future__ import annotations

import logging
import re
from importlib import resources

import duckdb

logger = logging.getLogger(__name__)

_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")


def available_migrations() -> list[tuple[int, str, str]]:
    folder = resources.files("bilat.store") / "migrations"
    found = []
    for entry in folder.iterdir():
        match = _NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.name, entry.read_text(encoding="utf-8")))
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
