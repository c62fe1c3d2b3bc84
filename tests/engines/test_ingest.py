"""The ingest engine end to end: bad input, idempotence, resume after SIGKILL."""
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from generate import write_jsonl

from bilat.engines.local import ingest
from bilat.store.export import export
from bilat.store.writer import connect

BILAT = [sys.executable, "-m", "bilat.cli"]

ARTICLE = ("Moscow talks on migrants\n\nDUSHANBE, March 3 - The foreign ministers of Russia and Tajikistan "
           "met in Moscow on Tuesday and agreed to simplify the registration of Tajik labour migrants, "
           "officials said.\n\nThe two sides also discussed the 201st military base.\n")


def bad_inputs(folder: Path) -> Path:
    folder.mkdir()
    (folder / "good.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    (folder / "cyrillic.txt").write_bytes(
        "Визит в Душанбе\n\nПрезидент России прибыл в Душанбе с официальным визитом.\n".encode("cp1251"))
    (folder / "latin1.txt").write_bytes("Visite à Douchanbé\n\nLe président russe est arrivé à Douchanbé.\n"
                                        .encode("latin-1"))
    (folder / "broken.html").write_text("<html><body><div><p>Russia and Tajikistan signed a treaty on "
                                        "the border, the ministry said.<div></p></span>", encoding="utf-8")
    lines = [json.dumps({"id": "j1", "text": ARTICLE}), '{"id": "j2", "text": ', json.dumps({"id": "j3", "text": ARTICLE.replace("Tuesday", "Monday")})]
    (folder / "records.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "feed.xml").write_text("this is not xml at all", encoding="utf-8")
    return folder


def run_cli(*args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([*BILAT, *args], capture_output=True, text=True, timeout=300, **kw)


def test_bad_inputs_are_reported_and_the_rest_ingested(tmp_path):
    folder = bad_inputs(tmp_path / "in")
    db = tmp_path / "x.duckdb"
    result = run_cli("ingest", str(folder), "--db", str(db))
    assert result.returncode == 0, result.stderr
    messages = result.stderr
    assert "empty.txt: empty file" in messages
    assert "image.txt: binary file" in messages
    assert "records.jsonl#line-2" in messages
    assert "feed.xml" in messages
    con = duckdb.connect(str(db), read_only=True)
    ids = {r[0] for r in con.execute("SELECT doc_id FROM documents").fetchall()}
    assert {"good", "cyrillic", "latin1", "j1", "j3"} <= ids
    cyr = con.execute("SELECT text FROM documents WHERE doc_id = 'cyrillic'").fetchone()[0]
    assert "Душанбе" in cyr
    assert "Douchanbé" in con.execute("SELECT text FROM documents WHERE doc_id = 'latin1'").fetchone()[0]
    failed = {r[0] for r in con.execute("SELECT origin FROM ingest_log WHERE status = 'failed'").fetchall()}
    assert any(o.endswith("empty.txt") for o in failed) and any(o.endswith("image.txt") for o in failed)
    con.close()
    strict = run_cli("ingest", str(folder), "--db", str(tmp_path / "y.duckdb"), "--strict")
    assert strict.returncode == 1


def test_reingest_adds_nothing(tmp_path, pipeline):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE, encoding="utf-8")
    db = str(tmp_path / "z.duckdb")
    first = ingest([str(folder)], db, pipeline=pipeline)
    second = ingest([str(folder)], db, pipeline=pipeline)
    assert first.ingested == 1 and second.ingested == 0 and second.existing == 1
    con = connect(db, read_only=True)
    assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 1


def test_files_of_one_name_are_all_stored_and_a_rerun_from_elsewhere_adds_nothing(tmp_path, pipeline, monkeypatch):
    site = tmp_path / "site"
    for sub in ("a", "b"):
        (site / sub).mkdir(parents=True)
    (site / "a" / "index.html").write_text(f"<html><body><p>{ARTICLE}</p></body></html>", encoding="utf-8")
    (site / "b" / "index.html").write_text(f"<html><body><p>{ARTICLE} A second page.</p></body></html>",
                                           encoding="utf-8")
    (site / "b" / "index.txt").write_text(ARTICLE + " A third text.", encoding="utf-8")
    db = str(tmp_path / "m.duckdb")
    first = ingest([str(site)], db, pipeline=pipeline)
    assert first.ingested == 3 and first.existing == 0
    con = connect(db, read_only=True)
    ids = dict(con.execute("SELECT origin, doc_id FROM documents").fetchall())
    con.close()
    # the first keeps the plain name the gold sets use; the others take their name with its ending
    assert ids == {str(site / "a" / "index.html"): "index", str(site / "b" / "index.html"): "index.html",
                   str(site / "b" / "index.txt"): "index.txt"}
    monkeypatch.chdir(tmp_path)
    again = ingest(["./site"], db, pipeline=pipeline)
    assert again.ingested == 0 and again.existing == 3


def test_stdin_jsonl(tmp_path):
    db = tmp_path / "s.duckdb"
    record = json.dumps({"id": "stdin-1", "title": "t", "text": ARTICLE})
    result = run_cli("ingest", "-", "--db", str(db), input=record + "\n")
    assert result.returncode == 0, result.stderr
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT doc_id FROM documents").fetchall() == [("stdin-1",)]


def _export_lines(db: Path, out: Path) -> dict[str, list[str]]:
    export(connect(db, read_only=True), out, "jsonl")
    result = {}
    for name in ("documents", "events", "quantities", "actors"):
        rows = [json.loads(line) for line in (out / f"{name}.jsonl").read_text().splitlines()]
        result[name] = sorted(json.dumps(r, sort_keys=True) for r in rows)
    return result


def _children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (Linux /proc)."""
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                out.append(int(entry.name))
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.slow
def test_sigkill_mid_ingest_then_rerun_converges(tmp_path):
    corpus = write_jsonl(tmp_path / "gen.jsonl", 40, words=200)
    config = tmp_path / "settings.json"
    config.write_text(json.dumps({"batch_size": 4}))
    reference = tmp_path / "ref.duckdb"
    assert run_cli("ingest", str(corpus), "--db", str(reference), "--config", str(config)).returncode == 0

    db = tmp_path / "killed.duckdb"
    proc = subprocess.Popen([*BILAT, "-v", "ingest", str(corpus), "--db", str(db), "--config", str(config)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    stored = 0
    for line in proc.stderr:  # kill after the third stored batch, mid-run
        stored += "stored a batch" in line
        if stored == 3:
            break
    workers = _children(proc.pid)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 10
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert workers and not any(_alive(w) for w in workers)  # no worker outlives its killed ingest
    con = duckdb.connect(str(db))  # opens after the kill (WAL replayed)
    n_docs = con.execute("SELECT count(*) FROM documents").fetchone()[0]
    # only whole documents: every stored document has its sentences
    orphans = con.execute("SELECT count(*) FROM documents d WHERE NOT EXISTS "
                          "(SELECT 1 FROM sentences s WHERE s.doc_id = d.doc_id)").fetchone()[0]
    con.close()
    assert n_docs < 40 and orphans == 0
    assert run_cli("ingest", str(corpus), "--db", str(db), "--config", str(config)).returncode == 0
    assert _export_lines(db, tmp_path / "a") == _export_lines(reference, tmp_path / "b")
