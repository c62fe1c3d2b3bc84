"""Relationships side by side: several dyads, or one country against each of its partners, on the net
cooperation index over the same periods (``queries.trend``), with a summary per series to compare.

The REST API (``/api/compare``), the dashboard (``/compare``) and ``Corpus.compare`` all call :func:`compare`.
"""
from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Mapping
from typing import Any

from ..events.quads import side
from .queries import EventIndex, Filters, TrendSpec, trend, trend_units

logger = logging.getLogger(__name__)

TOP_TYPES = 3  # event types named per series


def compare(ix: EventIndex, f: Filters, spec: TrendSpec, quads: Mapping[str, str]) -> dict[str, Any]:
    """The trend of ``spec`` (every series over the same periods, zero-filled) with, per series, a summary:
    its events and reports, the sum of its index over all periods (``net``), its cooperation and conflict
    events and the conflict share, its most cooperative and most conflictual period, its busiest period
    and its most frequent event types. ``scale`` is the largest index of any period of any series, so
    charts of each series drawn apart can share one axis."""
    shown = trend(ix, f, spec, quads)
    summaries = []
    for series in shown["series"]:
        points = series["points"]
        cooperation = sum(n for p in points for q, n in p["quads"].items() if side(q) == "cooperation")
        conflict = sum(n for p in points for q, n in p["quads"].items() if side(q) == "conflict")
        busy = [p for p in points if p["events"]]
        units = trend_units(ix, f, series["key"], spec.planned, spec.unit)
        placed = {p["period"] for p in busy}
        types = Counter(u["type"] for u in units if u["date"] and _in(u["date"], placed))
        summaries.append({
            "key": series["key"], "kind": series["kind"], "events": series["events"],
            "reports": sum(p["reports"] for p in points), "net": round(sum(p["net"] for p in points), 1),
            "cooperation": cooperation, "conflict": conflict,
            "conflict_share": round(conflict / (cooperation + conflict), 2) if cooperation + conflict else None,
            "periods_with_events": len(busy),
            "highest": _period_of(max(busy, key=lambda p: (p["net"], p["period"]))) if busy else None,
            "lowest": _period_of(min(busy, key=lambda p: (p["net"], p["period"]))) if busy else None,
            "busiest": _period_of(max(busy, key=lambda p: (p["events"], p["period"]))) if busy else None,
            "top_types": [{"type": t, "events": n} for t, n in sorted(types.items(), key=lambda x: (-x[1], x[0]))
                          [:TOP_TYPES]],
            "spikes": series["spikes"], "coarse": series["coarse"]})
    scale = max((abs(p["net"]) for s in shown["series"] for p in s["points"]), default=0.0)
    return {**shown, "summaries": summaries, "scale": scale}


def _period_of(point: dict[str, Any]) -> dict[str, Any]:
    return {"period": point["period"], "net": point["net"], "events": point["events"]}


def _in(date: str, periods: set[str]) -> bool:
    """Whether a date falls in one of the periods shown (any bin: "2019", "2019-Q2", "2019-04")."""
    if date[:4] in periods or date[:7] in periods:
        return True
    return len(date) >= 7 and f"{date[:4]}-Q{(int(date[5:7]) - 1) // 3 + 1}" in periods
