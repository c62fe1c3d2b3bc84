"""Issue 18, `bilat review`: the queue by confidence, corrections with who and why, training export, and every
bad argument one line with exit 2."""
import json

import pytest
from make_big_db import write_sample
from typer.testing import CliRunner

from bilat.cli.main import app

runner = CliRunner()


@pytest.fixture
def db(tmp_path):
    path = write_sample(tmp_path / "s.duckdb", 4)
    import duckdb

    con = duckdb.connect(str(path))
    con.execute("UPDATE events SET confidence = CASE doc_id WHEN 'doc002' THEN 0.1 ELSE 0.8 END")
    con.close()
    return str(path)


def ok(*args: str):
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result


def test_the_queue_lists_the_least_confident_first(db):
    rows = json.loads(ok("review", "--db", db, "--format", "json").stdout)
    assert rows[0]["doc_id"] == "doc002" and rows[0]["confidence"] == 0.1
    assert "review queue (least confident first): 2 of 4" in ok("review", "--db", db, "--limit", "2").stdout


def test_a_correction_applies_to_events_and_is_listed_with_who_and_why(db, tmp_path):
    said = ok("review", "retype", "ev001", "accuse", "--by", "ana", "--why", "a warning, not talks", "--db", db).stdout
    assert "retype ev001: corrections 1, 2" in said
    rows = json.loads(ok("events", "--db", db, "--type", "ACCUSE", "--format", "json").stdout)
    assert {r["doc_id"] for r in rows} == {"doc002", "doc003"} and all(r["corrected"] for r in rows)
    ok("review", "reject", "ev000", "--by", "ana", "--db", db)
    ok("review", "modality", "ev001", "--planned", "--by", "bo", "--db", db)
    ok("review", "actors", "ev001", "--target", "kaz", "--by", "bo", "--db", db)
    ok("review", "date", "ev001", "2020-03", "--by", "bo", "--db", db)
    ok("review", "add", "doc000", "1", "support", "RUS", "TJK", "--date", "2019-01-02", "--by", "bo", "--db", db)
    log = json.loads(ok("review", "list", "--db", db, "--format", "json").stdout)
    assert [c["action"] for c in log][-3:] == ["reject", "retype", "retype"]
    assert log[-1]["reason"] == "a warning, not talks" and log[-1]["author"] == "ana"
    assert "events" in ok("summary", "--db", db).stdout
    out = tmp_path / "train" / "review.jsonl"
    said = ok("review", "export", "--out", str(out), "--db", db).stdout
    # ev001's reports now name KAZ as target, which their sentences do not: no training row can be made
    assert "3 training rows (2 left out: a side not written in its sentence)" in " ".join(said.split())
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert sorted(r["label"] for r in rows) == ["NONE", "NONE", "SUPPORT"]


@pytest.mark.parametrize(("args", "words"), [
    (["review", "retype", "ev001", "PARTY", "--by", "a"], "unknown PLOVER type 'PARTY'"),
    (["review", "retype", "ev999", "AGREE", "--by", "a"], "no event 'ev999'"),
    (["review", "reject", "ev001"], "Missing option '--by'"),
    (["review", "reject", "ev001", "--by", " "], "say who makes the correction"),
    (["review", "date", "ev001", "2019-13-01", "--by", "a"], "not a date: '2019-13-01'"),
    (["review", "actors", "ev001", "--by", "a"], "give --source, --target"),
    (["review", "actors", "ev001", "--source", "R-U", "--by", "a"], "not an actor code"),
    (["review", "modality", "ev001", "--by", "a"], "give --negated, --planned or --hypothetical"),
    (["review", "add", "doc000", "99", "AID", "RUS", "TJK", "--by", "a"], "no sentence 99"),
    (["review", "add", "doc000", "x", "AID", "RUS", "TJK", "--by", "a"], "'sentence'"),
    (["review", "--limit", "0"], "'--limit'"),
    (["review", "--format", "xml"], "'--format'"),
])
def test_bad_arguments_are_one_line_and_exit_2(db, args, words):
    result = runner.invoke(app, [*args, "--db", db])
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and words in lines[0], result.stderr
    assert "Traceback" not in result.output


def test_corrections_are_copied_from_another_store(db, tmp_path):
    ok("review", "reject", "ev000", "--by", "ana", "--db", db)
    fresh = str(write_sample(tmp_path / "fresh.duckdb", 4))
    assert "2 corrections copied" in ok("review", "copy", "--from", db, "--db", fresh).stdout
    assert "0 corrections copied" in ok("review", "copy", "--from", db, "--db", fresh).stdout
    rows = json.loads(ok("events", "--db", fresh, "--format", "json").stdout)
    assert {r["doc_id"] for r in rows} == {"doc002", "doc003"}
    result = runner.invoke(app, ["review", "copy", "--from", str(tmp_path / "none.duckdb"), "--db", fresh])
    assert result.exit_code == 2 and "no such database" in result.stderr
    result = runner.invoke(app, ["review", "copy", "--from", fresh, "--db", fresh])
    assert result.exit_code == 2 and "the store itself" in result.stderr


def test_a_postgresql_store_is_refused_in_one_line():
    result = runner.invoke(app, ["review", "list", "--db", "postgresql://u@localhost/x"])
    assert result.exit_code == 2 and "PostgreSQL store is not supported" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_missing_store_is_one_line_and_exit_1_and_not_created(tmp_path):
    result = runner.invoke(app, ["review", "--db", str(tmp_path / "typo.duckdb")])
    assert result.exit_code == 1 and "no such database" in result.stderr and not (tmp_path / "typo.duckdb").exists()
    result = runner.invoke(app, ["review", "reject", "ev1", "--by", "a", "--db", str(tmp_path / "no" / "x.duckdb")])
    assert result.exit_code == 1 and len(result.stderr.strip().splitlines()) == 1
