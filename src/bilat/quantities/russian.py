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
# a time frame, not a length: "за 11 месяцев", "за последние 20 лет"
_FRAME = re.compile(r"(?:^|[^а-яё])(?:за|через|последние|последних|прошедшие|первые|каждые)\s+$", re.IGNORECASE)
_AGO = re.compile(r"\s+(?:назад|спустя|тому назад)(?![а-яё])", re.IGNORECASE)
VERSION = "bilat.quantities.ru.v1"


@dataclass(frozen=True)
class RussianVocabulary:
    scales: dict[str, float]
    units: dict[str, tuple[str, str]]  # word stem -> (unit, kind)
    bounds: dict[str, str]
    metrics: list[tuple[str, re.Pattern]]
    number_words: dict[str, int]  # "семи" -> 7
    party_stems: tuple[str, ...]

    @classmethod
    def load(cls, path: Path = DATA) -> RussianVocabulary:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        scales = {w: float(s["factor"]) for s in data["scales"] for w in s["words"]}
        units = {w.lower(): (u["unit"], u["kind"]) for u in data["units"] for w in u["words"]}
        bounds = {w: b["bound"] for b in data["bounds"] for w in b["words"]}
        metrics = [(m["id"], re.compile(r"\b(?:" + "|".join(m["cues"]) + r")", re.I)) for m in data["metrics"]]
        numbers = {w: int(n) for n, words in (data.get("number_words") or {}).items() for w in words}
        return cls(scales, units, bounds, metrics, numbers, tuple(data.get("party_stems") or ()))


class RussianFigures:
    def __init__(self, vocab: RussianVocabulary | None = None, rates: ExchangeRates | None = None):
        self.vocab = vocab or RussianVocabulary.load()
        self.rates = rates or ExchangeRates.load(None)
        v = self.vocab
        # one pass, no nested quantifiers: bound? number scale? unit
        words = alternation(list(v.number_words)) if v.number_words else "(?!)"
        self.pattern = re.compile(
            rf"(?:(?P<bound>{alternation(list(v.bounds))})\s+)?"
            r"(?P<prefix>\$\s?)?"
            rf"(?P<num>\d{{1,3}}(?:[ \u00a0]\d{{3}})+(?:,\d+)?|\d+(?:,\d+)?|(?<![а-яё])(?:{words})(?![а-яё]))"
            rf"(?:\s?(?P<scale>{alternation(list(v.scales))})(?![а-яё]))?"
            rf"(?:\s?(?P<unit>{alternation(list(v.units))})[а-яё]*\.?)?",
            re.IGNORECASE)
        # up to two adjectives before the unit: "1000 афганских военнослужащих"
        self.after_adjectives = re.compile(
            r"(?:\s+[а-яё]+(?:ых|их|ой|ые|ие|ого|его|ым|им|ую|ая|ое|ее)(?![а-яё])){1,2}?"
            rf"\s+(?P<unit>{alternation(list(v.units))})[а-яё]*", re.IGNORECASE)
        self.spelled = re.compile(rf"(?<![а-яё])(?:{words})(?![а-яё])", re.IGNORECASE)

    def extract(self, doc: Document, countries: list[tuple[int, int, str]]) -> list[Quantity]:
        out: list[Quantity] = []
        year = int(doc.published.value[:4]) if doc.published and doc.published.value[:4].isdigit() else None
        for index, sent in enumerate(doc.sentences):
            s = doc.text[sent.start:sent.end]
            if not any(ch.isdigit() for ch in s) and not self.spelled.search(s):
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
        end = m.end()
        if not unit_word and not m.group("prefix"):
            later = self.after_adjectives.match(s, end)
            if later and self.vocab.units.get(later.group("unit").lower(), (None, None))[1] in ("people", "count"):
                unit_word, end = later.group("unit").lower(), later.end()
        unit, kind = self.vocab.units.get(unit_word, (None, None))
        if m.group("prefix"):
            unit, kind = "USD", "money"
        if unit is None:
            return None  # a bare number: a date, a count of nothing named, a list index
        raw = m.group("num").lower()
        spelled = self.vocab.number_words.get(raw)
        if spelled is not None and (kind in ("money", "duration") or unit_word.startswith(self.vocab.party_stems)):
            return None  # "двух стран": the parties; "два дня": a visit's length told in passing
        number = raw.replace(" ", "").replace("\u00a0", "").replace(",", ".")
        try:
            value = float(spelled if spelled is not None else number)
        except ValueError:
            return None
        if kind == "duration" and (unit_word.startswith("год") and 1800 <= value <= 2100 or _FRAME.search(
                s, max(0, m.start() - 14), m.start()) or _AGO.match(s, end)):
            return None  # "до 2042 года" is a date; "за 11 месяцев", "через 3 дня", "5 лет назад" time frames
        scale = (m.group("scale") or "").lower().rstrip(".")
        value *= next((f for w, f in self.vocab.scales.items() if w.rstrip(".") == scale), 1.0)
        start = m.start("num") if not m.group("prefix") else m.start("prefix")
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
