"""The analyst's views beside the trend: the map of events (``/map``) and relationships compared side by side
(``/compare``). Each page renders what its query function returns, the same answer as ``/api/map`` and
``/api/compare``."""
from __future__ import annotations

import re
from typing import Literal
from urllib.parse import urlencode

import duckdb
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from ..api.deps import AppState, db, filters, state
from ..store import queries
from ..store.comparison import compare
from ..store.geography import event_places
from ..store.queries import Filters
from . import charts
from .pages import kept_params, outlet_menu, render

router = APIRouter(include_in_schema=False)
PLACE_ID = r"^-?\d{1,3}(\.\d{1,2})?,-?\d{1,3}(\.\d{1,2})?$"
SERIES = r"^[A-Za-z0-9, -]*$"


@router.get("/map", response_class=HTMLResponse)
def map_page(request: Request, f: Filters = Depends(filters), planned: bool = False,
             place: str | None = Query(None, pattern=PLACE_ID, max_length=20),
             s: AppState = Depends(state), con: duckdb.DuckDBPyConnection = Depends(db)) -> HTMLResponse:
    """Events at their stored coordinates on a world outline served by bilat (no tile server, no CDN); a
    click on a place lists its events with their evidence."""
    found = event_places(con, s.events, f, s.quads, planned)
    keep = kept_params(request, "place")

    def link(place_id: str) -> str:
        return "/map?" + urlencode({**keep, "place": place_id}, safe=",") + "#place"

    chosen = next((p for p in found["places"] if p["id"] == place), None) if place else None
    return render(request, "map.html", f=f, planned=planned, found=found, chosen=chosen, link=link,
                  map_chart=charts.event_map(found["places"], link), outlet_names=outlet_menu(con, s.events))


@router.get("/compare", response_class=HTMLResponse)
def compare_page(request: Request, series: str | None = Query(None, max_length=200, pattern=SERIES),
                 f: Filters = Depends(filters), bin: Literal["auto", "month", "quarter", "year"] = "auto",
                 planned: bool = False, unit: Literal["events", "reports"] = "events",
                 partners: int = Query(3, ge=0, le=queries.MAX_SERIES), s: AppState = Depends(state),
                 con: duckdb.DuckDBPyConnection = Depends(db)) -> HTMLResponse:
    """Several dyads, or a country against each of its partners, on the net cooperation index over the same
    periods: one chart with every series, one chart per series on a shared axis, and a table to compare."""
    keys = queries.trend_series([f.dyad or "", *(series or "").split(",")])
    common = {"f": f, "series": ", ".join(keys), "bin": bin, "planned": planned, "unit": unit,
              "partners": partners, "outlet_names": outlet_menu(con, s.events), "index_definition": queries.NET_INDEX}
    if not keys:
        busiest = [d["dyad"] for d in queries.dyads(s.events, 6)]
        countries = list(dict.fromkeys(c for d in busiest for c in d.split("-")))[:4]
        return render(request, "compare.html", result=None, busiest=busiest, countries=countries, **common)
    result = compare(s.events, f, queries.TrendSpec(keys, bin, planned, unit, partners), s.quads)
    shown = ",".join(x["key"] for x in result["series"])
    keep = {**kept_params(request, "series", "dyad", "partners"), "series": shown, "partners": "0", "bin": result["bin"]}

    def link(key: str, period: str) -> str:
        """A period of a series opens its "why" panel in the trend view, with every series compared."""
        return "/trends?" + urlencode({**keep, "why": key, "period": period}) + "#why"

    apart = [(x, charts.shared_scale(charts.trend_index({**result, "series": [x]}, link), result["scale"]))
             for x in result["series"]]
    return render(request, "compare.html", result=result, trend_link="/trends?" + urlencode(keep),
                  together=charts.trend_index(result, link), apart=apart, link=link,
                  chart_id=lambda key: "compare-" + re.sub(r"[^A-Za-z0-9]", "-", key), **common)
