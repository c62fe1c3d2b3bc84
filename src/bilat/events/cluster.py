"""Group mentions of the same real event across sentences and documents.

``cluster_events(rows)`` takes event rows (dicts as exported: ``doc_id``, ``type``, ``mode``,
``source``, ``target``, ``date``, ``date_precision``, ``location``, ``negated``, optional ``key`` and
``duplicate_of``) and returns ``{row_key: event_id}``.

Two rows are mentions of one event when all of these hold:
- the same PLOVER type and the same *unordered* participants ({source, target}: "Rahmon greeted
  Putin" and "Putin visited Dushanbe" are one visit);
- compatible modes: equal after the mode groups of plover.yaml (host = visit, negotiate = meet), or
  one of them unknown;
- the same negation (a signing that did not happen is not the signing);
- compatible dates. Each date is read as the span of days it can stand for: a day is itself, a week
  (``date_precision='week'``: "last week") three days either side, a dateline's filing day
  (``date_method='dateline'``) that day and the two before, a month or a year all its days.
  Two spans that overlap are compatible ("June 2022" and "28 June 2022"; "2022" and either), so a
  coarse report joins the precise one it contains. Two *days* must be the same day, except for
  occasions that last several days (the mode groups in ``SPAN_GROUPS``: visits and summits), whose
  reports may differ by ``max_days`` (arrival on the 8th, talks on the 9th). A row without a date
  joins only rows of its own document (across documents an undated mention cannot be told apart from
  a different occasion);
- compatible places: equal, one unknown, or one inside the other (Dushanbe is in Tajikistan, the
  Kremlin in Moscow), looked up in the gazetteer of ``where.py``.
Planned and reported rows are not kept apart: "will visit on 8 October" and "visited on 8 October"
are the same visit, seen before and after.

Rows from a near-duplicate document (``duplicate_of`` set) are clustered as if they came from the
original document, so a reprint never adds a second, independent mention; ``support`` counts
distinct original documents per cluster.

Clustering is greedy and deterministic: rows are taken in order of (date precision, date, key);
each joins the first cluster all of whose dated rows it is compatible with, else starts one. The
event id is a hash of the cluster's earliest row key, so it is stable when later rows are added.
"""
from __future__ import annotations

import calendar
import hashlib
import logging
from collections.abc import Iterable
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Protocol

from ..model import Event
from .ontology import Ontology

logger = logging.getLogger(__name__)

# Mode groups (after plover.yaml mode_groups) of occasions that last several days: two reports a day or
# two apart may tell of the same visit or summit; a call, meeting or signing happens on one day.
SPAN_GROUPS = frozenset({"visit", "summit"})
_WEEK_SLACK = timedelta(days=3)  # "last week" names a day 7 days back; the event lies in that week
_FILING_SLACK = timedelta(days=2)  # a dateline's day ("DUSHANBE, March 25 -") is when the story was filed


class PlaceLookup(Protocol):
    """What clustering needs of a gazetteer (``bilat.events.where.Gazetteer`` has it)."""

    def lookup(self, name: str, country_hint: set[str] | None = None) -> Any: ...


def row_key(row: dict[str, Any]) -> str:
    """A row's own key, else one built from where and what it is."""
    if row.get("key"):
        return str(row["key"])
    return "#".join(str(row.get(k, "")) for k in ("doc_id", "sentence", "type", "source", "target", "trigger"))


def event_row(event: Event, doc_id: str, duplicate_of: str | None = None) -> dict[str, Any]:
    """The fields clustering needs from an Event."""
    return {"doc_id": doc_id, "duplicate_of": duplicate_of, "sentence": event.sentence, "type": event.type,
            "mode": event.mode, "source": event.source, "target": event.target, "date": event.date,
            "date_precision": event.date_precision, "date_method": event.date_method,
            "location": event.location, "negated": event.negated, "planned": event.planned,
            "trigger": event.trigger}


