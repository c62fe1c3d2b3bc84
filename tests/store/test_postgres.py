"""The PostgreSQL store against a real local server: the storage tests of test_store.py, schema
parity with DuckDB, idempotent re-ingest, and equal exports from DuckDB and PostgreSQL.

The server comes from $BILAT_PG_DSN, else the local one that scripts/start-postgres.sh starts;
each test gets a schema of its own, dropped afterwards.
"""
import json
import os
import shutil
import subprocess
import uuid
from pathlib import Path
from urllib.parse import quote

import duckdb
import pytest

psycopg = pytest.importorskip("psycopg", reason="psycopg is not installed (pip install 'psycopg[binary]')")

from bilat.errors import StoreError  # noqa: E402
from bilat.model import DatedValue, Document, Event, Mention, Quantity, RemovedParagraph, Sentence  # noqa: E402
from bilat.store import postgres  # noqa: E402
from bilat.store.backends import fetch, is_postgres, open_reader, open_writer  # noqa: E402
from bilat.store.export import export  # noqa: E402
from bilat.store.queries import document_run  # noqa: E402
from bilat.store.writer import LogEntry, RunInfo, StoreWriter  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DSN = "postgresql://bilat:bilat@localhost:5432/bilat"
DEMO = ROOT / "examples" / "corpus"
# Demo articles for the end-to-end comparison: plain text, HTML and a WARC archive.
DEMO_FILES = ("caw_friendship_treaty.txt", "caw_border_guards.txt", "oxus_rogun_rusal.txt",
              "hub_crocus_syndicated.html", "caw_phone_crocus.txt", "mfa_ministers_moscow.html",
              "post_csto_summit.txt", "frontier_review_crawl.warc.gz")


def _reachable(dsn: str) -> bool:
    try:
        psycopg.connect(dsn, connect_timeout=3).close()
        return True
    except psycopg.Error:
        return False


@pytest.fixture(scope="session")
def pg_server() -> str:
    dsn = os.environ.get("BILAT_PG_DSN", DEFAULT_DSN)
    if _reachable(dsn):
        return dsn
    if "BILAT_PG_DSN" in os.environ:
        pytest.skip(f"PostgreSQL at $BILAT_PG_DSN does not answer ({postgres._redact(dsn)})")
    if os.geteuid() != 0 or not shutil.which("pg_lsclusters"):
        pytest.skip("no PostgreSQL server: run scripts/start-postgres.sh (as root) or set BILAT_PG_DSN")
    started = subprocess.run(["bash", str(ROOT / "scripts" / "start-postgres.sh"), "--no-install"],
                             capture_output=True, text=True, timeout=120)
    dsn = (started.stdout.strip().splitlines() or [""])[-1]
    if started.returncode != 0 or not _reachable(dsn):
        pytest.skip(f"scripts/start-postgres.sh could not start PostgreSQL: {started.stderr.strip()[-300:]}")
    return dsn


