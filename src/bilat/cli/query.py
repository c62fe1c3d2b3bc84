"""Query commands: actors, actor, events, timeline, claims. Each opens the store read-only
through the Python API (``bilat.open``) and prints a Rich table, or JSON with ``--json``."""
from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import typer
from rich.console import Console
from rich.table import Table as RichTable

from ..errors import BilatError
from ..store.writer import DEFAULT_DB

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


def _print(rows: list[dict[str, Any]], columns: list[str], title: str, as_json: bool, total: int | None = None) -> None:
    if as_json:
        out.print_json(json.dumps(rows, default=str))
        return
    shown = f"{len(rows)} of {total}" if total is not None and total > len(rows) else str(len(rows))
    table = RichTable(title=f"{title} ({shown})")
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*("" if row.get(c) is None else str(row.get(c)) for c in columns))
    out.print(table)


@contextmanager
def _open(db: str) -> Iterator[Any]:
    """The corpus, closed after use; a store that cannot be opened fails with exit 1, a filter value that
    cannot be used (``QueryError``: a malformed date or dyad, a limit of 0) with one line and exit 2."""
    from ..corpus import open as open_corpus
    from ..store.queries import QueryError

    try:
        corpus = open_corpus(db)
    except BilatError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from exc
    with corpus:
        try:
            yield corpus
        except QueryError as exc:
            err.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(2) from None


def _check_dyad_codes(corpus: Any, dyad: str | None) -> None:
    """A dyad side no event of the store names ("Russia" for RUS) is said, not answered with 0 rows."""
    if not dyad or "-" not in dyad:
        return  # the query layer reports the malformed form
    for code in dyad.upper().split("-"):
        if not corpus.names_code(code):
            err.print(f"[red]error:[/red] no event of this store names {code!r}: dyads are actor codes such as "
                      "RUS-TJK or RUS-CSTO (`bilat actors` lists them)")
            raise typer.Exit(2)


