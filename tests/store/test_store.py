import json

import duckdb
import pytest

from bilat.errors import StoreError
from bilat.model import DatedValue, Document, Event, Mention, Quantity, RemovedParagraph, Sentence
from bilat.store.export import export
from bilat.store.schema import available_migrations, current_version
from bilat.store.writer import LogEntry, StoreWriter, connect


def make_doc(doc_id: str = "d1") -> Document:
    text = "Russia and Tajikistan signed a treaty on Monday. Trade grew by 8 percent."
    doc = Document(doc_id=doc_id, origin=f"{doc_id}.txt", fmt="txt", text=text, title="A title",
                   outlet="Test Wire", published=DatedValue("2019-04-23", "day", "metadata", "2019-04-23"),
                   removed=[RemovedParagraph("Subscribe now", "subscription")], content_hash="h" + doc_id)
    doc.sentences = [Sentence(0, 48, text[:48]), Sentence(49, len(text), text[49:])]
    doc.mentions = [Mention("Russia", (0, 6), 0, "Russia", "RUS"), Mention("Tajikistan", (11, 21), 0, "Tajikistan", "TJK")]
    doc.events = [Event(type="AGREE", mode="sign", source="RUS", target="TJK", span=(0, 48), evidence=text[:48],
                        sentence=0, date="2019-04-22", date_precision="day")]
    doc.quantities = [Quantity("8 percent", (63, 72), 1, 8.0, "percent", text[49:], countries=["RUS", "TJK"])]
    return doc


def test_migrations_are_numbered_and_applied(tmp_path):
    numbers = [n for n, _, _ in available_migrations()]
    assert numbers == sorted(numbers) and numbers[0] == 1
    con = connect(tmp_path / "a.duckdb")
    assert current_version(con) == numbers[-1]
    con.close()
    # reopening applies nothing twice
    con = connect(tmp_path / "a.duckdb")
    assert con.execute("SELECT count(*) FROM schema_version").fetchone()[0] == len(numbers)


def test_write_and_export_jsonl(tmp_path):
    db = tmp_path / "b.duckdb"
    with StoreWriter(db) as w:
        w.write([make_doc()], [LogEntry("d1.txt", "d1", "ingested")])
        assert w.existing_ids(["d1", "d2"]) == {"d1"}
    con = connect(db, read_only=True)
    counts = export(con, tmp_path / "out", "jsonl")
    assert counts == {"documents": 1, "events": 1, "quantities": 1, "actors": 2}
    doc = json.loads((tmp_path / "out" / "documents.jsonl").read_text())
    assert doc["published"] == "2019-04-23" and doc["removed"] == [{"reason": "subscription", "text": "Subscribe now"}]
    event = json.loads((tmp_path / "out" / "events.jsonl").read_text())
    assert event["span"] == [0, 48] and event["type"] == "AGREE" and event["outlet"] == "Test Wire"
    actors = [json.loads(line) for line in (tmp_path / "out" / "actors.jsonl").read_text().splitlines()]
    assert {a["country"] for a in actors} == {"RUS", "TJK"}
    assert all(a["evidence"].startswith("Russia and Tajikistan") for a in actors)


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_export_other_formats(tmp_path, fmt):
    db = tmp_path / "c.duckdb"
    with StoreWriter(db) as w:
        w.write([make_doc("x1"), make_doc("x2")])
    counts = export(connect(db, read_only=True), tmp_path / "out", fmt)
    assert counts["documents"] == 2
    path = tmp_path / "out" / f"documents.{fmt}"
    reader = "read_parquet" if fmt == "parquet" else "read_csv_auto"
    assert duckdb.sql(f"SELECT count(*) FROM {reader}('{path}')").fetchone()[0] == 2


def test_failed_batch_leaves_nothing(tmp_path):
    db = tmp_path / "d.duckdb"
    with StoreWriter(db) as w:
        w.write([make_doc("ok")])
        with pytest.raises(duckdb.Error):
            w.write([make_doc("new"), make_doc("ok")])  # duplicate key aborts the whole batch
        assert w.existing_ids(["ok", "new"]) == {"ok"}
        assert w.con.execute("SELECT count(*) FROM events").fetchone()[0] == 1


def test_missing_database_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match="no such database"):
        connect(tmp_path / "nope.duckdb", read_only=True)


