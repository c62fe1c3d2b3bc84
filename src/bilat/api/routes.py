"""The REST API: the query layer as JSON, paginated, with the shared filters."""
from __future__ import annotations

import csv
import io
import json
from typing import Any, Literal

import duckdb
from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import JSONResponse, Response

from ..store import queries
from ..store.export import csv_cell
from ..store.queries import MAX_DOWNLOAD, MAX_LIMIT, EventIndex, Filters
from .deps import DYAD_PATTERN, AppState, db, doc_filters, figure_filters, filters, index, state

ERROR = {"content": {"application/json": {"schema": {"type": "object", "properties": {"detail": {}}}}}}
class JSONBody(JSONResponse):
    """JSON written straight from the query layer's plain values (dates and decimals as strings);
    skipping FastAPI's per-field encoder saves most of the time of a 500-row page."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return json.dumps(content, default=str, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


router = APIRouter(prefix="/api", tags=["api"], default_response_class=JSONBody, responses={
    400: {"description": "A filter value that cannot be used", **ERROR},
    401: {"description": "Token missing or wrong (when the server requires one)", **ERROR},
    404: {"description": "No such document, event or actor", **ERROR}})

Limit = Query(50, ge=1, le=MAX_LIMIT, description=f"Rows per page (at most {MAX_LIMIT})")
Offset = Query(0, ge=0, le=10_000_000)
DyadPath = Path(..., pattern=DYAD_PATTERN, max_length=25)


def _with_dyad(f: Filters, dyad: str) -> Filters:
    return Filters(dyad=dyad.upper(), types=f.types, since=f.since, until=f.until, outlet=f.outlet, actor=f.actor,
                   lang=f.lang)


@router.get("/summary")
def summary(con: duckdb.DuckDBPyConnection = Depends(db), ix: EventIndex = Depends(index)) -> dict[str, Any]:
    """Documents, outlets, date range, events by type."""
    # The store is read-only, so whole-store answers are computed once (EventIndex.memo).
    return JSONBody(ix.memo(("summary",), lambda: queries.corpus_summary(con)))


@router.get("/outlets")
def outlets(con: duckdb.DuckDBPyConnection = Depends(db), ix: EventIndex = Depends(index)) -> list[dict[str, Any]]:
    """Outlets by canonical name ("CAW" and "Central Asian Wire" are one) with documents and the names stored."""
    return JSONBody(queries.outlets(con, ix))


@router.get("/dyads")
def dyads(ix: EventIndex = Depends(index), limit: int = Query(50, ge=1, le=MAX_LIMIT)) -> list[dict]:
    """Country pairs with events, busiest first."""
    return JSONBody(queries.dyads(ix, limit))


@router.get("/documents")
def documents(f: Filters = Depends(doc_filters), limit: int = Limit, offset: int = Offset,
              con: duckdb.DuckDBPyConnection = Depends(db), ix: EventIndex = Depends(index)) -> dict[str, Any]:
    """Documents, newest first; filters: outlet, since, until."""
    return JSONBody(queries.documents(con, ix, f, limit, offset).page())


@router.get("/documents/{doc_id:path}")  # ids may be paths or URLs ("site/a/index.html")
def document(doc_id: str = Path(..., max_length=300), con: duckdb.DuckDBPyConnection = Depends(db),
             ix: EventIndex = Depends(index)) -> dict:
    """One document: cleaned text, removed boilerplate with reasons, mentions, events, figures (char spans)."""
    return JSONBody(queries.document(con, ix, doc_id))


@router.get("/events")
def events(f: Filters = Depends(filters), limit: int = Limit, offset: int = Offset,
           order: Literal["asc", "desc"] = "desc", ix: EventIndex = Depends(index)) -> dict[str, Any]:
    """Event reports (one row per report) matching the filters."""
    return JSONBody(queries.events(ix, f, limit, offset, order=order).page())


@router.get("/event-types")
def event_types(f: Filters = Depends(filters), ix: EventIndex = Depends(index)) -> list[dict]:
    """Event counts by PLOVER type under the filters."""
    return JSONBody(queries.events_by_type(ix, f))


@router.get("/events/{event_key}")
def event(event_key: str = Path(..., max_length=300), con: duckdb.DuckDBPyConnection = Depends(db),
          ix: EventIndex = Depends(index)) -> dict:
    """Every report of one event (all rows with the same event id), each with outlet and evidence, and
    how many independent outlets confirm it: ``confirmed_by`` (near-duplicates and syndicated copies count
    for the outlet they copy, once), ``independent_outlets``, ``independent_reports``, ``outlets``
    (canonical) and ``copies`` (per report: its outlet, the outlet it copies, the document it duplicates)."""
    table = queries.event_reports(ix, event_key)
    found = queries.event_confirmation(con, ix, event_key)
    return JSONBody({"event_key": event_key, "reports": table.records(), "confirmed_by": found["confirmed_by"],
                     "independent_outlets": found["independent_outlets"],
                     "independent_reports": found["independent_reports"], "outlets": found["outlets"],
                     "copies": found["copies"]})


@router.get("/dyads/{pair}/timeline")
def dyad_timeline(pair: str = DyadPath, f: Filters = Depends(filters), limit: int = Limit, offset: int = Offset,
                  ix: EventIndex = Depends(index)) -> dict[str, Any]:
    """The dyad's events in date order (either direction)."""
    return JSONBody(queries.events(ix, _with_dyad(f, pair), limit, offset, order="asc").page())


