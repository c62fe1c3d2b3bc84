"""Which figures a chart shows: one metric and one period length at a time, so a quarter is never drawn on
the axis of years (the dyad page and the claims page share this choice)."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

NO_PERIOD = "no period"  # figures whose sentence names no period (a lease term, a border length)


@dataclass(frozen=True)
class FigureChoice:
    """The metrics and period lengths there are, the ones chosen, and the figures they leave."""

    metrics: list[str]
    metric: str | None
    lengths: list[str]  # of the chosen metric, most figures first
    length: str | None
    rows: list[dict[str, Any]] = field(default_factory=list)  # the chosen metric's figures of the chosen length


def length_of(row: dict[str, Any]) -> str:
    return row.get("period_length") or NO_PERIOD


def choose_figures(rows: list[dict[str, Any]], metric: str | None, length: str | None) -> FigureChoice:
    """The asked ``metric`` and ``length`` where the rows have them, else the metric with most figures and
    its most common period length (a figure with a period before one without)."""
    per_metric = Counter(r["metric"] for r in rows if r.get("metric"))
    metrics = sorted(per_metric)
    if metric not in per_metric:
        metric = min(per_metric, key=lambda m: (-per_metric[m], m)) if per_metric else None
    mine = [r for r in rows if r.get("metric") == metric]
    per_length = Counter(length_of(r) for r in mine)
    lengths = sorted(per_length, key=lambda x: (x == NO_PERIOD, -per_length[x], x))
    if length not in per_length:
        length = lengths[0] if lengths else None
    return FigureChoice(metrics, metric, lengths, length, [r for r in mine if length_of(r) == length])
