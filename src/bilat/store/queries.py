"""Read queries shared by the CLI, the Python API, the REST API and the dashboard."""
from __future__ import annotations

import duckdb


def corpus_summary(con: duckdb.DuckDBPyConnection) -> dict:
    one = lambda sql: con.execute(sql).fetchone()[0]  # noqa: E731
    by_type = con.execute("SELECT type, count(*) FROM events GROUP BY type ORDER BY 2 DESC, 1").fetchall()
    return {
        "documents": one("SELECT count(*) FROM documents"),
        "canonical_documents": one("SELECT count(*) FROM documents WHERE duplicate_of IS NULL"),
        "outlets": one("SELECT count(DISTINCT outlet) FROM documents"),
        "first_published": one("SELECT min(published) FROM documents"),
        "last_published": one("SELECT max(published) FROM documents"),
        "events": one("SELECT count(*) FROM events"),
        "event_clusters": one("SELECT count(DISTINCT event_id) FROM events"),
        "quantities": one("SELECT count(*) FROM quantities"),
        "mentions": one("SELECT count(*) FROM mentions"),
        "failed_inputs": one("SELECT count(*) FROM ingest_log WHERE status = 'failed'"),
        "events_by_type": dict(by_type),
    }
