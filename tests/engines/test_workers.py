"""Cleaning and analysis in worker processes (Settings.n_process > 1) store what one process stores."""
import dataclasses
import json

from crash_runs import compare_exports, sorted_export
from test_ingest import bad_inputs

from bilat.engines.local import ingest
from bilat_paths import DEMO


def test_workers_store_exactly_what_one_process_stores(tmp_path, pipeline, demo_db):
    two = dataclasses.replace(pipeline.settings, n_process=2, batch_size=8)  # several batches in flight
    report = ingest([str(DEMO)], str(tmp_path / "two.duckdb"), two, pipeline=pipeline)
    assert report.failed == 0 and report.ingested > 30
    assert report.events > 0
    problems = compare_exports(sorted_export(tmp_path / "two.duckdb", tmp_path / "a"),
                               sorted_export(demo_db, tmp_path / "b"))
    assert problems == []
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