def _day(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        parts = [int(p) for p in value.split("-")] + [1, 1]
        return date(parts[0], parts[1], parts[2])
    except ValueError as exc:
        raise typer.BadParameter(f"not a date: {value!r} (use YYYY, YYYY-MM or YYYY-MM-DD)") from exc


def register(app: typer.Typer) -> None:
    db_option = typer.Option(DEFAULT_DB, "--db", help="DuckDB database file.")
    json_option = typer.Option(False, "--json", help="Print JSON.")

    @app.command()
    def actors(
        db: str = db_option,
        country: str | None = typer.Option(None, "--country", help="ISO alpha-3 code or organisation code."),
        role: str | None = typer.Option(None, "--role", help="Office, e.g. 'president' or 'foreign minister'."),
        on: str | None = typer.Option(None, "--on", help="Who held --role (or any office) on this date."),
        learned: bool = typer.Option(False, "--learned", help="List people and roles learned from the text."),
        limit: int = typer.Option(50, "--limit"),
        as_json: bool = json_option,
    ) -> None:
        """Actors in the corpus; with --role/--on, the office-holders of the knowledge base on a date."""
        if role or on:
            from ..actors.kb_loader import load_kb

            kb = load_kb()
            when = _day(on) or date.today()
            rows = [{"name": p.name, "country": r.country if getattr(r, "country", None) else p.country,
                     "role": r.role, "start": r.start, "end": r.end, "kb_id": p.id}
                    for p in kb.people for r in p.roles_on(when)
                    if (not role or r.role == role.lower())
                    and (not country or (getattr(r, "country", None) or p.country) == country.upper())]
            _print(rows[:limit], ["name", "country", "role", "start", "end", "kb_id"], f"office-holders on {when}",
                   as_json)
            return
        with _open(db) as corpus:
            if learned:
                rows = corpus.con.execute(
                    "SELECT m.name, m.country, m.role, m.sector, m.doc_id, d.published, s.text AS evidence "
                    "FROM mentions m JOIN documents d USING (doc_id) LEFT JOIN sentences s "
                    "ON s.doc_id = m.doc_id AND s.idx = m.sentence WHERE m.learned AND (? IS NULL OR m.country = ?) "
                    "QUALIFY row_number() OVER (PARTITION BY m.name, m.role ORDER BY m.doc_id, m.idx) = 1 "
                    "ORDER BY m.name LIMIT ?", [country, country and country.upper(), limit]
                ).fetch_arrow_table().to_pylist()
                _print(rows, ["name", "country", "role", "sector", "published", "doc_id", "evidence"],
                       "learned actors (for review)", as_json)
                return
            rows = [r for r in corpus.actors(limit=None).records()
                    if not country or r.get("country") == country.upper()][:limit]
            _print(rows, ["name", "country", "kind", "documents", "mentions", "events"], "actors", as_json)

    @app.command()
    def actor(name: str = typer.Argument(..., help="Actor name as stored, e.g. 'Emomali Rahmon'."),
              db: str = db_option, as_json: bool = json_option) -> None:
        """One actor: roles over time (knowledge base and documents), events as source and target."""
        from ..actors.kb_loader import load_kb

        kb = load_kb()
        curated = [{"role": r.role, "start": r.start, "end": r.end, "source": "knowledge base"}
                   for p in kb.people_named(name) for r in p.roles]
        with _open(db) as corpus:
            try:
                info = corpus.actor(name)
            except BilatError as exc:
                if not curated:
                    err.print(f"[red]error:[/red] {exc}")
                    raise typer.Exit(1) from exc
                info = {"name": name, "roles": []}
            docs = corpus.con.execute("SELECT DISTINCT m.doc_id, d.title, d.published FROM mentions m JOIN documents d "
                                      "USING (doc_id) WHERE m.name = ? ORDER BY d.published NULLS LAST LIMIT 20",
                                      [name]).fetch_arrow_table().to_pylist()
        info["knowledge_base_roles"] = curated
        info["documents_list"] = docs
        if as_json:
            out.print_json(json.dumps(info, default=str))
            return
        out.print(f"[bold]{name}[/bold]  country={info.get('country')}  kind={info.get('kind')}  "
                  f"documents={info.get('documents', 0)}  events as source={info.get('events_as_source', 0)}  "
                  f"as target={info.get('events_as_target', 0)}")
        _print(curated, ["role", "start", "end", "source"], "roles in the knowledge base", False)
        _print(info.get("roles", []), ["role", "first_seen", "last_seen", "documents"], "roles in the documents", False)
        _print(docs, ["doc_id", "published", "title"], "documents", False)

    @app.command()
    def events(
        db: str = db_option,
        dyad: str | None = typer.Option(None, "--dyad", help="Two actor codes, e.g. RUS-TJK (either direction)."),
        type: str | None = typer.Option(None, "--type", help="PLOVER type(s), comma-separated, e.g. CONSULT."),
        since: str | None = typer.Option(None, "--since", help="YYYY, YYYY-MM or YYYY-MM-DD."),
        until: str | None = typer.Option(None, "--until", help="YYYY, YYYY-MM or YYYY-MM-DD."),
        lang: str | None = typer.Option(None, "--lang", help="Only documents in this language: en or ru."),
        limit: int = typer.Option(100, "--limit"),
        as_json: bool = json_option,
    ) -> None:
        """Event reports with their date, actors, type, modality and evidence sentence."""
        if lang not in (None, "en", "ru"):
            raise typer.BadParameter(f"not a language bilat reads: {lang!r} (en or ru)", param_hint="--lang")
        with _open(db) as corpus:
            _check_dyad_codes(corpus, dyad)
            found = corpus.events(dyad=dyad, type=type, since=since, until=until, limit=limit, lang=lang)
            rows = found.records()
        _print(rows, ["date", "source", "target", "type", "mode", "planned", "negated", "outlet", "evidence"],
               "events", as_json, total=found.total)

    @app.command()
    def timeline(a: str = typer.Argument(..., help="First actor code, e.g. RUS."),
                 b: str = typer.Argument(..., help="Second actor code, e.g. TJK."),
                 db: str = db_option, as_json: bool = json_option) -> None:
        """The relationship month by month: events per PLOVER quad class and mean intensity."""
        with _open(db) as corpus:
            _check_dyad_codes(corpus, f"{a}-{b}")
            rows = corpus.monthly(f"{a}-{b}").records()
        columns = list(rows[0]) if rows else ["month"]
        _print(rows, columns, f"timeline {a.upper()}-{b.upper()}", as_json)

    @app.command()
    def claims(
        db: str = db_option,
        metric: str | None = typer.Option(None, "--metric", help="Metric, e.g. trade (see quantities/data/metrics.yaml)."),
        dyad: str | None = typer.Option(None, "--dyad", help="e.g. RUS-TJK"),
        disagreements: bool = typer.Option(False, "--disagreements", help="Only where sources disagree."),
        as_json: bool = json_option,
    ) -> None:
        """Figures per metric, dyad and period, with every source's value; disagreements flagged."""
        with _open(db) as corpus:
            rows = corpus.claims(dyad=dyad, metric=None, disagreement=True if disagreements else None).records()
        if metric:
            rows = [r for r in rows if metric.lower() in str(r.get("metric", "")).lower()]
        if as_json:
            _print(rows, [], "claims", True)
            return
        shown = [dict(r, sources="; ".join(f"{v.get('outlet') or v.get('doc_id')}: {_figure(v)}" for v in r["values"]))
                 for r in rows]
        _print(shown, ["metric", "dyad", "period", "sources", "disagreement"], "claims", False)


def _figure(value: dict[str, Any]) -> str:
    bound = {"min": "> ", "max": "< ", "approx": "~ "}.get(value.get("bound") or "", "")
    number = value.get("value")
    text = str(number)
    if isinstance(number, (int, float)):
        scale = next(((n, word) for n, word in ((1e12, " trn"), (1e9, " bn"), (1e6, " m")) if abs(number) >= n), (1, ""))
        text = f"{number / scale[0]:,.4g}{scale[1]}"
    return f"{bound}{text} {value.get('unit') or ''}".strip()