def date_span(value: str | None, precision: str | None = None, method: str | None = None
              ) -> tuple[date, date] | None:
    """First and last day a date may stand for; None when it is unknown or unreadable."""
    if not value:
        return None
    try:
        if len(value) >= 10:
            d = date.fromisoformat(value[:10])
            if precision == "week":
                return d - _WEEK_SLACK, d + _WEEK_SLACK
            if method == "dateline":  # the filing day: the event is that day or a day or two before
                return d - _FILING_SLACK, d
            return d, d
        if len(value) == 7:
            y, m = int(value[:4]), int(value[5:7])
            return date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1])
        if len(value) == 4:
            y = int(value)
            return date(y, 1, 1), date(y, 12, 31)
    except (ValueError, OverflowError):
        return None
    return None


def dates_compatible(a: str | None, b: str | None, max_days: int = 2, pa: str | None = None,
                     pb: str | None = None, ma: str | None = None, mb: str | None = None) -> bool | None:
    """True/False for two dates (with their precisions and methods, if known); None when either is unknown.

    Two days are compatible when at most ``max_days`` apart (pass 0 for one-day occasions); a coarser
    date (a month, a year, a week, a dateline's filing day) is compatible with every date it overlaps."""
    return _spans_compatible(date_span(a, pa, ma), date_span(b, pb, mb), max_days)


def _spans_compatible(sa: tuple[date, date] | None, sb: tuple[date, date] | None, max_days: int) -> bool | None:
    if sa is None or sb is None:
        return None
    if sa[0] == sa[1] and sb[0] == sb[1]:
        return abs((sa[0] - sb[0]).days) <= max_days
    return sa[0] <= sb[1] and sb[0] <= sa[1]


