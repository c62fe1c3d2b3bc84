"""The dashboard pages: each renders what a query-layer function returns (the same as the JSON API)."""
from __future__ import annotations

from importlib import resources
from pathlib import Path as FsPath
from typing import Any, Literal
from urllib.parse import quote, urlencode

import duckdb
from fastapi import APIRouter, Depends, FastAPI, Path, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape

from ..api.deps import DYAD_PATTERN, AppState, db, doc_filters, figure_filters, filters, state
from ..api.security import HEADERS, csrf_token, set_csrf_cookie
from ..events.quads import QUAD_ORDER
from ..store import queries
from ..store.queries import MAX_DOWNLOAD, MAX_LIMIT, EventIndex, Filters
from . import charts
from .figure_view import NO_PERIOD, choose_figures
from .render import document_marks, evidence_html, highlight_text, snippet

router = APIRouter(include_in_schema=False)
PAGE = 50


def _environment() -> Environment:
    env = Environment(loader=PackageLoader("bilat.web", "templates"), autoescape=select_autoescape(["html"]),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["q"] = lambda value: quote(str(value), safe="")
    env.filters["chart"] = charts.chart_json
    env.globals.update(evidence_html=evidence_html, snippet=snippet, QUAD_ORDER=QUAD_ORDER)
    return env


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    env: Environment = request.app.state.bilat_templates
    s: AppState = request.app.state.bilat
    query = {k: v for k, v in request.query_params.items() if k != "token"}

    def url(path: str, **params: Any) -> str:
        """A link keeping the current filters, with ``params`` replacing some (None removes)."""
        merged = {**query, **{k: v for k, v in params.items()}}
        merged = {k: v for k, v in merged.items() if v not in (None, "")}
        return path + ("?" + urlencode(merged) if merged else "")

    csrf, new = csrf_token(request)  # for the correction forms (web/review.py)
    html = env.get_template(template).render(request=request, url=url, query=query, types=sorted(s.quads),
                                             quads=s.quads, csrf=csrf, review_open=s.review, **context)
    response = HTMLResponse(html, status_code=status, headers=HEADERS)
    if new:
        set_csrf_cookie(response, csrf)
    return response


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    if not hasattr(request.app.state, "bilat_templates"):
        return HTMLResponse(f"<p>{status}</p>", status_code=status)
    return render(request, "error.html", status=status, status_code=status, message=message)


API_DOCS_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>bilat REST API</title>
<link rel="stylesheet" href="/static/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/static/swagger-ui-bundle.js"></script><script src="/static/swagger-init.js"></script></body></html>
"""


def static_routes(app: FastAPI) -> None:
    """/static/* from the package; plotly.min.js and Swagger UI (for /api/docs, from the fastapi-offline
    package, which supports OpenAPI 3.1) from their installed packages, never from a CDN."""
    app.state.bilat_templates = _environment()
    static_dir = FsPath(str(resources.files("bilat.web") / "static"))
    files = {p.name: p for p in static_dir.iterdir() if p.is_file()}
    files["plotly.min.js"] = FsPath(str(resources.files("plotly") / "package_data" / "plotly.min.js"))
    for name in ("swagger-ui-bundle.js", "swagger-ui.css"):
        files[name] = FsPath(str(resources.files("fastapi_offline") / "static" / name))

    @app.get("/api/docs", include_in_schema=False)
    def api_docs() -> HTMLResponse:
        return HTMLResponse(API_DOCS_PAGE, headers=HEADERS)

    @app.get("/static/{name}", include_in_schema=False)
    def static(name: str) -> Response:
        path = files.get(name)  # only known files: no path traversal
        if path is None:
            return Response("not found", status_code=404, media_type="text/plain")
        return FileResponse(path, headers={"Cache-Control": "max-age=3600", **HEADERS})


def outlet_menu(con: duckdb.DuckDBPyConnection, ix: EventIndex | None = None) -> list[str]:
    """The outlet menu: canonical names ("Central Asian Wire" stands for "CAW" too)."""
    return [o["outlet"] for o in queries.outlets(con, ix)]


def kept_params(request: Request, *drop: str) -> dict[str, str]:
    """The request's parameters (the filters in use) without ``drop``, the token and empty values."""
    return {k: v for k, v in request.query_params.items() if k not in ("token", *drop) and v != ""}


@router.get("/", response_class=HTMLResponse)
def overview(request: Request, f: Filters = Depends(filters), s: AppState = Depends(state),
             con: duckdb.DuckDBPyConnection = Depends(db)) -> HTMLResponse:
    summary = queries.corpus_summary(con)
    by_type = queries.events_by_type(s.events, f)
    return render(request, "overview.html", summary=summary, by_type=by_type, outlets=queries.outlets(con, s.events),
                  dyads=queries.dyads(s.events, 20), type_chart=charts.type_bars(by_type, s.quads),
                  outlet_names=outlet_menu(con, s.events), f=f)


@router.get("/dyads/{pair}", response_class=HTMLResponse)
def dyad_page(request: Request, pair: str = Path(..., pattern=DYAD_PATTERN, max_length=25), f: Filters = Depends(filters),
              metric: str | None = Query(None, max_length=80), length: str | None = Query(None, max_length=20),
              s: AppState = Depends(state), con: duckdb.DuckDBPyConnection = Depends(db)) -> HTMLResponse:
    fd = Filters(dyad=pair.upper(), types=f.types, since=f.since, until=f.until, outlet=f.outlet, actor=f.actor,
                 lang=f.lang)
    timeline = queries.events(s.events, fd, MAX_LIMIT, order="asc")
    monthly = queries.quad_monthly(s.events, fd, s.quads)
    figs = choose_figures(queries.figures(con, fd).records(), metric, length)
    return render(request, "dyad.html", dyad=fd.dyad, f=fd, timeline=timeline,
                  outlet_names=outlet_menu(con, s.events),
                  timeline_chart=charts.timeline(timeline.records(), s.quads),
                  quad_chart=charts.quad_lines(monthly), monthly=monthly, figs=figs,
                  figure_chart=charts.figure_points(figs.rows, figs.metric, figs.length) if figs.metric else None,
                  actors=queries.top_actors(s.events, fd))


@router.get("/trends", response_class=HTMLResponse)
def trends_page(request: Request, series: str | None = Query(None, max_length=200, pattern=r"^[A-Za-z0-9, -]*$"),
                f: Filters = Depends(filters), bin: Literal["auto", "month", "quarter", "year"] = "auto",
                planned: bool = False, unit: Literal["events", "reports"] = "events",
                partners: int = Query(3, ge=0, le=queries.MAX_SERIES),
                why: str | None = Query(None, pattern=r"^[A-Za-z0-9]{2,12}(-[A-Za-z0-9]{2,12})?$", max_length=25),
                period: str | None = Query(None, pattern=r"^\d{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?$"),
                s: AppState = Depends(state), con: duckdb.DuckDBPyConnection = Depends(db)) -> HTMLResponse:
    """The trend view (the same answer as /api/trend) and, for a clicked period, its "why" panel
    (/api/trend/why)."""
    keys = queries.trend_series([f.dyad or "", *(series or "").split(",")])
    common = {"f": f, "series": ", ".join(keys), "bin": bin, "planned": planned, "unit": unit, "partners": partners,
              "outlet_names": outlet_menu(con, s.events), "index_definition": queries.NET_INDEX, "auto_bin": queries.AUTO_BIN,
              "spike_rule": queries.SPIKE_RULE}
    if not keys:
        return render(request, "trends.html", trend=None, dyads=queries.dyads(s.events, 12), **common)
    trend = queries.trend(s.events, f, queries.TrendSpec(keys, bin, planned, unit, partners), s.quads)
    keep = kept_params(request, "why", "period", "dyad")
    keep["series"] = ",".join(keys)

    def link(key: str, at: str) -> str:
        return "/trends?" + urlencode({**keep, "why": key, "period": at}) + "#why"

    detail = None
    if period:
        key = (why or keys[0]).upper()
        detail = queries.trend_why(s.events, f, key, period, s.quads, planned, unit)
    rows = [(i, p) for i, p in enumerate(trend["periods"]) if any(x["points"][i]["events"] for x in trend["series"])]
    return render(request, "trends.html", trend=trend, detail=detail, link=link, rows=rows,
                  index_chart=charts.trend_index(trend, link, detail["period"] if detail else None),
                  quad_charts=[(x, charts.trend_quads(trend, x, link)) for x in trend["series"]], **common)


@router.get("/events", response_class=HTMLResponse)
def events_page(request: Request, f: Filters = Depends(filters), page: int = Query(1, ge=1, le=100_000),
                s: AppState = Depends(state), con: duckdb.DuckDBPyConnection = Depends(db)) -> HTMLResponse:
    table = queries.events(s.events, f, PAGE, (page - 1) * PAGE)
    return render(request, "events.html", table=table, page=page, f=f, outlet_names=outlet_menu(con, s.events))


@router.get("/events/{event_key}", response_class=HTMLResponse)
def event_page(request: Request, event_key: str = Path(..., max_length=300),
               s: AppState = Depends(state), con: duckdb.DuckDBPyConnection = Depends(db)) -> HTMLResponse:
    reports = queries.event_reports(s.events, event_key).records()
    confirmed = queries.event_confirmation(con, s.events, event_key)
    copies = {(c["doc_id"], c["idx"]): c for c in confirmed["copies"]}
    return render(request, "event.html", event_key=event_key, reports=reports, first=reports[0],
                  confirmed=confirmed, copies=copies)


@router.get("/documents", response_class=HTMLResponse)
def documents_page(request: Request, f: Filters = Depends(doc_filters), page: int = Query(1, ge=1, le=100_000),
                   s: AppState = Depends(state), con: duckdb.DuckDBPyConnection = Depends(db)) -> HTMLResponse:
    table = queries.documents(con, s.events, f, PAGE, (page - 1) * PAGE)
    return render(request, "documents.html", table=table, page=page, f=f, outlet_names=outlet_menu(con, s.events))


@router.get("/documents/{doc_id:path}", response_class=HTMLResponse)  # ids may hold "/"
def document_page(request: Request, doc_id: str = Path(..., max_length=300),
                  hl: int | None = Query(None, ge=0, le=1_000_000), s: AppState = Depends(state),
                  con: duckdb.DuckDBPyConnection = Depends(db)) -> HTMLResponse:
    doc = queries.document(con, s.events, doc_id)
    body = highlight_text(doc["text"], document_marks(doc, hl))
    return render(request, "document.html", doc=doc, body=body, hl=hl)


@router.get("/actors", response_class=HTMLResponse)
def actors_page(request: Request, q: str | None = Query(None, max_length=200), page: int = Query(1, ge=1, le=100_000),
                s: AppState = Depends(state), con: duckdb.DuckDBPyConnection = Depends(db)) -> HTMLResponse:
    table = queries.actors(con, s.events, q, None, PAGE, (page - 1) * PAGE)
    return render(request, "actors.html", table=table, page=page, q=q or "")


@router.get("/actors/{name}", response_class=HTMLResponse)
def actor_page(request: Request, name: str = Path(..., max_length=200), f: Filters = Depends(filters),
               s: AppState = Depends(state), con: duckdb.DuckDBPyConnection = Depends(db)) -> HTMLResponse:
    info = queries.actor(con, s.events, name)
    fa = Filters(types=f.types, since=f.since, until=f.until, outlet=f.outlet, actor=name, lang=f.lang)
    evs = queries.events(s.events, fa, MAX_LIMIT).records()
    as_source = [e for e in evs if (e["source_actor"] or e["source"]) == name]
    as_target = [e for e in evs if (e["source_actor"] or e["source"]) != name]
    return render(request, "actor.html", actor=info, as_source=as_source, as_target=as_target,
                  role_chart=charts.role_bars(info["roles"]) if info["roles"] else None, f=fa,
                  outlet_names=outlet_menu(con, s.events))


@router.get("/network", response_class=HTMLResponse)
def network_page(request: Request, f: Filters = Depends(filters), s: AppState = Depends(state),
                 con: duckdb.DuckDBPyConnection = Depends(db)) -> HTMLResponse:
    net = queries.network(s.events, f)
    return render(request, "network.html", net=net, net_chart=charts.network_graph(net), f=f,
                  outlet_names=outlet_menu(con, s.events))


@router.get("/claims", response_class=HTMLResponse)
def claims_page(request: Request, f: Filters = Depends(figure_filters), metric: str | None = Query(None, max_length=80),
                sources: Literal["true", "false", ""] | None = Query(None, alias="disagreement"),
                length: str | None = Query(None, max_length=20),
                con: duckdb.DuckDBPyConnection = Depends(db)) -> HTMLResponse:
    """Claims with metric, period length and disagreement controls; with a metric, its figures charted one
    period length at a time. ``disagreement`` may be empty (the form's "all claims")."""
    disagreement = {"true": True, "false": False}.get(sources or "")
    rows = queries.claims(con, f, metric, disagreement)
    if length:
        rows = [c for c in rows if (c["period_length"] or NO_PERIOD) == length]
    figs = choose_figures(queries.figures(con, f, limit=MAX_DOWNLOAD, download=True).records(), metric, length)
    return render(request, "claims.html", claims=rows, f=f, outlet_names=outlet_menu(con), figs=figs, metric=metric,
                  length=length, disagreement=disagreement,
                  figure_chart=charts.figure_points(figs.rows, figs.metric, figs.length) if metric and figs.rows
                  else None)


@router.get("/search", response_class=HTMLResponse)
def search_page(request: Request, q: str = Query("", max_length=300), s: AppState = Depends(state),
                con: duckdb.DuckDBPyConnection = Depends(db)) -> HTMLResponse:
    results = s.search.search(con, q) if q.strip() else None
    return render(request, "search.html", q=q, results=results)
