"""The figures-and-claims stage: figures in a document, normalised and linked to metrics and countries."""
from __future__ import annotations

import logging
import re
from collections import Counter
from pathlib import Path

from ..model import Document, Quantity, Sentence
from .countries import CountryFinder
from .figures import FigureFinder, RawFigure
from .fx import ExchangeRates
from .metrics import Metric, MetricVocabulary
from .periods import Anchor, PeriodMention, find_periods
from .sentences import split_clauses, split_sentences
from .vocab import UnitVocabulary

logger = logging.getLogger(__name__)

VERSION = "bilat.quantities.v1"
# A clause in the present or future tense speaks of the time of publication.
_PRESENT = re.compile(r"\b(?:is|are|am|has|have|remains?|consists?|includes?|will|shall|now|currently|"
                      r"today|still|at present|as of)\b", re.I)
# Wording that makes a figure about the pair of states the article is about.
_PAIR = re.compile(r"\b(?:bilateral|two countries|both countries|two states|both sides|two sides|"
                   r"mutual|between the two|the parties)\b", re.I)


_INTERNAL = {"number_end", "factor"}  # bookkeeping of the figure finder, not facts
_CONVERSION = re.compile(r"\s*[(\[,]\s*(?:or\s+|about\s+|around\s+|approximately\s+|roughly\s+|some\s+|nearly\s+|"
                         r"almost\s+|over\s+|more\s+than\s+|equivalent\s+to\s+|~\s*)?")