class EventClusterer:
    def __init__(self, ontology: Ontology | None = None, rules_dir: str | Path | None = None, max_days: int = 2,
                 places: PlaceLookup | None = None):
        self.ontology = ontology or Ontology(rules_dir)
        self.max_days = max_days
        self._places = places
        self._place_cache: dict[tuple[str, frozenset], Any] = {}
        self._spans: dict[tuple, tuple[date, date] | None] = {}

    def _date(self, row: dict[str, Any]) -> str | None:
        # the publication date stands in for an unknown date; it says nothing about the event's day
        return None if row.get("date_method") == "document-date" else row.get("date")

    def _place(self, name: str, hint: frozenset) -> Any:
        key = (name, hint)
        if key not in self._place_cache:
            if self._places is None:
                from .where import Gazetteer  # loaded only when two known places differ

                logger.debug("loading the gazetteer to compare places")
                self._places = Gazetteer()
            self._place_cache[key] = self._places.lookup(name, set(hint) or None)
        return self._place_cache[key]

    def places_compatible(self, a: dict[str, Any], b: dict[str, Any]) -> bool:
        """Equal, unknown, or one inside the other (a city in its country, a landmark in its city)."""
        la, lb = a.get("location"), b.get("location")
        if not la or not lb or la == lb:
            return True
        hint = frozenset(c for c in (a.get("source"), a.get("target")) if c)
        pa, pb = self._place(la, hint), self._place(lb, hint)
        if pa is None or pb is None:
            return False
        if pa.name == pb.name and pa.country == pb.country:
            return True
        return _inside(pa, pb) or _inside(pb, pa)

    def compatible(self, a: dict[str, Any], b: dict[str, Any]) -> bool:
        if a.get("type") != b.get("type") or bool(a.get("negated")) != bool(b.get("negated")):
            return False
        if {a.get("source"), a.get("target")} != {b.get("source"), b.get("target")}:
            return False
        ma, mb = a.get("mode"), b.get("mode")
        t = str(a.get("type"))
        ga = self.ontology.mode_group(t, ma) if ma else None
        gb = self.ontology.mode_group(t, mb) if mb else None
        if ga and gb and ga != gb:
            return False
        slack = self.max_days if (ga or gb) in SPAN_GROUPS else 0
        same = _spans_compatible(self._span(a), self._span(b), slack)
        if same is None:
            same = _origin(a) == _origin(b)
        return same and self.places_compatible(a, b)

    def cluster(self, rows: Iterable[dict[str, Any]]) -> dict[str, str]:
        def order(r: dict[str, Any]) -> tuple:
            d = self._date(r) or ""
            loose = r.get("date_precision") == "week" or r.get("date_method") == "dateline"
            return (-len(d), loose, d or "9999", row_key(r))

        ordered = sorted(rows, key=order)
        clusters: list[list[dict[str, Any]]] = []
        # per cluster, one member for each kind of mention (date, place, mode): joining is checked
        # against these only, so a summit told a thousand times costs a few comparisons
        kinds: list[dict[tuple, dict[str, Any]]] = []
        # candidate clusters: a dated row looks only at clusters whose first row falls in the months
        # its own date may touch; an undated one only at those first told by its own document
        by_month: dict[tuple, list[int]] = {}
        by_origin: dict[tuple, list[int]] = {}
        for r in ordered:
            pair = (r.get("type"), frozenset((r.get("source"), r.get("target"))))
            months = self._months(r)
            if months:
                cands = sorted({ci for mo in months for ci in by_month.get((pair, mo), ())})
            else:
                cands = by_origin.get((pair, _origin(r)), [])
            for ci in cands:
                if self._joins(clusters[ci][0], kinds[ci], r):
                    clusters[ci].append(r)
                    kinds[ci].setdefault(self._kind(r), r)
                    break
            else:
                ci = len(clusters)
                clusters.append([r])
                kinds.append({self._kind(r): r})
                for mo in months:
                    by_month.setdefault((pair, mo), []).append(ci)
                by_origin.setdefault((pair, _origin(r)), []).append(ci)
        out: dict[str, str] = {}
        for members in clusters:
            first = min(members, key=lambda r: (self._date(r) or "9999", row_key(r)))
            eid = "ev-" + hashlib.sha1(row_key(first).encode("utf-8")).hexdigest()[:16]
            for r in members:
                out[row_key(r)] = eid
        logger.debug("%d rows in %d clusters", len(out), len(clusters))
        return out

    def _months(self, r: dict[str, Any]) -> range:
        """The months (year * 12 + month - 1) a row's date may touch, with the day slack at the ends."""
        span = self._span(r)
        if span is None:
            return range(0)
        slack = timedelta(days=self.max_days)
        lo = span[0] - slack if span[0] > date.min + slack else span[0]
        hi = span[1] + slack if span[1] < date.max - slack else span[1]
        return range(lo.year * 12 + lo.month - 1, hi.year * 12 + hi.month)

    def _span(self, r: dict[str, Any]) -> tuple[date, date] | None:
        key = (self._date(r), r.get("date_precision"), r.get("date_method") == "dateline")
        if key not in self._spans:
            self._spans[key] = date_span(key[0], key[1], "dateline" if key[2] else None)
        return self._spans[key]

    def _kind(self, r: dict[str, Any]) -> tuple:
        d = self._date(r)
        return (d, r.get("date_precision"), r.get("date_method") == "dateline", r.get("mode"), r.get("location"),
                None if d else _origin(r))

    def _joins(self, first: dict[str, Any], kinds: dict[tuple, dict[str, Any]], r: dict[str, Any]) -> bool:
        """Compatible with the cluster's first row, and with every dated member too: a month report
        must not chain two different days of that month into one event."""
        if not self.compatible(first, r):
            return False
        return all(self.compatible(m, r) for m in kinds.values() if m is not first and (
            self._date(m) or _origin(m) == _origin(r)))

    def support(self, rows: Iterable[dict[str, Any]], ids: dict[str, str]) -> dict[str, int]:
        """Distinct original documents per event id (near-duplicates count once)."""
        docs: dict[str, set[str]] = {}
        for r in rows:
            docs.setdefault(ids[row_key(r)], set()).add(_origin(r))
        return {k: len(v) for k, v in docs.items()}


def _inside(inner: Any, outer: Any) -> bool:
    if outer.kind == "country":
        return inner.kind != "country" and inner.country == outer.country
    if outer.kind == "city":
        return inner.kind == "landmark" and inner.country == outer.country and (inner.city or "") == outer.name
    return False


def _origin(row: dict[str, Any]) -> str:
    return str(row.get("duplicate_of") or row.get("doc_id"))


def cluster_events(rows: list[dict[str, Any]], max_days: int = 2, places: PlaceLookup | None = None) -> dict[str, str]:
    """``{row_key: event_id}`` for event rows; see the module docstring for the criteria.

    ``places``: a gazetteer to tell whether one place lies in another; without one, the packaged
    ``Gazetteer`` is loaded the first time two rows name different places."""
    return EventClusterer(max_days=max_days, places=places).cluster(rows)
