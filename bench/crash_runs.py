"""Crash safety of ``bilat ingest``: SIGKILL at random points, then check the database and resume.

    python bench/crash_runs.py --docs 5000 --kills 20 [--words 300] [--seed 0] [--workers 2] [--workdir DIR]
                               [--out FILE] [--by-progress]

1. A reference run ingests a generated corpus (bench/generate.py) without interruption; it runs
   side by side with the killed runs, as it is only needed for the checks (or give ``--reference-db``).
2. The same corpus is ingested into a second database, and the process is killed with SIGKILL after
   a random delay; this is repeated ``--kills`` times, each run resuming the database the last one
   left (so the kills fall all along one ingest: start-up, batches, clustering, the end of the run).
3. After every kill the database must open and hold only whole documents: each stored document has
   its sentences, and its numbers of sentences, events, mentions, quantities and removed paragraphs
   equal those of the reference run; no row belongs to a document that is not stored.
4. A last uninterrupted run completes the database; its export (``bilat.store.export``, JSONL,
   lines sorted) must equal the reference run's export exactly.

Delays are drawn uniformly from [0.5 s, start-up + 2 x (estimated work) / kills], the work being
estimated from a calibration run of 60 other documents, so the kills cover the whole ingest on average; on a
loaded machine many then land in start-up, so ``--by-progress`` instead kills after a random number
of writes to the database's WAL (its run record, one commit per batch, the event clustering) plus
up to 2 s, which spreads the kills over all batches and the end of the run.
Prints a JSON summary (and writes it to ``--out``).
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import write_jsonl  # noqa: E402

from bilat.store.export import export  # noqa: E402
from bilat.store.writer import connect  # noqa: E402

logger = logging.getLogger(__name__)

BILAT = [sys.executable, "-m", "bilat.cli"]
CHILD_TABLES = ("sentences", "events", "mentions", "quantities", "removed")
EXPORTED = ("documents", "events", "quantities", "actors")


@dataclass
class KillResult:
    number: int
    point: str  # when the kill came: "37.2 s" after start, or "3 writes + 0.4 s"
    exited_before_kill: bool
    docs_after: int
    check_seconds: float
    problems: list[str] = field(default_factory=list)


def ingest_command(corpus: Path, db: Path, config: Path | None) -> list[str]:
    cmd = [*BILAT, "ingest", str(corpus), "--db", str(db)]
    return cmd + ["--config", str(config)] if config else cmd


def run_to_end(corpus: Path, db: Path, config: Path | None, timeout: float = 7200) -> float:
    """One uninterrupted ingest; returns its wall time."""
    started = time.perf_counter()
    result = subprocess.run(ingest_command(corpus, db, config), capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        raise RuntimeError(f"ingest failed ({result.returncode}): {result.stderr[-2000:]}")
    return time.perf_counter() - started


def run_and_kill(corpus: Path, db: Path, config: Path | None, delay: float) -> bool:
    """Start an ingest, SIGKILL it (its whole process group) after ``delay`` s; True if it ended first."""
    proc = subprocess.Popen(ingest_command(corpus, db, config), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        proc.wait(timeout=delay)
        return True
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        return False


def run_and_kill_after_commits(corpus: Path, db: Path, config: Path | None, commits: int, extra_delay: float,
                               timeout: float = 1800) -> bool:
    """Start an ingest and SIGKILL it ``extra_delay`` s after its ``commits``-th write to the WAL.

    Progress-based, so the kill point does not depend on how loaded the machine is: the first writes
    are the run's own record, then one per batch. True if the ingest ended before the kill.
    """
    wal = db.with_name(db.name + ".wal")
    proc = subprocess.Popen(ingest_command(corpus, db, config), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    seen, size, deadline = 0, wal.stat().st_size if wal.exists() else 0, time.monotonic() + timeout
    while seen < commits and time.monotonic() < deadline:
        if proc.poll() is not None:
            return True
        now = wal.stat().st_size if wal.exists() else 0
        if now > size:
            seen += 1
        size = now
        time.sleep(0.02)
    time.sleep(extra_delay)
    if proc.poll() is not None:
        return True
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    return False


def per_document_counts(db: Path) -> dict[str, tuple[int, ...]]:
    """doc_id -> (sentences, events, mentions, quantities, removed) for every stored document."""
    con = duckdb.connect(str(db))  # read-write: replays the WAL a killed writer left
    try:
        joins = " ".join(f"LEFT JOIN (SELECT doc_id, count(*) AS n_{t} FROM {t} GROUP BY doc_id) {t} USING (doc_id)"
                         for t in CHILD_TABLES)
        cols = ", ".join(f"coalesce(n_{t}, 0)" for t in CHILD_TABLES)
        rows = con.execute(f"SELECT doc_id, {cols} FROM documents {joins}").fetchall()
        return {r[0]: tuple(r[1:]) for r in rows}
    finally:
        con.close()


def check_whole_documents(db: Path, reference: dict[str, tuple[int, ...]]) -> tuple[int, list[str]]:
    """(documents stored, problems): every stored document complete and equal in size to the reference."""
    try:
        counts = per_document_counts(db)
    except duckdb.Error as exc:
        return 0, [f"database does not open: {exc}"]
    return len(counts), orphan_rows(db) + check_against(counts, reference)


def sorted_export(db: Path, out: Path) -> dict[str, list[str]]:
    """The JSONL export of each table, lines sorted (the order of rows is not part of the result)."""
    con = connect(db, read_only=True)
    try:
        export(con, out, "jsonl")
    finally:
        con.close()
    return {name: sorted((out / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()) for name in EXPORTED}


def compare_exports(a: dict[str, list[str]], b: dict[str, list[str]]) -> list[str]:
    problems = []
    for name in EXPORTED:
        if a[name] != b[name]:
            only_a, only_b = set(a[name]) - set(b[name]), set(b[name]) - set(a[name])
            problems.append(f"{name}: {len(a[name])} vs {len(b[name])} rows, {len(only_a)} only in the first "
                            f"(e.g. {next(iter(only_a), '')[:200]}), {len(only_b)} only in the second")
    return problems


def wait_until_complete(db: Path, timeout: float = 7200) -> None:
    """Wait for an ingest running elsewhere to finish: its database opens and its last run has ended."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            con = duckdb.connect(str(db), read_only=True)
        except duckdb.Error:  # still held by the writer
            time.sleep(10)
            continue
        try:
            row = con.execute("SELECT count(*) FILTER (WHERE finished IS NULL) FROM runs").fetchone()
        finally:
            con.close()
        if row and row[0] == 0:
            return
        raise RuntimeError(f"{db}: the reference run did not finish")
    raise TimeoutError(f"{db}: still busy after {timeout:.0f} s")


