"""Plotly figure specs (plain dicts) for the pages; static/app.js draws them with plotly.min.js."""
from __future__ import annotations

import html
import json
import math
import re
from collections.abc import Callable, Mapping
from datetime import date, timedelta
from typing import Any
from urllib.parse import quote

from markupsafe import Markup

from ..events.quads import QUAD_ORDER, side

QUAD_COLOURS = {"verbal cooperation": "#4c9f70", "material cooperation": "#1f6f8b",
                "verbal conflict": "#e0a030", "material conflict": "#c0392b"}
LAYOUT = {"margin": {"l": 50, "r": 20, "t": 30, "b": 40}, "height": 320, "font": {"family": "system-ui, sans-serif",
          "size": 12}, "paper_bgcolor": "rgba(0,0,0,0)", "plot_bgcolor": "#fafafa",
          "legend": {"orientation": "h", "y": -0.2},
          "xaxis": {"automargin": True}, "yaxis": {"automargin": True}}


def chart_json(fig: dict[str, Any]) -> Markup:
    """JSON safe to put inside a <script type="application/json"> block."""
    text = json.dumps(fig, default=str).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


def plain(value: Any) -> str:
    """Text plotly shows as written. Plotly reads a little HTML in trace names, texts and hover labels
    (<a href>, <span style>, <br>) and decodes entities, so third-party text (outlets, actor names, figure
    wordings) goes in with &, < and > as entities: an outlet named '<a href=...>' shows those characters
    and links nowhere."""
    return html.escape(str(value), quote=False)


def _layout(**extra: Any) -> dict[str, Any]:
    out = {**LAYOUT, **extra}
    for axis in ("xaxis", "yaxis", "yaxis2"):
        if axis in out:
            out[axis] = {"automargin": True, **out[axis]}
    return out


def type_bars(by_type: list[dict[str, Any]], quads: Mapping[str, str]) -> dict[str, Any]:
    return {"data": [{"type": "bar", "x": [r["type"] for r in by_type], "y": [r["events"] for r in by_type],
                      "marker": {"color": [QUAD_COLOURS.get(quads.get(r["type"], ""), "#888") for r in by_type]},
                      "customdata": [f"/events?type={r['type']}" for r in by_type],
                      "hovertemplate": "%{x}: %{y} events<extra></extra>"}],
            "layout": _layout(yaxis={"title": {"text": "events"}})}


def quad_lines(monthly: list[dict[str, Any]]) -> dict[str, Any]:
    """Monthly counts per quad class (bars) and mean intensity (line, right axis)."""
    months = sorted({r["month"] for r in monthly})
    data: list[dict[str, Any]] = []
    for quad in QUAD_ORDER:
        by_month = {r["month"]: r["events"] for r in monthly if r["quad"] == quad}
        if by_month:
            data.append({"type": "bar", "name": quad, "x": months, "y": [by_month.get(m, 0) for m in months],
                         "marker": {"color": QUAD_COLOURS[quad]}})
    totals: dict[str, list[float]] = {}
    for r in monthly:
        if r["mean_intensity"] is not None:
            totals.setdefault(r["month"], []).extend([r["mean_intensity"]] * r["events"])
    data.append({"type": "scatter", "mode": "lines+markers", "name": "mean intensity", "yaxis": "y2",
                 "x": months, "y": [round(sum(v) / len(v), 2) if (v := totals.get(m)) else None for m in months],
                 "line": {"color": "#333"}})
    return {"data": data, "layout": _layout(barmode="stack", yaxis={"title": {"text": "events"}},
                                            yaxis2={"title": {"text": "mean intensity"}, "overlaying": "y", "side": "right",
                                                    "range": [-10, 10], "zeroline": True})}


def timeline(events: list[dict[str, Any]], quads: Mapping[str, str]) -> dict[str, Any]:
    """One marker per event report, by date and type; a click opens the event."""
    data = []
    for quad in QUAD_ORDER:
        rows = [e for e in events if quads.get(e["type"]) == quad and e.get("date")]
        if rows:
            data.append({"type": "scatter", "mode": "markers", "name": quad, "x": [_day(e["date"]) for e in rows],
                         "y": [e["type"] for e in rows], "marker": {"size": 11, "color": QUAD_COLOURS[quad]},
                         "customdata": [f"/events/{quote(e['event_key'], safe='')}" for e in rows],
                         "text": [plain(f"{e.get('source_actor') or e.get('source')} → "
                                        f"{e.get('target_actor') or e.get('target')} ({e.get('outlet')})")
                                  for e in rows],
                         "hovertemplate": "%{x}<br>%{y}<br>%{text}<extra></extra>"})
    return {"data": data, "layout": _layout(yaxis={"type": "category"}, hovermode="closest")}


def _day(value: str) -> str:
    return value + {4: "-07-01", 7: "-15"}.get(len(value), "")


