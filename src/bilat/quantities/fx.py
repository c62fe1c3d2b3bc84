"""Yearly exchange rates (fx_rates.csv) for converting figures to US dollars."""
from __future__ import annotations

import csv
import logging
from dataclasses import dataclass
from pathlib import Path

from .vocab import data_path

logger = logging.getLogger(__name__)


@dataclass
class ExchangeRates:
    rates: dict[str, dict[int, float]]  # currency -> year -> units per USD

    @classmethod
    def load(cls, path: Path | None = None) -> ExchangeRates:
        rates: dict[str, dict[int, float]] = {}
        with (path or data_path("fx_rates.csv")).open(encoding="utf-8") as f:
            rows = csv.DictReader(line for line in f if not line.startswith("#"))
            for row in rows:
                year = int(row.pop("year"))
                for code, value in row.items():
                    if value:
                        rates.setdefault(code, {})[year] = float(value)
        return cls(rates)

    def to_usd(self, value: float, currency: str, year: int | None) -> float | None:
        """The value in US dollars at that year's average rate; None without a year or a rate."""
        if currency == "USD":
            return value
        if year is None:
            return None
        rate = self.rates.get(currency, {}).get(year)
        return value / rate if rate else None
