"""What a figure is: reported (a value as it stands), a target or a forecast, read from the words before it
in its evidence sentence (cues as data: ``data/figure_kinds.yaml``). Charts draw the three differently and
the claims table compares a target with targets only, so "a goal of $2 billion" never disagrees with "trade
of $1.2 billion"."""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache

from .vocab import data_path, load_yaml

logger = logging.getLogger(__name__)

REPORTED, TARGET, FORECAST = "reported", "target", "forecast"
FIGURE_KINDS = (REPORTED, TARGET, FORECAST)


@dataclass(frozen=True)
class FigureKinds:
    """The cues of each kind, compiled; :meth:`kind` reads one figure."""

    version: str
    window_words: int
    clause_break: re.Pattern[str]
    cues: tuple[tuple[str, re.Pattern[str]], ...]  # (kind, pattern of its cues)

    @classmethod
    @lru_cache(maxsize=1)
    def load(cls) -> FigureKinds:
        data = load_yaml(data_path("figure_kinds.yaml"))
        breaks = "|".join(re.escape(b) for b in data["clause_breaks"])
        cues = []
        for kind, entry in data["kinds"].items():
            if kind not in FIGURE_KINDS:
                raise ValueError(f"figure_kinds.yaml: unknown kind {kind!r}")
            forms = sorted({str(c).lower() for c in entry["cues"]}, key=len, reverse=True)
            alternation = "|".join(re.escape(c[:-1]) + r"\w*" if c.endswith("*") else re.escape(c) for c in forms)
            cues.append((kind, re.compile(rf"(?<!\w)(?:{alternation})(?!\w)", re.IGNORECASE)))
        return cls(data["version"], int(data["window_words"]), re.compile(breaks, re.IGNORECASE), tuple(cues))

    def kind(self, evidence: str | None, figure: str | None) -> str:
        """``target``, ``forecast`` or ``reported`` for the figure whose text is ``figure`` in the sentence
        ``evidence``: the cue nearest before it, in its clause and its last ``window_words`` words, decides."""
        text = evidence or ""
        at = text.find(figure) if figure else -1
        before = text[:at] if at >= 0 else text
        clause = self.clause_break.split(before)[-1]
        window = " ".join(clause.split()[-self.window_words:])
        best: tuple[int, str] | None = None
        for kind, pattern in self.cues:
            for m in pattern.finditer(window):
                if best is None or m.end() > best[0]:
                    best = (m.end(), kind)
        return best[1] if best else REPORTED


def figure_kind(evidence: str | None, figure: str | None) -> str:
    """:meth:`FigureKinds.kind` with the packaged cues."""
    return FigureKinds.load().kind(evidence, figure)
