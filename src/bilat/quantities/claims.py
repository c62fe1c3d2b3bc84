"""The claims table: per metric, dyad and period, every source's value, with disagreements flagged."""
from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from .kinds import FIGURE_KINDS, REPORTED
from .metrics import MetricVocabulary
from .periods import period_length

logger = logging.getLogger(__name__)


def dyad(countries: Iterable[str] | None) -> str:
    """The pair a figure is about, as sorted 'AAA-BBB' (the first two countries); one or none also kept."""
    codes: list[str] = []
    for c in countries or []:
        if c and c not in codes:
            codes.append(c)
    return "-".join(sorted(codes[:2]))


def build_claims(rows: Iterable[dict[str, Any]], tolerances: Mapping[str, float] | None = None,
                 default_tolerance: float | None = None) -> list[dict[str, Any]]:
    """Group figure rows by (metric, dyad, period) and flag groups whose sources disagree.

    Each row has doc_id, outlet, metric, countries, period, value, unit, value_usd and optionally
    bound. Values are compared in US dollars where every row has them, else within one unit.
    Sources disagree when the relative spread of exact values exceeds the metric's tolerance
    (metrics.yaml), or an exact value lies outside a stated bound ("more than", "up to") by more
    than it. Rows without a metric, or marked ``is_claim: False``, are left out.

    A row's ``kind`` (reported, target, forecast: :mod:`bilat.quantities.kinds`; reported when absent) is part
    of the group, so a target is compared with targets only; each claim names its ``kind`` and the
    ``period_length`` of its period (year, quarter, "8 months").
    """
    if tolerances is None or default_tolerance is None:
        vocab = MetricVocabulary.load()
        tolerances = tolerances if tolerances is not None else {m.id: m.tolerance for m in vocab.metrics}
        default_tolerance = default_tolerance if default_tolerance is not None else vocab.default_tolerance
    groups: dict[tuple[str, str, str | None, str], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        if not row.get("metric") or row.get("is_claim") is False:
            continue
        groups[(row["metric"], dyad(row.get("countries")), row.get("period"), row.get("kind") or REPORTED)].append(row)
    out = []
    for (metric, pair, period, kind), members in sorted(
            groups.items(), key=lambda kv: (kv[0][0], kv[0][1], str(kv[0][2]), FIGURE_KINDS.index(kv[0][3]))):
        tol = tolerances.get(metric, default_tolerance)
        values = [{"doc_id": r.get("doc_id"), "outlet": r.get("outlet"), "value": r.get("value"),
                   "unit": r.get("unit"), "value_usd": r.get("value_usd"), "bound": r.get("bound", "exact")}
                  for r in members]
        spread, disagree = _compare(values, tol)
        out.append({"metric": metric, "dyad": pair, "period": period, "period_length": period_length(period),
                    "kind": kind, "n_sources": len({v["doc_id"] for v in values}),
                    "values": values, "spread": spread, "tolerance": tol, "disagreement": disagree})
    return out


def _compare(values: list[dict[str, Any]], tol: float) -> tuple[float | None, bool]:
    """The relative spread of exact values and whether the sources disagree beyond ``tol``."""
    if all(v["value_usd"] is not None for v in values):
        points = [(float(v["value_usd"]), v["bound"]) for v in values]
    else:
        units = {v["unit"] for v in values}
        if len(units) > 1:
            # figures in different units without a common currency cannot be compared
            by_unit: dict[str, list[dict[str, Any]]] = defaultdict(list)
            for v in values:
                by_unit[v["unit"]].append(v)
            results = [_compare(vs, tol) for vs in by_unit.values() if len(vs) > 1]
            spreads = [s for s, _ in results if s is not None]
            return (max(spreads) if spreads else None), any(d for _, d in results)
        points = [(float(v["value"]), v["bound"]) for v in values if v["value"] is not None]
    exact = [x for x, b in points if b in ("exact", "approx")]
    spread = None
    disagree = False
    if len(exact) > 1:
        top = max(abs(x) for x in exact)
        spread = (max(exact) - min(exact)) / top if top else 0.0
        disagree = spread > tol
    for bound_value, bound in points:
        if bound == "min" and any(x < bound_value * (1 - tol) for x in exact):
            disagree = True
        if bound == "max" and any(x > bound_value * (1 + tol) for x in exact):
            disagree = True
    return spread, disagree
