"""``bilat review``: the review queue and the analyst's corrections (``bilat.store.corrections``).

Without a subcommand it lists the reports the event coder was least sure of; the subcommands reject,
restore, retype an event, set its sides, date or modality, add a missed one, list the corrections and
export them as training data for the coder. Each correction says who (``--by``) and why (``--why``).
"""
from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer

from ..errors import BilatError
from ..store.writer import DEFAULT_DB
from .args import FORMATS, bad, check_date, check_limit, choice, fail, output_format
from .output import out, show

QUEUE_COLUMNS = ["event_key", "confidence", "date", "type", "source", "target", "evidence"]
LOG_COLUMNS = ["correction_id", "created", "author", "action", "doc_id", "sentence", "orig_type", "type", "reason"]


@contextmanager
def _store(db: str) -> Iterator[Any]:
    """The store opened for writing (corrections go into it); a value the store refuses exits 2 in one line."""
    from ..store.backends import is_postgres
    from ..store.corrections import CorrectionError
    from ..store.writer import connect

    if is_postgres(db):
        bad("--db", "bilat review works on a DuckDB file; a PostgreSQL store is not supported yet")
    if not Path(db).exists():  # a writable connection would create an empty store under a mistyped name
        fail(f"{db}: no such database (run `bilat ingest` first)", 1)
    try:
        con = connect(db)
    except BilatError as exc:
        fail(str(exc), 1)
    try:
        yield con
    except CorrectionError as exc:
        fail(str(exc), 2)
    except BilatError as exc:
        fail(str(exc), 1)
    finally:
        con.close()


def _type(value: str | None) -> str | None:
    from ..events.ontology import PLOVER_TYPES

    if value is None:
        return None
    if value.strip().upper() not in PLOVER_TYPES:
        bad("TYPE", f"unknown PLOVER type {value!r}; known: {', '.join(PLOVER_TYPES)}")
    return value.strip().upper()


def _code(option: str) -> Callable[[str | None], str | None]:
    def check(value: str | None) -> str | None:
        if value is not None and not (2 <= len(value.strip()) <= 12 and value.strip().isalnum()):
            bad(option, f"not an actor code: {value!r} (2 to 12 letters or digits, e.g. RUS or CSTO)")
        return value.strip().upper() if value is not None else None
    return check


def _said(what: str, ids: list[int]) -> None:
    out.print(f"{what}: correction{'s' if len(ids) != 1 else ''} {', '.join(map(str, ids))}")


