"""Export the store as JSONL (the format ``shared/eval/score.py`` reads), Parquet or CSV."""
from __future__ import annotations

import csv
import json
import logging
from pathlib import Path
from typing import Any

import duckdb

from ..errors import BilatError
from .corrections import REVIEWED_EVENTS

logger = logging.getLogger(__name__)

FORMATS = ("jsonl", "parquet", "csv")
# a spreadsheet runs a cell starting with one of these as a formula ("=HYPERLINK(...)", "=cmd|...")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

DOCUMENTS_SQL = """
SELECT d.doc_id, d.title, d.outlet, d.url, d.published, d.published_precision, d.published_method,
       d.published_evidence, d.cited_sources, d.duplicate_of, d.origin, d.fmt, d.lang, d.text,
       coalesce((SELECT list({'reason': r.reason, 'text': r.text} ORDER BY r.idx)
                 FROM removed r WHERE r.doc_id = d.doc_id), []) AS removed
FROM documents d ORDER BY d.doc_id
"""

EVENTS_SQL = f"""
SELECT e.doc_id, e.event_id, e.date, e.date_precision, e.date_method, e.source, e.source_actor, e.target,
       e.target_actor, e.type, e.mode, e.cameo, e.intensity, e.negated, e.planned, e.hypothetical,
       e.attribution, e.location, e.lat, e.lon, e.evidence, [e.start_char, e.end_char] AS span,
       e.sentence, e.trigger, e.rule, e.model, e.confidence, e.corrected, e.correction_id, d.outlet, d.duplicate_of
FROM {REVIEWED_EVENTS} e JOIN documents d USING (doc_id) ORDER BY e.doc_id, e.idx
"""

QUANTITIES_SQL = """
SELECT q.doc_id, q.text, q.value, q.unit, q.value_usd, q.bound, q.metric, q.countries, q.period,
       q.is_claim, q.evidence, [q.start_char, q.end_char] AS span, q.sentence, d.outlet
FROM quantities q JOIN documents d USING (doc_id) ORDER BY q.doc_id, q.idx
"""

# One row per actor per document, named as the article spells it (the longest name mention;
# the knowledge base's form is canonical_name); the first mention stands as evidence.
ACTORS_SQL = """
WITH m AS (SELECT *, coalesce(kb_id, name) AS entity FROM mentions WHERE name IS NOT NULL),
ranked AS (SELECT *, row_number() OVER w AS rn, count(*) OVER w AS n_mentions
           FROM m WINDOW w AS (PARTITION BY doc_id, entity, country ORDER BY idx)),
spelled AS (SELECT m.doc_id, entity, country, first(m.text ORDER BY length(m.text) DESC, m.idx) AS spelled
            FROM m JOIN documents d USING (doc_id)
            -- a Russian name is spelled in its case form ("Путиным"): the canonical name stands instead
            WHERE kind = 'person' AND via = 'name' AND coalesce(d.lang, 'en') <> 'ru' GROUP BY ALL)
SELECT r.doc_id, coalesce(sp.spelled, r.name) AS name, r.name AS canonical_name, r.country, r.sector,
       r.role, r.kb_id, r.kind, r.learned, s.text AS evidence, [r.start_char, r.end_char] AS span,
       r.sentence, r.n_mentions
FROM ranked r
LEFT JOIN spelled sp ON sp.doc_id = r.doc_id AND sp.entity = r.entity AND sp.country IS NOT DISTINCT FROM r.country
LEFT JOIN sentences s ON s.doc_id = r.doc_id AND s.idx = r.sentence
WHERE r.rn = 1
ORDER BY r.doc_id, r.idx
"""

TABLES = {"documents": DOCUMENTS_SQL, "events": EVENTS_SQL, "quantities": QUANTITIES_SQL, "actors": ACTORS_SQL}


def export(con: duckdb.DuckDBPyConnection, out_dir: str | Path, fmt: str = "jsonl") -> dict[str, int]:
    """Write one file per table into ``out_dir``; returns the row count of each."""
    if fmt not in FORMATS:
        raise BilatError(f"unknown export format {fmt!r} (choose from {', '.join(FORMATS)})")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    counts = {}
    for name, sql in TABLES.items():
        target = out / f"{name}.{fmt}"
        if fmt == "jsonl":
            counts[name] = _write_jsonl(con, sql, target)
        elif fmt == "csv":
            counts[name] = _write_csv(con, sql, target)
        else:
            path = str(target).replace("'", "''")
            con.execute(f"COPY ({sql}) TO '{path}' (FORMAT parquet)")
            counts[name] = con.execute(f"SELECT count(*) FROM ({sql})").fetchone()[0]
    return counts


def csv_cell(value: Any) -> Any:
    """A value as a CSV cell a spreadsheet shows and never runs: text that would start a formula gets a
    leading apostrophe (OWASP's advice against CSV injection: an outlet or title is third-party text);
    lists and records are written as JSON."""
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _write_csv(con: duckdb.DuckDBPyConnection, sql: str, target: Path) -> int:
    cur = con.execute(sql)
    n = 0
    with target.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow([c[0] for c in cur.description])
        while batch := cur.fetchmany(2000):
            writer.writerows([csv_cell(v) for v in row] for row in batch)
            n += len(batch)
    return n


def _write_jsonl(con: duckdb.DuckDBPyConnection, sql: str, target: Path) -> int:
    cur = con.execute(sql)
    names = [c[0] for c in cur.description]
    n = 0
    with target.open("w", encoding="utf-8") as f:
        while batch := cur.fetchmany(2000):
            for row in batch:
                f.write(json.dumps(dict(zip(names, row, strict=True)), ensure_ascii=False, default=str) + "\n")
                n += 1
    return n
