"""Where events happened: the stored coordinates of events grouped into places for the map view.

The REST API (``/api/map``), the dashboard (``/map``) and ``Corpus.places`` all call :func:`event_places`.
Events count as in the trend view (``queries.trend``): distinct events (clusters of reports), negated and
hypothetical reports never, planned ones only when asked for. An event whose reports name several places is
on the map at each of them, once per place.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from ..events.quads import SIDES, side
from .queries import EventIndex, Filters, matching_ranks, outlet_names

logger = logging.getLogger(__name__)

MAX_PLACE_EVENTS = 50  # events listed per place (the counts cover them all)
MAX_PLACES = 500  # places on the map, busiest first: a map of more markers is unreadable and heavy to send
COORDINATE_DECIMALS = 2  # about a kilometre: "Dushanbe" and "Tajikistan" (pinned at its capital) are one place
PLACE_COLUMNS = ["event_key", "doc_id", "idx", "date", "type", "mode", "intensity", "source", "source_actor",
                 "target", "target_actor", "negated", "planned", "hypothetical", "location", "lat", "lon",
                 "trigger", "evidence", "outlet"]

def event_places(con: duckdb.DuckDBPyConnection, ix: EventIndex, f: Filters, quads: Mapping[str, str], planned: bool = False,
                 per_place: int = MAX_PLACE_EVENTS, max_places: int = MAX_PLACES) -> dict[str, Any]:
    """The filtered events on a map: per place (coordinates rounded to :data:`COORDINATE_DECIMALS`) its
    names, distinct events, reports, net cooperation index (sum of the events' mean intensities), events per
    quad class and per side (:func:`side`: ``cooperation``, ``conflict``) and its events, most recent first
    (at most ``per_place``), each with the evidence sentence of one of its reports there and its outlets (canonical names).
    At most ``max_places`` places, the busiest; ``places_total`` says how many there are. ``unplaced``
    counts the counted events that have no coordinates."""
    key = ("event_places", f, planned, per_place, max_places, tuple(sorted(quads.items())))
    return ix.memo(key, lambda: _event_places(con, ix, f, quads, planned, per_place, max_places))


# per place (coordinates rounded) and distinct event: its reports there, its mean intensity and the report
# that stands for it (the most precisely dated, as in the trend view: ``queries.UNIT_SQL``), with that
# report's date and type
EVENTS_AT_PLACES = """
CREATE TEMP TABLE {events} AS
WITH grouped AS (
    SELECT round(lat, {decimals}) AS plat, round(lon, {decimals}) AS plon, event_key, count(*) AS reports,
           avg(intensity) AS intensity, first(rk ORDER BY length(date) DESC, date, rk) AS rk,
           coalesce(list_sort(list(DISTINCT outlet) FILTER (WHERE outlet IS NOT NULL)), []) AS outlets
    FROM {reports} GROUP BY 1, 2, 3)
SELECT g.*, r.date, r.type FROM grouped g JOIN {reports} r USING (rk)
"""
ITEM_COLUMNS = ("date", "type", "mode", "source", "source_actor", "target", "target_actor", "location", "evidence",
                "trigger", "doc_id", "idx")


def _event_places(con: duckdb.DuckDBPyConnection, ix: EventIndex, f: Filters, quads: Mapping[str, str],
                  planned: bool, per_place: int, max_places: int) -> dict[str, Any]:
    ranks = matching_ranks(ix, f)
    table = ix.take(ranks, PLACE_COLUMNS).append_column("rk", pa.array(ranks, pa.int64()))
    # the flags and coordinates are sifted in Arrow and the grouping done in DuckDB: only what is shown
    # becomes Python values
    counted = table.filter(pc.and_(pc.and_(pc.invert(pc.fill_null(table["negated"], False)),
                                           pc.invert(pc.fill_null(table["hypothetical"], False))),
                                   pc.or_(pa.scalar(planned), pc.invert(pc.fill_null(table["planned"], False)))))
    located = counted.filter(pc.and_(pc.is_valid(counted["lat"]), pc.is_valid(counted["lon"])))
    all_keys = pc.unique(counted["event_key"])
    unplaced = len(all_keys) - (pc.sum(pc.is_in(all_keys, value_set=pc.unique(located["event_key"]))).as_py() or 0)
    reports, events = f"_map_reports_{threading.get_ident()}", f"_map_events_{threading.get_ident()}"
    c = ix.cursor()
    try:
        c.register(reports, located)
        c.execute(EVENTS_AT_PLACES.format(events=events, decimals=COORDINATE_DECIMALS, reports=reports))
        totals = c.execute(f"SELECT plat, plon, count(*), sum(reports), sum(coalesce(intensity, 0)) FROM {events} "
                           "GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2").fetchall()
        types = c.execute(f"SELECT plat, plon, type, count(*) FROM {events} GROUP BY ALL").fetchall()
        place_names = c.execute(f"SELECT round(lat, {COORDINATE_DECIMALS}), round(lon, {COORDINATE_DECIMALS}), "
                                f"location, count(*) FROM {reports} WHERE location IS NOT NULL GROUP BY ALL").fetchall()
        items = c.execute(f"SELECT plat, plon, event_key, reports, intensity, rk, outlets FROM {events} "
                          "QUALIFY row_number() OVER (PARTITION BY plat, plon ORDER BY date DESC NULLS LAST, "
                          "event_key DESC) <= ? ORDER BY plat, plon, date DESC NULLS LAST, event_key DESC",
                          [per_place]).fetch_arrow_table()
        c.execute(f"DROP TABLE {events}")
    finally:
        c.unregister(reports)
        c.close()
    shown = {(lat, lon): {"lat": lat, "lon": lon, "events": n, "reports": int(r), "net": round(net, 1), "quads": {},
                          "names": {}, "items": []} for lat, lon, n, r, net in totals[:max_places]}
    for lat, lon, etype, n in types:
        if (place := shown.get((lat, lon))) and (quad := quads.get(etype)):
            place["quads"][quad] = place["quads"].get(quad, 0) + n
    for lat, lon, location, n in place_names:
        if place := shown.get((lat, lon)):
            place["names"][location] = n
    names = outlet_names(con, ix)
    # the standing report of each listed event: its columns read from the index by rank
    stand = ix.take(items.column("rk").to_numpy(), list(ITEM_COLUMNS)).to_pylist() if items.num_rows else []
    for item, report in zip(items.to_pylist(), stand, strict=True):
        if place := shown.get((item["plat"], item["plon"])):
            quad = quads.get(report["type"])
            place["items"].append({"event_key": item["event_key"], **report,
                                   "quad": quad, "side": side(quad), "reports": item["reports"],
                                   "outlets": sorted({names.canonical(o) for o in item["outlets"]}),
                                   "intensity": round(item["intensity"], 2) if item["intensity"] is not None else None})
    out = [_place(p) for p in shown.values()]
    out.sort(key=lambda p: (-p["events"], p["name"]))
    return {"places": out, "events": sum(p["events"] for p in out), "reports": sum(p["reports"] for p in out),
            "unplaced": unplaced, "places_total": len(totals), "planned": planned}


def _place(place: dict[str, Any]) -> dict[str, Any]:
    names = sorted(place["names"], key=lambda n: (-place["names"][n], n))
    return {"id": f"{place['lat']},{place['lon']}", "name": names[0] if names else f"{place['lat']}, {place['lon']}",
            "names": names, "lat": place["lat"], "lon": place["lon"], "events": place["events"],
            "reports": place["reports"], "net": place["net"], "quads": place["quads"],
            **{x: sum(n for q, n in place["quads"].items() if side(q) == x) for x in SIDES}, "items": place["items"]}