@pytest.fixture
def pg(pg_server):
    """A DSN whose tables live in a fresh schema."""
    schema = f"t_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(pg_server, autocommit=True) as con:
        con.execute(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in pg_server else "?"
    yield f"{pg_server}{sep}options={quote(f'-csearch_path={schema}')}"
    with psycopg.connect(pg_server, autocommit=True) as con:
        con.execute(f"DROP SCHEMA {schema} CASCADE")


def make_doc(doc_id: str = "d1") -> Document:
    text = "Russia and Tajikistan signed a treaty on Monday. Trade grew by 8 percent."
    doc = Document(doc_id=doc_id, origin=f"{doc_id}.txt", fmt="txt", text=text, title="A title",
                   outlet="Test Wire", published=DatedValue("2019-04-23", "day", "metadata", "2019-04-23"),
                   removed=[RemovedParagraph("Subscribe now", "subscription")], content_hash="h" + doc_id,
                   cited_sources=["TASS"])
    doc.sentences = [Sentence(0, 48, text[:48]), Sentence(49, len(text), text[49:])]
    doc.mentions = [Mention("Russia", (0, 6), 0, "Russia", "RUS"),
                    Mention("Tajikistan", (11, 21), 0, "Tajikistan", "TJK", learned=True, via="name")]
    doc.events = [Event(type="AGREE", mode="sign", source="RUS", target="TJK", span=(0, 48), evidence=text[:48],
                        sentence=0, date="2019-04-22", date_precision="day", intensity=0.35)]
    doc.quantities = [Quantity("8 percent", (63, 72), 1, 8.0, "percent", text[49:], countries=["RUS", "TJK"])]
    return doc


def _sorted_export(con: duckdb.DuckDBPyConnection, out: Path) -> dict[str, list[str]]:
    export(con, out, "jsonl")
    result = {}
    for path in sorted(out.glob("*.jsonl")):
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        result[path.stem] = sorted(json.dumps(r, sort_keys=True, ensure_ascii=False) for r in rows)
    return result


def test_dsn_is_recognised():
    assert is_postgres("postgresql://u@h/db") and is_postgres("postgres://h/db")
    assert not is_postgres("/tmp/x.duckdb") and not is_postgres("postgresql.duckdb")


def test_migrations_are_numbered_applied_once_and_mirror_duckdb(pg):
    numbers = [n for n, _, _ in postgres.available_migrations()]
    assert numbers == sorted(numbers) and numbers[0] == 1
    from bilat.store.schema import available_migrations as duck_migrations
    assert numbers == [n for n, _, _ in duck_migrations()], "one migration source for both stores"
    with open_writer(pg) as w:
        assert postgres.current_version(w.con) == numbers[-1]
    with open_writer(pg) as w:  # reopening applies nothing twice
        assert w.con.execute("SELECT count(*) FROM schema_version").fetchone()[0] == len(numbers)
        pg_columns = set(w.con.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name <> 'schema_version'").fetchall())
    duck = duckdb.connect(":memory:")
    from bilat.store.schema import migrate
    migrate(duck)
    duck_columns = set(duck.execute("SELECT table_name, column_name FROM information_schema.columns "
                                    "WHERE table_name <> 'schema_version'").fetchall())
    assert pg_columns == duck_columns


def test_write_and_export_jsonl(pg, tmp_path):
    with open_writer(pg) as w:
        w.write([make_doc()], [LogEntry("d1.txt", "d1", "ingested")])
        assert w.existing_ids(["d1", "d2"]) == {"d1"}
        assert w.existing_ids([]) == set()
        assert list(w.canonical_texts()) == [("d1", make_doc().text)]
    counts = export(open_reader(pg), tmp_path / "out", "jsonl")
    assert counts == {"documents": 1, "events": 1, "quantities": 1, "actors": 2}
    doc = json.loads((tmp_path / "out" / "documents.jsonl").read_text())
    assert doc["published"] == "2019-04-23" and doc["removed"] == [{"reason": "subscription", "text": "Subscribe now"}]
    assert doc["cited_sources"] == ["TASS"]
    event = json.loads((tmp_path / "out" / "events.jsonl").read_text())
    assert event["span"] == [0, 48] and event["type"] == "AGREE" and event["intensity"] == 0.35
    quantity = json.loads((tmp_path / "out" / "quantities.jsonl").read_text())
    assert quantity["countries"] == ["RUS", "TJK"] and quantity["value"] == 8.0


def test_export_equals_duckdb_store(pg, tmp_path):
    docs = [make_doc("b2"), make_doc("a1"), make_doc("Z9")]
    docs[1].duplicate_of = "b2"
    with StoreWriter(tmp_path / "s.duckdb") as duck_w, open_writer(pg) as pg_w:
        for w in (duck_w, pg_w):
            w.write(docs, [LogEntry(d.origin, d.doc_id, "ingested") for d in docs])
            w.update_event_ids({("a1", 0): "ev-1", ("b2", 0): "ev-1"})
        # canonical texts come in the same (code point) order: "Z9" before "b2"
        assert list(pg_w.canonical_texts()) == list(duck_w.canonical_texts())
        assert fetch(pg_w, "SELECT doc_id FROM documents ORDER BY doc_id") == \
            fetch(duck_w, "SELECT doc_id FROM documents ORDER BY doc_id")
        assert fetch(pg_w, "SELECT event_id FROM events WHERE doc_id = ?", ["a1"])[1] == [("ev-1",)]
        duck_w.con.execute("CHECKPOINT")
    assert _sorted_export(open_reader(pg), tmp_path / "p") == \
        _sorted_export(duckdb.connect(str(tmp_path / "s.duckdb")), tmp_path / "d")


def test_failed_batch_leaves_nothing(pg):
    with open_writer(pg) as w:
        w.write([make_doc("ok")])
        with pytest.raises(psycopg.errors.UniqueViolation):
            w.write([make_doc("new"), make_doc("ok")])  # duplicate key aborts the whole batch
        assert w.existing_ids(["ok", "new"]) == {"ok"}
        assert w.con.execute("SELECT count(*) FROM events").fetchone()[0] == 1
        assert w.con.execute("SELECT count(*) FROM sentences").fetchone()[0] == 2


def test_runs_are_recorded(pg):
    info = RunInfo(settings={"convention": "plover"}, bilat_version="0.1.0", convention="plover",
                   parse="full", coder_model="coder-a", ml_coder_model="coder-b", rule_versions={"verbs": 2})
    with open_writer(pg) as w:
        w.start_run({"paths": ["a"]}, info)
        w.write([make_doc("d1")])
        w.finish_run({"ingested": 3})
        row = w.con.execute("SELECT args, counts, finished IS NOT NULL FROM runs").fetchone()
        run_id = w.run_id
    assert json.loads(row[0]) == {"paths": ["a"]} and json.loads(row[1]) == {"ingested": 3} and row[2]
    run = document_run(open_reader(pg), "d1")  # through the DuckDB snapshot, as every reader
    assert run["run_id"] == run_id and (run["convention"], run["parse"], run["model"]) == ("plover", "full", "coder-a")
    assert run["rule_versions"] == {"verbs": 2} and run["settings"] == {"convention": "plover"}


def test_a_store_of_the_previous_schema_migrates_and_its_documents_find_their_runs(pg):
    con = psycopg.connect(pg, autocommit=True)
    postgres.current_version(con)  # creates schema_version
    for number, name, sql in postgres.available_migrations()[:3]:
        con.execute(sql)
        con.execute("INSERT INTO schema_version (version, name) VALUES (%s, %s)", [number, name])
    for i, run in enumerate(("old1", "old2")):
        con.execute("INSERT INTO documents (doc_id, origin, fmt, text, content_hash) VALUES (%s, %s, 'txt', 't', 'h')",
                    [f"d{i}", f"d{i}.txt"])
        con.execute("INSERT INTO ingest_log (run_id, origin, doc_id, status) VALUES (%s, %s, %s, 'ingested')",
                    [run, f"d{i}.txt", f"d{i}"])
    con.execute("INSERT INTO ingest_log (run_id, origin, doc_id, status) VALUES ('old3', 'd0.txt', 'd0', 'exists')")
    con.close()
    with open_writer(pg) as w:
        assert postgres.current_version(w.con) == postgres.available_migrations()[-1][0]
        stamped = dict(w.con.execute("SELECT doc_id, run_id FROM documents").fetchall())
    assert stamped == {"d0": "old1", "d1": "old2"}


def test_unreachable_server_and_missing_store_are_clear_errors(pg):
    with pytest.raises(StoreError, match="cannot connect") as info:
        postgres.PostgresWriter("postgresql://bilat:secret@localhost:1/bilat?connect_timeout=2")
    assert "secret" not in str(info.value)
    with pytest.raises(StoreError, match="no bilat store"):
        open_reader(pg)


def test_ingest_into_postgres_equals_duckdb_and_rerun_adds_nothing(pg, tmp_path, pipeline):
    from bilat.engines.local import ingest

    folder = tmp_path / "in"
    folder.mkdir()
    for name in DEMO_FILES:
        shutil.copy(DEMO / name, folder / name)
    duck_db = str(tmp_path / "x.duckdb")
    in_duck = ingest([str(folder)], duck_db, pipeline=pipeline)
    first = ingest([str(folder)], pg, pipeline=pipeline)
    assert first.ingested == in_duck.ingested >= 8 and first.events == in_duck.events > 0
    assert first.duplicates == in_duck.duplicates
    second = ingest([str(folder)], pg, pipeline=pipeline)
    assert second.ingested == 0 and second.existing == first.ingested
    assert _sorted_export(open_reader(pg), tmp_path / "p") == _sorted_export(open_reader(duck_db), tmp_path / "d")
    with open_writer(pg) as w:
        runs = w.con.execute("SELECT count(*) FROM runs WHERE finished IS NOT NULL").fetchone()[0]
        statuses = dict(w.con.execute("SELECT status, count(*) FROM ingest_log GROUP BY 1").fetchall())
    assert runs == 2 and statuses["exists"] == first.ingested
