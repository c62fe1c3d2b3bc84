"""Full-text search over documents and event evidence: a SQLite FTS5 side index next to the DB.

Why SQLite FTS5 rather than DuckDB's fts extension: the dashboard opens the DuckDB file
read-only, and DuckDB's ``create_fts_index`` writes its index tables into that same database
(and must be rebuilt after every insert anyway). FTS5 ships with Python's stdlib, keeps its
index in a separate file that can be thrown away and rebuilt, answers in well under a
millisecond, and gives ranked results with highlighted snippets (``bm25``, ``snippet``).

The side file is ``<db>.search.sqlite``; it records a fingerprint of the DuckDB file (size,
mtime, row counts) and is rebuilt when that changes. If the DB's folder is not writable the
index goes to the user's temp folder instead.
"""
from __future__ import annotations

import hashlib
import logging
import os
import re
import sqlite3
import tempfile
import threading
from pathlib import Path
from typing import Any

import duckdb

from .corrections import REVIEWED_EVENTS

logger = logging.getLogger(__name__)

_WORD = re.compile(r"\w+", re.UNICODE)
MAX_TERMS = 12
# Snippet match markers: private-use characters, so they cannot collide with article text.
MARK_OPEN, MARK_CLOSE = "\ue000", "\ue001"


def fts_query(text: str) -> str | None:
    """User text as an FTS5 query: every word quoted (no operators), all must match, last one as prefix."""
    words = _WORD.findall(text or "")[:MAX_TERMS]
    if not words:
        return None
    quoted = [f'"{w}"' for w in words]
    quoted[-1] += "*"
    return " ".join(quoted)


class SearchIndex:
    """Build-once, query-many FTS5 index of one DuckDB store."""

    def __init__(self, db_path: str | Path, index_path: str | Path | None = None):
        self.db_path = Path(db_path)
        self.index_path = Path(index_path) if index_path else self._default_path()
        self._lock = threading.Lock()

    def _default_path(self) -> Path:
        beside = self.db_path.with_name(self.db_path.name + ".search.sqlite")
        if os.access(beside.parent, os.W_OK):
            return beside
        digest = hashlib.sha1(str(self.db_path.resolve()).encode()).hexdigest()[:12]
        return Path(tempfile.gettempdir()) / f"bilat-search-{digest}.sqlite"

    def _fingerprint(self, con: duckdb.DuckDBPyConnection) -> str:
        st = self.db_path.stat()
        n_docs = con.execute("SELECT count(*) FROM documents").fetchone()[0]
        n_events = con.execute("SELECT count(*) FROM events").fetchone()[0]
        return f"{st.st_size}:{st.st_mtime_ns}:{n_docs}:{n_events}"

    def ensure(self, con: duckdb.DuckDBPyConnection) -> None:
        """Build the index unless an up-to-date one exists."""
        with self._lock:
            fp = self._fingerprint(con)
            if self.index_path.exists():
                try:
                    with sqlite3.connect(self.index_path) as lite:
                        row = lite.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()
                    if row and row[0] == fp:
                        return
                except sqlite3.Error:
                    logger.info("search index %s unreadable; rebuilding", self.index_path)
            self._build(con, fp)

    def _build(self, con: duckdb.DuckDBPyConnection, fingerprint: str) -> None:
        tmp = self.index_path.with_name(self.index_path.name + ".tmp")
        tmp.unlink(missing_ok=True)
        lite = sqlite3.connect(tmp)
        try:
            lite.executescript(
                "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);"
                "CREATE VIRTUAL TABLE docs USING fts5(doc_id UNINDEXED, title, outlet UNINDEXED, published UNINDEXED,"
                " text, tokenize='unicode61 remove_diacritics 2');"
                "CREATE VIRTUAL TABLE events USING fts5(event_key UNINDEXED, doc_id UNINDEXED, type, actors,"
                " evidence, date UNINDEXED, outlet UNINDEXED, tokenize='unicode61 remove_diacritics 2');")
            cur = con.cursor()
            try:
                res = cur.execute("SELECT doc_id, title, outlet, published, text FROM documents")
                while batch := res.fetchmany(2000):
                    lite.executemany("INSERT INTO docs VALUES (?, ?, ?, ?, ?)", batch)
                res = cur.execute(
                    "SELECT coalesce(e.event_id, e.doc_id || '~' || CAST(e.idx AS VARCHAR)), e.doc_id, e.type, "
                    "concat_ws(' ', e.source, e.source_actor, e.target, e.target_actor), e.evidence, "
                    f"coalesce(e.date, d.published), d.outlet FROM {REVIEWED_EVENTS} e JOIN documents d USING (doc_id)")
                while batch := res.fetchmany(5000):
                    lite.executemany("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?)", batch)
            finally:
                cur.close()
            lite.execute("INSERT INTO meta VALUES ('fingerprint', ?)", [fingerprint])
            lite.commit()
        finally:
            lite.close()
        os.replace(tmp, self.index_path)
        logger.info("built search index %s", self.index_path)

    def search(self, con: duckdb.DuckDBPyConnection, text: str, limit: int = 20) -> dict[str, Any]:
        """Documents and events matching every word of ``text``, best first, with marked snippets."""
        self.ensure(con)
        query = fts_query(text)
        if query is None:
            return {"query": text, "documents": [], "events": []}
        with sqlite3.connect(f"file:{self.index_path}?mode=ro", uri=True) as lite:
            docs = lite.execute(
                "SELECT doc_id, title, outlet, published, snippet(docs, 4, ?, ?, ' … ', 24) "
                "FROM docs WHERE docs MATCH ? ORDER BY bm25(docs, 0, 5.0, 0, 0, 1.0) LIMIT ?",
                [MARK_OPEN, MARK_CLOSE, query, limit]).fetchall()
            evs = lite.execute(
                "SELECT event_key, doc_id, type, date, outlet, snippet(events, 4, ?, ?, ' … ', 24) "
                "FROM events WHERE events MATCH ? ORDER BY bm25(events) LIMIT ?",
                [MARK_OPEN, MARK_CLOSE, query, limit]).fetchall()
        return {
            "query": text,
            "documents": [dict(zip(("doc_id", "title", "outlet", "published", "snippet"), r, strict=True))
                          for r in docs],
            "events": [dict(zip(("event_key", "doc_id", "type", "date", "outlet", "snippet"), r, strict=True))
                       for r in evs],
        }
