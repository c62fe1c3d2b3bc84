"""A bug in a stage the events stage recovers from (the time resolver, the gazetteer) is recorded per document
in the ingest log, as a warning naming the stage, and counted in the run report; the event is kept, without the
date or place the stage would have given it (issue 16)."""
import json

from bilat.engines.local import ingest
from bilat.store.writer import connect

ARTICLE = ("The foreign ministers of Russia and Tajikistan met in Moscow on Tuesday and agreed to simplify the "
           "registration of Tajik labour migrants, officials said.\n\nThe two sides also discussed the 201st "
           "military base.\n")


def _corpus(folder):
    folder.mkdir()
    path = folder / "records.jsonl"
    path.write_text(json.dumps({"id": "talks", "text": ARTICLE, "published": "2024-03-07"}) + "\n", encoding="utf-8")
    return path


def _events(db):
    con = connect(db, read_only=True)
    try:
        return con.execute("SELECT type, source, target, date, date_method, location FROM events "
                           "ORDER BY idx").fetchall()
    finally:
        con.close()


def test_a_stage_error_is_recorded_and_the_event_kept(tmp_path, pipeline, monkeypatch):
    corpus = _corpus(tmp_path / "in")
    ingest([str(corpus)], str(tmp_path / "good.duckdb"), pipeline=pipeline)
    good = _events(tmp_path / "good.duckdb")
    assert good and any(e[4] != "document-date" for e in good) and any(e[5] for e in good)

    def bug(*args, **kwargs):
        raise RuntimeError("a bug\nover two lines")

    monkeypatch.setattr(pipeline.time, "find", bug)
    monkeypatch.setattr(pipeline.time, "resolve", bug)
    monkeypatch.setattr(pipeline.places, "find_locations", bug)
    report = ingest([str(corpus)], str(tmp_path / "bug.duckdb"), pipeline=pipeline)

    # nothing lost: the same events, each dated by its document and without a place
    kept = _events(tmp_path / "bug.duckdb")
    assert [e[:3] for e in kept] == [e[:3] for e in good]
    assert all(e[3] == "2024-03-07" and e[4] == "document-date" and e[5] is None for e in kept)
    # recorded, not swallowed: once per document and stage, in the report and in the ingest log
    assert report.ingested == 1 and report.failed == 0
    assert report.stage_errors == {"events.when": 1, "events.where": 1}
    assert report.as_dict()["stage_errors"] == {"events.when": 1, "events.where": 1}
    con = connect(tmp_path / "bug.duckdb", read_only=True)
    log = con.execute("SELECT doc_id, status, reason FROM ingest_log ORDER BY status, reason").fetchall()
    counts = json.loads(con.execute("SELECT counts FROM runs").fetchone()[0])
    con.close()
    assert log == [("talks", "ingested", None),
                   ("talks", "warning", "events.when failed: RuntimeError: a bug over two lines"),
                   ("talks", "warning", "events.where failed: RuntimeError: a bug over two lines")]
    assert counts["stage_errors"] == {"events.when": 1, "events.where": 1}