_PERIOD = re.compile(r"^(\d{4})(?:-(\d{2})|-H([12])|-Q([1-4]))?")


def period_day(period: str | None, published: str | None) -> str | None:
    """A plotting date for a figure: the middle of its period, else its publication date."""
    if period:
        m = _PERIOD.match(period)
        if m:
            year, month, half, quarter = m.groups()
            if month:
                return f"{year}-{month}-15"
            if half:
                return f"{year}-{'04' if half == '1' else '10'}-01"
            if quarter:
                return f"{year}-{3 * int(quarter) - 1:02d}-15"
            return f"{year}-07-01"
    return _day(published) if published else None


KIND_SYMBOLS = {"reported": "circle", "target": "diamond-open", "forecast": "triangle-up-open"}
KIND_WORDS = {"reported": "reported", "target": "target (open diamond)", "forecast": "forecast (open triangle)"}
_HALF_SPAN_DAYS = {"month": 20, "quarter": 60, "half-year": 120, "year": 240}


def figure_points(rows: list[dict[str, Any]], metric: str, length: str | None = None) -> dict[str, Any]:
    """One point per source (outlet) for one metric and one period length (``length``: year, quarter,
    "8 months"; rows of other lengths are left out), in US dollars where known, at the middle of its
    period. Reported values are filled circles; targets (open diamonds) and forecasts (open triangles) are
    drawn apart and named in the legend, never joined to reported values."""
    rows = [r for r in rows if r["metric"] == metric and (length is None or (r.get("period_length") or "no period")
                                                           == length)]
    usd = all(r["value_usd"] is not None for r in rows)
    data: list[dict[str, Any]] = []
    for outlet in sorted({r["outlet"] or "?" for r in rows}):
        mine = [r for r in rows if (r["outlet"] or "?") == outlet]
        kinds = [r.get("kind") or "reported" for r in mine]
        data.append({"type": "scatter", "mode": "markers", "name": plain(outlet),
                     "marker": {"size": 11, "symbol": [KIND_SYMBOLS.get(k, "circle") for k in kinds],
                                "line": {"width": 2}},
                     "x": [period_day(r["period"], r["published"]) for r in mine],
                     "y": [r["value_usd"] if usd else r["value"] for r in mine],
                     "text": [plain(f"{r['text']} ({r['period'] or 'no period'}"
                                    f"{', ' + r['period_length'] if r.get('period_length') else ''}"
                                    f"{'' if k == 'reported' else ', ' + k})") for r, k in zip(mine, kinds, strict=True)],
                     "customdata": [f"/documents/{quote(r['doc_id'], safe='')}" for r in mine],
                     "hovertemplate": "%{text}<extra>%{fullData.name}</extra>"})
    for kind in ("target", "forecast"):
        if any((r.get("kind") or "reported") == kind for r in rows):  # a legend entry saying what the symbol is
            data.append({"type": "scatter", "mode": "markers", "name": KIND_WORDS[kind], "x": [None], "y": [None],
                         "marker": {"size": 11, "symbol": KIND_SYMBOLS[kind], "color": "#555"},
                         "hoverinfo": "skip"})
    unit = "USD" if usd else (rows[0]["unit"] if rows else "")
    days = sorted(x for t in data for x in t["x"] if x)
    xaxis: dict[str, Any] = {"type": "date", "title": {"text": f"period: {length or 'any length'}"}}
    if days:
        # one point (or one period) has no span: plotly would zoom to a millisecond ("23:59:59.9995")
        pad = timedelta(days=_HALF_SPAN_DAYS.get(length or "", 365))
        lo, hi = date.fromisoformat(days[0][:10]) - pad, date.fromisoformat(days[-1][:10]) + pad
        xaxis["range"] = [lo.isoformat(), hi.isoformat()]
        if length == "year":
            xaxis.update(tickformat="%Y", dtick="M12")
    # the legend names the sources even when there is one: which outlet said it is the point of the chart
    return {"data": data, "layout": _layout(xaxis=xaxis, yaxis={"title": {"text": plain(f"{metric} ({unit})")}},
                                            showlegend=True, hovermode="closest",
                                            legend={"orientation": "h", "y": -0.32})}


