"""Group mentions of the same real event across sentences and documents.

``cluster_events(rows)`` takes event rows (dicts as exported: ``doc_id``, ``type``, ``mode``,
``source``, ``target``, ``date``, ``location``, ``negated``, optional ``key`` and ``duplicate_of``)
and returns ``{row_key: event_id}``.

Two rows are mentions of one event when all of these hold:
- the same PLOVER type and the same *unordered* participants ({source, target}: "Rahmon greeted
  Putin" and "Putin visited Dushanbe" are one visit);
- compatible modes: equal after the mode groups of plover.yaml (host = visit, negotiate = meet), or
  one of them unknown;
- the same negation (a signing that did not happen is not the signing);
- compatible dates: the same day; or one date is a month or year that contains the other; or both
  are days at most ``max_days`` (2) apart. A row without a date joins only rows of its own document
  (across documents an undated mention cannot be told apart from a different occasion);
- compatible places: equal, or one unknown.
Planned and reported rows are not kept apart: "will visit on 8 October" and "visited on 8 October"
are the same visit, seen before and after.

Rows from a near-duplicate document (``duplicate_of`` set) are clustered as if they came from the
original document, so a reprint never adds a second, independent mention; ``support`` counts
distinct original documents per cluster.

Clustering is greedy and deterministic: rows are taken in order of (date precision, date, key);
each joins the first cluster whose first row it is compatible with, else starts one. The event id
is a hash of the cluster's earliest row key, so it is stable when later rows are added.
"""
from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from ..model import Event
from .ontology import Ontology

logger = logging.getLogger(__name__)


def row_key(row: dict[str, Any]) -> str:
    """A row's own key, else one built from where and what it is."""
    if row.get("key"):
        return str(row["key"])
    return "#".join(str(row.get(k, "")) for k in ("doc_id", "sentence", "type", "source", "target", "trigger"))


def event_row(event: Event, doc_id: str, duplicate_of: str | None = None) -> dict[str, Any]:
    """The fields clustering needs from an Event."""
    return {"doc_id": doc_id, "duplicate_of": duplicate_of, "sentence": event.sentence, "type": event.type,
            "mode": event.mode, "source": event.source, "target": event.target, "date": event.date,
            "date_method": event.date_method, "location": event.location, "negated": event.negated,
            "trigger": event.trigger}


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if len(value) == 10 else None
    except ValueError:
        return None


def dates_compatible(a: str | None, b: str | None, max_days: int = 2) -> bool | None:
    """True/False for two dates; None when either is unknown."""
    if not a or not b:
        return None
    if a.startswith(b) or b.startswith(a):
        return True
    da, db = _day(a), _day(b)
    return da is not None and db is not None and abs((da - db).days) <= max_days


class EventClusterer:
    def __init__(self, ontology: Ontology | None = None, rules_dir: str | Path | None = None, max_days: int = 2):
        self.ontology = ontology or Ontology(rules_dir)
        self.max_days = max_days

    def _date(self, row: dict[str, Any]) -> str | None:
        # the publication date stands in for an unknown date; it says nothing about the event's day
        return None if row.get("date_method") == "document-date" else row.get("date")

    def compatible(self, a: dict[str, Any], b: dict[str, Any]) -> bool:
        if a.get("type") != b.get("type") or bool(a.get("negated")) != bool(b.get("negated")):
            return False
        if {a.get("source"), a.get("target")} != {b.get("source"), b.get("target")}:
            return False
        ma, mb = a.get("mode"), b.get("mode")
        t = str(a.get("type"))
        if ma and mb and self.ontology.mode_group(t, ma) != self.ontology.mode_group(t, mb):
            return False
        la, lb = a.get("location"), b.get("location")
        if la and lb and la != lb:
            return False
        same = dates_compatible(self._date(a), self._date(b), self.max_days)
        if same is None:
            return _origin(a) == _origin(b)
        return same

    def cluster(self, rows: Iterable[dict[str, Any]]) -> dict[str, str]:
        ordered = sorted(rows, key=lambda r: (-len(self._date(r) or ""), self._date(r) or "9999", row_key(r)))
        clusters: list[list[dict[str, Any]]] = []
        by_pair: dict[tuple, list[int]] = {}
        for r in ordered:
            pair = (r.get("type"), frozenset((r.get("source"), r.get("target"))))
            for ci in by_pair.get(pair, []):
                if self.compatible(clusters[ci][0], r):
                    clusters[ci].append(r)
                    break
            else:
                by_pair.setdefault(pair, []).append(len(clusters))
                clusters.append([r])
        out: dict[str, str] = {}
        for members in clusters:
            first = min(members, key=lambda r: (self._date(r) or "9999", row_key(r)))
            eid = "ev-" + hashlib.sha1(row_key(first).encode("utf-8")).hexdigest()[:16]
            for r in members:
                out[row_key(r)] = eid
        logger.debug("%d rows in %d clusters", len(out), len(clusters))
        return out

    def support(self, rows: Iterable[dict[str, Any]], ids: dict[str, str]) -> dict[str, int]:
        """Distinct original documents per event id (near-duplicates count once)."""
        docs: dict[str, set[str]] = {}
        for r in rows:
            docs.setdefault(ids[row_key(r)], set()).add(_origin(r))
        return {k: len(v) for k, v in docs.items()}


def _origin(row: dict[str, Any]) -> str:
    return str(row.get("duplicate_of") or row.get("doc_id"))


def cluster_events(rows: list[dict[str, Any]], max_days: int = 2) -> dict[str, str]:
    """``{row_key: event_id}`` for event rows; see the module docstring for the criteria."""
    return EventClusterer(max_days=max_days).cluster(rows)
