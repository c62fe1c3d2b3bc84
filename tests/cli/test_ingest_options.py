"""`bilat ingest` options that change how documents are analysed: --workers, --parse, --convention."""
import json

from typer.testing import CliRunner

from bilat.cli.main import app

runner = CliRunner()

ARTICLE = ("Road deal\n\nRussia and Tajikistan agreed on Monday to build a new mountain road between "
           "their border posts, the two transport ministries said.\n")


def ingest(tmp_path, *options: str):
    (tmp_path / "in").mkdir(exist_ok=True)
    (tmp_path / "in" / "road.txt").write_text(ARTICLE, encoding="utf-8")
    db = tmp_path / f"x{len(list(tmp_path.glob('*.duckdb')))}.duckdb"
    result = runner.invoke(app, ["ingest", str(tmp_path / "in"), "--db", str(db), "--json", *options])
    return result, db


def exported_events(tmp_path, db) -> list[dict]:
    out = tmp_path / f"out-{db.stem}"
    result = runner.invoke(app, ["export", "--db", str(db), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in (out / "events.jsonl").read_text().splitlines()]


def test_conventions_change_the_coding(tmp_path):
    news, db_news = ingest(tmp_path)
    plover, db_plover = ingest(tmp_path, "--convention", "plover")
    assert news.exit_code == 0 and plover.exit_code == 0, news.output + plover.output
    pairs_news = {(e["type"], e["source"], e["target"]) for e in exported_events(tmp_path, db_news)}
    pairs_plover = {(e["type"], e["source"], e["target"]) for e in exported_events(tmp_path, db_plover)}
    assert ("AGREE", "RUS", "TJK") in pairs_news
    # PLOVER's gold records code "X and Y agreed" as one one-sided event per side
    assert {("AGREE", "RUS", None), ("AGREE", "TJK", None)} <= pairs_plover


def test_workers_and_selective_parse_give_the_same_events(tmp_path):
    plain, db_plain = ingest(tmp_path)
    fast, db_fast = ingest(tmp_path, "--workers", "2", "--parse", "selective")
    assert plain.exit_code == 0 and fast.exit_code == 0, plain.output + fast.output
    # the selective parse starts a sentence at the headline's line break, the full parse may not: the
    # evidence text can differ, the coding may not
    coded = ("type", "source", "target", "negated", "planned", "date", "mode", "cameo")
    plain_events = [tuple(e[k] for k in coded) for e in exported_events(tmp_path, db_plain)]
    fast_events = [tuple(e[k] for k in coded) for e in exported_events(tmp_path, db_fast)]
    assert plain_events == fast_events and plain_events


def test_bad_option_values_are_refused_with_the_option_named(tmp_path):
    for option, value, words in [("--parse", "sometimes", "'--parse': 'sometimes' is not one of"),
                                 ("--convention", "cameo", "'--convention': 'cameo' is not one of"),
                                 ("--workers", "0", "'--workers': must be at least 1")]:
        result, db = ingest(tmp_path, option, value)
        assert result.exit_code == 2
        assert words in result.stderr and result.stderr.count("\n") == 1
        assert not db.exists()


def test_the_command_only_picks_the_executor(tmp_path, monkeypatch):
    """Every engine goes through the one ingest of the library (engines.coordinate.ingest, with the
    crash-safety of its batches); --engine picks the executor, -j the workers of the local one."""
    from bilat.engines import coordinate
    from bilat.engines.coordinate import IngestReport
    from bilat.engines.dask import DaskExecutor
    from bilat.engines.local import LocalExecutor

    calls = []

    def ingest_called(paths, store, settings, executor, progress=None):
        calls.append((paths, store, settings.n_process, executor))
        return IngestReport(db=store, read=1, ingested=1)

    monkeypatch.setattr(coordinate, "ingest", ingest_called)
    db = str(tmp_path / "x.duckdb")
    assert runner.invoke(app, ["ingest", "in/", "--db", db, "-j", "2"]).exit_code == 0
    assert runner.invoke(app, ["ingest", "in/", "--db", db, "--engine", "dask", "--scheduler", "tcp://h:8786",
                               "--partitions", "3"]).exit_code == 0
    (paths, store, workers, local), (_, _, _, dask) = calls
    assert (paths, store, workers) == (["in/"], db, 2) and isinstance(local, LocalExecutor)
    assert isinstance(dask, DaskExecutor) and (dask.scheduler, dask.partitions) == ("tcp://h:8786", 3)
