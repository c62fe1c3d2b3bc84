"""The metric vocabulary (metrics.yaml): what a figure measures, told by cue words near it."""
from __future__ import annotations

import logging
import re
from bisect import bisect_left, bisect_right
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


class FigureSpans:
    """The figure spans of a sentence, to count those lying between two offsets in log time."""

    def __init__(self, spans: list[tuple[int, int]] | tuple[tuple[int, int], ...]) -> None:
        self.spans = sorted(spans)
        self.starts = [a for a, _ in self.spans]
        self.ends = [b for _, b in self.spans]
        # Figures do not overlap, so ends rise with starts and the spans inside a range are contiguous.
        self.ordered = all(x <= y for x, y in zip(self.ends, self.ends[1:], strict=False))

    def count_within(self, lo: int, hi: int) -> int:
        """How many spans lie inside [lo, hi]."""
        if self.ordered:
            return max(0, bisect_right(self.ends, hi) - bisect_left(self.starts, lo))
        return sum(1 for a, b in self.spans if lo <= a and b <= hi)


@dataclass
class SentenceCues:
    """Per metric, where its head cues stand in one sentence (only metrics all of whose cue groups
    occur there): found once per sentence, not once per figure."""

    sentence: str
    heads: dict[int, list[tuple[int, int]]]
    starts: dict[int, list[int]]
    figures: FigureSpans | None = None


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

    def cues_in(self, sentence: str, figures: list[tuple[int, int]] | None = None) -> SentenceCues:
        """The head cues of every metric that can apply to ``sentence`` (and its figures' spans)."""
        heads: dict[int, list[tuple[int, int]]] = {}
        for order, metric in enumerate(self.metrics):
            if all(g.search(sentence) for g in metric.groups):
                heads[order] = [m.span() for m in metric.groups[0].finditer(sentence)]
        return SentenceCues(sentence, heads, {k: [a for a, _ in v] for k, v in heads.items()},
                            FigureSpans(figures) if figures is not None else None)

    def link(self, sentence: str, span: tuple[int, int], clause: tuple[int, int], kind: str,
             other_figures: list[tuple[int, int]] = (), change: bool = False,
             cues: SentenceCues | None = None) -> Metric | None:
        """The metric whose head cue lies nearest the figure at ``span`` (offsets in ``sentence``).

        Cues that sit closer to another figure of the sentence belong to that figure. ``cues``
        (from :meth:`cues_in` with every figure of the sentence) saves searching the sentence again
        for each of its figures.
        """
        if cues is None or cues.sentence != sentence:
            cues = self.cues_in(sentence)
        figures = cues.figures if cues.figures is not None else FigureSpans(other_figures)
        best: tuple[float, int] | None = None
        chosen = None
        for order, metric in enumerate(self.metrics):
            if kind not in metric.kinds or (metric.change is not None and metric.change != change):
                continue
            if order not in cues.heads:
                continue
            dist = min((self._distance(c, span, clause, figures)
                        for c in self._candidates(cues.heads[order], cues.starts[order], span)
                        if not _across_paragraph(sentence, c, span)), default=None)
            if dist is None:
                continue
            if not metric.claim:
                dist -= NOT_CLAIM_BONUS
            if best is None or (dist, order) < best:
                best, chosen = (dist, order), metric
        return chosen

    @staticmethod
    def _candidates(heads: list[tuple[int, int]], starts: list[int], fig: tuple[int, int]) -> list[tuple[int, int]]:
        """The cues that can be nearest: the last one ending before the figure, the first one starting
        after it, and any overlapping it. Cues (non-overlapping, in order) farther out on either side are
        farther away, have as many figures between and are no more inside the clause or paragraph."""
        after = bisect_left(starts, fig[1])  # heads[after:] start at or after the figure's end
        out = heads[after:after + 1]
        i = after - 1
        while i >= 0:
            out.append(heads[i])
            if heads[i][1] <= fig[0]:
                break  # the nearest cue wholly before the figure; the rest are farther
            i -= 1
        return out

    @staticmethod
    def _distance(cue: tuple[int, int], fig: tuple[int, int], clause: tuple[int, int],
                  others: FigureSpans) -> float:
        if fig[0] <= cue[0] < fig[1]:
            return 0.0
        if cue[1] <= fig[0]:
            dist = float(fig[0] - cue[1])
            between = others.count_within(cue[1], fig[0])
        else:
            dist = (cue[0] - fig[1]) * AFTER_PENALTY
            between = others.count_within(fig[1], cue[0])
        if between:  # another figure stands between: the cue is more likely about that one
            dist += 40 * between
        if not (clause[0] <= cue[0] < clause[1]):
            dist += OTHER_CLAUSE_PENALTY
        return dist
