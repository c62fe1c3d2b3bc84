"""Issue 18, CLI manners: every bad value is one line on stderr with exit 2, never a traceback; dyads and
actors by name; cut lists say so; --format table|csv|json; --version."""
import csv
import io
import json
import re

import duckdb
import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

from bilat.cli.main import app
from bilat.cli.output import table_lines

runner = CliRunner()


def ok(*args: str):
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result


def refused(*args: str) -> str:
    """Run a command that must refuse its arguments; the one line it says."""
    result = runner.invoke(app, list(args))
    assert result.exit_code == 2, (args, result.output)
    assert "Traceback" not in result.output and isinstance(result.exception, SystemExit)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), (args, result.stderr)
    assert result.stdout == "", (args, result.stdout)
    return lines[0]


# (command arguments after "--db DB" is added where the command reads a store, words the line must hold)
BAD_QUERY_ARGUMENTS = [
    (["events", "--since", "yesterday"], "not a date: 'yesterday'"),
    (["events", "--since", "2019-13-01"], "not a date: '2019-13-01'"),
    (["events", "--until", "2021-02-29"], "not a date: '2021-02-29'"),
    (["events", "--since", "19"], "not a date: '19'"),
    (["events", "--type", "FOO"], "not a PLOVER type: FOO"),
    (["events", "--type", "CONSULT,PARTY"], "not a PLOVER type: PARTY"),
    (["events", "--limit", "0"], "'--limit': must be from 1 to 100,000, not 0"),
    (["events", "--limit", "-4"], "not -4"),
    (["events", "--limit", "many"], "'--limit'"),
    (["events", "--lang", "fr"], "not a language bilat reads: 'fr'"),
    (["events", "--dyad", "RUSTJKX"], "is not two actors"),
    (["events", "--dyad", "Atlantis-Tajikistan"], "unknown actor 'Atlantis'"),
    (["events", "--dyad", "Russia-Kazakhstan"], "no event of this store names KAZ (Kazakhstan)"),
    (["events", "--dyad", "RUS-QQQ"], "unknown actor 'QQQ'"),
    (["events", "--format", "xml"], "'xml' is not one of table, csv, json"),
    (["events", "--format", "csv", "--json"], "give one of them"),
    (["events", "--no-such-option"], "No such option"),
    (["actors", "--on", "the day before"], "not a date"),
    (["actors", "--on", "2011-02-30"], "not a date"),
    (["actors", "--limit", "0"], "must be from 1"),
    (["actors", "--country", "Atlantis"], "unknown state or organisation 'Atlantis'"),
    (["actor", "Emomali Rahmon", "--limit", "0"], "must be from 1"),
    (["monthly", "RUS", "QQQ"], "unknown actor 'QQQ'"),
    (["monthly", "Russia", "Kazakhstan"], "no event of this store names KAZ"),
    (["claims", "--dyad", "RUS"], "is not two actors"),
    (["claims", "--metric", "happiness"], "no metric is called 'happiness'"),
    (["claims", "--format", "yaml"], "'yaml' is not one of"),
]


@pytest.mark.parametrize(("args", "said"), BAD_QUERY_ARGUMENTS, ids=[" ".join(a) for a, _ in BAD_QUERY_ARGUMENTS])
def test_a_bad_query_argument_is_one_line_and_exit_2(demo_db, args, said):
    line = refused(*args, "--db", str(demo_db))
    assert said in line, line
    assert re.match(rf"error: \S+ {args[0]}: ", line)  # the command named (the runner calls it "root")


BAD_OTHER_ARGUMENTS = [
    (["ingest", "in.txt", "--engine", "spark"], "'spark' is not one of local, dask"),
    (["ingest", "in.txt", "--workers", "0"], "'--workers': must be at least 1"),
    (["ingest", "in.txt", "--parse", "sometimes"], "'sometimes' is not one of selective, full"),
    (["ingest", "in.txt", "--convention", "cameo"], "'cameo' is not one of news, dyadic, plover"),
    (["ingest", "in.txt", "--coder", "oracle"], "'oracle' is not one of model, rules"),
    (["ingest", "in.txt", "--partitions", "0"], "'--partitions': must be at least 1"),
    (["ingest"], "Missing argument"),
    (["export", "--format", "xml"], "'xml' is not one of jsonl, parquet, csv"),
    (["code", "Two ministers met.", "--source", "A", "--target", "B", "--top", "0"], "'--top'"),
    (["code", "Two ministers met."], "Missing option '--source'"),
    (["serve", "--port", "99999"], "'--port': must be from 1 to 65535"),
    (["no-such-command"], "No such command"),
]


