"""Cross-document event clustering over everything stored: one real event, one id.

Two mentions can only be one event when their type and their pair of actors agree, so the stored
events are read and clustered a group of such partitions at a time (at most about ``max_rows``
rows in memory, ~1.4 KB each as Python rows) and the ids written back group by group: the same ids
as clustering everything at once, with memory bounded on a store of any size.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..events.cluster import EventClusterer, PlaceLookup

MAX_ROWS = 50_000  # event rows clustered at once (a larger partition is still taken whole)

_PAIR_LO = "least(coalesce(e.source, ''), coalesce(e.target, ''))"
_PAIR_HI = "greatest(coalesce(e.source, ''), coalesce(e.target, ''))"
_COLUMNS = ("e.doc_id, e.idx, e.sentence, e.trigger, e.type, e.mode, e.source, e.target, e.source_actor, "
            "e.target_actor, e.date, e.date_precision, e.date_method, e.location, e.negated, e.planned, "
            "d.duplicate_of, d.outlet")


def recluster_events(con: Any, places: PlaceLookup | None = None, max_rows: int = MAX_ROWS,
                     placeholder: str = "?") -> Iterator[dict[tuple[str, int], str]]:
    """``{(doc_id, idx): event_id}`` for every stored event, one group of partitions at a time.

    ``con``: a DuckDB (or DB-API, with its ``placeholder``) connection; each yielded group can be
    written back (``update_event_ids``) before the next is read. ``places``: the pipeline's
    gazetteer, if at hand (else clustering loads one when it must compare two place names)."""
    counts = con.execute(
        f"SELECT e.type, {_PAIR_LO}, {_PAIR_HI}, count(*) FROM events e GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"
    ).fetchall()
    clusterer = EventClusterer(places=places)  # one, so that its date and place caches carry over
    ranked = ("SELECT * FROM (SELECT " + _COLUMNS + f", dense_rank() OVER (ORDER BY e.type, {_PAIR_LO}, "
              f"{_PAIR_HI}) AS part FROM events e JOIN documents d USING (doc_id)) AS r "
              f"WHERE part BETWEEN {placeholder} AND {placeholder} ORDER BY doc_id, idx")
    for first, last in _groups([c[3] for c in counts], max_rows):
        cur = con.execute(ranked, [first + 1, last + 1])
        names = [c[0] for c in cur.description][:-1]
        rows, keys = [], {}
        for values in cur.fetchall():
            row = dict(zip(names, values[:-1], strict=True))
            row["key"] = f"{row['doc_id']}\x1f{row['idx']}"
            keys[row["key"]] = (row["doc_id"], row["idx"])
            rows.append(row)
        yield {keys[k]: event_id for k, event_id in clusterer.cluster(rows).items()}


def _groups(sizes: list[int], max_rows: int) -> Iterator[tuple[int, int]]:
    """Consecutive partitions (first, last index) of at most ``max_rows`` rows, or one larger one."""
    start, total = 0, 0
    for i, size in enumerate(sizes):
        if total and total + size > max_rows:
            yield start, i - 1
            start, total = i, 0
        total += size
    if total:
        yield start, len(sizes) - 1
