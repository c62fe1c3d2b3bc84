"""The metric vocabulary (metrics.yaml): what a figure measures, told by cue words near it."""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

from .vocab import data_path, load_yaml

logger = logging.getLogger(__name__)

# Cues after the figure are a little weaker: English usually names the measure first.
AFTER_PENALTY = 1.3
# A cue outside the figure's clause counts as this much farther away.
OTHER_CLAUSE_PENALTY = 80
# Cues of figures that are no claims (a subscription, a missile's range, an age) are decisive where
# present: "the subscription costs $9.99" is a price to readers, not spending.
NOT_CLAIM_BONUS = 25


def _across_paragraph(sentence: str, cue: tuple[int, int], fig: tuple[int, int]) -> bool:
    """A cue past a line break belongs to another paragraph (sentence splitters may run across one)."""
    lo, hi = (cue[1], fig[0]) if cue[1] <= fig[0] else (fig[1], cue[0])
    return "\n" in sentence[lo:hi]


@dataclass
class Metric:
    id: str
    label: str
    kinds: frozenset[str]
    groups: list[re.Pattern[str]]
    claim: bool = True
    tolerance: float = 0.05
    bilateral: bool = False
    change: bool | None = None  # True: only figures that state a change; False: only levels


@dataclass
class MetricVocabulary:
    metrics: list[Metric]
    default_tolerance: float = 0.05
    by_id: dict[str, Metric] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_id = {m.id: m for m in self.metrics}

    @classmethod
    def load(cls, path: Path | None = None) -> MetricVocabulary:
        data = load_yaml(path or data_path("metrics.yaml"))
        default = float(data.get("default_tolerance", 0.05))
        metrics = []
        for entry in data["metrics"]:
            groups = [re.compile(r"\b(?:" + "|".join(cues) + r")\b", re.I) for cues in entry["all_of"]]
            metrics.append(Metric(
                id=entry["id"], label=entry.get("label", entry["id"]), kinds=frozenset(entry["kinds"]),
                groups=groups, claim=bool(entry.get("claim", True)),
                tolerance=float(entry.get("tolerance", default)), bilateral=bool(entry.get("bilateral", False)),
                change=entry.get("change")))
        return cls(metrics, default)

    def tolerance(self, metric_id: str | None) -> float:
        metric = self.by_id.get(metric_id or "")
        return metric.tolerance if metric else self.default_tolerance

    def link(self, sentence: str, span: tuple[int, int], clause: tuple[int, int], kind: str,
             other_figures: list[tuple[int, int]] = (), change: bool = False) -> Metric | None:
        """The metric whose head cue lies nearest the figure at ``span`` (offsets in ``sentence``).

        Cues that sit closer to another figure of the sentence belong to that figure.
        """
        best: tuple[float, int] | None = None
        chosen = None
        for order, metric in enumerate(self.metrics):
            if kind not in metric.kinds or (metric.change is not None and metric.change != change):
                continue
            if not all(g.search(sentence) for g in metric.groups):
                continue
            dist = min((self._distance(m.span(), span, clause, other_figures)
                        for m in metric.groups[0].finditer(sentence)
                        if not _across_paragraph(sentence, m.span(), span)), default=None)
            if dist is None:
                continue
            if not metric.claim:
                dist -= NOT_CLAIM_BONUS
            if best is None or (dist, order) < best:
                best, chosen = (dist, order), metric
        return chosen

    @staticmethod
    def _distance(cue: tuple[int, int], fig: tuple[int, int], clause: tuple[int, int],
                  others: list[tuple[int, int]]) -> float:
        if fig[0] <= cue[0] < fig[1]:
            return 0.0
        if cue[1] <= fig[0]:
            dist = float(fig[0] - cue[1])
            between = [o for o in others if cue[1] <= o[0] and o[1] <= fig[0]]
        else:
            dist = (cue[0] - fig[1]) * AFTER_PENALTY
            between = [o for o in others if fig[1] <= o[0] and o[1] <= cue[0]]
        if between:  # another figure stands between: the cue is more likely about that one
            dist += 40 * len(between)
        if not (clause[0] <= cue[0] < clause[1]):
            dist += OTHER_CLAUSE_PENALTY
        return dist
