"""The ``runs`` table says what produced each document: every stored document names its run, and the run
its settings, bilat version, convention, parse mode, event coders and rule versions."""
import json

import duckdb
import pytest
from test_store import make_doc

from bilat.errors import NotFound
from bilat.store.queries import EventIndex, document, document_run
from bilat.store.schema import available_migrations
from bilat.store.writer import LogEntry, RunInfo, StoreWriter, connect

RULES = {"verbs": 1, "nouns": 1, "digest": "0123456789abcdef"}


def info(convention: str, coder: str | None, rules: dict = RULES) -> RunInfo:
    settings = {"convention": convention, "parse": "selective", "coder": "model" if coder else "rules"}
    return RunInfo(settings=settings, bilat_version="0.1.0", convention=convention, parse="selective",
                   coder_model=coder, ml_coder_model="coder-e5-x", rule_versions=rules)


def russian(doc_id: str):
    doc = make_doc(doc_id)
    doc.lang = "ru"
    return doc


def test_each_document_names_the_run_that_stored_it_and_the_run_what_produced_it(tmp_path):
    db = tmp_path / "runs.duckdb"
    with StoreWriter(db) as w:
        w.start_run({"paths": ["a"]}, info("news", "coder-a"))
        w.write([make_doc("n1"), russian("r1")], [LogEntry("n1.txt", "n1", "ingested")])
        w.finish_run({"ingested": 2})
        first = w.run_id
    with StoreWriter(db) as w:
        w.start_run({"paths": ["b"]}, info("plover", None, RULES | {"verbs": 2, "digest": "fedcba9876543210"}))
        w.write([make_doc("p1")])
        second = w.run_id
    con = connect(db, read_only=True)
    news, ru, plover = (document_run(con, d) for d in ("n1", "r1", "p1"))
    assert news["run_id"] == ru["run_id"] == first != plover["run_id"] == second
    assert (news["convention"], news["parse"], news["model"], news["coder"]) == ("news", "selective", "coder-a", "model")
    assert news["rule_versions"] == RULES and news["bilat_version"] == "0.1.0" and news["finished"] is not None
    assert ru["model"] == "coder-e5-x"  # a Russian document is coded by the multilingual coder
    assert (plover["convention"], plover["model"], plover["coder"]) == ("plover", None, "rules")
    assert plover["rule_versions"]["verbs"] == 2 and plover["finished"] is None
    assert plover["settings"] == {"convention": "plover", "parse": "selective", "coder": "rules"}
    with pytest.raises(NotFound):
        document_run(con, "nope")
    assert "run_id" not in document(con, EventIndex(con), "n1")  # the document's own answer is unchanged


def test_a_run_without_its_info_still_stamps_its_documents(tmp_path):
    with StoreWriter(tmp_path / "x.duckdb") as w:
        w.start_run({"paths": ["a"]})
        w.write([make_doc("d1")])
        row = w.con.execute("SELECT args, settings, convention FROM runs").fetchone()
        stamped = w.con.execute("SELECT run_id FROM documents").fetchone()[0]
    assert json.loads(row[0]) == {"paths": ["a"]} and row[1:] == (None, None)
    assert stamped == w.run_id


def test_a_store_of_the_previous_schema_migrates_and_its_documents_find_their_runs(tmp_path):
    path = tmp_path / "v3.duckdb"
    previous = [m for m in available_migrations() if m[0] <= 3]
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name VARCHAR, "
                "applied_at TIMESTAMP DEFAULT current_timestamp)")
    for number, name, sql in previous:
        con.execute(sql)
        con.execute("INSERT INTO schema_version (version, name) VALUES (?, ?)", [number, name])
    for i, run in enumerate(("old1", "old2", "old2")):
        con.execute("INSERT INTO documents (doc_id, origin, fmt, text, content_hash) VALUES (?, ?, 'txt', 't', 'h')",
                    [f"d{i}", f"d{i}.txt"])
        con.execute("INSERT INTO ingest_log (run_id, origin, doc_id, status) VALUES (?, ?, ?, ?)",
                    [run, f"d{i}.txt", f"d{i}", "duplicate" if i == 2 else "ingested"])
    con.execute("INSERT INTO ingest_log (run_id, origin, doc_id, status) VALUES ('old3', 'd0.txt', 'd0', 'exists')")
    con.execute("INSERT INTO runs (run_id, started, args) VALUES ('old1', current_timestamp, '{}'), "
                "('old2', current_timestamp, '{}'), ('old3', current_timestamp, '{}')")
    con.close()

    with StoreWriter(path) as w:  # migrates, and a new run stores a document beside the old ones
        w.start_run({"paths": ["new"]}, info("news", "coder-a"))
        w.write([make_doc("new")])
        new_run = w.run_id
    reader = connect(path, read_only=True)  # the migration was checkpointed: the file holds the new columns
    assert reader.execute("SELECT max(version) FROM schema_version").fetchone()[0] == available_migrations()[-1][0]
    runs = {d: document_run(reader, d) for d in ("d0", "d1", "d2", "new")}
    # an older document finds the run that stored it in the ingest log ("exists" stored nothing)
    assert [runs[d]["run_id"] for d in ("d0", "d1", "d2")] == ["old1", "old2", "old2"]
    assert runs["d0"]["convention"] is None and runs["d0"]["settings"] is None and runs["d0"]["model"] is None
    assert runs["new"]["run_id"] == new_run and runs["new"]["convention"] == "news"
    assert runs["new"]["model"] == "coder-a"