@pytest.mark.parametrize(("args", "said"), BAD_OTHER_ARGUMENTS, ids=[" ".join(a) for a, _ in BAD_OTHER_ARGUMENTS])
def test_a_bad_argument_of_any_command_is_one_line_and_exit_2(tmp_path, args, said):
    line = refused(*args, *(["--db", str(tmp_path / "never.duckdb")] if args[0] in ("ingest", "export") else []))
    assert said in line, line
    assert not (tmp_path / "never.duckdb").exists()  # refused before any work


def test_the_installed_command_answers_in_one_line_too(demo_db):
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "bilat.cli", "events", "--db", str(demo_db), "--since", "soon"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 2
    assert done.stdout == "" and done.stderr.count("\n") == 1 and "Traceback" not in done.stderr


def test_version():
    assert re.fullmatch(r"bilat \S+ \(event coder coder-\S+\)\n", ok("--version").stdout)


def test_a_cut_list_says_n_of_m(demo_db):
    con = duckdb.connect(str(demo_db), read_only=True)
    total = con.execute("SELECT count(*) FROM events").fetchone()[0]
    con.close()
    shown = ok("events", "--db", str(demo_db), "--limit", "3")
    assert shown.stdout.splitlines()[0] == f"events: 3 of {total} (use --limit)"
    whole = ok("events", "--db", str(demo_db), "--limit", str(total))
    assert whole.stdout.splitlines()[0] == f"events ({total})"
    # machine-readable output stays clean: the note goes to stderr
    as_json = ok("events", "--db", str(demo_db), "--limit", "3", "--format", "json")
    assert len(json.loads(as_json.stdout)) == 3
    assert as_json.stderr.strip() == f"events: 3 of {total} (use --limit)"
    actors = ok("actors", "--db", str(demo_db), "--limit", "2")
    assert re.match(r"actors: 2 of \d+ \(use --limit\)$", actors.stdout.splitlines()[0])


def test_csv_and_json_carry_the_whole_evidence(demo_db):
    rows = json.loads(ok("events", "--db", str(demo_db), "--limit", "20", "--format", "json").stdout)
    table = list(csv.DictReader(io.StringIO(ok("events", "--db", str(demo_db), "--limit", "20", "-f", "csv").stdout)))
    assert len(table) == len(rows) == 20
    assert list(table[0]) == ["date", "source", "target", "type", "mode", "planned", "negated", "outlet", "evidence"]
    assert [r["evidence"] for r in table] == [r["evidence"] for r in rows]
    assert max(len(r["evidence"]) for r in table) > 100  # long sentences are not cut
    # --json is still --format json
    assert json.loads(ok("events", "--db", str(demo_db), "--limit", "20", "--json").stdout) == rows


def test_the_table_fits_the_terminal(demo_db, monkeypatch):
    from bilat.cli import output

    for width in (80, 200):
        monkeypatch.setattr(output.out, "width", width)
        lines = ok("events", "--db", str(demo_db), "--limit", "30").stdout.splitlines()
        assert all(cell_len(line) <= width for line in lines), width
        assert any(line.endswith("…") for line in lines)  # long evidence is cut, not wrapped
        assert len(lines) <= 2 + 2 * 30 + 1


def test_table_lines_give_the_evidence_what_is_left():
    rows = [{"date": "2019-04-17", "type": "CONSULT", "evidence": "A long sentence that goes on. " * 10}]
    wide = table_lines(rows, ["date", "type", "evidence"], 100, free="evidence")
    assert [cell_len(t.plain) for t in wide][2] == 100 and wide[2].plain.endswith("…")
    assert wide[0].plain.split() == ["date", "type", "evidence"]
    narrow = table_lines(rows, ["date", "type", "evidence"], 40, free="evidence")
    assert len(narrow) == 4  # header, rule, the row, its evidence on a line of its own
    assert narrow[2].plain.split() == ["2019-04-17", "CONSULT"] and narrow[3].plain.startswith("    A long")
    assert all(cell_len(t.plain) <= 40 for t in narrow)