def test_csv_export_never_writes_a_formula(tmp_path):
    """An outlet or title is third-party text: a cell a spreadsheet would run is written as text."""
    import csv

    db = tmp_path / "f.duckdb"
    doc = make_doc("f1")
    doc.outlet, doc.title = '=HYPERLINK("http://evil.example","click")', "@SUM(1+1)*cmd|' /C calc'!A0"
    with StoreWriter(db) as w:
        w.write([doc])
    export(connect(db, read_only=True), tmp_path / "out", "csv")
    with (tmp_path / "out" / "documents.csv").open(encoding="utf-8", newline="") as f:
        row = next(csv.DictReader(f))
    assert row["outlet"] == "'" + doc.outlet and row["title"] == "'" + doc.title
    assert row["published"] == "2019-04-23"  # ordinary cells as they were
    with (tmp_path / "out" / "events.csv").open(encoding="utf-8", newline="") as f:
        event = next(csv.DictReader(f))
    assert event["outlet"].startswith("'=") and json.loads(event["span"]) == [0, 48] and event["negated"] == "false"


# ------------------------------------------------------------------ stores from elsewhere
def test_a_database_of_another_program_is_refused_in_one_line(tmp_path):
    path = tmp_path / "other.duckdb"
    duckdb.connect(str(path)).execute("CREATE TABLE invoices (n INTEGER)").close()
    for read_only in (False, True):
        with pytest.raises(StoreError, match="not a bilat database .*invoices"):
            connect(path, read_only=read_only)
    assert duckdb.connect(str(path)).execute("SELECT count(*) FROM information_schema.tables").fetchone()[0] == 1


def test_a_store_of_a_newer_bilat_or_with_tables_missing_is_refused(tmp_path):
    newer, damaged = tmp_path / "newer.duckdb", tmp_path / "damaged.duckdb"
    for path in (newer, damaged):
        connect(path).close()
    con = duckdb.connect(str(newer))
    con.execute("INSERT INTO schema_version (version, name) VALUES (999, '999_future.sql')")
    con.close()
    con = duckdb.connect(str(damaged))
    con.execute("DROP TABLE events")
    con.close()
    for read_only in (False, True):
        with pytest.raises(StoreError, match="written by a newer bilat .schema 999"):
            connect(newer, read_only=read_only)
        with pytest.raises(StoreError, match="damaged bilat database: table events missing"):
            connect(damaged, read_only=read_only)


def test_an_older_store_is_migrated_even_when_opened_to_read(tmp_path):
    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name VARCHAR, "
                "applied_at TIMESTAMP DEFAULT current_timestamp)")
    first = available_migrations()[0]
    con.execute(first[2])
    con.execute("INSERT INTO schema_version (version, name) VALUES (?, ?)", [first[0], first[1]])
    con.close()
    reader = connect(path, read_only=True)
    assert current_version_of(reader) == available_migrations()[-1][0]
    assert "lang" in [r[0] for r in reader.execute("DESCRIBE documents").fetchall()]


def current_version_of(con) -> int:
    return con.execute("SELECT max(version) FROM schema_version").fetchone()[0]


def test_a_store_in_use_by_a_server_is_refused_with_a_clear_message(tmp_path):
    """DuckDB lets one process write or many read: ingest while `bilat serve` reads the file is refused."""
    import subprocess
    import sys
    import time

    path = tmp_path / "busy.duckdb"
    connect(path).close()
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1], "
                               "read_only=True); print('open', flush=True); time.sleep(60)", str(path)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        with pytest.raises(StoreError, match="in use by another process"):
            connect(path)
    finally:
        holder.kill()
        holder.wait()
    time.sleep(0.1)
    connect(path).close()  # free again


def test_a_damaged_block_is_reported_in_one_line(tmp_path):
    """bytes flipped inside the file: `bilat summary` names the problem in one line, no traceback."""
    import subprocess
    import sys

    path = tmp_path / "flipped.duckdb"
    with StoreWriter(path) as w:
        w.write([make_doc(f"z{i}") for i in range(300)])
    data = bytearray(path.read_bytes())
    for at in range(len(data) // 4, len(data), 4096):  # past the headers: data blocks
        data[at] ^= 0xFF
    path.write_bytes(bytes(data))
    result = subprocess.run([sys.executable, "-m", "bilat.cli", "summary", "--db", str(path)],
                            capture_output=True, text=True, timeout=120)
    assert "Traceback" not in result.stderr + result.stdout
    assert result.returncode == 1 and "error:" in result.stderr
    assert len([line for line in result.stderr.splitlines() if line.strip()]) <= 3
