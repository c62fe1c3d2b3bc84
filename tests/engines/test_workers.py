"""Cleaning and analysis in worker processes (Settings.n_process > 1) store what one process stores,
and a worker that stalls or dies costs only the document it was working on."""
import dataclasses
import json
import os
import signal
import time
from pathlib import Path

import pytest
from crash_runs import compare_exports, sorted_export
from test_ingest import bad_inputs

from bilat.engines import workers
from bilat.engines.local import ingest
from bilat.store.writer import connect
from bilat_paths import DEMO


def test_workers_store_exactly_what_one_process_stores(tmp_path, pipeline, demo_db):
    two = dataclasses.replace(pipeline.settings, n_process=2, batch_size=8)  # several batches in flight
    report = ingest([str(DEMO)], str(tmp_path / "two.duckdb"), two, pipeline=pipeline)
    assert report.failed == 0 and report.ingested > 30
    assert report.events > 0
    problems = compare_exports(sorted_export(tmp_path / "two.duckdb", tmp_path / "a"),
                               sorted_export(demo_db, tmp_path / "b"))
    assert problems == []
    # the run says it had two workers, and every document it stored names it
    con = connect(tmp_path / "two.duckdb", read_only=True)
    runs = con.execute("SELECT run_id, settings FROM runs").fetchall()
    assert len(runs) == 1 and json.loads(runs[0][1])["n_process"] == 2
    assert con.execute("SELECT DISTINCT run_id FROM documents").fetchall() == [(runs[0][0],)]
    con.close()
    # the workers' stage times come back to the main process
    assert pipeline.seconds["events"] > 0 and pipeline.seconds["clean"] > 0


def test_workers_report_bad_files_and_keep_the_rest(tmp_path, pipeline):
    folder = bad_inputs(tmp_path / "in")
    settings = dataclasses.replace(pipeline.settings, n_process=2)
    report = ingest([str(folder)], str(tmp_path / "x.duckdb"), settings, pipeline=pipeline)
    origins = " ".join(origin for origin, _ in report.failures)
    assert "empty.txt" in origins and "records.jsonl#line-2" in origins
    assert report.ingested >= 5
    again = ingest([str(folder)], str(tmp_path / "x.duckdb"), settings, pipeline=pipeline)
    assert again.ingested == 0 and again.existing == report.ingested  # idempotent through the workers too


def test_time_limit_holds_inside_workers(tmp_path, pipeline):
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps({"id": f"d{i}", "text": "Russia and Tajikistan signed a treaty. " * 40})
                              + "\n" for i in range(3)), encoding="utf-8")
    settings = dataclasses.replace(pipeline.settings, n_process=2, doc_timeout_s=1e-4)
    report = ingest([str(source)], str(tmp_path / "x.duckdb"), settings, pipeline=pipeline)
    assert report.ingested == 0 and report.failed == 3
    assert all("doc_timeout_s" in reason for _, reason in report.failures)


# A document whose cleaning or analysis stalls its worker the way a long C call does (lxml's XPath
# on a page of a million paragraphs): SIGALRM held back, so doc_timeout_s's own timer cannot act.
STALL = "Stall marker: this text holds up its worker."
DIE = "Die marker: this text kills its worker."


def _trouble(text: str) -> None:
    if STALL in text:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        time.sleep(600)
    if DIE in text:
        os.kill(os.getpid(), signal.SIGKILL)


def _articles(tmp_path, marked: dict[int, str], n: int = 20):
    """n distinct articles in one JSON Lines file; article i carries the marker ``marked[i]``."""
    source = tmp_path / "in.jsonl"
    lines = []
    for i in range(n):
        text = (f"Talks in round {i}\n\nThe foreign ministers of Norland and Sudria met in the capital for round "
                f"{i} of talks on water sharing and agreed to meet again in {i + 2} weeks, officials said.")
        lines.append(json.dumps({"id": f"d{i}", "text": text + ("\n\n" + marked[i] if i in marked else "")}))
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(source)


@pytest.fixture
def troubled(pipeline, monkeypatch):
    """The shared pipeline, stalling or dying on marked documents (the workers fork it as it is)."""
    clean, analyse_one = pipeline.clean, pipeline.analyse_one

    def cleaning(raw, settings=None):
        if raw.doc_id.endswith("-clean"):
            _trouble(raw.text)
        return clean(raw, settings)

    def analysing(doc, sdoc):
        _trouble(doc.text)
        return analyse_one(doc, sdoc)

    monkeypatch.setattr(pipeline, "clean", cleaning)
    monkeypatch.setattr(pipeline, "analyse_one", analysing)
    monkeypatch.setattr(workers, "GRACE_S", 1.0)
    return pipeline


@pytest.mark.parametrize("step", ["clean", "analysis"])
def test_a_document_that_stalls_its_worker_fails_alone(tmp_path, troubled, step):
    source = _articles(tmp_path, {3: STALL})
    if step == "clean":  # the marker acts in cleaning only for this id
        source_path = Path(source)
        source_path.write_text(source_path.read_text().replace('"d3"', '"d3-clean"'), encoding="utf-8")
    settings = dataclasses.replace(troubled.settings, n_process=2, doc_timeout_s=3, batch_size=8)
    started = time.monotonic()
    report = ingest([source], str(tmp_path / "x.duckdb"), settings, pipeline=troubled)
    assert time.monotonic() - started < 120
    prefix = "cleaning failed" if step == "clean" else "analysis failed"
    assert report.failures == [(f"{source}#line-4", f"{prefix}: took longer than 3 s (doc_timeout_s); worker stopped")]
    assert report.ingested == 19  # the rest of its batch, and the batches in flight beside it, are stored


def test_a_document_that_kills_its_worker_fails_alone(tmp_path, troubled):
    source = _articles(tmp_path, {5: DIE, 17: DIE})
    settings = dataclasses.replace(troubled.settings, n_process=2, batch_size=8)
    report = ingest([source], str(tmp_path / "x.duckdb"), settings, pipeline=troubled)
    assert sorted(report.failures) == [(f"{source}#line-{n}", "analysis failed: the worker process died (out of memory?)")
                                       for n in (18, 6)]
    assert report.ingested == 18


def test_results_after_a_restart_equal_a_plain_run(tmp_path, troubled):
    """Documents run again one at a time after a worker was replaced store what they store otherwise."""
    settings = dataclasses.replace(troubled.settings, n_process=2)
    ingest([_articles(tmp_path, {2: DIE}, n=12)], str(tmp_path / "a.duckdb"), settings, pipeline=troubled)
    (tmp_path / "plain").mkdir()
    source = Path(_articles(tmp_path / "plain", {}, n=12))
    lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
    source.write_text("".join(lines[:2] + lines[3:]), encoding="utf-8")  # the same, without the culprit
    ingest([str(source)], str(tmp_path / "b.duckdb"), settings, pipeline=troubled)
    a, b = (sorted_export(tmp_path / f"{n}.duckdb", tmp_path / f"out-{n}") for n in "ab")
    assert len(a["documents"]) == len(b["documents"]) == 11
    a["documents"] = b["documents"] = []  # the origins differ (file and line); the analyses may not
    assert compare_exports(a, b) == []
