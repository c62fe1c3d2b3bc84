"""The writer bounds DuckDB's memory; readers keep DuckDB's default."""
from __future__ import annotations

import re

import duckdb

from bilat.model import Document
from bilat.store.writer import WRITER_MEMORY_LIMIT, LogEntry, StoreWriter, connect

UNITS = {"KiB": 2**10, "MiB": 2**20, "GiB": 2**30, "TiB": 2**40}


def limit_bytes(con: duckdb.DuckDBPyConnection) -> float:
    text = con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
    number, unit = re.fullmatch(r"([\d.]+) (\w+)", text).groups()
    return float(number) * UNITS[unit]


def test_writer_connection_has_the_memory_limit(tmp_path):
    with StoreWriter(tmp_path / "w.duckdb") as writer:
        got = limit_bytes(writer.con)
    expected = limit_bytes(duckdb.connect(config={"memory_limit": WRITER_MEMORY_LIMIT}))
    assert got == expected
    assert got <= 2**30  # DuckDB's default is 80% of RAM


def test_reopened_writer_and_connect_keep_the_limit(tmp_path):
    db = tmp_path / "w.duckdb"
    with StoreWriter(db) as writer:
        writer.write([Document("d1", "d1.txt", "txt", "Russia and Tajikistan signed a treaty.")],
                     [LogEntry("d1.txt", "d1", "ingested")])
    con = connect(db)
    try:
        assert limit_bytes(con) <= 2**30
        assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 1
    finally:
        con.close()


def test_read_only_connection_is_not_limited(tmp_path):
    db = tmp_path / "r.duckdb"
    connect(db).close()
    con = connect(db, read_only=True)
    try:  # queries from the API may need more than the writer does
        assert limit_bytes(con) == limit_bytes(duckdb.connect())
    finally:
        con.close()
