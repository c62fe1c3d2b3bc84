"""Where events happened: the stored coordinates of events grouped into places for the map view.

The REST API (``/api/map``), the dashboard (``/map``) and ``Corpus.places`` all call :func:`event_places`.
Events count as in the trend view (``queries.trend``): distinct events (clusters of reports), negated and
hypothetical reports never, planned ones only when asked for. An event whose reports name several places is
on the map at each of them, once per place.
"""
from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from .outlets import OutletNames
from .queries import EventIndex, Filters, matching_ranks, outlet_names

logger = logging.getLogger(__name__)

MAX_PLACE_EVENTS = 50  # events listed per place (the counts cover them all)
COORDINATE_DECIMALS = 2  # about a kilometre: "Dushanbe" and "Tajikistan" (pinned at its capital) are one place
PLACE_COLUMNS = ["event_key", "doc_id", "idx", "date", "type", "mode", "intensity", "source", "source_actor",
                 "target", "target_actor", "negated", "planned", "hypothetical", "location", "lat", "lon",
                 "trigger", "evidence", "outlet"]
SIDES = ("cooperation", "conflict")  # the map's two colours: quad classes by their second word


def side(quad: str | None) -> str | None:
    """Cooperation (verbal or material) or conflict (verbal or material); None for no quad class."""
    return next((s for s in SIDES if quad and quad.endswith(s)), None)


def event_places(con: duckdb.DuckDBPyConnection, ix: EventIndex, f: Filters, quads: Mapping[str, str], planned: bool = False,
                 per_place: int = MAX_PLACE_EVENTS) -> dict[str, Any]:
    """The filtered events on a map: per place (coordinates rounded to :data:`COORDINATE_DECIMALS`) its
    names, distinct events, reports, net cooperation index (sum of the events' mean intensities), events per
    quad class and per side (:func:`side`: ``cooperation``, ``conflict``) and its events, most recent first
    (at most ``per_place``), each with the evidence sentence of one of its reports there and its outlets (canonical names).
    ``unplaced`` counts the counted events that have no coordinates."""
    key = ("event_places", f, planned, per_place, tuple(sorted(quads.items())))
    return ix.memo(key, lambda: _event_places(con, ix, f, quads, planned, per_place))


def _event_places(con: duckdb.DuckDBPyConnection, ix: EventIndex, f: Filters, quads: Mapping[str, str],
                  planned: bool, per_place: int) -> dict[str, Any]:
    ranks = matching_ranks(ix, f)
    table = ix.take(ranks, PLACE_COLUMNS) if len(ranks) else ix.take([], PLACE_COLUMNS)
    # the flags and coordinates are sifted in Arrow: only the reports on the map become Python dicts
    counted = table.filter(pc.and_(pc.and_(pc.invert(pc.fill_null(table["negated"], False)),
                                           pc.invert(pc.fill_null(table["hypothetical"], False))),
                                   pc.or_(pa.scalar(planned), pc.invert(pc.fill_null(table["planned"], False)))))
    located = counted.filter(pc.and_(pc.is_valid(counted["lat"]), pc.is_valid(counted["lon"])))
    all_keys = pc.unique(counted["event_key"])
    unplaced = len(all_keys) - (pc.sum(pc.is_in(all_keys, value_set=pc.unique(located["event_key"]))).as_py() or 0)
    places: dict[tuple[float, float], dict[str, Any]] = {}
    for r in located.to_pylist():
        at = (round(r["lat"], COORDINATE_DECIMALS), round(r["lon"], COORDINATE_DECIMALS))
        place = places.setdefault(at, {"lat": at[0], "lon": at[1], "names": {}, "reports": 0, "events": {}})
        place["reports"] += 1
        if r["location"]:
            place["names"][r["location"]] = place["names"].get(r["location"], 0) + 1
        event = place["events"].setdefault(r["event_key"], {"reports": [], "intensities": []})
        event["reports"].append(r)
        if r["intensity"] is not None:
            event["intensities"].append(r["intensity"])
    names = outlet_names(con, ix)
    out = [_place(p, quads, names, per_place) for p in places.values()]
    out.sort(key=lambda p: (-p["events"], p["name"]))
    return {"places": out, "events": sum(p["events"] for p in out), "reports": sum(p["reports"] for p in out),
            "unplaced": unplaced, "planned": planned}


def _place(place: dict[str, Any], quads: Mapping[str, str], outlets: OutletNames, per_place: int) -> dict[str, Any]:
    by_quad: dict[str, int] = {}
    items = []
    net = 0.0
    for key, event in place["events"].items():
        # the most precisely dated report stands for the event here, as in the trend view
        first = sorted(event["reports"], key=lambda r: (-len(r["date"] or ""), r["date"] or ""))[0]
        quad = quads.get(first["type"])
        if quad:
            by_quad[quad] = by_quad.get(quad, 0) + 1
        mean = sum(event["intensities"]) / len(event["intensities"]) if event["intensities"] else None
        net += mean or 0.0
        items.append({"event_key": key, "date": first["date"], "type": first["type"], "quad": quad,
                      "mode": first["mode"], "source": first["source"], "source_actor": first["source_actor"],
                      "target": first["target"], "target_actor": first["target_actor"],
                      "location": first["location"], "evidence": first["evidence"], "trigger": first["trigger"],
                      "doc_id": first["doc_id"], "idx": first["idx"], "reports": len(event["reports"]),
                      "outlets": sorted({outlets.canonical(r["outlet"]) for r in event["reports"] if r["outlet"]}),
                      "intensity": round(mean, 2) if mean is not None else None, "side": side(quad)})
    items.sort(key=lambda e: (e["date"] or "", e["event_key"]), reverse=True)
    names = sorted(place["names"], key=lambda n: (-place["names"][n], n))
    name = names[0] if names else f"{place['lat']}, {place['lon']}"
    return {"id": f"{place['lat']},{place['lon']}", "name": name, "names": names, "lat": place["lat"],
            "lon": place["lon"], "events": len(items), "reports": place["reports"], "net": round(net, 1),
            "quads": by_quad, **{x: sum(n for q, n in by_quad.items() if side(q) == x) for x in SIDES},
            "items": items[:per_place]}