def register(app: typer.Typer) -> None:
    review = typer.Typer(help="The review queue and corrections of events: reject, retype, sides, date, "
                              "modality, add; export them as training data.", add_completion=False)
    app.add_typer(review, name="review")
    db_option = typer.Option(DEFAULT_DB, "--db", help="DuckDB database file.")
    by_option = typer.Option(..., "--by", help="Who makes the correction (a name or initials).")
    why_option = typer.Option(None, "--why", help="Why: what the extraction got wrong.")
    key_arg = typer.Argument(..., help="The event's key as `bilat review` lists it: a cluster id (ev-...), "
                                       "every report of which is corrected, or DOC~IDX for one report.")

    @review.callback(invoke_without_command=True)
    def queue(
        ctx: typer.Context,
        db: str = db_option,
        limit: int = typer.Option(20, "--limit", callback=check_limit, help="At most this many reports."),
        with_corrected: bool = typer.Option(False, "--all", help="Also list reports already corrected."),
        fmt: str | None = typer.Option(None, "--format", "-f", callback=choice("--format", FORMATS),
                                       help="table (default), csv or json."),
    ) -> None:
        """The review queue: reports sorted by the event coder's confidence, lowest first."""
        if ctx.invoked_subcommand is not None:
            return
        from ..store.corrections import queue_size, review_queue

        with _store(db) as con:
            rows = review_queue(con, limit, include_corrected=with_corrected)
            total = queue_size(con, with_corrected)
        show(rows, QUEUE_COLUMNS, "review queue (least confident first)", output_format(fmt, False),
             total=total, free="evidence")

    def _correct(db: str, key: str, action: str, by: str, why: str | None, **change: Any) -> None:
        from ..store.corrections import Change, UnknownEvent, correct

        with _store(db) as con:
            try:
                ids = correct(con, key, action, by, why, Change(**change))
            except UnknownEvent as exc:
                bad("KEY", str(exc))
        _said(f"{action} {key}", ids)

    @review.command()
    def reject(key: str = key_arg, by: str = by_option, why: str | None = why_option, db: str = db_option) -> None:
        """Mark an event wrong: it leaves every view, count and export."""
        _correct(db, key, "reject", by, why)

    @review.command()
    def restore(key: str = key_arg, by: str = by_option, why: str | None = why_option, db: str = db_option) -> None:
        """Undo a rejection."""
        _correct(db, key, "restore", by, why)

    @review.command()
    def retype(key: str = key_arg, new_type: str = typer.Argument(..., metavar="TYPE", callback=_type,
                                                                  help="The PLOVER type it is."),
               mode: str | None = typer.Option(None, "--mode", help="The PLOVER mode (e.g. visit, sign)."),
               by: str = by_option, why: str | None = why_option, db: str = db_option) -> None:
        """Change an event's type (its CAMEO code and intensity follow)."""
        _correct(db, key, "retype", by, why, type=new_type, mode=mode)

    @review.command()
    def actors(key: str = key_arg,
               source: str | None = typer.Option(None, "--source", callback=_code("--source"),
                                                 help="The acting side's code (RUS, CSTO)."),
               target: str | None = typer.Option(None, "--target", callback=_code("--target"),
                                                 help="The other side's code."),
               source_name: str | None = typer.Option(None, "--source-name", help="The acting actor's name."),
               target_name: str | None = typer.Option(None, "--target-name", help="The other actor's name."),
               by: str = by_option, why: str | None = why_option, db: str = db_option) -> None:
        """Change who did it or to whom."""
        if not any((source, target, source_name, target_name)):
            bad("--source", "give --source, --target, --source-name or --target-name")
        _correct(db, key, "actors", by, why, source=source, target=target, source_actor=source_name,
                 target_actor=target_name)

    @review.command(name="date")
    def set_date(key: str = key_arg,
                 when: str = typer.Argument(..., metavar="DATE", callback=lambda v: check_date(v, "DATE"),
                                            help="YYYY, YYYY-MM or YYYY-MM-DD."),
                 by: str = by_option, why: str | None = why_option, db: str = db_option) -> None:
        """Change when it happened."""
        _correct(db, key, "date", by, why, date=when)

    @review.command()
    def modality(key: str = key_arg,
                 negated: bool | None = typer.Option(None, "--negated/--not-negated", help="It did not happen."),
                 planned: bool | None = typer.Option(None, "--planned/--not-planned", help="Announced, not done."),
                 hypothetical: bool | None = typer.Option(None, "--hypothetical/--not-hypothetical",
                                                          help="A possibility only."),
                 by: str = by_option, why: str | None = why_option, db: str = db_option) -> None:
        """Say whether it is negated, planned or hypothetical."""
        if negated is None and planned is None and hypothetical is None:
            bad("--negated", "give --negated, --planned or --hypothetical (or their --not- forms)")
        _correct(db, key, "modality", by, why, negated=negated, planned=planned, hypothetical=hypothetical)

    @review.command()
    def add(doc_id: str = typer.Argument(..., help="The document (its doc_id)."),
            sentence: int = typer.Argument(..., min=0, help="The sentence's index in the document."),
            new_type: str = typer.Argument(..., metavar="TYPE", callback=_type, help="The PLOVER type."),
            source: str = typer.Argument(..., callback=_code("SOURCE"), help="The acting side's code."),
            target: str = typer.Argument(..., callback=_code("TARGET"), help="The other side's code."),
            when: str | None = typer.Option(None, "--date", callback=lambda v: check_date(v, "--date"),
                                            help="When it happened (default: the document's date)."),
            mode: str | None = typer.Option(None, "--mode", help="The PLOVER mode."),
            source_name: str | None = typer.Option(None, "--source-name", help="The acting actor's name."),
            target_name: str | None = typer.Option(None, "--target-name", help="The other actor's name."),
            negated: bool = typer.Option(False, "--negated", help="It did not happen."),
            planned: bool = typer.Option(False, "--planned", help="Announced, not done."),
            hypothetical: bool = typer.Option(False, "--hypothetical", help="A possibility only."),
            by: str = by_option, why: str | None = why_option, db: str = db_option) -> None:
        """Add an event the extraction missed, stated in one sentence of a document."""
        from ..store.corrections import Change, UnknownEvent, add_event

        change = Change(type=new_type, mode=mode, source=source, target=target, source_actor=source_name,
                        target_actor=target_name, date=when, negated=negated, planned=planned,
                        hypothetical=hypothetical)
        with _store(db) as con:
            try:
                cid = add_event(con, doc_id, sentence, by, why, change)
            except UnknownEvent as exc:
                bad("SENTENCE", str(exc))
        _said(f"added as added-{cid}", [cid])

    @review.command(name="list")
    def list_corrections(db: str = db_option,
                         limit: int = typer.Option(50, "--limit", callback=check_limit, help="At most this many."),
                         fmt: str | None = typer.Option(None, "--format", "-f", callback=choice("--format", FORMATS),
                                                        help="table (default), csv or json.")) -> None:
        """The corrections made, newest first: who, when, why, what."""
        from ..store.corrections import corrections

        with _store(db) as con:
            rows = corrections(con, limit + 1)
        show(rows[:limit], LOG_COLUMNS, "corrections", output_format(fmt, False),
             total=None if len(rows) <= limit else len(rows), free="reason")

    @review.command(name="copy")
    def copy(source: Path = typer.Option(..., "--from", help="The store whose corrections to copy (DuckDB file)."),
             db: str = db_option) -> None:
        """Copy another store's corrections into this one (a store ingested anew keeps the analyst's work)."""
        from ..store.corrections import copy_corrections
        from ..store.writer import connect

        if not source.exists():
            bad("--from", f"{source}: no such database")
        if source.resolve() == Path(db).resolve():
            bad("--from", "the store to copy from is the store itself")
        with _store(db) as con:
            try:
                old = connect(source, read_only=True)
            except BilatError as exc:
                fail(str(exc), 1)
            try:
                n = copy_corrections(old, con)
            finally:
                old.close()
        out.print(f"{n} correction{'s' if n != 1 else ''} copied from {source} into {db}")

    @review.command(name="export")
    def export_training(db: str = db_option,
                        out_file: Path = typer.Option(..., "--out", "-o", help="The JSON Lines file to write.")
                        ) -> None:
        """Write the corrected events as training data for the event coder (training/events/SPEC.md)."""
        from ..store.corrections import training_rows

        with _store(db) as con:
            rows, skipped = training_rows(con)
        try:
            out_file.parent.mkdir(parents=True, exist_ok=True)
            with out_file.open("w", encoding="utf-8") as fh:
                for row in rows:
                    fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        except OSError as exc:
            fail(f"{out_file}: {exc.strerror or exc}", 1)
        note = f" ({skipped} left out: a side not written in its sentence)" if skipped else ""
        out.print(f"{out_file}: {len(rows)} training rows{note}")
