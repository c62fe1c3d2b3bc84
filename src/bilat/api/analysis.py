"""REST routes of the analyst's views beside the trend: the map of events (``/api/map``) and relationships
compared side by side (``/api/compare``). Each returns what its query function returns, as the page does."""
from __future__ import annotations

from typing import Any

import duckdb
from fastapi import APIRouter, Depends, Query

from ..store import queries
from ..store.comparison import compare as compare_series
from ..store.geography import MAX_PLACE_EVENTS, MAX_PLACES, event_places
from .deps import AppState, db, filters, state
from .routes import ERROR, Bin, JSONBody, Partners, SeriesQuery, Unit

router = APIRouter(prefix="/api", tags=["api"], default_response_class=JSONBody, responses={
    400: {"description": "A filter value that cannot be used", **ERROR},
    401: {"description": "Token missing or wrong (when the server requires one)", **ERROR}})


@router.get("/map")
def event_map(f: queries.Filters = Depends(filters), planned: bool = False,
              per_place: int = Query(MAX_PLACE_EVENTS, ge=0, le=queries.MAX_LIMIT,
                                     description="Events listed per place (the counts cover them all)"),
              max_places: int = Query(MAX_PLACES, ge=1, le=5_000, description="Places, busiest first"),
              s: AppState = Depends(state), con: duckdb.DuckDBPyConnection = Depends(db)) -> dict[str, Any]:
    """Distinct events at their stored coordinates, per place: names, events, reports, net cooperation index,
    events per quad class and per side (cooperation, conflict), and the events with their evidence; negated
    and hypothetical events left out, planned ones with ``planned=true``."""
    return JSONBody(event_places(con, s.events, f, s.quads, planned, per_place, max_places))


@router.get("/compare")
def compare(series: str | None = SeriesQuery, f: queries.Filters = Depends(filters), bin: Bin = "auto",
            planned: bool = False, unit: Unit = "events", partners: int = Partners,
            s: AppState = Depends(state)) -> dict[str, Any]:
    """The trend of several series over the same periods (as ``/api/trend``) with a summary per series
    (``summaries``: events, net index, cooperation and conflict, highest, lowest and busiest period, top
    types) and ``scale``, the largest index of any period, for charts drawn apart on one axis."""
    keys = queries.trend_series([f.dyad or "", *(series or "").split(",")])
    spec = queries.TrendSpec(keys, bin, planned, unit, partners)
    return JSONBody(compare_series(s.events, f, spec, s.quads))
