"""SIGKILL at several points of one ingest; the database stays whole and a rerun converges.

tests/engines/test_ingest.py kills once, at a fixed delay. Here the same ingest is killed three
times in a row at different points of its progress (each run resuming what the last one left),
and after each kill every stored document must be complete and equal in size to the reference
run. The full-size run, with random kill times, is bench/crash_runs.py.
"""
from __future__ import annotations

import json
import random

import pytest
from crash_runs import (
    check_whole_documents,
    compare_exports,
    per_document_counts,
    run_and_kill_after_commits,
    run_to_end,
    sorted_export,
)
from generate import write_jsonl

N_DOCS = 150


@pytest.mark.slow
def test_three_kills_then_rerun_converges(tmp_path):
    corpus = write_jsonl(tmp_path / "gen.jsonl", N_DOCS, words=250, seed=3)
    config = tmp_path / "settings.json"
    config.write_text(json.dumps({"batch_size": 8}))
    reference_db = tmp_path / "reference.duckdb"
    run_to_end(corpus, reference_db, config)
    reference = per_document_counts(reference_db)
    assert len(reference) == N_DOCS

    db = tmp_path / "killed.duckdb"
    rng = random.Random(11)
    stored_after: list[int] = []
    # Kill points by progress, not by clock (a loaded machine would move them): after the 3rd, 5th and
    # 7th write to the WAL of each run (set-up and run record first, then about one per batch of 8),
    # plus a random fraction of a second, so a kill can land mid-batch. Each run resumes the last, so
    # together they stay well inside the 19 batches and the last kill still lands mid-ingest.
    for commits in (3, 5, 7):
        ended = run_and_kill_after_commits(corpus, db, config, commits, rng.uniform(0.0, 1.0))
        stored, problems = check_whole_documents(db, reference)
        assert not problems, problems
        stored_after.append(stored)
        assert ended or stored < N_DOCS
    assert any(0 < n < N_DOCS for n in stored_after), f"no kill interrupted the ingest mid-way: {stored_after}"
    assert stored_after == sorted(stored_after), "a resumed run never loses stored documents"

    run_to_end(corpus, db, config)
    assert compare_exports(sorted_export(db, tmp_path / "a"), sorted_export(reference_db, tmp_path / "b")) == []