@router.get("/dyads/{pair}/monthly")
def dyad_monthly(pair: str = DyadPath, f: Filters = Depends(filters), s: AppState = Depends(state)) -> list[dict]:
    """Per month and quad class: event count and mean intensity."""
    return JSONBody(queries.quad_monthly(s.events, _with_dyad(f, pair), s.quads))


@router.get("/dyads/{pair}/figures")
def dyad_figures(pair: str = DyadPath, f: Filters = Depends(figure_filters), metric: str | None = Query(None, max_length=80),
                 limit: int = Query(MAX_LIMIT, ge=1, le=MAX_LIMIT), offset: int = Offset,
                 con: duckdb.DuckDBPyConnection = Depends(db)) -> dict[str, Any]:
    """Figures naming both countries, one row per source."""
    return JSONBody(queries.figures(con, _with_dyad(f, pair), metric, limit, offset).page())


@router.get("/dyads/{pair}/actors")
def dyad_actors(pair: str = DyadPath, f: Filters = Depends(filters), limit: int = Query(15, ge=1, le=MAX_LIMIT),
                ix: EventIndex = Depends(index)) -> list[dict]:
    """Named actors of the dyad's events, most active first."""
    return JSONBody(queries.top_actors(ix, _with_dyad(f, pair), limit))


SeriesQuery = Query(None, max_length=200, pattern=r"^[A-Za-z0-9, -]*$",
                    description="Dyads (RUS-TJK) and countries (RUS: all its partners), comma-separated; "
                                "`dyad` counts as the first")
Bin = Literal["auto", "month", "quarter", "year"]
Unit = Literal["events", "reports"]
Partners = Query(3, ge=0, le=queries.MAX_SERIES, description="Busiest partner dyads drawn beside each country")


@router.get("/trend")
def trend(series: str | None = SeriesQuery, f: Filters = Depends(filters), bin: Bin = "auto",
          planned: bool = False, unit: Unit = "events", partners: int = Partners,
          s: AppState = Depends(state)) -> dict[str, Any]:
    """Per period (zero-filled) and series: distinct events (or reports), reports, the net cooperation
    index (its definition in ``index``) and events per quad class; negated and hypothetical events left
    out, planned ones with ``planned=true``."""
    keys = queries.trend_series([f.dyad or "", *(series or "").split(",")])
    spec = queries.TrendSpec(keys, bin, planned, unit, partners)
    return JSONBody(queries.trend(s.events, f, spec, s.quads))


@router.get("/trend/why")
def trend_why(series: str = Query(..., pattern=r"^[A-Za-z0-9]{2,12}(-[A-Za-z0-9]{2,12})?$", max_length=25,
                                  description="One dyad (RUS-TJK) or country (RUS)"),
              period: str = Query(..., pattern=r"^\d{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?$",
                                  description="YYYY, YYYY-Qn or YYYY-MM: the bin follows"),
              f: Filters = Depends(filters), planned: bool = False, unit: Unit = "events",
              limit: int = Limit, s: AppState = Depends(state)) -> dict[str, Any]:
    """One period of a series: its index and change, whether it is a spike, its busiest days, and its
    events, those that moved the index most first, each with evidence and outlets."""
    return JSONBody(queries.trend_why(s.events, f, series.upper(), period, s.quads, planned, unit, limit))


@router.get("/actors")
def actors(q: str | None = Query(None, max_length=200), kind: str | None = Query(None, max_length=20),
           limit: int = Limit, offset: int = Offset, con: duckdb.DuckDBPyConnection = Depends(db),
           ix: EventIndex = Depends(index)) -> dict:
    """Actors named in the corpus (optionally whose name contains ``q``)."""
    return JSONBody(queries.actors(con, ix, q, kind, limit, offset).page())


