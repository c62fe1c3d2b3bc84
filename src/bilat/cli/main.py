"""The ``bilat`` command: thin edges over the library, errors turned into messages and exit codes."""
from __future__ import annotations

import dataclasses
import json
import logging
import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from ..config import Settings, default_workers
from ..errors import BilatError, one_line
from ..store.export import FORMATS as EXPORT_FORMATS
from ..store.writer import DEFAULT_DB
from .args import OneLineGroup, at_least_one, choice, fail

app = typer.Typer(help="bilat: evidence-linked political event data from news about relations between states. "
                       "A value that cannot be used is answered in one line with exit code 2.",
                  no_args_is_help=True, add_completion=False, cls=OneLineGroup)
console = Console(stderr=True, soft_wrap=True)
out = Console(soft_wrap=True)

DbOption = typer.Option(DEFAULT_DB, "--db", help="DuckDB database file, or a postgresql:// DSN.")


def _print_version(value: bool) -> None:
    if value:
        from .. import __version__
        from ..events.coder import MODEL_DIR

        model = json.loads((MODEL_DIR / "meta.json").read_text(encoding="utf-8")).get("version", "?")
        out.print(f"bilat {__version__} (event coder {model})")
        raise typer.Exit()


@app.callback()
def main(verbose: bool = typer.Option(False, "--verbose", "-v", help="Log what each stage does."),
         version: bool = typer.Option(False, "--version", callback=_print_version, is_eager=True,
                                      help="Print bilat's version and its event coder's, and exit.")) -> None:
    # Per-file problems are reported by the commands themselves; logs are for --verbose.
    logging.basicConfig(level=logging.INFO if verbose else logging.ERROR,
                        format="%(levelname)s %(name)s: %(message)s")


