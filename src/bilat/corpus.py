"""The Python API for notebooks: ``bilat.open(path)`` → :class:`Corpus`.

    >>> import bilat
    >>> corpus = bilat.open("bilat.duckdb")
    >>> corpus.events(dyad="RUS-TJK", type="AGREE", since="2019").to_pandas()
    >>> corpus.claims(disagreement=True).to_arrow()

Every method returns a :class:`~bilat.store.queries.Table` (``to_pandas()``, ``to_arrow()``,
``records()``, ``len()``); the queries are the ones the REST API and the dashboard use.
"""
from __future__ import annotations

import copy
import dataclasses
import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pyarrow as pa

from .errors import QueryError
from .events.cluster import date_span
from .events.ontology import PLOVER_TYPES
from .events.quads import load_quads
from .store import corrections, queries
from .store.comparison import compare
from .store.geography import event_places
from .store.queries import EventIndex, Filters, Table
from .store.writer import DEFAULT_DB, connect

logger = logging.getLogger(__name__)

__all__ = ["Corpus", "Table", "open"]


def _with_date_range(table: Table) -> Table:
    """``date_start`` and ``date_end`` (dates) beside the precise ``date``: a column that mixes years,
    months and days is text, and ``pandas.to_datetime`` cannot read it."""
    if "date" not in table.data.column_names:
        return table
    bounds = [date_span(v) or (None, None) for v in table.data.column("date").to_pylist()]
    at = table.data.column_names.index("date") + 1
    data = table.data.add_column(at, "date_start", pa.array([b[0] for b in bounds], pa.date32()))
    data = data.add_column(at + 1, "date_end", pa.array([b[1] for b in bounds], pa.date32()))
    return dataclasses.replace(table, data=data)


def _types(type: str | Iterable[str] | None) -> tuple[str, ...]:
    """PLOVER types from "CONSULT,agree" or a list; an unknown one is a QueryError, not an empty answer."""
    if type is None:
        return ()
    items = type.split(",") if isinstance(type, str) else list(type)
    types = tuple(t.strip().upper() for t in items if t.strip())
    unknown = [t for t in types if t not in PLOVER_TYPES]
    if unknown:
        raise QueryError(f"not a PLOVER type: {', '.join(unknown)} (one of {', '.join(PLOVER_TYPES)})")
    return types


