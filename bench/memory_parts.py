"""How much memory each per-document part of the ingest's main process keeps (not a test).

    python bench/memory_parts.py dedup --docs 20000 [--distinct] [--tracemalloc]
    python bench/memory_parts.py store --docs 5000 [--analysed 64] [--no-limit] [--cluster]

``dedup`` feeds generated texts (``generate.py``; ``--distinct``: altered so that none is a
near-copy of another) through ``NearDuplicateIndex.add_text``;
``store`` analyses ``--analysed`` generated documents once, then writes copies of them under new
doc_ids through the real ``StoreWriter`` in batches of 64, as the ingest does (series: documents,
RSS growth KB, DuckDB's own memory KB from ``duckdb_memory()``). Each prints the
current RSS (not the peak) and, for ``dedup``, Python's own allocations (tracemalloc) at a few
points, and the growth per document in KB. Run one part per process so they do not mix.
"""
from __future__ import annotations

import argparse
import copy
import dataclasses
import json
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate  # noqa: E402

PAGE_KB = os.sysconf("SC_PAGE_SIZE") / 1024


def rss_kb() -> float:
    """Current resident set of this process (second field of /proc/self/statm, in pages)."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * PAGE_KB


def distinct(text: str, i: int) -> str:
    """The text with every third word tagged by the document's number: no two share a shingle."""
    return " ".join(f"{w}{i}" if k % 3 == 0 else w for k, w in enumerate(text.split()))


def dedup(n: int, every: int, python_only: bool, unique: bool) -> dict:
    from bilat.clean import NearDuplicateIndex

    # generated texts repeat the demo articles' paragraphs, so most are near-copies and not indexed
    texts = [(r["id"], distinct(r["text"], i) if unique else r["text"]) for i, r in enumerate(generate(n))]
    index = NearDuplicateIndex()
    index.add_text("warm-up", texts[0][1] + " warm up")  # so lazy imports and caches are not counted
    if python_only:
        tracemalloc.start()
    base_rss, base_py = rss_kb(), tracemalloc.get_traced_memory()[0] / 1024
    series, dups, started = [], 0, time.perf_counter()
    for i, (doc_id, text) in enumerate(texts, 1):
        dups += index.add_text(doc_id, text) is not None
        if i % every == 0 or i == n:
            series.append([i, round(rss_kb() - base_rss), round(tracemalloc.get_traced_memory()[0] / 1024 - base_py)])
    seconds = time.perf_counter() - started
    return {"part": "dedup", "docs": n, "indexed": len(index), "duplicates": dups,
            "docs_per_s": round(n / seconds), "series_kb": series,
            "rss_kb_per_doc": round(series[-1][1] / n, 2),
            "python_kb_per_doc": round(series[-1][2] / n, 2) if python_only else None}


def _clustering(writer, pipeline, python_only: bool) -> dict:
    """Peak memory of the ingest's last step: clustering every stored event and writing the ids back
    (engines/clustering.py, a group of partitions at a time), under the writer's memory limit."""
    from bilat.engines.clustering import recluster_events

    events = writer.con.execute("SELECT count(*) FROM events").fetchone()[0]
    before = rss_kb()
    if python_only:  # several times slower
        tracemalloc.start()
    started = time.perf_counter()
    for assignments in recluster_events(writer.con, places=pipeline.places):
        writer.update_event_ids(assignments)
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {"events": events, "seconds": round(seconds, 1), "python_peak_mb": round(peak / 2**20),
            "python_peak_kb_per_event": round(peak / 1024 / max(events, 1), 2) if python_only else None,
            "rss_after_growth_mb": round((rss_kb() - before) / 1024),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}


def store(n: int, every: int, analysed: int, limit: bool, cluster: bool, unique: bool, memory_limit: str | None,
          python_only: bool) -> dict:
    from bilat.config import Settings
    from bilat.model import RawDocument, Sentence
    from bilat.pipeline import Pipeline
    from bilat.store import writer as writer_module
    from bilat.store.writer import LogEntry, StoreWriter

    pipeline = Pipeline(Settings())
    raws = [RawDocument(r["id"], "gen", "jsonl", text=r["text"], title=r["title"], url=r["url"],
                        published=r["published"], outlet=r["source"]) for r in generate(analysed)]
    docs = [d for d, err in pipeline.analyse([pipeline.clean(r) for r in raws]) if err is None]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "m.duckdb"
        if not limit:  # the connection without this file's settings, to compare
            connect = writer_module.connect
            writer_module.connect = lambda p, read_only=False: _plain(connect, p)
        with StoreWriter(path) as writer:
            if memory_limit:
                writer.con.execute(f"SET memory_limit = '{memory_limit}'")
            setting = writer.con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
            base, series, started = rss_kb(), [], time.perf_counter()
            for start in range(0, n, 64):
                batch = []
                for i in range(start, min(n, start + 64)):
                    doc = copy.copy(docs[i % len(docs)])
                    doc.doc_id = f"copy-{i:07d}"
                    if unique:  # texts that do not compress against the other copies
                        doc.text = distinct(doc.text, i)
                        doc.sentences = [Sentence(s.start, s.end, distinct(s.text, i)) for s in doc.sentences]
                        doc.events = [dataclasses.replace(e, evidence=distinct(e.evidence, i)) for e in doc.events]
                    batch.append(doc)
                writer.write(batch, [LogEntry(d.origin, d.doc_id, "ingested") for d in batch])
                done = start + len(batch)
                if done % every < 64 or done == n:
                    duck_kb = writer.con.execute("SELECT sum(memory_usage_bytes) FROM duckdb_memory()").fetchone()[0]
                    series.append([done, round(rss_kb() - base), round(duck_kb / 1024)])
            seconds = time.perf_counter() - started
            clustering = _clustering(writer, pipeline, python_only) if cluster else None
            # DuckDB's own account of what it holds, by kind (tables, ART indexes of the keys, ...)
            duck = {tag: round(b / 2**20, 1) for tag, b in writer.con.execute(
                "SELECT tag, memory_usage_bytes FROM duckdb_memory() WHERE memory_usage_bytes > 0").fetchall()}
        size_mb = path.stat().st_size / 2**20
    return {"part": "store", "docs": n, "memory_limit": setting, "docs_per_s": round(n / seconds),
            "db_mb": round(size_mb), "duckdb_mb": duck, "clustering": clustering, "series_kb": series, "rss_kb_per_doc": round(series[-1][1] / n, 2)}


def _plain(connect, path):
    con = connect(path)
    con.execute("RESET memory_limit")
    con.execute("RESET preserve_insertion_order")
    return con


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("part", choices=["dedup", "store"])
    parser.add_argument("--docs", type=int, default=5000)
    parser.add_argument("--every", type=int, default=1000)
    parser.add_argument("--analysed", type=int, default=64, help="store: distinct analysed documents to copy")
    parser.add_argument("--tracemalloc", action="store_true", help="also count Python allocations (slower)")
    parser.add_argument("--distinct", action="store_true", help="make every text distinct")
    parser.add_argument("--cluster", action="store_true", help="store: then measure clustering all events")
    parser.add_argument("--memory-limit", help="store: DuckDB memory_limit to try instead of the writer's")
    parser.add_argument("--no-limit", action="store_true", help="store: DuckDB's default settings")
    args = parser.parse_args()
    if args.part == "dedup":
        result = dedup(args.docs, args.every, args.tracemalloc, args.distinct)
    else:
        result = store(args.docs, args.every, args.analysed, not args.no_limit, args.cluster, args.distinct,
                       args.memory_limit, args.tracemalloc)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
