"""Query commands: actors, actor, events, timeline, claims. Each opens the store read-only through the
Python API (``bilat.open``) and prints a table fitted to the terminal, CSV or JSON (``--format``); its
values are checked by ``args`` and names looked up by ``lookup`` before any query runs."""
from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import typer
from rich.text import Text

from ..errors import BilatError
from ..store.writer import DEFAULT_DB
from .args import (
    FORMATS,
    bad,
    check_date,
    check_lang,
    check_limit,
    check_types,
    choice,
    fail,
    first_day,
    output_format,
)
from .lookup import KnowledgeNames, Match, resolve_dyad, resolve_pair
from .output import out, show


@contextmanager
def _open(db: str) -> Iterator[Any]:
    """The corpus, closed after use; a store that cannot be opened fails with exit 1, a filter value the
    query layer refuses (``QueryError``, after the checks of ``args``) with one line and exit 2."""
    from ..corpus import open as open_corpus
    from ..errors import QueryError

    try:
        corpus = open_corpus(db)
    except BilatError as exc:
        fail(str(exc), 1)
    with corpus:
        try:
            yield corpus
        except QueryError as exc:
            fail(str(exc), 2)


def _country(value: str | None, names: KnowledgeNames) -> str | None:
    """--country as a code (TJK, CSTO) or a name ("Tajikistan", "the Kremlin")."""
    if value is None or value.isupper() and value.isalnum():
        return value
    codes = list(dict.fromkeys(m.code for m in names.bodies(value) if m.code))
    if not codes:
        bad("--country", f"unknown state or organisation {value!r}: give a code such as TJK or a name "
                         "such as Tajikistan")
    return codes[0]


def _metric(value: str | None) -> str | None:
    """--metric: a part of a metric id of ``quantities/data/metrics.yaml`` ("trade" for bilateral_trade)."""
    if value is None:
        return None
    from ..quantities.metrics import MetricVocabulary

    ids = [m.id for m in MetricVocabulary.load().metrics if m.claim]
    if not any(value.lower() in i for i in ids):
        bad("--metric", f"no metric is called {value!r} (one of {', '.join(ids)}, or a part of one)")
    return value


def _resolve_actor(corpus: Any, name: str, names: KnowledgeNames) -> Match | None:
    """The actor ``name`` stands for: a name the store holds, else a state, organisation, group or person of
    the knowledge base (by name, code, metonym or surname), else a spelling the documents use."""
    stored = corpus.con.execute(
        "SELECT name, mode(kind), mode(country) FROM mentions WHERE lower(name) = lower(?) GROUP BY name "
        "ORDER BY count(*) DESC LIMIT 1", [name]).fetchone()
    known = names.find(name)
    if stored:
        same = [m for m in known if m.name == stored[0]]
        if same:
            return Match(name, stored[0], same[0].code, same[0].kind, same[0].via)
        return Match(name, stored[0], stored[2] if stored[1] in ("state", "org") else None, stored[1] or "", "name")
    if known:
        canonical = list(dict.fromkeys(m.name for m in known))
        held = [n for n in canonical if corpus.con.execute(
            "SELECT 1 FROM mentions WHERE name = ? LIMIT 1", [n]).fetchone()]
        if len(held) > 1 or not held and len(canonical) > 1:
            bad("NAME", f"{name!r} names several actors: {', '.join(held or canonical)} (give the full name)")
        chosen = (held or canonical)[0]
        return next(m for m in known if m.name == chosen)
    written = corpus.con.execute(
        "SELECT name, mode(kind), mode(country) FROM mentions WHERE lower(text) = lower(?) AND name IS NOT NULL "
        "GROUP BY name ORDER BY count(*) DESC LIMIT 1", [name]).fetchone()
    if written:
        return Match(name, written[0], written[2] if written[1] in ("state", "org") else None, written[1] or "",
                     "text")
    return None