def network_graph(net: dict[str, Any], limit_nodes: int = 40) -> dict[str, Any]:
    """Actors on a circle (busiest first), edges as lines whose width follows the event count."""
    nodes = net["nodes"][:limit_nodes]
    keep = {n["id"] for n in nodes}
    n = max(len(nodes), 1)
    pos = {node["id"]: (math.cos(2 * math.pi * i / n), math.sin(2 * math.pi * i / n)) for i, node in enumerate(nodes)}
    data: list[dict[str, Any]] = []
    for e in net["edges"]:
        if e["source"] in keep and e["target"] in keep:
            (x0, y0), (x1, y1) = pos[e["source"]], pos[e["target"]]
            data.append({"type": "scatter", "mode": "lines", "x": [x0, x1], "y": [y0, y1], "hoverinfo": "skip",
                         "showlegend": False, "line": {"width": min(1 + e["events"], 8), "color": "#9bb"}})
    data.append({"type": "scatter", "mode": "markers+text", "showlegend": False,
                 "x": [pos[k["id"]][0] for k in nodes], "y": [pos[k["id"]][1] for k in nodes],
                 "text": [plain(k["id"]) for k in nodes], "textposition": "top center",
                 "marker": {"size": [min(8 + 2 * k["events"], 40) for k in nodes], "color": "#1f6f8b"},
                 "customdata": [f"/actors/{quote(k['id'], safe='')}" for k in nodes],
                 "hovertemplate": "%{text}<extra></extra>"})
    axis = {"visible": False, "range": [-1.4, 1.4]}
    return {"data": data, "layout": _layout(height=560, xaxis=axis, yaxis={**axis, "scaleanchor": "x"})}


def role_bars(roles: list[dict[str, Any]]) -> dict[str, Any]:
    """Roles over time: one bar from first to last dated document naming the actor in that role."""
    rows = [r for r in roles if r.get("first_seen")]
    return {"data": [{"type": "scatter", "mode": "lines+markers", "name": plain(r["role"]), "line": {"width": 8},
                      "x": [_day(r["first_seen"]), _day(r["last_seen"])], "y": [plain(r["role"])] * 2,
                      "hovertemplate": f"{r['documents']} documents<extra>%{{y}}</extra>"} for r in rows],
            "layout": _layout(height=max(160, 60 + 40 * len(rows)), yaxis={"type": "category"}, showlegend=False)}


SERIES_COLOURS = ("#1f6f8b", "#c0392b", "#4c9f70", "#8e44ad", "#e0a030", "#2c3e50", "#16a085", "#d35400")


def trend_index(trend: Mapping[str, Any], link: Callable[[str, str], str],
                selected: str | None = None) -> dict[str, Any]:
    """The net cooperation index per period: bars coloured by sign for one series, a line per series for
    several (zero-filled periods, so a line never joins periods years apart); spikes marked. A click on a
    period opens its "why" panel (``link(series, period)``); the ``selected`` period is shaded."""
    periods = trend["periods"]
    data: list[dict[str, Any]] = []
    several = len(trend["series"]) > 1
    for i, series in enumerate(trend["series"]):
        points = series["points"]
        common = {"x": periods, "y": [p["net"] for p in points], "name": plain(series["key"]),
                  "customdata": [link(series["key"], p["period"]) for p in points],
                  "text": [f"{p['events']} {trend['unit']}" for p in points],
                  "hovertemplate": "%{x}: index %{y}<br>%{text}<extra>%{fullData.name}</extra>"}
        if several:
            colour = SERIES_COLOURS[i % len(SERIES_COLOURS)]
            data.append({"type": "scatter", "mode": "lines+markers", "line": {"color": colour, "width": 2},
                         "marker": {"size": 5}, **common})
        else:
            data.append({"type": "bar", "marker": {"color": [QUAD_COLOURS["material conflict"] if p["net"] < 0
                                                             else QUAD_COLOURS["verbal cooperation"] for p in points]},
                         **common})
        spikes = [p for p in points if p.get("spike")]
        if spikes:
            data.append({"type": "scatter", "mode": "markers", "name": plain(f"{series['key']} spike"),
                         "x": [p["period"] for p in spikes], "y": [p["net"] for p in spikes],
                         "marker": {"symbol": "star", "size": 13, "color": "#333"}, "showlegend": False,
                         "customdata": [link(series["key"], p["period"]) for p in spikes],
                         "text": [f"spike: {p['events']} {trend['unit']}" for p in spikes],
                         "hovertemplate": "%{x}: %{text}<extra>%{fullData.name}</extra>"})
    # a category axis places period i at i: the shade covers its slot
    shapes = [{"type": "rect", "xref": "x", "yref": "paper", "x0": periods.index(selected) - 0.5,
               "x1": periods.index(selected) + 0.5, "y0": 0, "y1": 1, "fillcolor": "#e0a030", "opacity": 0.18,
               "line": {"width": 0}, "layer": "below"}] if selected in periods else []
    return {"data": data, "layout": _layout(xaxis={"type": "category", "title": {"text": trend["bin"]}},
                                            yaxis={"title": {"text": "net cooperation index"}, "zeroline": True},
                                            showlegend=several, hovermode="closest", bargap=0.15, shapes=shapes)}


