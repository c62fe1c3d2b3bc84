"""Cross-document event clustering over everything stored: one real event, one id."""
from __future__ import annotations

import duckdb

from ..events.cluster import PlaceLookup, cluster_events


def recluster_events(con: duckdb.DuckDBPyConnection, places: PlaceLookup | None = None) -> dict[tuple[str, int], str]:
    """``{(doc_id, idx): event_id}`` for every stored event.

    ``places``: the pipeline's gazetteer, if at hand (else clustering loads one when it must compare
    two different place names)."""
    cur = con.execute(
        "SELECT e.doc_id, e.idx, e.sentence, e.trigger, e.type, e.mode, e.source, e.target, e.source_actor, "
        "e.target_actor, e.date, e.date_precision, e.date_method, e.location, e.negated, e.planned, "
        "d.duplicate_of, d.outlet FROM events e JOIN documents d USING (doc_id) ORDER BY e.doc_id, e.idx")
    names = [c[0] for c in cur.description]
    rows = [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
    keys = {}
    for row in rows:
        row["key"] = f"{row['doc_id']}\x1f{row['idx']}"
        keys[row["key"]] = (row["doc_id"], row["idx"])
    return {keys[k]: event_id for k, event_id in cluster_events(rows, places=places).items()}