def register(app: typer.Typer) -> None:
    db_option = typer.Option(DEFAULT_DB, "--db", help="DuckDB database file.")
    json_option = typer.Option(False, "--json", help="Print JSON (the same as --format json).")
    format_option = typer.Option(None, "--format", "-f", callback=choice("--format", FORMATS),
                                 help="table (default; the evidence cut to the terminal's width), csv or json "
                                      "(never cut).")

    def limit_option(default: int, what: str) -> Any:
        return typer.Option(default, "--limit", callback=check_limit,
                            help=f"At most this many {what} (1 to 100,000); a cut list says 'N of M'.")

    @app.command()
    def actors(
        db: str = db_option,
        country: str | None = typer.Option(None, "--country", help="A state or organisation: its code (TJK, "
                                           "CSTO) or its name (Tajikistan)."),
        role: str | None = typer.Option(None, "--role", help="Office, e.g. 'president' or 'foreign minister'."),
        on: str | None = typer.Option(None, "--on", callback=lambda v: check_date(v, "--on"),
                                      help="Who held --role (or any office) on this day: YYYY-MM-DD (or YYYY-MM, "
                                           "YYYY: its first day)."),
        learned: bool = typer.Option(False, "--learned", help="List people and roles learned from the text."),
        limit: int = limit_option(50, "actors"),
        fmt: str | None = format_option,
        as_json: bool = json_option,
    ) -> None:
        """Actors in the corpus; with --role/--on, the office-holders of the knowledge base on a date."""
        fmt = output_format(fmt, as_json)
        names = KnowledgeNames()
        country = _country(country, names)
        if role or on:
            when = first_day(on) or date.today()
            rows = [{"name": p.name, "country": r.country if getattr(r, "country", None) else p.country,
                     "role": r.role, "start": r.start, "end": r.end, "kb_id": p.id}
                    for p in names.kb.people for r in p.roles_on(when)
                    if (not role or r.role == role.lower())
                    and (not country or (getattr(r, "country", None) or p.country) == country.upper())]
            show(rows[:limit], ["name", "country", "role", "start", "end", "kb_id"], f"office-holders on {when}",
                 fmt, total=len(rows))
            return
        with _open(db) as corpus:
            if learned:
                rows = corpus.con.execute(
                    "SELECT m.name, m.country, m.role, m.sector, m.doc_id, d.published, s.text AS evidence "
                    "FROM mentions m JOIN documents d USING (doc_id) LEFT JOIN sentences s "
                    "ON s.doc_id = m.doc_id AND s.idx = m.sentence WHERE m.learned AND (? IS NULL OR m.country = ?) "
                    "QUALIFY row_number() OVER (PARTITION BY m.name, m.role ORDER BY m.doc_id, m.idx) = 1 "
                    "ORDER BY m.name", [country, country and country.upper()]
                ).fetch_arrow_table().to_pylist()
                show(rows[:limit], ["name", "country", "role", "sector", "published", "doc_id", "evidence"],
                     "learned actors (for review)", fmt, total=len(rows), free="evidence")
                return
            rows = [r for r in corpus.actors(limit=None).records()
                    if not country or r.get("country") == country.upper()]
        show(rows[:limit], ["name", "country", "kind", "documents", "mentions", "events"], "actors", fmt,
             total=len(rows))

    @app.command()
    def actor(name: str = typer.Argument(..., help="A name as stored ('Emomali Rahmon'), a surname ('Rahmon'), "
                                         "a state, organisation or code ('Russia', 'CSTO') or a metonym "
                                         "('the Kremlin'), looked up in the knowledge base."),
              db: str = db_option,
              limit: int = limit_option(20, "documents"),
              as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
        """One actor: roles over time (knowledge base and documents), documents, events as source and target.
        For a state or organisation the events are those of any of its actors (its code as a side)."""
        from ..errors import NotFound

        names = KnowledgeNames()
        with _open(db) as corpus:
            match = _resolve_actor(corpus, name, names)
            if match is None:
                fail(f"no actor {name!r} in this store or the knowledge base (`bilat actors` lists them)", 1)
            curated = [{"role": r.role, "start": r.start, "end": r.end, "source": "knowledge base"}
                       for r in names.roles(match.name)] if match.kind == "person" else []
            try:
                info = dict(corpus.actor(match.name))
            except NotFound:
                info = {"name": match.name, "country": match.code, "kind": match.kind, "documents": 0, "roles": [],
                        "events_as_source": 0, "events_as_target": 0}
            if match.kind in ("state", "org") and match.code:
                # a state acts through its people and organs: every report with its code as a side
                side = corpus.con.execute("SELECT count(*) FILTER (WHERE source = ?), count(*) FILTER (WHERE "
                                          "target = ?) FROM events", [match.code, match.code]).fetchone()
                info.update(country=match.code, kind=match.kind, events_as_source=side[0], events_as_target=side[1])
            docs = corpus.con.execute(
                "SELECT DISTINCT m.doc_id, d.title, d.published FROM mentions m JOIN documents d USING (doc_id) "
                "WHERE m.name = ? ORDER BY d.published NULLS LAST, m.doc_id", [match.name]
            ).fetch_arrow_table().to_pylist()
        info["asked"] = name
        info["matched_via"] = match.via
        info["knowledge_base_roles"] = curated
        info["documents_list"] = docs[:limit]
        if as_json:
            out.print_json(json.dumps(info, default=str))
            return
        out.print(Text(f"{match.describe()}  country={info.get('country')}  kind={info.get('kind')}  "
                       f"documents={info.get('documents', 0)}  events as source={info.get('events_as_source', 0)}  "
                       f"as target={info.get('events_as_target', 0)}", style="bold"))
        if match.kind == "person":
            show(curated, ["role", "start", "end", "source"], "roles in the knowledge base")
        show(info.get("roles", []), ["role", "first_seen", "last_seen", "documents"], "roles in the documents")
        show(docs[:limit], ["doc_id", "published", "title"], "documents", total=len(docs), free="title")

    @app.command()
    def events(
        db: str = db_option,
        dyad: str | None = typer.Option(None, "--dyad", help="Two actors, either direction: codes (RUS-TJK, "
                                        "RUSTJK, RUS-CSTO) or names of the knowledge base (Russia-Tajikistan)."),
        type: str | None = typer.Option(None, "--type", callback=check_types,
                                        help="PLOVER type(s), comma-separated, e.g. CONSULT or CONSULT,AGREE."),
        since: str | None = typer.Option(None, "--since", callback=lambda v: check_date(v, "--since"),
                                         help="From this date: YYYY, YYYY-MM or YYYY-MM-DD."),
        until: str | None = typer.Option(None, "--until", callback=lambda v: check_date(v, "--until"),
                                         help="Up to this date: YYYY, YYYY-MM or YYYY-MM-DD."),
        lang: str | None = typer.Option(None, "--lang", callback=check_lang,
                                        help="Only documents in this language: en or ru."),
        limit: int = limit_option(100, "reports"),
        fmt: str | None = format_option,
        as_json: bool = json_option,
    ) -> None:
        """Event reports with their date, actors, type, modality and evidence sentence, oldest first."""
        fmt = output_format(fmt, as_json)
        with _open(db) as corpus:
            if dyad:
                dyad = resolve_dyad(dyad, KnowledgeNames(), corpus.names_code)
            found = corpus.events(dyad=dyad, type=type, since=since, until=until, limit=limit, lang=lang)
            rows = found.records()
        show(rows, ["date", "source", "target", "type", "mode", "planned", "negated", "outlet", "evidence"],
             "events", fmt, total=found.total, free="evidence")

    def monthly(a: str = typer.Argument(..., help="One side: a code (RUS) or a name (Russia)."),
                b: str = typer.Argument(..., help="The other side: a code (TJK) or a name (Tajikistan)."),
                db: str = db_option, fmt: str | None = format_option, as_json: bool = json_option) -> None:
        """The relationship month by month: events per PLOVER quad class and mean intensity."""
        fmt = output_format(fmt, as_json)
        with _open(db) as corpus:
            dyad = resolve_pair(a, b, KnowledgeNames(), corpus.names_code)
            rows = corpus.monthly(dyad).records()
        columns = list(rows[0]) if rows else ["month"]
        show(rows, columns, f"monthly {dyad}", fmt)

    # one name for the monthly view, as in the API (/api/dyads/{pair}/monthly) and Python (Corpus.monthly);
    # "timeline", its first name, still answers
    app.command("monthly")(monthly)
    app.command("timeline", hidden=True)(monthly)

    @app.command()
    def claims(
        db: str = db_option,
        metric: str | None = typer.Option(None, "--metric", callback=_metric,
                                          help="A metric or part of its id, e.g. trade (quantities/data/metrics.yaml)."),
        dyad: str | None = typer.Option(None, "--dyad", help="Two states: RUS-TJK, RUSTJK or Russia-Tajikistan."),
        disagreements: bool = typer.Option(False, "--disagreements", help="Only where sources disagree."),
        fmt: str | None = format_option,
        as_json: bool = json_option,
    ) -> None:
        """Figures per metric, dyad and period, with every source's value; disagreements flagged."""
        fmt = output_format(fmt, as_json)
        if dyad:
            dyad = resolve_dyad(dyad, KnowledgeNames())
        with _open(db) as corpus:
            rows = corpus.claims(dyad=dyad, metric=None, disagreement=True if disagreements else None).records()
        if metric:
            rows = [r for r in rows if metric.lower() in str(r.get("metric", "")).lower()]
        if fmt == "json":
            show(rows, [], "claims", "json")
            return
        shown = [dict(r, sources="; ".join(f"{v.get('outlet') or v.get('doc_id')}: {_figure(v)}" for v in r["values"]))
                 for r in rows]
        show(shown, ["metric", "dyad", "period", "disagreement", "sources"], "claims", fmt, free="sources")


def _figure(value: dict[str, Any]) -> str:
    bound = {"min": "> ", "max": "< ", "approx": "~ "}.get(value.get("bound") or "", "")
    number = value.get("value")
    text = str(number)
    if isinstance(number, (int, float)):
        scale = next(((n, word) for n, word in ((1e12, " trn"), (1e9, " bn"), (1e6, " m")) if abs(number) >= n), (1, ""))
        text = f"{number / scale[0]:,.4g}{scale[1]}"
    return f"{bound}{text} {value.get('unit') or ''}".strip()
