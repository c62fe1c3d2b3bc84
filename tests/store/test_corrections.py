"""Issue 18, review and corrections: stored apart from extraction, applied in every view, count and export
with a flag, kept when the events are extracted again (renumbered), exported as coder training data."""
import json

import pytest
from make_big_db import write_sample

from bilat.store import corrections as rc
from bilat.store.export import export
from bilat.store.queries import EventIndex, Filters, corpus_summary, events
from bilat.store.schema import available_migrations
from bilat.store.writer import connect


@pytest.fixture
def con(tmp_path):
    db = write_sample(tmp_path / "s.duckdb", 4)
    c = connect(db)
    yield c
    c.close()


def _views(con):
    """Every report as the views see it: (doc_id, idx) → row."""
    table = events(EventIndex(con), Filters(), limit=None, download=True)
    return {(r["doc_id"], r["idx"]): r for r in table.records()}


def _exported(con, tmp_path):
    export(con, tmp_path / "out", "jsonl")
    return [json.loads(line) for line in (tmp_path / "out" / "events.jsonl").read_text().splitlines()]


def test_migration_005_has_a_postgresql_twin():
    from bilat.store.postgres import available_migrations as pg_migrations

    assert available_migrations()[-1][1] == "005_corrections.sql"
    assert pg_migrations()[-1][1] == "005_corrections.sql"


def test_a_retype_applies_to_every_report_of_the_event_in_views_counts_and_export(con, tmp_path):
    before = corpus_summary(con)["events_by_type"]
    ids = rc.correct(con, "ev000", "retype", "ana", "a treaty is signed, but by whom?", rc.Change(type="ACCUSE"))
    assert len(ids) == 2  # ev000 has a report in doc000 and one in doc001
    rows = _views(con)
    assert rows[("doc000", 0)]["type"] == rows[("doc001", 0)]["type"] == "ACCUSE"
    assert rows[("doc000", 0)]["corrected"] is True and rows[("doc000", 0)]["correction_id"] == ids[0]
    assert rows[("doc000", 0)]["intensity"] < 0  # the new type's intensity, not the old one's
    assert rows[("doc002", 0)]["corrected"] is False and rows[("doc002", 0)]["correction_id"] is None
    after = corpus_summary(con)["events_by_type"]
    assert after.get("ACCUSE", 0) == before.get("ACCUSE", 0) + 2 and after.get("AGREE", 0) == before["AGREE"] - 2
    exported = {(r["doc_id"], r["event_id"]): r for r in _exported(con, tmp_path)}
    assert exported[("doc000", "ev000")]["type"] == "ACCUSE" and exported[("doc000", "ev000")]["corrected"] is True
    assert exported[("doc002", "ev001")]["corrected"] is False
    # extraction's own rows are untouched
    assert con.execute("SELECT type FROM events WHERE doc_id = 'doc000' AND idx = 0").fetchone()[0] == "AGREE"


def test_a_rejected_event_leaves_views_counts_and_export_and_comes_back_when_restored(con, tmp_path):
    n = corpus_summary(con)["events"]
    rc.correct(con, "ev001", "reject", "ana", "no talks")
    assert ("doc002", 0) not in _views(con) and ("doc003", 0) not in _views(con)
    assert corpus_summary(con)["events"] == n - 2
    assert all(r["event_id"] != "ev001" for r in _exported(con, tmp_path))
    rc.correct(con, "ev001", "restore", "ana", "they did meet")
    assert ("doc002", 0) in _views(con) and corpus_summary(con)["events"] == n


def test_sides_date_and_modality_are_changed(con):
    rc.correct(con, "ev001", "actors", "ana", None, rc.Change(target="KAZ", target_actor="Kazakhstan"))
    rc.correct(con, "ev001", "date", "ana", None, rc.Change(date="2020-02"))
    rc.correct(con, "ev001", "modality", "ana", None, rc.Change(planned=True))
    row = _views(con)[("doc002", 0)]
    assert (row["target"], row["target_actor"], row["date"], row["planned"]) == ("KAZ", "Kazakhstan", "2020-02", True)
    assert row["date_precision"] == "month" and row["source"] == "RUS"
    assert [c["action"] for c in rc.corrections(con)][:2] == ["modality", "modality"]  # newest first


def test_an_added_event_appears_with_its_sentence_as_evidence(con, tmp_path):
    cid = rc.add_event(con, "doc000", 2, "ana", "missed", rc.Change(type="SUPPORT", source="RUS", target="TJK",
                                                                      date="2019-01-02"))
    added = [r for r in _views(con).values() if r["event_id"] == f"added-{cid}"]
    assert len(added) == 1 and added[0]["evidence"].startswith("Vladimir Putin commented")
    assert added[0]["corrected"] is True and added[0]["rule"] == "review" and added[0]["type"] == "SUPPORT"
    assert any(r["event_id"] == f"added-{cid}" for r in _exported(con, tmp_path))


def test_an_added_event_is_corrected_and_rejected_by_its_own_id(con):
    cid = rc.add_event(con, "doc000", 1, "ana", None, rc.Change(type="AID", source="RUS", target="TJK"))
    key = f"added-{cid}"
    rc.correct(con, key, "retype", "bo", "a treaty, not aid", rc.Change(type="AGREE"))
    row = next(r for r in _views(con).values() if r["event_id"] == key)
    assert row["type"] == "AGREE" and row["correction_id"] == cid + 1
    rc.correct(con, key, "reject", "bo", "the treaty is already extracted")
    assert all(r["event_id"] != key for r in _views(con).values())
    with pytest.raises(rc.UnknownEvent):
        rc.correct(con, "added-999", "reject", "ana", None)


