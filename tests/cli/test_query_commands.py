"""The query commands on the demo corpus, through the real CLI (bad values, names, formats: test_arguments.py)."""
import json

from typer.testing import CliRunner

from bilat.cli.main import app

runner = CliRunner()


def run(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout  # a cut list says so on stderr


def test_claims_flag_a_disagreement_between_outlets(demo_db):
    rows = json.loads(run("claims", "--db", str(demo_db), "--metric", "trade", "--dyad", "RUS-TJK", "--json"))
    disputed = [r for r in rows if r["disagreement"] and r["period"] == "2023"]
    assert disputed, rows
    outlets = {v["outlet"] for v in disputed[0]["values"]}
    assert len(outlets) >= 2


def test_events_filters(demo_db):
    rows = json.loads(run("events", "--db", str(demo_db), "--dyad", "RUS-TJK", "--type", "CONSULT", "--json",
                          "--limit", "500"))
    assert rows and all(r["type"] == "CONSULT" for r in rows)
    assert all({r["source"], r["target"]} == {"RUS", "TJK"} for r in rows)
    later = json.loads(run("events", "--db", str(demo_db), "--since", "2020", "--json", "--limit", "500"))
    assert later and all((r["date"] or "9999") >= "2020" for r in later)


def test_timeline_and_actor(demo_db):
    months = json.loads(run("monthly", "RUS", "TJK", "--db", str(demo_db), "--json"))
    assert months
    info = json.loads(run("actor", "Emomali Rahmon", "--db", str(demo_db), "--json"))
    assert info["country"] == "TJK" and info["documents"] >= 3
    assert any(r["role"] == "president" for r in info["knowledge_base_roles"])


def test_actors_on_a_date_come_from_dated_roles(demo_db):
    rows = json.loads(run("actors", "--country", "RUS", "--role", "president", "--on", "2011-09-15", "--json"))
    assert [r["name"] for r in rows] == ["Dmitry Medvedev"]
    rows = json.loads(run("actors", "--country", "RUS", "--role", "president", "--on", "2022-06-28", "--json"))
    assert [r["name"] for r in rows] == ["Vladimir Putin"]


def test_actors_lists_corpus_actors(demo_db):
    rows = json.loads(run("actors", "--db", str(demo_db), "--country", "TJK", "--json"))
    assert any(r["name"] == "Emomali Rahmon" for r in rows)
    run("actors", "--db", str(demo_db), "--learned")


def test_missing_database_is_a_clear_error(tmp_path):
    result = runner.invoke(app, ["events", "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 1
    assert "no such database" in result.output