def _config_sets(config: Path | None, key: str) -> bool:
    if config is None:
        return False
    try:
        return key in json.loads(config.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False  # Settings.load has already reported an unreadable file


@app.command("code")
def code_sentence(
    sentence: str = typer.Argument(..., help="One sentence, as printed."),
    source: str = typer.Option(..., "--source", "-s", help="The acting side as the sentence names it."),
    target: str = typer.Option(..., "--target", "-t", help="The other side as the sentence names it."),
    top: int = typer.Option(5, "--top", help="How many event types to list.", min=1, max=17),
    as_json: bool = typer.Option(False, "--json", help="Print the full answer as JSON."),
) -> None:
    """Code one sentence for a given source and target: event type distribution and modality."""
    from ..events.sentence import code

    try:
        answer = code(sentence, source=source, target=target)
    except BilatError as exc:
        fail(str(exc), 2)
    if as_json:
        out.print_json(json.dumps(answer.as_dict()))
        return
    table = Table(title=f"{source} → {target}  ({answer.model})")
    table.add_column("type")
    table.add_column("probability", justify="right")
    for name, p in sorted(answer.probabilities.items(), key=lambda kv: -kv[1])[:top]:
        table.add_row(name, f"{p:.3f}")
    out.print(table)
    out.print(f"source acts on target: {answer.source_acts:.3f}   negated: {answer.negated:.3f}   "
              f"planned: {answer.planned:.3f}   hypothetical: {answer.hypothetical:.3f}   "
              f"reported: {answer.reported:.3f}")


@app.command()
def ingest(
    paths: list[str] = typer.Argument(..., help="Files, folders or globs to read; '-' reads JSONL from stdin."),
    db: str = DbOption,
    config: Path | None = typer.Option(None, "--config", help="JSON file of settings (limits, batch sizes)."),
    strict: bool = typer.Option(False, "--strict", help="Exit 1 if any file or record failed."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    engine: str = typer.Option("local", "--engine", callback=choice("--engine", ("local", "dask")),
                               help="local, or dask (workers of a Dask cluster)."),
    scheduler: str | None = typer.Option(None, "--scheduler", help="Dask scheduler address (tcp://HOST:8786); "
                                         "without one, --engine dask starts a 2-worker local cluster."),
    partitions: int | None = typer.Option(None, "--partitions", callback=at_least_one("--partitions"),
                                          help="Dask tasks to cut the inputs into."),
    workers: int | None = typer.Option(None, "--workers", "-j", callback=at_least_one("--workers"),
                                       help="Worker processes for cleaning and "
                                       "analysis (local engine; default: one per core, at most 4, unless --config sets n_process)."),
    parse: str | None = typer.Option(None, "--parse", callback=choice("--parse", ("selective", "full")),
                                     help="full: parse every sentence; selective: only "
                                     "sentences with an actor and an event cue, names from the knowledge base "
                                     "without statistical NER (about twice as fast)."),
    convention: str | None = typer.Option(None, "--convention",
                                          callback=choice("--convention", ("news", "dyadic", "plover")),
                                          help="Event coding habits: news (default), "
                                          "dyadic, or plover (PLOVER's gold-record habits: one-sided events)."),
    coder: str | None = typer.Option(None, "--coder", callback=choice("--coder", ("model", "rules")),
                                     help="model (default): the trained event coder judges "
                                     "every pair of actors; rules: the trigger rules alone."),
) -> None:
    """Read articles (txt, html, jsonl, warc, rss/atom), clean, analyse and store them."""
    from ..engines.coordinate import ingest as run_ingest

    try:
        settings = Settings.load(config)
        if workers is None and not _config_sets(config, "n_process"):
            workers = default_workers()  # what users run is the fast path: one worker per core
        given = {"n_process": workers, "parse": parse, "convention": convention, "coder": coder}
        settings = dataclasses.replace(settings, **{k: v for k, v in given.items() if v is not None})
        settings.check("command line")
        with Progress(SpinnerColumn(), TextColumn("[bold]ingest[/bold]"), BarColumn(),
                      TextColumn("{task.completed} docs"), TextColumn("{task.fields[rate]:.1f} docs/s"),
                      TextColumn("{task.fields[failed]} failed"), TimeElapsedColumn(),
                      console=console, disable=as_json or not console.is_terminal and not sys.stderr.isatty(),
                      transient=False) as progress:
            task = progress.add_task("ingest", total=None, rate=0.0, failed=0)
            failed = 0

            def advance(n: int, n_failed: int) -> None:
                nonlocal failed
                failed += n_failed
                progress.advance(task, n)
                elapsed = progress.tasks[0].elapsed or 1e-9
                progress.update(task, rate=progress.tasks[0].completed / elapsed, failed=failed)

            if engine == "dask":
                from ..engines.dask import DaskExecutor

                executor = DaskExecutor(scheduler, partitions)
            elif engine == "local":
                from ..engines.local import LocalExecutor

                executor = LocalExecutor(stdin=sys.stdin)
            else:
                raise BilatError(f"unknown engine {engine!r} (choose local or dask)")
            report = run_ingest(paths, db, settings, executor, progress=advance)
    except BilatError as exc:
        fail(str(exc))
    for origin, reason in report.failures:
        console.print(f"[yellow]skipped[/yellow] {origin}: {reason}")
    if as_json:
        out.print_json(json.dumps(report.as_dict()))
    else:
        table = Table(title=f"ingest into {db}")
        table.add_column("what")
        table.add_column("count", justify="right")
        for label, value in [("read", report.read), ("ingested", report.ingested),
                             ("near-duplicates (linked)", report.duplicates),
                             ("already stored", report.existing), ("failed", report.failed),
                             ("boilerplate paragraphs removed", report.removed_paragraphs),
                             ("actor mentions", report.mentions), ("events", report.events),
                             ("figures", report.quantities),
                             ("documents/s", f"{report.docs_per_s:.1f}")]:
            table.add_row(label, str(value))
        for reason, n in report.reasons.most_common():
            table.add_row(f"  failed: {reason}", str(n))
        for stage, n in sorted(report.stage_errors.items()):
            table.add_row(f"stage errors, documents kept: {stage}", str(n))
        out.print(table)
    if report.ingested == 0 and report.failed and report.existing == 0:
        raise typer.Exit(1)
    if strict and report.failed:
        raise typer.Exit(1)


@app.command()
def export(
    db: str = DbOption,
    fmt: str = typer.Option("jsonl", "--format", "-f", callback=choice("--format", EXPORT_FORMATS),
                            help="jsonl, parquet or csv."),
    out_dir: Path = typer.Option(Path("export"), "--out", "-o", help="Folder to write into."),
) -> None:
    """Write documents, events, actors and quantities as JSONL, Parquet or CSV."""
    from ..store.backends import open_reader
    from ..store.export import export as run_export

    try:
        con = open_reader(db)
        counts = run_export(con, out_dir, fmt)
    except BilatError as exc:
        fail(str(exc))
    for name, n in counts.items():
        out.print(f"{out_dir / (name + '.' + fmt)}: {n} rows")


@app.command()
def summary(db: str = DbOption, as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """What the database holds: documents, outlets, date range, events by type, failures."""
    from ..store.backends import open_reader
    from ..store.queries import corpus_summary

    try:
        info = corpus_summary(open_reader(db))
    except BilatError as exc:
        fail(str(exc))
    if as_json:
        out.print_json(json.dumps(info, default=str))
        return
    table = Table(title=f"{db}")
    table.add_column("what")
    table.add_column("value", justify="right")
    for key in ("documents", "canonical_documents", "outlets", "first_published", "last_published",
                "events", "event_clusters", "quantities", "mentions", "failed_inputs"):
        table.add_row(key.replace("_", " "), str(info.get(key)))
    for etype, n in info.get("events_by_type", {}).items():
        table.add_row(f"  {etype}", str(n))
    out.print(table)


def _register_commands() -> None:
    from . import query, review, serve

    query.register(app)
    serve.register(app)
    review.register(app)


_register_commands()


def run() -> None:
    """The ``bilat`` command. A store DuckDB cannot read (a damaged block met halfway through a query) is
    reported in one line, as every other error is, never as a traceback."""
    import duckdb

    try:
        app(prog_name="bilat")
    except duckdb.Error as exc:
        console.print(f"[red]error:[/red] database error: {one_line(exc, 300)}")
        raise SystemExit(1) from None