def check_against(counts: dict[str, tuple[int, ...]], reference: dict[str, tuple[int, ...]]) -> list[str]:
    problems = []
    for doc_id, got in counts.items():
        want = reference.get(doc_id)
        if want is None:
            problems.append(f"{doc_id}: not in the reference run")
        elif got[0] == 0:
            problems.append(f"{doc_id}: stored without sentences")
        elif got != want:
            named = ", ".join(f"{t} {g} != {w}" for t, g, w in zip(CHILD_TABLES, got, want, strict=True) if g != w)
            problems.append(f"{doc_id}: {named}")
    return problems[:20]


def orphan_rows(db: Path) -> list[str]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        out = []
        for table in CHILD_TABLES:
            n = con.execute(f"SELECT count(*) FROM {table} t WHERE NOT EXISTS "
                            f"(SELECT 1 FROM documents d WHERE d.doc_id = t.doc_id)").fetchone()[0]
            if n:
                out.append(f"{n} {table} rows of documents that are not stored")
        return out
    finally:
        con.close()


def crash_runs(docs: int, kills: int, words: int, seed: int, workdir: Path, batch_size: int = 64,
               workers: int = 1,
               reference_db: Path | None = None, by_progress: bool = False) -> dict:
    """Reference run and killed runs side by side (the reference is only needed for the final checks).

    With ``reference_db`` an ingest of the same corpus already running (or done) elsewhere is used.
    """
    rng = random.Random(seed)
    corpus = workdir / "corpus.jsonl"
    if not corpus.exists():
        write_jsonl(corpus, docs, words=words, seed=seed)
    config = workdir / "settings.json"
    config.write_text(json.dumps({"batch_size": batch_size, "n_process": workers}), encoding="utf-8")
    startup = run_to_end(write_jsonl(workdir / "one.jsonl", 1, words=words), workdir / f"startup-{seed}.duckdb", config)
    n_calibration = min(60, docs)
    calibration = run_to_end(write_jsonl(workdir / "calibration.jsonl", n_calibration, words=words, seed=seed + 1),
                             workdir / f"calibration-{seed}.duckdb", config)
    per_doc = max(calibration - startup, 1.0) / n_calibration
    reference_proc = None
    if reference_db is None:
        reference_db = workdir / "reference.duckdb"
        # stderr to a file: a pipe nobody reads while the kills run could fill up and stall the run.
        reference_err = (workdir / "reference.stderr").open("w", encoding="utf-8")
        reference_proc = subprocess.Popen(ingest_command(corpus, reference_db, config),
                                          stdout=subprocess.DEVNULL, stderr=reference_err)
    logger.warning("start-up %.1f s, about %.2f s a document: a full run takes about %.0f s", startup, per_doc,
                   startup + per_doc * docs)

    db = workdir / f"killed-{seed}.duckdb"
    max_delay = startup + 2 * per_doc * docs / kills
    results: list[KillResult] = []
    snapshots: list[dict[str, tuple[int, ...]]] = []
    # By progress: each kill aims at a batch drawn at random over the whole ingest (sorted, so the kills
    # fall all along it): the run is killed after as many WAL writes as batches are missing up to that
    # batch (plus its run record), then up to 2 s more, so a kill can also land mid-batch.
    batches = max(1, -(-docs // batch_size))
    targets = sorted(rng.randint(1, batches) for _ in range(kills))
    stored = 0
    for number in range(1, kills + 1):
        if by_progress:
            commits = 1 + max(1, targets[number - 1] - stored // batch_size)
            extra = rng.uniform(0.0, 2.0)
            point = f"{commits} writes + {extra:.1f} s"
            ended = run_and_kill_after_commits(corpus, db, config, commits, extra)
        else:
            delay = rng.uniform(0.5, max_delay)
            point = f"{delay:.1f} s"
            ended = run_and_kill(corpus, db, config, delay)
        t0 = time.perf_counter()
        problems: list[str] = []
        counts: dict[str, tuple[int, ...]] = {}
        if db.exists():
            try:
                counts = per_document_counts(db)
                problems = orphan_rows(db)
            except duckdb.Error as exc:
                problems = [f"database does not open: {exc}"]
        snapshots.append(counts)
        stored = len(counts)
        results.append(KillResult(number, point, ended, len(counts), round(time.perf_counter() - t0, 2), problems))
        logger.warning("kill %d after %s: %d documents stored%s", number, point, len(counts),
                       " (run had ended)" if ended else "")
    final_seconds = run_to_end(corpus, db, config)
    logger.warning("final rerun took %.0f s; waiting for the reference run", final_seconds)
    if reference_proc is not None:
        reference_proc.wait()
        reference_err.close()
        if reference_proc.returncode != 0:
            err = (workdir / "reference.stderr").read_text(encoding="utf-8")
            raise RuntimeError(f"reference ingest failed: {err[-2000:]}")
    wait_until_complete(reference_db)
    reference = per_document_counts(reference_db)
    for result, counts in zip(results, snapshots, strict=True):
        result.problems += check_against(counts, reference)
    export_problems = compare_exports(sorted_export(db, workdir / f"export-killed-{seed}"),
                                      sorted_export(reference_db, workdir / f"export-reference-{seed}"))
    final = per_document_counts(db)
    final_problems = check_against(final, reference) + orphan_rows(db)
    return {
        "docs": docs, "words": words, "batch_size": batch_size, "workers": workers, "kills": kills, "seed": seed,
        "kill_schedule": f"after the WAL writes up to batches {targets} + 0-2 s" if by_progress else
        f"after 0.5..{max_delay:.0f} s",
        "startup_seconds": round(startup, 1), "seconds_per_doc_estimate": round(per_doc, 3),
        "max_delay_seconds": round(max_delay, 1), "reference_docs": len(reference),
        "kills_that_interrupted": sum(not r.exited_before_kill for r in results),
        "kills_with_problems": sum(bool(r.problems) for r in results),
        "final_rerun_seconds": round(final_seconds, 1), "final_docs": len(final),
        "converged": not export_problems and not final_problems and len(final) == len(reference),
        "export_differences": export_problems, "final_problems": final_problems,
        "runs": [asdict(r) for r in results],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=5000)
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--words", type=int, default=300)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=1, help="worker processes of each ingest (n_process)")
    parser.add_argument("--workdir", type=Path, help="keep the corpus and databases here (default: a temp dir)")
    parser.add_argument("--out", type=Path, help="write the JSON summary here too")
    parser.add_argument("--reference-db", type=Path,
                        help="an ingest of the same corpus (WORKDIR/corpus.jsonl) running or done elsewhere")
    parser.add_argument("--by-progress", action="store_true",
                        help="kill after a random number of commits (WAL writes) instead of a random time")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(message)s")
    with tempfile.TemporaryDirectory(prefix="bilat-crash-") as tmp:
        workdir = args.workdir or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        summary = crash_runs(args.docs, args.kills, args.words, args.seed, workdir, args.batch_size, args.workers,
                             args.reference_db, args.by_progress)
    text = json.dumps(summary, indent=2)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0 if summary["converged"] and not summary["kills_with_problems"] else 1


if __name__ == "__main__":
    sys.exit(main())