class QuantityExtractor:
    """Loads units.yaml, metrics.yaml, countries.yaml and fx_rates.csv once; extracts from any number of docs."""

    def __init__(self, data_dir: Path | None = None):
        def path(name: str) -> Path | None:
            return data_dir / name if data_dir else None

        self.units = UnitVocabulary.load(path("units.yaml"))
        self.metrics = MetricVocabulary.load(path("metrics.yaml"))
        self.rates = ExchangeRates.load(path("fx_rates.csv"))
        self.countries = CountryFinder.load(path("countries.yaml"))
        self.finder = FigureFinder(self.units)

    def extract(self, doc: Document, country_mentions: list[tuple[int, int, str]] | None = None) -> list[Quantity]:
        """Every figure in ``doc`` with its value, unit, bound, metric, countries, period and evidence.

        ``Quantity.sentence`` indexes ``doc.sentences``; where those are empty it indexes the
        stage's own regex split (``split_sentences(doc.text)``), which is not written back.
        """
        text = doc.text
        sentences = doc.sentences or split_sentences(text)
        if country_mentions is None:
            country_mentions = self.countries.find(text)
        anchor = Anchor.from_published(doc.published)
        top = [c for c, _ in Counter(c for _, _, c in country_mentions).most_common(2)]
        out: list[Quantity] = []
        for index, sent in enumerate(sentences):
            out.extend(self._sentence(text, index, sent, anchor, country_mentions, top))
        logger.debug("%s: %d figures in %d sentences", doc.doc_id, len(out), len(sentences))
        return out

    def _sentence(self, text: str, index: int, sent: Sentence, anchor: Anchor,
                  mentions: list[tuple[int, int, str]], top: list[str]) -> list[Quantity]:
        s = text[sent.start:sent.end]
        if not any(ch.isdigit() for ch in s) and not self.finder.words.search(s):
            return []
        figures = self.finder.find(s)
        if not figures:
            return []
        periods = find_periods(s, anchor)
        # "the first 11 months of 2022" is a period, not a duration figure
        figures = [f for f in figures if f.kind not in ("duration", "count") or not any(
            p.start <= f.start < p.end or f.start <= p.start < f.end for p in periods if p.kind != "now")]
        clauses = split_clauses(s)
        countries = [(a - sent.start, b - sent.start, c) for a, b, c in mentions
                     if sent.start <= a and b <= sent.end]
        spans = [(f.start, f.end) for f in figures]
        conversions = self._conversions(s, figures)
        # Searched once per sentence, not once per figure: a sentence of hundreds of figures
        # (a table flattened into one line) would otherwise cost figures x sentence length.
        cues = self.metrics.cues_in(s, spans)
        present: dict[tuple[int, int], bool] = {}
        out = []
        for i, fig in enumerate(figures):
            clause = next((c for c in clauses if c[0] <= fig.start < c[1]), (0, len(s)))
            kind = fig.kind or "count"
            metric = self.metrics.link(s, (fig.start, fig.end), clause, kind, (), bool(fig.extra.get("change")),
                                       cues=cues)
            if clause not in present:
                present[clause] = bool(_PRESENT.search(s, clause[0], clause[1]))
            period, method = self._period(s, fig, clause, periods, anchor, present[clause])
            codes = self._countries(s, fig, clause, countries, top, metric)
            value_usd = None
            if kind == "money":
                year = int(period[:4]) if period and period[:4].isdigit() else anchor.year
                value_usd = self.rates.to_usd(fig.value, fig.unit or "", year)
            extra = {k: v for k, v in fig.extra.items() if k not in _INTERNAL}
            extra.update({"period_method": method, "rule": VERSION, "kind": kind})
            is_claim = metric.claim if metric else bool(codes)
            if metric is not None and not metric.claim:
                extra["not_claim_reason"] = metric.id
            elif not is_claim:
                extra["not_claim_reason"] = "no metric and no country"
            if i - 1 in conversions:
                is_claim = False  # the source's own conversion of the figure before it
                extra["not_claim_reason"] = "conversion"
            if i in conversions:
                other = figures[i + 1]
                extra["converted"] = {"value": other.value, "unit": other.unit}
                if other.unit == "USD":
                    value_usd = other.value
            out.append(Quantity(
                text=s[fig.start:fig.end], span=(sent.start + fig.start, sent.start + fig.end),
                sentence=index, value=fig.value, unit=fig.unit or "count", evidence=s,
                value_usd=value_usd, bound=fig.bound, metric=metric.id if metric else None,
                countries=codes, period=period, is_claim=is_claim, extra=extra))
        return out

    @staticmethod
    def _conversions(s: str, figures: list[RawFigure]) -> set[int]:
        """Indices of money figures restated next in another currency: "5 billion roubles ($68 million)"."""
        return {i for i, (a, b) in enumerate(zip(figures, figures[1:], strict=False))
                if a.kind == "money" and b.kind == "money" and a.unit != b.unit
                and _CONVERSION.fullmatch(s[a.end:b.start])}

    def _period(self, s: str, fig: RawFigure, clause: tuple[int, int], periods: list[PeriodMention],
                anchor: Anchor, present: bool | None = None) -> tuple[str | None, str]:
        """The nearest period in the figure's clause; else the time of publication or the sentence's period."""
        if fig.kind in self.units.timeless_kinds:
            return None, "timeless"

        def dist(p: PeriodMention) -> int:
            # on a tie the period after the figure wins: "from 30% in 2015 to 20% in 2020"
            return fig.start - p.end + 2 if p.end <= fig.start else p.start - fig.end

        periods = [p for p in periods if not (p.baseline and p.start >= fig.end)]
        in_clause = [p for p in periods if clause[0] <= p.start < clause[1]]
        if in_clause:
            best = min(in_clause, key=dist)
            return best.period, best.kind
        if present is None:
            present = bool(_PRESENT.search(s, clause[0], clause[1]))
        if present or not periods:
            return (str(anchor.year) if anchor.year else None), "published"
        best = min(periods, key=dist)
        return best.period, best.kind

    @staticmethod
    def _countries(s: str, fig: RawFigure, clause: tuple[int, int], mentions: list[tuple[int, int, str]],
                   top: list[str], metric: Metric | None) -> list[str]:
        """Countries of the figure's clause, then of its sentence, nearest first."""
        def dist(m: tuple[int, int, str]) -> int:
            inside = clause[0] <= m[0] < clause[1]
            d = fig.start - m[1] if m[1] <= fig.start else m[0] - fig.end
            return d if inside else d + 10_000

        codes: list[str] = []
        for m in sorted(mentions, key=dist):
            if m[2] not in codes:
                codes.append(m[2])
        if metric is not None and metric.claim and len(codes) < 2 and len(top) == 2 \
                and (metric.bilateral or _PAIR.search(s) or not codes):
            for c in top:
                if c not in codes:
                    codes.append(c)
        return codes