def test_corrections_survive_a_new_extraction_that_renumbers_the_events(con):
    rc.correct(con, "ev000", "retype", "ana", None, rc.Change(type="CONSULT"))
    rc.correct(con, "ev001", "reject", "ana", None)
    # the extraction changes: every event stored again under new indices and cluster ids
    con.execute("UPDATE events SET idx = idx + 7, event_id = 'new-' || event_id")
    rows = _views(con)
    assert rows[("doc000", 7)]["type"] == "CONSULT" and rows[("doc000", 7)]["corrected"] is True
    assert ("doc002", 7) not in rows and ("doc003", 7) not in rows
    seen = con.execute("SELECT seen_event_id, seen_idx FROM corrections ORDER BY correction_id").fetchall()
    assert seen[0] == ("ev000", 0)  # what the analyst saw is kept for the record
    # a report whose extracted type changed is another finding: the correction no longer names it
    con.execute("UPDATE events SET type = 'AID' WHERE doc_id = 'doc001'")
    assert _views(con)[("doc001", 7)]["corrected"] is False


def test_corrections_are_copied_into_a_store_ingested_anew(con, tmp_path):
    rc.correct(con, "ev000", "retype", "ana", None, rc.Change(type="CONSULT"))
    cid = rc.add_event(con, "doc000", 1, "ana", None, rc.Change(type="AID", source="RUS", target="TJK"))
    rc.correct(con, f"added-{cid}", "retype", "bo", None, rc.Change(type="SUPPORT"))
    fresh = connect(write_sample(tmp_path / "fresh.duckdb", 4))
    fresh.execute("UPDATE events SET idx = idx + 3, event_id = 'x-' || event_id")  # another extraction's ids
    rc.add_event(fresh, "doc001", 1, "cy", None, rc.Change(type="AID", source="RUS", target="TJK"))  # its own
    assert rc.copy_corrections(con, fresh) == 4
    rows = _views(fresh)
    assert rows[("doc000", 3)]["type"] == rows[("doc001", 3)]["type"] == "CONSULT"
    added = [r for r in rows.values() if r["idx"] < 0]
    assert sorted(r["type"] for r in added) == ["AID", "SUPPORT"]  # its own, and the copied one corrected
    assert rc.copy_corrections(con, fresh) == 0  # twice: nothing more
    fresh.close()


def test_the_review_queue_sorts_by_confidence_lowest_first(con):
    con.execute("UPDATE events SET confidence = CASE doc_id WHEN 'doc002' THEN 0.2 WHEN 'doc000' THEN 0.9 "
                "WHEN 'doc001' THEN 0.5 END")
    queue = rc.review_queue(con, 10)
    assert [r["doc_id"] for r in queue] == ["doc002", "doc001", "doc000", "doc003"]  # no confidence: last
    rc.correct(con, "ev001", "retype", "ana", None, rc.Change(type="AGREE"))
    assert [r["doc_id"] for r in rc.review_queue(con, 10)] == ["doc001", "doc000"]
    assert rc.queue_size(con) == 2 and rc.queue_size(con, include_corrected=True) == 4


def test_training_rows_follow_the_coder_spec(con):
    rc.correct(con, "ev001", "reject", "ana", None)
    rc.correct(con, "ev000", "retype", "ana", None, rc.Change(type="COOPERATE", mode="security"))
    rows, skipped = rc.training_rows(con)
    assert skipped == 0 and len(rows) == 4
    keys = {"id", "text", "source", "target", "source_code", "target_code", "label", "mode", "negated", "planned",
            "hypothetical", "reported", "style"}
    for row in rows:
        assert set(row) == keys and row["source"] in row["text"] and row["target"] in row["text"]
    labels = {(r["text"][:20], r["label"]) for r in rows}
    assert ("Russia met Uzbekista", "NONE") in labels and ("Russia and Tajikista", "COOPERATE") in labels


def test_the_python_api_sees_corrections(con, tmp_path):
    import bilat

    rc.correct(con, "ev001", "retype", "ana", "why not", rc.Change(type="THREATEN"))
    con.close()
    with bilat.open(tmp_path / "s.duckdb") as corpus:
        assert corpus.corrections()[0]["reason"] == "why not"
        assert [r["doc_id"] for r in corpus.review_queue()] == ["doc000", "doc001"]
        rows = corpus.events(type="THREATEN").records()
        assert {r["doc_id"] for r in rows} == {"doc002", "doc003"} and all(r["corrected"] for r in rows)


@pytest.mark.parametrize(("action", "change", "words"), [
    ("retype", rc.Change(type="PARTY"), "type must be one of"),
    ("actors", rc.Change(), "give a new source or target"),
    ("actors", rc.Change(source="R U S"), "source must be a code"),
    ("date", rc.Change(date="2019-13-01"), "not a real date"),
    ("date", rc.Change(date="yesterday"), "date must be YYYY"),
    ("modality", rc.Change(), "give negated, planned or hypothetical"),
    ("explode", rc.Change(), "action must be one of"),
])
def test_bad_corrections_are_refused(con, action, change, words):
    with pytest.raises(rc.CorrectionError, match=words):
        rc.correct(con, "ev000", action, "ana", None, change)
    assert rc.corrections(con) == []


def test_a_correction_needs_an_author_and_a_known_event(con):
    with pytest.raises(rc.CorrectionError, match="who makes the correction"):
        rc.correct(con, "ev000", "reject", " ", None)
    with pytest.raises(rc.UnknownEvent):
        rc.correct(con, "ev999", "reject", "ana", None)
    with pytest.raises(rc.UnknownEvent):
        rc.add_event(con, "doc000", 99, "ana", None, rc.Change(type="AID", source="RUS", target="TJK"))
