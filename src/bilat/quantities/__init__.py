"""Figures and claims: money, percentages, counts, distances and durations in news text.

Each figure is normalised (value with scale applied, unit, US dollars, bound, period), linked to
a metric from ``data/metrics.yaml``, to the countries it concerns and to its evidence sentence;
:func:`build_claims` sets the values of different sources side by side.
"""
from .claims import build_claims
from .extractor import QuantityExtractor

__all__ = ["QuantityExtractor", "build_claims"]