def test_dyads_by_name(demo_db):
    by_code = ok("events", "--db", str(demo_db), "--dyad", "RUS-TJK", "--json", "--limit", "500").stdout
    assert json.loads(by_code)
    for spelling in ("RUSTJK", "rus-tjk", "Russia-Tajikistan", "tajikistan-russia", "the Kremlin-Tajikistan",
                     "Russian Federation – Tajikistan"):
        same = ok("events", "--db", str(demo_db), "--dyad", spelling, "--json", "--limit", "500").stdout
        assert json.loads(same) == json.loads(by_code), spelling
    by_name = ok("monthly", "Russia", "Tajikistan", "--db", str(demo_db), "--json").stdout
    assert json.loads(by_name) == json.loads(ok("monthly", "RUS", "TJK", "--db", str(demo_db), "--json").stdout)
    assert json.loads(by_name) == json.loads(ok("timeline", "RUS", "TJK", "--db", str(demo_db), "--json").stdout)
    claims = json.loads(ok("claims", "--db", str(demo_db), "--dyad", "Russia-Tajikistan", "--json").stdout)
    assert claims and {c["dyad"] for c in claims} == {"RUS-TJK"}


def _count(db, sql: str, *params: str) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchone()[0]
    finally:
        con.close()


def test_actor_by_surname_counts_documents_and_events(demo_db):
    info = json.loads(ok("actor", "Rahmon", "--db", str(demo_db), "--json").stdout)
    assert info["name"] == "Emomali Rahmon" and info["country"] == "TJK"
    assert info["documents"] == _count(demo_db, "SELECT count(DISTINCT doc_id) FROM mentions WHERE name = ?",
                                       "Emomali Rahmon") > 0
    assert info["events_as_source"] == _count(demo_db, "SELECT count(*) FROM events WHERE source_actor = ?",
                                              "Emomali Rahmon") > 0
    assert info["events_as_target"] == _count(demo_db, "SELECT count(*) FROM events WHERE target_actor = ?",
                                              "Emomali Rahmon")
    assert any(r["role"] == "president" for r in info["knowledge_base_roles"])
    shown = ok("actor", "Rahmon", "--db", str(demo_db)).stdout.splitlines()[0]
    assert shown.startswith("Rahmon → Emomali Rahmon") and "documents=0" not in shown


def test_actor_by_metonym(demo_db):
    info = json.loads(ok("actor", "Kremlin", "--db", str(demo_db), "--json").stdout)
    assert (info["name"], info["country"], info["kind"], info["matched_via"]) == ("Russia", "RUS", "state", "metonym")
    assert info["documents"] == _count(demo_db, "SELECT count(DISTINCT doc_id) FROM mentions WHERE name = 'Russia'")
    # a state acts through its people and organs: every report with its code as a side
    assert info["events_as_source"] == _count(demo_db, "SELECT count(*) FROM events WHERE source = 'RUS'") > 0
    assert info["events_as_target"] == _count(demo_db, "SELECT count(*) FROM events WHERE target = 'RUS'") > 0
    assert json.loads(ok("actor", "the Kremlin", "--db", str(demo_db), "--json").stdout)["name"] == "Russia"


def test_an_unknown_actor_is_one_line_and_exit_1(demo_db):
    result = runner.invoke(app, ["actor", "Nobody Anywhere", "--db", str(demo_db)])
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "no actor 'Nobody Anywhere'" in result.stderr


def test_every_option_is_in_the_readme_and_has_help():
    """(tests/test_docs.py tests isinstance(param, click.Option), which Typer's own copy of Click never is.)"""
    import typer.main

    from bilat_paths import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Command reference"):readme.index("### Input formats")]
    missing = []
    for name, command in typer.main.get_command(app).commands.items():
        assert f"`bilat {name}" in section, name
        for param in command.params:
            if param.param_type_name == "option" and "--help" not in param.opts:
                longest = max(param.opts, key=len)
                if longest not in section or not param.help:
                    missing.append(f"{name} {longest}")
    assert missing == []
