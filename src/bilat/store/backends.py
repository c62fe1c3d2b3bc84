"""Choose the store by its address: a file path is DuckDB, ``postgresql://`` is PostgreSQL.

Writers share one interface (``StoreWriter`` / ``PostgresWriter``). Readers get a DuckDB
connection either way: the file itself, read only, or an in-memory snapshot of the PostgreSQL
tables, so export and the query layer keep one dialect of SQL.
"""
from __future__ import annotations

from pathlib import Path

import duckdb

from .writer import StoreWriter, connect


def is_postgres(db: str | Path) -> bool:
    return str(db).startswith(("postgresql://", "postgres://"))


def open_writer(db: str | Path):
    """The single writer for ``db``."""
    if is_postgres(db):
        from .postgres import PostgresWriter

        return PostgresWriter(str(db))
    return StoreWriter(db)


def open_reader(db: str | Path) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection to read ``db``: the file read only, or a snapshot of a PostgreSQL store."""
    if is_postgres(db):
        from .postgres import open_snapshot

        return open_snapshot(str(db))
    return connect(db, read_only=True)


def fetch(writer, sql: str, params: list | tuple = ()) -> tuple[list[str], list[tuple]]:
    """Column names and rows of a read query through either writer.

    Placeholders are ``?``; with parameters, the SQL must hold no other ``?`` or ``%``.
    """
    if hasattr(writer, "fetch"):
        return writer.fetch(sql.replace("?", "%s") if params else sql, params)
    cur = writer.con.execute(sql, list(params))
    return [c[0] for c in cur.description], cur.fetchall()
