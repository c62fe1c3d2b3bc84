"""Figures in Russian sentences: "1,2 млрд долларов", "более 300 тыс. человек", "на 15%".

Russian prints decimals with a comma and groups thousands with spaces, abbreviates scales (тыс., млн,
млрд) and declines units; the words are in ``data/russian.yaml``. Figures get the same fields as English
ones (value with scale applied, unit, bound, US dollars, metric, countries, evidence); the metric comes
from Russian cue words mapped to the English metric ids.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..model import Document, Quantity
from .fx import ExchangeRates
from .vocab import alternation

DATA = Path(__file__).parent / "data" / "russian.yaml"
VERSION = "bilat.quantities.ru.v1"


@dataclass(frozen=True)
class RussianVocabulary:
    scales: dict[str, float]
    units: dict[str, tuple[str, str]]  # word stem -> (unit, kind)
    bounds: dict[str, str]
    metrics: list[tuple[str, re.Pattern]]

    @classmethod
    def load(cls, path: Path = DATA) -> RussianVocabulary:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        scales = {w: float(s["factor"]) for s in data["scales"] for w in s["words"]}
        units = {w: (u["unit"], u["kind"]) for u in data["units"] for w in u["words"]}
        bounds = {w: b["bound"] for b in data["bounds"] for w in b["words"]}
        metrics = [(m["id"], re.compile(r"\b(?:" + "|".join(m["cues"]) + r")", re.I)) for m in data["metrics"]]
        return cls(scales, units, bounds, metrics)


class RussianFigures:
    def __init__(self, vocab: RussianVocabulary | None = None, rates: ExchangeRates | None = None):
        self.vocab = vocab or RussianVocabulary.load()
        self.rates = rates or ExchangeRates.load(None)
        v = self.vocab
        # one pass, no nested quantifiers: bound? number scale? unit
        self.pattern = re.compile(
            rf"(?:(?P<bound>{alternation(list(v.bounds))})\s+)?"
            r"(?P<prefix>\$\s?)?"
            r"(?P<num>\d{1,3}(?:[ \u00a0]\d{3})+(?:,\d+)?|\d+(?:,\d+)?)"
            rf"(?:\s?(?P<scale>{alternation(list(v.scales))})(?![а-яё]))?"
            rf"(?:\s?(?P<unit>{alternation(list(v.units))})[а-яё]*\.?)?",
            re.IGNORECASE)

    def extract(self, doc: Document, countries: list[tuple[int, int, str]]) -> list[Quantity]:
        out: list[Quantity] = []
        year = int(doc.published.value[:4]) if doc.published and doc.published.value[:4].isdigit() else None
        for index, sent in enumerate(doc.sentences):
            s = doc.text[sent.start:sent.end]
            if not any(ch.isdigit() for ch in s):
                continue
            metric = next((mid for mid, cue in self.vocab.metrics if cue.search(s)), None)
            for m in self.pattern.finditer(s):
                q = self._figure(m, s, sent.start, index, countries, year, metric)
                if q is not None:
                    out.append(q)
        return out

    def _figure(self, m: re.Match, s: str, offset: int, index: int, countries: list[tuple[int, int, str]],
                year: int | None, metric: str | None) -> Quantity | None:
        unit_word = (m.group("unit") or "").lower()
        unit, kind = self.vocab.units.get(unit_word, (None, None))
        if m.group("prefix"):
            unit, kind = "USD", "money"
        if unit is None:
            return None  # a bare number: a date, a count of nothing named, a list index
        number = m.group("num").replace(" ", "").replace("\u00a0", "").replace(",", ".")
        try:
            value = float(number)
        except ValueError:
            return None
        scale = (m.group("scale") or "").lower().rstrip(".")
        value *= next((f for w, f in self.vocab.scales.items() if w.rstrip(".") == scale), 1.0)
        start, end = m.start("num") if not m.group("prefix") else m.start("prefix"), m.end()
        text = s[start:end].rstrip(". ")
        bound = self.vocab.bounds.get((m.group("bound") or "").lower(), "exact")
        codes = []
        for a, b, c in countries:
            if offset <= a and b <= offset + len(s) and c not in codes:
                codes.append(c)
        value_usd = self.rates.to_usd(value, unit, year) if kind == "money" and year else None
        return Quantity(text=text, span=(offset + start, offset + start + len(text)), sentence=index, value=value,
                        unit=unit, evidence=s, value_usd=value_usd, bound=bound, metric=metric, countries=codes,
                        period=str(year) if year else None, is_claim=bool(metric) or len(codes) >= 1,
                        extra={"rule": VERSION, "kind": kind, "lang": "ru"})