def trend_quads(trend: Mapping[str, Any], series: Mapping[str, Any], link: Callable[[str, str], str]) -> dict[str, Any]:
    """One series' events per quad class and period: cooperation above zero, conflict below."""
    periods = trend["periods"]
    data = []
    for quad in QUAD_ORDER:
        sign = -1 if side(quad) == "conflict" else 1
        counts = [p["quads"].get(quad, 0) for p in series["points"]]
        if any(counts):
            data.append({"type": "bar", "name": quad, "x": periods, "y": [sign * n for n in counts],
                         "marker": {"color": QUAD_COLOURS[quad]},
                         "customdata": [link(series["key"], p) for p in periods], "text": counts,
                         "textposition": "none", "hovertemplate": "%{x}: %{text}<extra>%{fullData.name}</extra>"})
    return {"data": data, "layout": _layout(height=240, barmode="relative", hovermode="closest",
                                            xaxis={"type": "category"},
                                            yaxis={"title": {"text": f"{trend['unit']} (conflict below 0)"}})}


SIDE_COLOURS = {"cooperation": QUAD_COLOURS["verbal cooperation"], "conflict": QUAD_COLOURS["material conflict"]}
HOVER_EVENTS = 6  # events named in a marker's hover label; a click lists them all with their evidence


def event_map(places: list[dict[str, Any]], link: Callable[[str], str]) -> dict[str, Any]:
    """Places on a world map (plotly's geo with the world outline bilat serves itself): per place a green
    marker for its cooperation events and a red one for its conflict events, the area following the count;
    hovering lists the events, a click opens the place's events with their evidence (``link(place_id)``)."""
    data = []
    for part, colour in SIDE_COLOURS.items():
        mine = [p for p in places if p[part]]
        if not mine:
            continue
        data.append({"type": "scattergeo", "mode": "markers", "name": f"{part} events",
                     "lat": [p["lat"] for p in mine], "lon": [p["lon"] for p in mine],
                     "marker": {"size": [min(9 + 5 * math.sqrt(p[part]), 50) for p in mine], "color": colour,
                                "opacity": 0.72, "line": {"color": "#ffffff", "width": 1}},
                     "customdata": [link(p["id"]) for p in mine],
                     "text": [_place_label(p, part) for p in mine],
                     "hovertemplate": "%{text}<extra></extra>"})
    geo = {"projection": {"type": "natural earth"}, "resolution": 110, "showframe": False,
           "showland": True, "landcolor": "#eeeeee", "showocean": True, "oceancolor": "#f3f7fa",
           "showcountries": True, "countrycolor": "#b8b8b8", "showcoastlines": True, "coastlinecolor": "#999999",
           "showlakes": False, **_map_window(places)}
    return {"data": data, "layout": {**_layout(height=540, hovermode="closest", showlegend=True),
                                     "legend": {"orientation": "h", "x": 0, "y": 1.06},
                                     "margin": {"l": 0, "r": 0, "t": 30, "b": 0}, "geo": geo}}


MAP_MARGIN = 8.0  # degrees around the places, so the markers at the edge and their region show
MAP_MIN_SPAN = 30.0  # degrees: one place alone is shown with its neighbours


def _map_window(places: list[dict[str, Any]]) -> dict[str, Any]:
    """The part of the world the map shows: the places with a margin (the whole world when there are none)."""
    if not places:
        return {}
    window = {}
    for axis, key, limit in (("lataxis", "lat", 90.0), ("lonaxis", "lon", 180.0)):
        lo, hi = min(p[key] for p in places) - MAP_MARGIN, max(p[key] for p in places) + MAP_MARGIN
        if hi - lo < MAP_MIN_SPAN:
            mid = (lo + hi) / 2
            lo, hi = mid - MAP_MIN_SPAN / 2, mid + MAP_MIN_SPAN / 2
        window[axis] = {"range": [max(lo, -limit), min(hi, limit)]}
    return window


def _place_label(place: Mapping[str, Any], side: str) -> str:
    """A marker's hover label: the place, its counts and its first events of this side (escaped)."""
    items = [e for e in place["items"] if e.get("side") == side][:HOVER_EVENTS]
    lines = [f"<b>{plain(place['name'])}</b>: {place[side]} {side} of {place['events']} events"]
    lines += [plain(f"{e['date'] or '?'} {e['type']} {e.get('source_actor') or e.get('source') or '?'} → "
                    f"{e.get('target_actor') or e.get('target') or '?'}") for e in items]
    if place[side] > len(items):
        lines.append("…")
    lines.append("click for the evidence")
    return "<br>".join(lines)


def shared_scale(fig: dict[str, Any], scale: float) -> dict[str, Any]:
    """The same figure with its y axis from -scale to +scale (with a margin), so charts drawn apart compare."""
    top = max(scale, 1.0) * 1.1
    layout = {**fig["layout"], "yaxis": {**fig["layout"].get("yaxis", {}), "range": [-top, top]}}
    return {**fig, "layout": layout}