@router.get("/actors/{name}")
def actor(name: str = Path(..., max_length=200), con: duckdb.DuckDBPyConnection = Depends(db),
          ix: EventIndex = Depends(index)) -> dict:
    """One actor: roles over time and event counts as source and target."""
    return JSONBody(queries.actor(con, ix, name))


@router.get("/figures")
def figures(f: Filters = Depends(figure_filters), metric: str | None = Query(None, max_length=80), limit: int = Limit,
            offset: int = Offset, con: duckdb.DuckDBPyConnection = Depends(db)) -> dict[str, Any]:
    """Figures with a metric, one row per source."""
    return JSONBody(queries.figures(con, f, metric, limit, offset).page())


@router.get("/claims")
def claims(f: Filters = Depends(figure_filters), metric: str | None = Query(None, max_length=80),
           disagreement: bool | None = None, limit: int = Limit, offset: int = Offset,
           con: duckdb.DuckDBPyConnection = Depends(db), ix: EventIndex = Depends(index)) -> dict[str, Any]:
    """Per metric, dyad and period: every source's value and whether the sources disagree."""
    rows = ix.memo(("claims", f, metric), lambda: queries.claims(con, f, metric))
    if disagreement is not None:
        rows = [c for c in rows if c["disagreement"] == disagreement]
    return JSONBody({"total": len(rows), "limit": limit, "offset": offset, "items": rows[offset:offset + limit]})


@router.get("/network")
def network(f: Filters = Depends(filters), max_edges: int = Query(200, ge=1, le=2000),
            ix: EventIndex = Depends(index)) -> dict[str, Any]:
    """Actors linked by events (source → target) with counts and types."""
    return JSONBody(queries.network(ix, f, max_edges))


@router.get("/search")
def search(q: str = Query(..., min_length=1, max_length=300), limit: int = Query(20, ge=1, le=100),
           s: AppState = Depends(state), con: duckdb.DuckDBPyConnection = Depends(db)) -> dict[str, Any]:
    """Full-text search over documents and event evidence (every word must match)."""
    return JSONBody(s.search.search(con, q, limit))


DOWNLOADS = ("documents", "events", "actors", "figures", "claims")


def download_rows(con: duckdb.DuckDBPyConnection, ix: EventIndex, table: str, f: Filters,
                  metric: str | None = None, q: str | None = None) -> list[dict[str, Any]]:
    """A whole filtered table (up to MAX_DOWNLOAD rows) as flat records; claims one row per source value."""
    if table == "claims":
        out = []
        for c in queries.claims(con, f, metric):
            for v in c["values"]:
                out.append({"metric": c["metric"], "dyad": c["dyad"], "period": c["period"],
                            "disagreement": c["disagreement"], "spread": c["spread"], **v})
        return out[:MAX_DOWNLOAD]
    if table == "documents":
        return queries.documents(con, ix, f, MAX_DOWNLOAD, download=True).records()
    if table == "events":
        return queries.events(ix, f, MAX_DOWNLOAD, download=True).records()
    if table == "actors":
        return queries.actors(con, ix, q, None, MAX_DOWNLOAD, download=True).records()
    return queries.figures(con, f, metric, MAX_DOWNLOAD, download=True).records()


def to_csv(rows: list[dict[str, Any]]) -> str:
    buf = io.StringIO()
    if rows:
        writer = csv.DictWriter(buf, fieldnames=list(rows[0]))
        writer.writeheader()
        for row in rows:
            writer.writerow({k: csv_cell(v) for k, v in row.items()})
    return buf.getvalue()


@router.get("/download/{table}.{fmt}", response_class=Response, responses={200: {
    "description": "The table as a file", "content": {"text/csv": {"schema": {"type": "string"}},
                                                      "application/json": {"schema": {"type": "array"}}}}})
def download(table: Literal["documents", "events", "actors", "figures", "claims"],
             fmt: Literal["csv", "json"], f: Filters = Depends(filters),
             metric: str | None = Query(None, max_length=80), q: str | None = Query(None, max_length=200),
             con: duckdb.DuckDBPyConnection = Depends(db), ix: EventIndex = Depends(index)) -> Response:
    """A whole table under the filters as a CSV or JSON file."""
    rows = download_rows(con, ix, table, f, metric, q)
    if fmt == "csv":
        body, media = to_csv(rows), "text/csv; charset=utf-8"
    else:
        body, media = json.dumps(rows, default=str, ensure_ascii=False), "application/json"
    return Response(body, media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="bilat-{table}.{fmt}"'})
