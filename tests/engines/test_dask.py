"""The Dask engine stores what the local engine stores, on a real 2-worker LocalCluster."""
import json
import shutil
from pathlib import Path

import pytest

pytest.importorskip("distributed", reason="dask[distributed] is not installed")

from bilat.engines.dask import ingest_dask, list_inputs, log_notes, split, with_notes  # noqa: E402
from bilat.engines.local import ingest  # noqa: E402
from bilat.errors import ConfigError  # noqa: E402
from bilat.ingest import expand_paths  # noqa: E402
from bilat.model import Document  # noqa: E402
from bilat.store.backends import open_reader  # noqa: E402
from bilat.store.export import export  # noqa: E402

DEMO = Path(__file__).resolve().parents[2] / "examples" / "corpus"
# Eight demo inputs: text, HTML (one a syndicated copy of another story), JSONL and a WARC archive.
DEMO_FILES = ("caw_friendship_treaty.txt", "caw_phone_crocus.txt", "hub_crocus_syndicated.html",
              "oxus_rogun_rusal.txt", "mfa_ministers_moscow.html", "post_csto_summit.txt",
              "steppe_monitor.jsonl", "frontier_review_crawl.warc.gz")


@pytest.fixture
def corpus(tmp_path) -> Path:
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    for i, name in enumerate(DEMO_FILES):
        shutil.copy(DEMO / name, folder / ("sub" if i % 3 == 0 else "") / name)
    (folder / "empty.txt").write_bytes(b"")  # a failure, reported the same way by both engines
    # a second file of the same name, in another partition's share of the list: stored under a further id
    (folder / "zz").mkdir()
    (folder / "zz" / DEMO_FILES[1]).write_text("Tajikistan and Kyrgyzstan agreed to reopen two border "
                                               "crossings, the two foreign ministries said on Monday.\n",
                                               encoding="utf-8")
    (folder / ".hidden.txt").write_text("skipped by both engines", encoding="utf-8")
    return folder


def sorted_export(db: str, out: Path) -> dict[str, list[str]]:
    export(open_reader(db), out, "jsonl")
    return {p.stem: sorted(json.dumps(json.loads(line), sort_keys=True) for line in p.read_text().splitlines())
            for p in sorted(out.glob("*.jsonl"))}


def counts(report) -> dict:
    return {k: v for k, v in report.as_dict().items() if k not in ("db", "seconds", "docs_per_s")}


def test_split_keeps_order_and_drops_nothing():
    items = list(range(10))
    parts = split(items, 3)
    assert [len(p) for p in parts] == [4, 3, 3] and sum(parts, []) == items
    assert split(items, 50) == [[i] for i in items] and split([], 4) == []


def test_what_the_ingest_log_says_of_a_document_travels_beside_its_rows():
    """Limits hit and errors a stage recovered from are not stored in the document's rows: a worker sends them
    in the items table, so that the client's ingest log says what the local engine's does."""
    doc = Document("d", "d.txt", "txt", "text", limits=["limit:max_sentence_tokens (1 sentences over 400 tokens)"])
    doc.recover("events.where", RuntimeError("boom"))
    back = with_notes(Document("d", "d.txt", "txt", "text"), log_notes(doc))
    assert (back.limits, back.stage_errors) == (doc.limits, doc.stage_errors)
    assert log_notes(Document("e", "e.txt", "txt", "text")) is None


def test_inputs_listed_as_the_local_engine_reads_them(corpus, tmp_path):
    twice = str(corpus / "caw_phone_crocus.txt")
    listed = list_inputs([str(corpus), twice, str(tmp_path / "missing.txt")])
    assert [p for p, reason in listed if reason is None] == list(expand_paths([str(corpus)]))
    assert listed[-1] == (str(tmp_path / "missing.txt"), "no such file or directory")
    urls = list_inputs([f"file://{corpus}"])
    assert len(urls) == len(DEMO_FILES) + 2 and all(p.startswith("file://") and r is None for p, r in urls)
    assert not any(".hidden" in p for p, _ in urls)


@pytest.fixture(scope="module")
def cluster():
    """Two single-threaded worker processes, shared by the runs below (each loads the pipeline once)."""
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as c:
        yield c.scheduler_address


def test_own_local_cluster_reports_unreadable_inputs(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    report = ingest_dask([str(tmp_path / "empty.txt"), str(tmp_path / "nope")], str(tmp_path / "x.duckdb"))
    assert report.read == 2 and report.failed == 2 and report.ingested == 0
    assert [r for _, r in report.failures] == ["empty file", "no such file or directory"]


def test_unreachable_store_fails_before_any_worker_starts(tmp_path):
    from bilat.errors import StoreError

    with pytest.raises(StoreError, match="cannot connect"):
        ingest_dask([str(tmp_path)], "postgresql://bilat:x@localhost:1/bilat?connect_timeout=2")
    with pytest.raises(ConfigError, match="stdin"):
        ingest_dask(["-"], str(tmp_path / "x.duckdb"))


def test_dask_run_equals_local_run_and_reruns_add_nothing(corpus, tmp_path, pipeline, cluster):
    local_db, dask_db = str(tmp_path / "local.duckdb"), str(tmp_path / "dask.duckdb")
    local = ingest([str(corpus)], local_db, pipeline=pipeline)
    distributed = ingest_dask([str(corpus)], dask_db, scheduler=cluster, partitions=3)
    assert local.ingested >= 9 and local.events > 0 and local.failed == 1
    assert counts(distributed) == counts(local)
    assert sorted_export(dask_db, tmp_path / "d") == sorted_export(local_db, tmp_path / "l")
    # the Dask run records what its workers ran, and every document it stored names it
    con = open_reader(dask_db)
    run = con.execute("SELECT run_id, convention, parse, coder_model, rule_versions FROM runs").fetchall()
    assert len(run) == 1 and run[0][1:4] == ("news", "selective", pipeline.coder.coder.version)
    assert json.loads(run[0][4])["verbs"] >= 1
    assert con.execute("SELECT DISTINCT run_id FROM documents").fetchall() == [(run[0][0],)]
    con.close()

    # the same files again, as fsspec URLs: everything is already stored, nothing is added
    again = ingest_dask([f"file://{corpus}"], dask_db, scheduler=cluster, partitions=2,
                        staging=str(tmp_path / "staging"))
    assert again.ingested == 0 and again.existing == local.ingested and again.failed == 1
    assert again.failures[0][0].startswith("file://") and again.failures[0][1] == "empty file"
    assert list((tmp_path / "staging").glob("*/items/part-0000[01].parquet"))  # a given staging folder is kept
    assert sorted_export(dask_db, tmp_path / "d2") == sorted_export(local_db, tmp_path / "l")


def test_dask_run_of_the_demo_corpus_exports_what_the_local_run_exports(tmp_path, demo_db, cluster):
    """Acceptance 2 of issue 16, with test_workers' comparison of the process pool: one corpus, three engines,
    the same tables."""
    from crash_runs import compare_exports
    from crash_runs import sorted_export as exported

    report = ingest_dask([str(DEMO)], str(tmp_path / "dask.duckdb"), scheduler=cluster, partitions=5)
    assert report.failed == 0 and report.ingested > 30
    assert compare_exports(exported(tmp_path / "dask.duckdb", tmp_path / "d"), exported(demo_db, tmp_path / "l")) == []