class Corpus:
    """A bilat store opened read-only. Use as a context manager or call :meth:`close`."""

    def __init__(self, path: str | Path = DEFAULT_DB):
        self.path = Path(path)
        self.con = connect(self.path, read_only=True)
        self.quads = load_quads()
        self.index = EventIndex(self.con)  # built on the first event query

    def __enter__(self) -> Corpus:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.index.close()
        self.con.close()

    def __repr__(self) -> str:
        return f"Corpus({str(self.path)!r})"

    def names_code(self, code: str) -> bool:
        """Whether any event of the store has ``code`` ("RUS", "CSTO") as a side."""
        found = self.con.execute("SELECT 1 FROM events WHERE source = ? OR target = ? LIMIT 1", [code, code])
        return found.fetchone() is not None

    def summary(self) -> dict[str, Any]:
        """Documents, outlets, date range, events by type (as ``bilat summary``)."""
        return queries.corpus_summary(self.con)

    def documents(self, outlet: str | None = None, since: str | None = None, until: str | None = None,
                  limit: int | None = None, lang: str | None = None) -> Table:
        """Documents, newest first (without their text; see :meth:`document`); ``lang="ru"`` for Russian ones."""
        f = Filters(outlet=outlet, since=since, until=until, lang=lang)
        return queries.documents(self.con, self.index, f, limit, download=True)

    def document(self, doc_id: str) -> dict[str, Any]:
        """One document with text, removed boilerplate, mentions, events and figures (char spans)."""
        return queries.document(self.con, self.index, doc_id)

    def document_run(self, doc_id: str) -> dict[str, Any]:
        """The run that stored a document: its convention, parse mode, event coder version (``model``), rule
        versions, bilat version and settings (see :func:`bilat.store.queries.document_run`)."""
        return queries.document_run(self.con, doc_id)

    def events(self, dyad: str | None = None, type: str | Iterable[str] | None = None, since: str | None = None,
               until: str | None = None, outlet: str | None = None, actor: str | None = None,
               limit: int | None = None, lang: str | None = None) -> Table:
        """Event reports: ``dyad="RUS-TJK"`` (either direction), ``type="AGREE"`` or a list, dates as
        ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (an event counts if its date range overlaps), ``lang`` the
        language of the reporting documents (``en``, ``ru``)."""
        f = Filters(dyad=dyad.upper() if dyad else None, types=_types(type), since=since, until=until,
                    outlet=outlet, actor=actor, lang=lang)
        return _with_date_range(queries.events(self.index, f, limit, download=True, order="asc"))

    def event(self, event_key: str) -> Table:
        """Every report of one event (rows sharing its event id)."""
        return _with_date_range(queries.event_reports(self.index, event_key))

    def confirmation(self, event_key: str) -> dict[str, Any]:
        """How many independent outlets confirm one event: ``confirmed_by``, ``independent_outlets``,
        ``independent_reports``, ``outlets`` (canonical) and ``copies`` (per report: the outlet it copies,
        the document it near-duplicates); see :func:`bilat.store.queries.event_confirmation`."""
        return queries.event_confirmation(self.con, self.index, event_key)

    def outlets(self) -> list[dict[str, Any]]:
        """Outlets by canonical name ("CAW" and "Central Asian Wire" are one), with their documents and the
        names stored for each (``src/bilat/store/outlets.yaml`` and the cues of ``bilat.store.outlets``)."""
        return queries.outlets(self.con, self.index)

    def actors(self, name_contains: str | None = None, kind: str | None = None, limit: int | None = None) -> Table:
        """Actors with the number of documents, mentions and events they appear in."""
        return queries.actors(self.con, self.index, name_contains, kind, limit, download=True)

    def actor(self, name: str) -> dict[str, Any]:
        """One actor: roles over time and event counts as source and target."""
        return queries.actor(self.con, self.index, name)

    def figures(self, dyad: str | None = None, metric: str | None = None, since: str | None = None,
                until: str | None = None) -> Table:
        """Figures with a metric, one row per source."""
        f = Filters(dyad=dyad.upper() if dyad else None, since=since, until=until)
        return queries.figures(self.con, f, metric, None, download=True)

    def claims(self, dyad: str | None = None, metric: str | None = None, disagreement: bool | None = None) -> Table:
        """Per metric, dyad and period: every source's value and whether the sources disagree."""
        rows = queries.claims(self.con, Filters(dyad=dyad.upper() if dyad else None), metric, disagreement)
        return Table("claims", pa.Table.from_pylist(rows) if rows else pa.table({}), len(rows))

    def monthly(self, dyad: str, since: str | None = None, until: str | None = None) -> Table:
        """Per month and quad class: event count and mean intensity."""
        rows = queries.quad_monthly(self.index, Filters(dyad=dyad.upper(), since=since, until=until), self.quads)
        return Table("monthly", pa.Table.from_pylist(rows) if rows else pa.table({}), len(rows))

    def trend(self, series: str | Iterable[str], bin: str = "auto", planned: bool = False, unit: str = "events",
              partners: int = 3, type: str | Iterable[str] | None = None, since: str | None = None,
              until: str | None = None, outlet: str | None = None, lang: str | None = None) -> Table:
        """The trend view as rows, one per series and period (zero-filled): ``events`` (distinct, or reports
        with ``unit="reports"``), ``reports``, ``net`` (the net cooperation index, defined in
        ``.extra["index"]``), events per quad class and ``spike``. ``series``: dyads ("RUS-TJK") and
        countries ("RUS", drawn with its ``partners`` busiest partner dyads); ``bin``: month, quarter, year
        or auto (``.extra["bin"]`` says which). The same answer as ``/api/trend`` and the /trends page."""
        f = Filters(types=_types(type), since=since, until=until, outlet=outlet, lang=lang)
        spec = queries.TrendSpec(queries.trend_series(series), bin, planned, unit, partners)
        answer = queries.trend(self.index, f, spec, self.quads)
        rows = [{"series": s["key"], "period": p["period"], "start": p["start"], "end": p["end"],
                 "events": p["events"], "reports": p["reports"], "net": p["net"], **p["quads"],
                 "spike": bool(p.get("spike"))} for s in answer["series"] for p in s["points"]]
        extra = {k: v for k, v in answer.items() if k not in ("series", "periods")}
        extra["coarse"] = {s["key"]: s["coarse"] for s in answer["series"]}
        return Table("trend", pa.Table.from_pylist(rows) if rows else pa.table({}), len(rows), extra=extra)

    def why(self, series: str, period: str, planned: bool = False, unit: str = "events",
            type: str | Iterable[str] | None = None, since: str | None = None, until: str | None = None,
            outlet: str | None = None, lang: str | None = None, limit: int = 50) -> dict[str, Any]:
        """Why a series stood where it did in one period ("2022-Q4", "2022-10" or "2022"): the index and its
        change, spikes, and the events that moved it most, each with evidence and outlets (as
        ``/api/trend/why``)."""
        f = Filters(types=_types(type), since=since, until=until, outlet=outlet, lang=lang)
        return queries.trend_why(self.index, f, series.strip().upper(), period, self.quads, planned, unit, limit)

    def network(self, type: str | Iterable[str] | None = None, since: str | None = None,
                until: str | None = None) -> dict[str, Any]:
        """Actors linked by events: ``{"nodes": [...], "edges": [...]}``."""
        return queries.network(self.index, Filters(types=_types(type), since=since, until=until))

    def review_queue(self, limit: int = 50, include_corrected: bool = False) -> list[dict[str, Any]]:
        """Event reports to review, the event coder's least confident first (as ``bilat review``)."""
        return corrections.review_queue(self.con, limit, include_corrected=include_corrected)

    def corrections(self, limit: int = 500) -> list[dict[str, Any]]:
        """The analyst's corrections, newest first (as ``bilat review list``); every event this corpus
        answers with has them applied (``corrected``, ``correction_id``)."""
        return corrections.corrections(self.con, limit)


    def places(self, dyad: str | None = None, type: str | Iterable[str] | None = None, since: str | None = None,
               until: str | None = None, outlet: str | None = None, lang: str | None = None,
               planned: bool = False) -> dict[str, Any]:
        """The map view: distinct events at their stored coordinates, per place its names, counts, net index,
        cooperation and conflict events and its events with evidence (as ``/api/map``)."""
        f = Filters(dyad=dyad.upper() if dyad else None, types=_types(type), since=since, until=until,
                    outlet=outlet, lang=lang)
        return copy.deepcopy(event_places(self.con, self.index, f, self.quads, planned))  # the answer is memoised

    def compare(self, series: str | Iterable[str], bin: str = "auto", planned: bool = False, unit: str = "events",
                partners: int = 3, type: str | Iterable[str] | None = None, since: str | None = None,
                until: str | None = None, outlet: str | None = None, lang: str | None = None) -> dict[str, Any]:
        """Series side by side over the same periods (as :meth:`trend`) with a summary per series to compare
        (``summaries``) and the largest index of any period (``scale``), as ``/api/compare``."""
        f = Filters(types=_types(type), since=since, until=until, outlet=outlet, lang=lang)
        spec = queries.TrendSpec(queries.trend_series(series), bin, planned, unit, partners)
        return compare(self.index, f, spec, self.quads)


def open(path: str | Path = DEFAULT_DB) -> Corpus:  # noqa: A001 - the public name the issue asks for
    """Open a bilat store read-only."""
    return Corpus(path)
