"""Read queries shared by the CLI, the Python API, the REST API and the dashboard.

Every function takes an open (read-only) DuckDB connection and returns plain values or a
:class:`Table`; a page and its JSON come from the same function. User input only ever reaches
SQL as a bound parameter: filters are validated into :class:`Filters` and turned into
``?`` placeholders by :func:`_event_where`.
"""
from __future__ import annotations

import json
import logging
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..errors import NotFound, QueryError
from ..quantities.kinds import figure_kind
from ..quantities.periods import period_length, period_months
from .corrections import REVIEWED_EVENTS
from .outlets import OutletNames, Source, confirmation, credit, resolve

logger = logging.getLogger(__name__)

MAX_LIMIT = 500  # rows per page, for the REST API and the pages
MAX_DOWNLOAD = 100_000  # rows in one CSV/JSON download
# EventIndex.memo keeps answers up to this many rows in all (an answer of n rows weighs n, at least 1),
# so a client cannot fill the memory by asking for many different large answers.
MEMO_ROWS = 200_000

_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_DYAD = re.compile(r"^[A-Za-z0-9]{2,12}-[A-Za-z0-9]{2,12}$")

# An event's date is its own, else its document's; partial dates ("2019-05") cover a range, so
# the low end is compared with ``until`` and the high end with ``since``.
WHEN = "coalesce(e.date, d.published)"
_LOW = f"(CASE length({WHEN}) WHEN 4 THEN {WHEN} || '-01-01' WHEN 7 THEN {WHEN} || '-01' ELSE {WHEN} END)"
_HIGH = f"(CASE length({WHEN}) WHEN 4 THEN {WHEN} || '-12-31' WHEN 7 THEN {WHEN} || '-31' ELSE {WHEN} END)"
EVENT_KEY = "coalesce(e.event_id, e.doc_id || '~' || CAST(e.idx AS VARCHAR))"


LANGUAGES = ("en", "ru")


def _real_date(value: str) -> bool:
    """"2019-13-01" has the form of a date and is none."""
    parts = [int(p) for p in value.split("-")]
    try:
        date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class Filters:
    """Filters common to the event views; every field is optional."""

    dyad: str | None = None  # "RUS-TJK": either direction
    types: tuple[str, ...] = ()  # PLOVER types
    since: str | None = None  # YYYY, YYYY-MM or YYYY-MM-DD
    until: str | None = None
    outlet: str | None = None
    actor: str | None = None  # canonical actor name, as source or target
    lang: str | None = None  # the documents' language: en, ru

    def __post_init__(self) -> None:
        for name in ("since", "until"):
            value = getattr(self, name)
            if value is not None and not (_DATE.match(value) and _real_date(value)):
                raise QueryError(f"{name} must be YYYY, YYYY-MM or YYYY-MM-DD, not {value!r}")
        if self.lang is not None and self.lang not in LANGUAGES:
            raise QueryError(f"lang must be one of {', '.join(LANGUAGES)}, not {self.lang!r}")
        if self.dyad is not None and not _DYAD.match(self.dyad):
            raise QueryError(f"dyad must look like RUS-TJK, not {self.dyad!r}")

    @property
    def pair(self) -> tuple[str, str] | None:
        if not self.dyad:
            return None
        a, b = self.dyad.upper().split("-")
        return a, b


@dataclass
class Table:
    """One page of rows (an Arrow table) and how many rows match in all."""

    name: str
    data: pa.Table
    total: int
    limit: int | None = None
    offset: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    def __len__(self) -> int:
        return self.data.num_rows

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self.records())

    @property
    def columns(self) -> list[str]:
        return list(self.data.column_names)

    def records(self) -> list[dict[str, Any]]:
        return self.data.to_pylist()

    def to_arrow(self) -> pa.Table:
        return self.data

    def to_pandas(self):  # -> pandas.DataFrame; pandas is imported lazily by pyarrow
        return self.data.to_pandas()

    def page(self) -> dict[str, Any]:
        """The JSON shape of a paginated answer."""
        return {"total": self.total, "limit": self.limit, "offset": self.offset, "items": self.records(), **self.extra}


def _page(limit: int | None, offset: int, download: bool = False) -> tuple[int, int]:
    cap = MAX_DOWNLOAD if download else MAX_LIMIT
    limit = cap if limit is None else limit
    if limit < 1 or limit > cap or offset < 0:
        raise QueryError(f"limit must be 1..{cap} and offset >= 0")
    return limit, offset


def _table(con: duckdb.DuckDBPyConnection, name: str, sql: str, params: list[Any], limit: int | None,
           offset: int = 0, download: bool = False, count: bool = True) -> Table:
    limit, offset = _page(limit, offset, download)
    data = con.execute(f"{sql} LIMIT ? OFFSET ?", [*params, limit, offset]).fetch_arrow_table()
    if count and (offset or data.num_rows == limit):
        # every query here ends with its ORDER BY; counting needs no sort
        body = sql.rsplit(" ORDER BY ", 1)[0]
        total = con.execute(f"SELECT count(*) FROM ({body})", params).fetchone()[0]
    else:
        total = offset + data.num_rows
    return Table(name, data, int(total), limit, offset)


def corpus_summary(con: duckdb.DuckDBPyConnection) -> dict:
    one = lambda sql: con.execute(sql).fetchone()[0]  # noqa: E731
    by_type = con.execute(f"SELECT type, count(*) FROM {REVIEWED_EVENTS} GROUP BY type ORDER BY 2 DESC, 1").fetchall()
    return {
        "documents": one("SELECT count(*) FROM documents"),
        "canonical_documents": one("SELECT count(*) FROM documents WHERE duplicate_of IS NULL"),
        "outlets": len(outlet_names(con)),  # canonical outlets: "CAW" and "Central Asian Wire" are one
        "first_published": one("SELECT min(published) FROM documents"),
        "last_published": one("SELECT max(published) FROM documents"),
        "events": one(f"SELECT count(*) FROM {REVIEWED_EVENTS}"),
        "event_clusters": one(f"SELECT count(DISTINCT event_id) FROM {REVIEWED_EVENTS}"),
        "corrections": one("SELECT count(*) FROM corrections"),
        "quantities": one("SELECT count(*) FROM quantities"),
        "mentions": one("SELECT count(*) FROM mentions"),
        "failed_inputs": one("SELECT count(*) FROM ingest_log WHERE status = 'failed'"),
        "events_by_type": dict(by_type),
    }


def outlet_names(con: duckdb.DuckDBPyConnection, ix: EventIndex | None = None) -> OutletNames:
    """The store's outlets resolved to canonical names (``bilat.store.outlets``); kept by ``ix`` when given."""
    def compute() -> OutletNames:
        cur = con.cursor()
        try:
            rows = cur.execute("SELECT outlet, count(*) FROM documents WHERE outlet IS NOT NULL GROUP BY 1").fetchall()
        finally:
            cur.close()
        return resolve(rows)

    return ix.memo(("outlet_names",), compute) if ix is not None else compute()


def outlets(con: duckdb.DuckDBPyConnection, ix: EventIndex | None = None) -> list[dict[str, Any]]:
    """Outlets by canonical name with their documents, busiest first, and the names stored for each
    (``names``: "CAW", "Central Asian Wire", a host)."""
    return outlet_names(con, ix).outlets()


def _sources(con: duckdb.DuckDBPyConnection, doc_ids: list[str], names: OutletNames) -> dict[str, Source]:
    """The reporting documents as sources (outlet, near-duplicate link, credited outlet), with the
    documents they duplicate, followed a few links up."""
    found: dict[str, Source] = {}
    want = sorted(set(doc_ids))
    cur = con.cursor()
    try:
        for _ in range(4):  # chains of near-duplicates are short: an original has no duplicate_of
            want = [d for d in want if d not in found]
            if not want:
                break
            marks = ", ".join("?" for _ in want)
            # a copy's note opens or closes the story, or was removed as boilerplate: read those ends only
            rows = cur.execute(
                f"SELECT doc_id, outlet, url, duplicate_of, left(text, 1500), right(text, 2000) FROM documents "
                f"WHERE doc_id IN ({marks})", want).fetchall()
            removed: dict[str, list[str]] = {}
            for doc_id, text in cur.execute(f"SELECT doc_id, text FROM removed WHERE doc_id IN ({marks}) "
                                            "AND length(text) < 200 ORDER BY doc_id, idx", want).fetchall():
                removed.setdefault(doc_id, []).append(text)
            for doc_id, outlet, url, dup, head, tail in rows:
                ends = head if len(head) < 1500 else head + "\n" + tail
                found[doc_id] = Source(doc_id, outlet or url, dup,
                                       credit(ends, removed.get(doc_id, ()), names.table, names.known))
            want = [s.duplicate_of for s in found.values() if s.duplicate_of]
    finally:
        cur.close()
    return found


def confirmations(con: duckdb.DuckDBPyConnection, ix: EventIndex,
                  groups: Mapping[str, list[dict[str, Any]]]) -> dict[str, dict[str, Any]]:
    """Per event (key → its reports, each with ``doc_id``): the independent outlets that confirm it
    (``bilat.store.outlets.confirmation``: copies count for the outlet they copy, once)."""
    names = outlet_names(con, ix)
    sources = _sources(con, [str(r["doc_id"]) for rs in groups.values() for r in rs], names)
    return {key: confirmation(rs, sources, names) for key, rs in groups.items()}


def event_confirmation(con: duckdb.DuckDBPyConnection, ix: EventIndex, event_key: str) -> dict[str, Any]:
    """One event's reports, outlets (canonical), independent reports and "confirmed by N independent
    outlets", with what each report copies (NotFound for an unknown key)."""
    reports = event_reports(ix, event_key).records()
    return confirmations(con, ix, {event_key: reports})[event_key]


class EventIndex:
    """Event reports joined with their documents, held in memory in date order.

    The store is opened read-only (it cannot change under us), so this copy is built once, on
    first use; a server that writes corrections calls ``refresh`` after each. ``rows`` (Arrow) holds every column the views show, row
    ``rk`` being the report of rank ``rk``; a small DuckDB table ``ev`` holds the filter and sort
    keys. A page is found in ``ev`` (a few ranks) and read from ``rows`` by position, so it costs
    milliseconds where the same join over the file costs hundreds (bench/api_latency.py).

    For the same reason answers over the whole store (counts per actor, the claims table) can be
    kept: ``memo`` holds the last ``MEMO_SIZE`` of them. Event keys and document ids are looked up
    by binary search in sorted copies (``ranks_of``) rather than by scanning ``ev``.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection):
        self._store = con
        self._mem: duckdb.DuckDBPyConnection | None = None
        self._lock = threading.Lock()
        self.rows: pa.Table | None = None
        self.pair_ids: dict[str, int] = {}  # "RUS-TJK" → pair_id in ``ev``
        self.n = 0  # reports, set by the build
        self.n_dated = 0  # reports with a date; they hold ranks 0 .. n_dated - 1
        self._counts: dict[tuple[str, tuple[Any, ...]], int] = {}  # the store is read-only: counts never change
        self._memo: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()  # key → (answer, weight)
        self._memo_rows = 0
        self._memo_lock = threading.Lock()
        # column → (values in sorted order as a numpy array, their ranks): built with the index
        self._sorted: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self.actor_counts: dict[str, dict[str, int]] = {}  # "source_actor", "src", ... → name → reports

    def memo(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        """``compute()``'s answer, kept under ``key`` (callers must not change what it returns)."""
        with self._memo_lock:
            if key in self._memo:
                self._memo.move_to_end(key)
                return self._memo[key][0]
        value = compute()  # outside the lock: two first requests may both compute, both get the same answer
        weight = _weight(value)
        with self._memo_lock:
            if key not in self._memo and weight <= MEMO_ROWS:
                self._memo[key] = (value, weight)
                self._memo_rows += weight
                while self._memo_rows > MEMO_ROWS:
                    self._memo_rows -= self._memo.popitem(last=False)[1][1]
        return value

    def ranks_of(self, column: str, value: str, limit: int | None = None) -> list[int]:
        """Ranks of the reports whose ``column`` (event_key or doc_id) equals ``value``; for doc_id in
        the order of ``idx``, for event_key in rank order (call after ``cursor()``)."""
        values, ranks = self._sorted[column]
        lo = int(np.searchsorted(values, value, "left"))
        hi = int(np.searchsorted(values, value, "right"))
        if limit is not None:
            hi = min(hi, lo + limit)
        return [int(r) for r in ranks[lo:hi]]

    def count_of(self, column: str, values: list[str]) -> dict[str, int]:
        """Reports per value of ``column`` (event_key or doc_id), for a page of values."""
        sorted_values = self._sorted[column][0]
        lo = np.searchsorted(sorted_values, values, "left")
        hi = np.searchsorted(sorted_values, values, "right")
        return {v: int(h - lo_) for v, lo_, h in zip(values, lo, hi, strict=True)}

    def count(self, c: duckdb.DuckDBPyConnection, where: str, params: list[Any]) -> int:
        key = (where, tuple(params))
        if key not in self._counts:
            if len(self._counts) > 4096:
                self._counts.clear()
            self._counts[key] = int(c.execute(f"SELECT count(*) FROM ev{where}", params).fetchone()[0])
        return self._counts[key]

    def _build(self) -> duckdb.DuckDBPyConnection:
        started = time.perf_counter()
        cur = self._store.cursor()
        try:
            cur.execute("SET enable_progress_bar = false")  # a server's output is its log, not a bar
            data = cur.execute(INDEX_SQL).fetch_arrow_table()
        finally:
            cur.close()
        order = pc.sort_indices(data, options=pc.SortOptions(
            [("date", "ascending", "at_end"), ("doc_id", "ascending", "at_end"), ("idx", "ascending", "at_end")]))
        data = data.take(order)
        self.n = data.num_rows
        self.n_dated = data.num_rows - data.column("date").null_count
        # dyads as small integers: comparing one int per row is far cheaper than a string
        pairs = pc.dictionary_encode(data.column("pair").combine_chunks())
        self.pair_ids = {p: i for i, p in enumerate(pairs.dictionary.to_pylist())}
        keys = (data.select(list(KEY_COLUMNS))
                .append_column("pair_id", pairs.indices.cast(pa.int32()))
                .append_column("rk", pa.array(range(data.num_rows), pa.int64())))
        self.rows = data.select([c for c in data.column_names if c not in FILTER_ONLY])
        self._build_lookups(data)
        mem = duckdb.connect(":memory:")
        mem.execute("SET enable_progress_bar = false")
        mem.register("_ev", keys)
        mem.execute("CREATE TABLE ev AS SELECT * FROM _ev")
        mem.unregister("_ev")
        # monthly sums per dyad and type: the cooperation–conflict line reads these, not every report
        mem.execute("CREATE TABLE evm AS SELECT pair_id, month, type, count(*) AS n, sum(intensity) AS s, "
                    "count(intensity) AS k FROM ev WHERE month IS NOT NULL GROUP BY ALL ORDER BY pair_id, month")
        logger.info("event index: %d reports in %.1f s", data.num_rows, time.perf_counter() - started)
        return mem

    def _build_lookups(self, data: pa.Table) -> None:
        """Sorted copies of event_key (then rank) and doc_id (then idx), and reports per actor name."""
        ranks = pa.array(range(data.num_rows), pa.int64())
        for column, then in (("event_key", None), ("doc_id", "idx")):
            table = pa.table({"v": data.column(column), "t": data.column(then) if then else ranks, "rk": ranks})
            order = pc.sort_indices(table, sort_keys=[("v", "ascending"), ("t", "ascending"), ("rk", "ascending")])
            # object arrays of str: searchsorted compares Python strings, as "=" in SQL does
            values = table.column("v").take(order).to_numpy(zero_copy_only=False)
            self._sorted[column] = (values, table.column("rk").take(order).to_numpy())
        for column in ("source_actor", "target_actor", "src", "dst"):
            counts = pc.value_counts(data.column(column).combine_chunks())
            self.actor_counts[column] = {v: int(n) for v, n in zip(counts.field("values").to_pylist(),
                                                                   counts.field("counts").to_pylist(),
                                                                   strict=True) if v is not None}

    def ensure(self) -> None:
        """Build the index unless it is built."""
        with self._lock:
            if self._mem is None:
                self._mem = self._build()

    def refresh(self) -> None:
        """Forget the copy and every kept answer: the store changed (a correction was written through the
        server's own connection). The next request rebuilds it."""
        with self._lock:
            self._mem = None  # not closed: a request may still read it; it goes with its last cursor
            self._counts = {}
            with self._memo_lock:
                self._memo.clear()
                self._memo_rows = 0

    def cursor(self) -> duckdb.DuckDBPyConnection:
        self.ensure()
        return self._mem.cursor()

    def take(self, ranks: list[int], columns: list[str] | None = None) -> pa.Table:
        """The rows of these ranks, in this order (call after ``cursor()``, which builds the index)."""
        assert self.rows is not None
        rows = self.rows.take(pa.array(ranks, pa.int64()))
        return rows.select(columns) if columns else rows

    def close(self) -> None:
        if self._mem is not None:
            self._mem.close()


def _weight(value: Any) -> int:
    """Rows in an answer: of a table, a list, or the lists in a dict (at least 1)."""
    if isinstance(value, pa.Table):
        return max(1, value.num_rows)
    if isinstance(value, list):
        return max(1, len(value))
    if isinstance(value, dict):
        return 1 + sum(len(v) for v in value.values() if isinstance(v, list | dict))
    return 1


KEY_COLUMNS = ("event_key", "doc_id", "idx", "date", "month", "type", "intensity", "source", "target",
               "source_actor", "target_actor", "outlet", "lang", "lo", "hi", "src", "dst")
FILTER_ONLY = ("pair", "lo", "hi", "src", "dst", "month")
# The index's columns: what the event views show, plus the filter keys (pair, lo, hi, src, dst).
INDEX_SQL = f"""
SELECT {EVENT_KEY} AS event_key, e.event_id, e.doc_id, e.idx, {WHEN} AS date, e.date_precision, e.type, e.mode,
       e.cameo, e.intensity, e.source, e.source_actor, e.target, e.target_actor, e.negated, e.planned,
       e.hypothetical, e.attribution, e.location, e.lat, e.lon, e.trigger, e.evidence, e.start_char, e.end_char,
       e.rule, e.model, e.confidence, e.corrected, e.correction_id, d.outlet, d.title, d.published, d.url,
       coalesce(d.lang, 'en') AS lang,
       least(e.source, e.target) || '-' || greatest(e.source, e.target) AS pair,
       TRY_CAST(substr({WHEN}, 1, 4) AS INTEGER) * 100 + TRY_CAST(substr({WHEN}, 6, 2) AS INTEGER) AS month,
       {_LOW} AS lo, {_HIGH} AS hi,
       coalesce(e.source_actor, e.source) AS src, coalesce(e.target_actor, e.target) AS dst
FROM {REVIEWED_EVENTS} e LEFT JOIN documents d USING (doc_id)
"""
EVENT_COLUMNS = ["event_key", "event_id", "doc_id", "idx", "date", "date_precision", "type", "mode", "cameo",
                 "intensity", "source", "source_actor", "target", "target_actor", "negated", "planned",
                 "hypothetical", "attribution", "location", "trigger", "evidence", "start_char", "end_char", "rule",
                 "model", "confidence", "corrected", "correction_id", "outlet", "title"]


def _event_where(ix: EventIndex, f: Filters, extra: tuple[str, ...] = ()) -> tuple[str, list[Any]]:
    """WHERE clause and parameters over the index table ``ev`` (built by ``ix.cursor()``)."""
    clauses, params = _pair_and_types(ix, f, list(extra))
    if f.since:
        clauses.append("hi >= ?")
        params.append(_low(f.since))
    if f.until:
        clauses.append("lo <= ?")
        params.append(_high(f.until))
    _outlet_and_lang(f, "outlet", "lang", clauses, params, outlet_names(ix._store, ix) if f.outlet else None)
    if f.actor:
        # a named actor, else the bare country code (as in the network view)
        clauses.append("(src = ? OR dst = ?)")
        params += [f.actor, f.actor]
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def matching_ranks(ix: EventIndex, f: Filters, extra: tuple[str, ...] = ()) -> np.ndarray:
    """The ranks (positions in ``ix.rows``) of every report matching the filters and the ``extra`` SQL
    conditions on the index table ``ev`` (fixed text, never user input), in rank (date) order."""
    def run(c: duckdb.DuckDBPyConnection) -> np.ndarray:
        where, params = _event_where(ix, f, extra)
        return np.sort(c.execute(f"SELECT rk FROM ev{where}", params).fetchnumpy()["rk"])

    return _on_index(ix, run)


def _pair_and_types(ix: EventIndex, f: Filters, clauses: list[str]) -> tuple[list[str], list[Any]]:
    """The dyad and type clauses both index tables (``ev``, ``evm``) share, after ``clauses``."""
    params: list[Any] = []
    if f.pair:
        clauses.append("pair_id = ?")
        params.append(ix.pair_ids.get("-".join(sorted(f.pair)), -1))
    if f.types:
        clauses.append(f"type IN ({', '.join('?' for _ in f.types)})")
        params += list(f.types)
    return clauses, params


def _low(value: str) -> str:
    return value + {4: "-01-01", 7: "-01"}.get(len(value), "")


def _high(value: str) -> str:
    return value + {4: "-12-31", 7: "-31"}.get(len(value), "")


def _on_index(ix: EventIndex, fn):  # noqa: ANN001, ANN202 - a tiny helper: run fn(cursor) and close it
    cur = ix.cursor()
    try:
        return fn(cur)
    finally:
        cur.close()


def dyads(ix: EventIndex, limit: int = 50) -> list[dict[str, Any]]:
    """Country pairs with events, busiest first."""
    rows = _on_index(ix, lambda c: c.execute(
        "SELECT pair_id, count(*) FROM ev WHERE source <> target GROUP BY 1 ORDER BY 2 DESC, 1", []).fetchall())
    names = {i: p for p, i in ix.pair_ids.items()}
    out = [{"dyad": names.get(i), "events": n} for i, n in rows]
    return [d for d in out if d["dyad"]][:limit]


def _page_ranks(ix: EventIndex, c: duckdb.DuckDBPyConnection, f: Filters, limit: int, offset: int,
                asc: bool) -> list[int]:
    """The ranks of one page, looked for first among the oldest (or newest) reports only.

    Rows are stored in rank (date) order, so a window of ranks is read through zone maps without
    scanning the rest; the matching ranks in it are sorted here (a DuckDB top-N with a large
    OFFSET, or against the stored order, costs a hundred milliseconds on a million rows). The
    window grows until it holds the page or the whole table. Undated reports come last.
    """
    need = limit + offset
    window = max(16 * need, 4096)
    while True:
        if asc:
            bounds = (0, window) if window < ix.n else None
        else:
            bounds = (ix.n_dated - window, ix.n_dated) if window < ix.n_dated else None
        extra = ("rk >= ?", "rk < ?") if bounds else ()
        where, params = _event_where(ix, f, extra)
        found = np.sort(c.execute(f"SELECT rk FROM ev{where}", [*(bounds or ()), *params]).fetchnumpy()["rk"])
        if bounds and len(found) < need:
            window *= 4
            continue
        if not asc:
            dated = found[found < ix.n_dated]
            found = np.concatenate([dated[::-1], found[found >= ix.n_dated]])
        return [int(r) for r in found[offset:need]]


def events(ix: EventIndex, f: Filters = Filters(), limit: int | None = 50, offset: int = 0,
           download: bool = False, order: str = "desc") -> Table:
    """Event reports (one row per report) matching the filters, newest first (or oldest with order='asc').

    Undated reports come last either way."""
    limit, offset = _page(limit, offset, download)

    def run(c: duckdb.DuckDBPyConnection) -> Table:
        ranks = _page_ranks(ix, c, f, limit, offset, order == "asc")
        data = ix.take(ranks, EVENT_COLUMNS)
        total = offset + len(ranks)
        if offset or len(ranks) == limit:
            where, params = _event_where(ix, f)
            total = ix.count(c, where, params)
        return Table("events", data, int(total), limit, offset)

    return _on_index(ix, run)


def event_reports(ix: EventIndex, event_key: str) -> Table:
    """Every report of one event: all rows sharing its event id (or the one row of a key 'doc~idx')."""
    ix.ensure()
    ranks = ix.ranks_of("event_key", event_key, MAX_LIMIT)
    if not ranks:
        raise NotFound(f"no event {event_key!r}")
    data = ix.take(ranks, [*EVENT_COLUMNS, "published", "url"])
    return Table("event_reports", data, len(ranks), MAX_LIMIT, 0)


def events_by_type(ix: EventIndex, f: Filters = Filters()) -> list[dict[str, Any]]:
    def run(c: duckdb.DuckDBPyConnection) -> list[tuple]:
        where, params = _event_where(ix, f)
        return c.execute(f"SELECT type, count(*) FROM ev{where} GROUP BY 1 ORDER BY 2 DESC, 1", params).fetchall()

    return ix.memo(("events_by_type", f), lambda: [{"type": t, "events": n} for t, n in _on_index(ix, run)])


def quad_monthly(ix: EventIndex, f: Filters, quads: Mapping[str, str]) -> list[dict[str, Any]]:
    """Per month and quad class: event count and mean intensity (the cooperation–conflict line)."""
    def run(c: duckdb.DuckDBPyConnection) -> list[tuple]:
        if f.outlet or f.actor or f.lang or any(v and len(v) == 10 for v in (f.since, f.until)):
            where, params = _event_where(ix, f, ("month IS NOT NULL",))
            return c.execute(f"SELECT month, type, count(*), sum(intensity), count(intensity) FROM ev{where} "
                             "GROUP BY 1, 2", params).fetchall()
        # whole months or years asked for: the monthly sums give the same answer
        clauses, params = _pair_and_types(ix, f, ["TRUE"])
        if f.since:
            clauses.append("month >= ?")
            params.append(int(f.since[:4]) * 100 + (int(f.since[5:7]) if len(f.since) == 7 else 1))
        if f.until:
            clauses.append("month <= ?")
            params.append(int(f.until[:4]) * 100 + (int(f.until[5:7]) if len(f.until) == 7 else 12))
        return c.execute(f"SELECT month, type, sum(n), sum(s), sum(k) FROM evm WHERE {' AND '.join(clauses)} "
                         "GROUP BY 1, 2", params).fetchall()

    return ix.memo(("quad_monthly", f, tuple(sorted(quads.items()))), lambda: _merge_quads(_on_index(ix, run), quads))


def _merge_quads(rows: list[tuple], quads: Mapping[str, str]) -> list[dict[str, Any]]:
    merged: dict[tuple[str, str], list[float]] = {}
    # in one order: the database groups in any order, and floats summed in another order differ in the last digit
    for month, etype, n, total, n_scored in sorted(rows, key=lambda r: (r[0], r[1])):
        quad = quads.get(etype)
        if quad is None:
            continue
        acc = merged.setdefault((f"{month // 100:04d}-{month % 100:02d}", quad), [0, 0.0, 0])
        acc[0] += n
        acc[1] += total or 0.0
        acc[2] += n_scored
    return [{"month": m, "quad": q, "events": int(n), "mean_intensity": (t / k if k else None)}
            for (m, q), (n, t, k) in sorted(merged.items())]


def _outlet_and_lang(f: Filters, outlet_sql: str, lang_sql: str, clauses: list[str], params: list[Any],
                     names: OutletNames | None = None) -> None:
    """Add the outlet and language filters over the trusted column expressions ``outlet_sql``, ``lang_sql``.
    An outlet stands for every name stored for it (``names``): "Central Asian Wire" finds "CAW"'s too."""
    if f.outlet:
        members = (names.members(f.outlet) if names is not None else []) or [f.outlet]
        clauses.append(f"{outlet_sql} IN ({', '.join('?' for _ in members)})")
        params += members
    if f.lang:
        clauses.append(f"{lang_sql} = ?")
        params.append(f.lang)


def _outlet_and_period(f: Filters, date_sql: str, names: OutletNames | None = None) -> tuple[list[str], list[Any]]:
    """WHERE clauses for the outlet, language and period filters; ``date_sql`` is a trusted column expression."""
    clauses: list[str] = []
    params: list[Any] = []
    _outlet_and_lang(f, "d.outlet", "coalesce(d.lang, 'en')", clauses, params, names)
    if f.since:
        clauses.append(f"{date_sql} >= ?")
        params.append(f.since)
    if f.until:
        clauses.append(f"left({date_sql}, ?) <= ?")
        params += [len(f.until), f.until]
    return clauses, params


def documents(con: duckdb.DuckDBPyConnection, ix: EventIndex, f: Filters = Filters(), limit: int | None = 50, offset: int = 0,
              download: bool = False) -> Table:
    """Documents by outlet and publication period (dyad, type and actor filters are ignored)."""
    clauses, params = _outlet_and_period(f, "d.published", outlet_names(con, ix) if f.outlet else None)
    where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
    sql = ("SELECT d.doc_id, d.title, d.outlet, d.published, d.published_precision, d.url, d.n_words, "
           f"d.duplicate_of FROM documents d{where} ORDER BY d.published DESC NULLS LAST, d.doc_id")
    table = _table(con, "documents", sql, params, limit, offset, download)
    ids = table.data.column("doc_id").to_pylist() if len(table) else []
    ix.ensure()
    counts = ix.count_of("doc_id", ids) if ids else {}
    table.data = table.data.append_column("events", pa.array([counts.get(i, 0) for i in ids], pa.int64()))
    return table


def document(con: duckdb.DuckDBPyConnection, ix: EventIndex, doc_id: str) -> dict[str, Any]:
    """One document with its text, removed boilerplate, mentions, events and figures."""
    # the run that stored it is a question of its own (document_run)
    cur = con.execute("SELECT * EXCLUDE (run_id) FROM documents WHERE doc_id = ?", [doc_id])
    row = cur.fetchone()
    if row is None:
        raise NotFound(f"no document {doc_id!r}")
    doc = dict(zip([c[0] for c in cur.description], row, strict=True))

    def rows(sql: str) -> list[dict[str, Any]]:
        return con.execute(sql, [doc_id]).fetch_arrow_table().to_pylist()

    doc["removed"] = rows("SELECT idx, reason, text FROM removed WHERE doc_id = ? ORDER BY idx")
    doc["mentions"] = rows("SELECT idx, start_char, end_char, text, name, country, sector, role, kind "
                           "FROM mentions WHERE doc_id = ? ORDER BY idx")
    ix.ensure()
    ranks = ix.ranks_of("doc_id", doc_id)
    doc["events"] = ix.take(ranks, EVENT_COLUMNS).to_pylist()
    doc["quantities"] = rows("SELECT idx, start_char, end_char, text, value, unit, value_usd, bound, metric, "
                             "countries, period, evidence FROM quantities WHERE doc_id = ? ORDER BY idx")
    for q in doc["quantities"]:  # what each figure means, as the figures and claims say (_with_readings)
        q["period_length"] = period_length(q["period"])
        q["kind"] = figure_kind(q.pop("evidence"), q["text"])
    return doc


RUN_SQL = """
SELECT d.doc_id, d.lang, d.run_id, r.started, r.finished, r.bilat_version, r.convention, r.parse,
       r.coder_model, r.ml_coder_model, r.rule_versions, r.settings
FROM documents d LEFT JOIN runs r ON r.run_id = d.run_id WHERE d.doc_id = ?
"""


def document_run(con: duckdb.DuckDBPyConnection, doc_id: str) -> dict[str, Any]:
    """The run that stored a document and what it ran: ``convention``, ``parse``, ``model`` (the version of
    the event coder of the document's language: the multilingual coder's for Russian, else the English
    coder's; None when the trigger rules alone coded it), both coders' versions, ``rule_versions`` (each
    rule file's version and a digest), ``bilat_version`` and ``settings``. A document stored before runs
    recorded this has its run id (from the ingest log) and None for the rest."""
    cur = con.execute(RUN_SQL, [doc_id])
    row = cur.fetchone()
    if row is None:
        raise NotFound(f"no document {doc_id!r}")
    run = dict(zip([c[0] for c in cur.description], row, strict=True))
    for name in ("rule_versions", "settings"):
        run[name] = json.loads(run[name]) if run[name] is not None else None
    run["coder"] = run["settings"].get("coder") if run["settings"] else None
    run["model"] = run["ml_coder_model"] if run["lang"] == "ru" else run["coder_model"]
    return run


def figures(con: duckdb.DuckDBPyConnection, f: Filters = Filters(), metric: str | None = None,
            limit: int | None = MAX_LIMIT, offset: int = 0, download: bool = False) -> Table:
    """Figures with a metric, one row per source; for a dyad, those naming both countries."""
    clauses, params = ["q.metric IS NOT NULL"], []
    if f.pair:
        clauses.append("list_has_all(q.countries, [?, ?])")
        params += list(f.pair)
    if metric:
        clauses.append("q.metric = ?")
        params.append(metric)
    more, more_params = _outlet_and_period(f, "coalesce(q.period, d.published)",
                                           outlet_names(con) if f.outlet else None)
    clauses += more
    params += more_params
    sql = ("SELECT q.doc_id, q.idx, q.metric, q.countries, q.period, q.value, q.unit, q.value_usd, q.bound, "
           "q.text, q.evidence, d.outlet, d.published FROM quantities q JOIN documents d USING (doc_id) "
           f"WHERE {' AND '.join(clauses)} ORDER BY q.metric, coalesce(q.period, d.published), d.outlet")
    return _with_readings(_table(con, "figures", sql, params, limit, offset, download))


def _with_readings(table: Table) -> Table:
    """Figures with what they mean, read from their stored period and evidence: ``period_length`` (year,
    quarter, "8 months"; ``bilat.quantities.periods.period_length``), ``months`` and ``kind`` (reported,
    target or forecast; ``bilat.quantities.kinds``)."""
    data = table.data
    periods = data.column("period").to_pylist()
    kinds = [figure_kind(e, t) for e, t in zip(data.column("evidence").to_pylist(), data.column("text").to_pylist(),
                                               strict=True)]
    table.data = (data.append_column("period_length", pa.array([period_length(p) for p in periods], pa.string()))
                  .append_column("months", pa.array([period_months(p) for p in periods], pa.int32()))
                  .append_column("kind", pa.array(kinds, pa.string())))
    return table


def claims(con: duckdb.DuckDBPyConnection, f: Filters = Filters(), metric: str | None = None,
           disagreement: bool | None = None) -> list[dict[str, Any]]:
    """Per metric, dyad and period, every source's value side by side (``bilat.quantities.build_claims``)."""
    from ..quantities import build_claims  # the claims rules live with the figures

    rows = figures(con, f, metric, limit=MAX_DOWNLOAD, download=True).records()
    out = build_claims(rows)
    if disagreement is not None:
        out = [c for c in out if c["disagreement"] == disagreement]
    return out


def actors(con: duckdb.DuckDBPyConnection, ix: EventIndex, q: str | None = None, kind: str | None = None,
           limit: int | None = 50, offset: int = 0, download: bool = False) -> Table:
    """Actors named in the corpus with how many documents and events they appear in.

    The per-actor totals are computed once per ``kind`` (an aggregate over every mention) and kept;
    ``q`` (a case-insensitive part of the name) filters them."""
    limit, offset = _page(limit, offset, download)

    def every() -> pa.Table:
        clauses, params = ["m.name IS NOT NULL"], []
        if kind:
            clauses.append("m.kind = ?")
            params.append(kind)
        return con.execute(
            "SELECT m.name, any_value(m.country) AS country, any_value(m.kind) AS kind, "
            "count(DISTINCT m.doc_id) AS documents, count(*) AS mentions "
            f"FROM mentions m WHERE {' AND '.join(clauses)} GROUP BY m.name ORDER BY documents DESC, m.name",
            params).fetch_arrow_table()

    data = ix.memo(("actors", kind), every)
    if q:
        data = data.filter(pc.match_substring(pc.utf8_lower(data.column("name")), q.lower()))
    total = data.num_rows
    data = data.slice(offset, limit)
    names = data.column("name").to_pylist()
    ix.ensure()
    # reports naming the actor as source or target (twice if both)
    source, target = ix.actor_counts["source_actor"], ix.actor_counts["target_actor"]
    data = data.append_column("events", pa.array([source.get(n, 0) + target.get(n, 0) for n in names], pa.int64()))
    return Table("actors", data, total, limit, offset)


def actor(con: duckdb.DuckDBPyConnection, ix: EventIndex, name: str) -> dict[str, Any]:
    """One actor: identity, roles over time (from dated documents) and event counts as source and target."""
    return ix.memo(("actor", name), lambda: _actor(con, ix, name))


def _actor(con: duckdb.DuckDBPyConnection, ix: EventIndex, name: str) -> dict[str, Any]:
    row = con.execute("SELECT any_value(country), any_value(kind), any_value(sector), count(DISTINCT doc_id) "
                      "FROM mentions WHERE name = ?", [name]).fetchone()
    ix.ensure()
    counts = (ix.actor_counts["src"].get(name, 0), ix.actor_counts["dst"].get(name, 0))
    if (row is None or row[3] == 0) and not any(counts):
        raise NotFound(f"no actor {name!r}")
    roles = con.execute(
        "SELECT m.role, min(d.published) AS first_seen, max(d.published) AS last_seen, "
        "count(DISTINCT m.doc_id) AS documents FROM mentions m JOIN documents d USING (doc_id) "
        "WHERE m.name = ? AND m.role IS NOT NULL GROUP BY m.role ORDER BY first_seen NULLS LAST, m.role",
        [name]).fetch_arrow_table().to_pylist()
    return {"name": name, "country": row[0], "kind": row[1], "sector": row[2], "documents": row[3],
            "roles": roles, "events_as_source": counts[0], "events_as_target": counts[1]}


def top_actors(ix: EventIndex, f: Filters, limit: int = 15) -> list[dict[str, Any]]:
    """Named actors taking part in the matching events, most active first."""
    def run(c: duckdb.DuckDBPyConnection) -> list[tuple]:
        where, params = _event_where(ix, f)
        return c.execute(
            "SELECT name, count(*) AS events, count(*) FILTER (WHERE side = 'source') AS as_source FROM ("
            f"SELECT source_actor AS name, 'source' AS side FROM ev{where} "
            f"UNION ALL SELECT target_actor, 'target' FROM ev{where}) "
            "WHERE name IS NOT NULL GROUP BY name ORDER BY events DESC, name LIMIT ?",
            [*params, *params, limit]).fetchall()

    return ix.memo(("top_actors", f, limit), lambda: [
        {"name": n, "events": c, "as_source": s, "as_target": c - s} for n, c, s in _on_index(ix, run)])


def network(ix: EventIndex, f: Filters = Filters(), max_edges: int = 200) -> dict[str, Any]:
    """Actors linked by events: edges (source → target, count, types), nodes with their degree."""
    def run(c: duckdb.DuckDBPyConnection) -> list[tuple]:
        where, params = _event_where(ix, f, ("src IS NOT NULL", "dst IS NOT NULL"))
        return c.execute(
            "SELECT src, dst, count(*) AS events, list(DISTINCT type ORDER BY type) AS types, avg(intensity) "
            f"FROM ev{where} GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT ?", [*params, max_edges]).fetchall()

    return ix.memo(("network", f, max_edges), lambda: _graph(_on_index(ix, run)))


def _graph(rows: list[tuple]) -> dict[str, Any]:
    edges = [{"source": s, "target": t, "events": n, "types": list(ty), "mean_intensity": i}
             for s, t, n, ty, i in rows]
    degree: dict[str, int] = {}
    for e in edges:
        for end in (e["source"], e["target"]):
            degree[end] = degree.get(end, 0) + e["events"]
    nodes = [{"id": k, "events": v} for k, v in sorted(degree.items(), key=lambda kv: (-kv[1], kv[0]))]
    return {"nodes": nodes, "edges": edges}


# Trends: one series per dyad ("RUS-TJK", either direction) or country ("RUS", with all its partners), binned
# by month, quarter or year, counting distinct events (clusters) by default. The REST API (/api/trend,
# /api/trend/why), the dashboard (/trends) and Corpus.trend / Corpus.why all call trend() and trend_why().

BINS = ("month", "quarter", "year")
TREND_UNITS = ("events", "reports")
MAX_SERIES = 8
MAX_BINS = 1200  # a hundred years by month
NET_INDEX = ("Net cooperation index: for each period, the sum of the Goldstein intensities (−10 most conflictual "
             "… +10 most cooperative) of the distinct events in it. An event (a cluster of reports of one real "
             "event) counts once, with the mean intensity of its reports; an event contributes its intensity, so "
             "a period's index is the sum of its events' contributions. Negated and hypothetical reports are left "
             "out, planned ones unless asked for; 0 is a period without events or one where cooperation and "
             "conflict balance (the bars by quad class tell which).")
AUTO_BIN = "month for a span of up to 3 years, quarter up to 15 years, year beyond"
SPIKE_RULE = ("a spike is a period with at least 3 events and at least twice as many as the median of the "
              "series' periods that have any")
_SERIES_KEY = re.compile(r"^[A-Za-z0-9]{2,12}(-[A-Za-z0-9]{2,12})?$")
_PERIOD_FORMS = (("year", re.compile(r"^\d{4}$")), ("quarter", re.compile(r"^\d{4}-Q[1-4]$")),
                 ("month", re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")))


@dataclass(frozen=True)
class TrendSpec:
    """What a trend view asks for: its series, the bin, what counts.

    ``series``: dyads ("RUS-TJK") and countries ("RUS": every event between it and another side); each
    country brings its ``partners`` busiest partner dyads after it, so "RUS" with ``partners=3`` draws
    Russia against all and its three main partners side by side. ``bin``: month, quarter, year or auto
    (:data:`AUTO_BIN`). ``planned``: count planned events too. ``unit``: ``events`` (clusters) or
    ``reports`` (every report on its own)."""

    series: tuple[str, ...]
    bin: str = "auto"
    planned: bool = False
    unit: str = "events"
    partners: int = 0

    def __post_init__(self) -> None:
        if not self.series:
            raise QueryError("a trend needs a dyad (RUS-TJK) or a country (RUS)")
        if len(self.series) > MAX_SERIES:
            raise QueryError(f"at most {MAX_SERIES} series side by side")
        for key in self.series:
            if not _SERIES_KEY.match(key):
                raise QueryError(f"a series is a dyad (RUS-TJK) or a country code (RUS), not {key!r}")
        if self.bin not in (*BINS, "auto"):
            raise QueryError(f"bin must be one of month, quarter, year, auto, not {self.bin!r}")
        if self.unit not in TREND_UNITS:
            raise QueryError(f"unit must be events or reports, not {self.unit!r}")
        if not 0 <= self.partners <= MAX_SERIES:
            raise QueryError(f"partners must be 0..{MAX_SERIES}")


def trend_series(keys: str | list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """Series keys from "RUS-TJK, rus-kaz" or a list: upper case, in order, each once."""
    items = keys.split(",") if isinstance(keys, str) else list(keys)
    return tuple(dict.fromkeys(k.strip().upper() for k in items if k and k.strip()))


def period_bin(period: str) -> str:
    """The bin a period label names: "2019" year, "2019-Q2" quarter, "2019-04" month."""
    for name, form in _PERIOD_FORMS:
        if form.match(period):
            return name
    raise QueryError(f"period must be YYYY, YYYY-Qn or YYYY-MM, not {period!r}")


def _bin_of(day: str, bin: str) -> str | None:
    """The period holding a date, or None when the date is coarser than the bin ("2019" by quarter)."""
    if bin == "year":
        return day[:4]
    if len(day) < 7:
        return None
    if bin == "quarter":
        return f"{day[:4]}-Q{(int(day[5:7]) - 1) // 3 + 1}"
    return day[:7]


def _ordinal(period: str) -> int:
    """Periods of one bin as consecutive integers."""
    year = int(period[:4])
    if len(period) == 4:
        return year
    if period[5] == "Q":
        return year * 4 + int(period[6]) - 1
    return year * 12 + int(period[5:7]) - 1


def _period(ordinal: int, bin: str) -> str:
    if bin == "year":
        return f"{ordinal:04d}"
    if bin == "quarter":
        return f"{ordinal // 4:04d}-Q{ordinal % 4 + 1}"
    return f"{ordinal // 12:04d}-{ordinal % 12 + 1:02d}"


def period_range(period: str) -> tuple[str, str]:
    """First and last day of a period ("2019-Q2" → 2019-04-01, 2019-06-30)."""
    year = period[:4]
    if len(period) == 4:
        return f"{year}-01-01", f"{year}-12-31"
    if period[5] == "Q":
        q = int(period[6])
        return f"{year}-{3 * q - 2:02d}-01", _high(f"{year}-{3 * q:02d}")
    return f"{period}-01", _high(period)


def _auto_bin(first: str, last: str) -> str:
    months = _ordinal(_high(last)[:7]) - _ordinal(_low(first)[:7]) + 1
    return "month" if months <= 36 else "quarter" if months <= 180 else "year"


UNIT_SQL = """
SELECT {key} AS unit,
       first(event_key ORDER BY length(date) DESC, date, rk) AS event_key,
       first(date ORDER BY length(date) DESC, date, rk) AS date,
       first(type ORDER BY length(date) DESC, date, rk) AS type,
       avg(intensity) AS contribution,
       count(*) AS reports,
       coalesce(list_sort(list(DISTINCT outlet) FILTER (WHERE outlet IS NOT NULL)), []) AS outlets,
       first(rk ORDER BY length(date) DESC, date, rk) AS rk
FROM {table}
WHERE date IS NOT NULL AND NOT coalesce(negated, FALSE) AND NOT coalesce(hypothetical, FALSE)
  AND (? OR NOT coalesce(planned, FALSE))
GROUP BY 1
"""


def _series_clause(ix: EventIndex, key: str) -> tuple[tuple[str, ...], list[Any]]:
    """A dyad's reports (either direction), or a country's with any other side."""
    if "-" in key:
        return ("pair_id = ?", "source <> target"), [ix.pair_ids.get("-".join(sorted(key.split("-"))), -1)]
    return ("(source = ? OR target = ?)", "source <> target"), [key, key]


def trend_units(ix: EventIndex, f: Filters, key: str, planned: bool = False,
                unit: str = "events") -> list[dict[str, Any]]:
    """The units of one series under the filters (``f.dyad`` is ignored: ``key`` names the series): per
    distinct event (or report) its date (the most precise of its kept reports), type, contribution to the
    net index (mean intensity of its kept reports), reports, outlets and the rank of the report that
    stands for it. Negated and hypothetical reports are dropped, planned ones unless ``planned``."""
    fs = Filters(types=f.types, since=f.since, until=f.until, outlet=f.outlet, actor=f.actor, lang=f.lang)

    def run(c: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
        clauses, first = _series_clause(ix, key)
        where, params = _event_where(ix, fs, clauses)
        ranks = np.sort(c.execute(f"SELECT rk FROM ev{where}", [*first, *params]).fetchnumpy()["rk"])
        rows = ix.take(ranks, ["event_key", "date", "type", "intensity", "negated", "hypothetical", "planned",
                               "outlet"])  # a numpy array of ranks: no list of Python ints
        rows = rows.append_column("rk", pa.array(ranks, pa.int64()))
        name = f"_trend_{threading.get_ident()}"
        c.register(name, rows)
        try:
            found = c.execute(UNIT_SQL.format(key="event_key" if unit == "events" else "rk", table=name),
                              [planned]).fetch_arrow_table()
        finally:
            c.unregister(name)
        found = found.drop(["unit"]).sort_by([("date", "ascending"), ("rk", "ascending")])
        return found.to_pylist()

    return ix.memo(("trend_units", fs, key, planned, unit), lambda: _on_index(ix, run))


def _bins_between(first: str, last: str) -> list[str]:
    bin = period_bin(first)
    return [_period(o, bin) for o in range(_ordinal(first), _ordinal(last) + 1)]


def _series_points(units: list[dict[str, Any]], bin: str, periods: list[str],
                   quads: Mapping[str, str]) -> dict[str, Any]:
    """Zero-filled points of one series over ``periods``, and its spikes (:data:`SPIKE_RULE`, judged over all
    its events, whatever ``periods`` shows)."""
    points = {p: {"period": p, "start": period_range(p)[0], "end": period_range(p)[1], "events": 0, "reports": 0,
                  "net": 0.0, "quads": {q: 0 for q in dict.fromkeys(quads.values())}} for p in periods}
    coarse = 0
    for u in units:
        p = _bin_of(u["date"], bin)
        if p is None:
            coarse += 1
            continue
        point = points.get(p)
        if point is None:
            continue
        point["events"] += 1
        point["reports"] += u["reports"]
        point["net"] += u["contribution"] or 0.0
        quad = quads.get(u["type"])
        if quad:
            point["quads"][quad] += 1
    for point in points.values():
        point["net"] = round(point["net"], 1)
    spikes = [p for p in _spikes(units, bin) if p in points]
    for p in spikes:
        points[p]["spike"] = True
    return {"points": [points[p] for p in periods], "spikes": spikes, "coarse": coarse,
            "events": sum(pt["events"] for pt in points.values())}


def _spikes(units: list[dict[str, Any]], bin: str) -> list[str]:
    per: dict[str, int] = {}
    for u in units:
        if p := _bin_of(u["date"], bin):
            per[p] = per.get(p, 0) + 1
    if not per:
        return []
    counts = sorted(per.values())
    mid = len(counts) // 2
    median = counts[mid] if len(counts) % 2 else (counts[mid - 1] + counts[mid]) / 2
    return sorted(p for p, n in per.items() if n >= 3 and n >= 2 * median)


def busiest_days(units: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Days holding at least two of these events, busiest first: the bursts inside a period."""
    per: dict[str, dict[str, Any]] = {}
    for u in units:
        if len(u["date"]) == 10:
            day = per.setdefault(u["date"], {"date": u["date"], "events": 0, "reports": 0, "outlets": set()})
            day["events"] += 1
            day["reports"] += u["reports"]
            day["outlets"].update(u["outlets"])
    days = [{**d, "outlets": sorted(d["outlets"])} for d in per.values() if d["events"] >= 2]
    return sorted(days, key=lambda d: (-d["events"], -d["reports"], d["date"]))


def _extent(units: list[dict[str, Any]], bin: str, f: Filters) -> tuple[str, str] | None:
    """First and last period of a series: the filter's bounds, else its first and last placed event."""
    placed = [p for u in units if (p := _bin_of(u["date"], bin))]
    lo = _bin_of(_low(f.since), bin) if f.since else (min(placed) if placed else None)
    hi = _bin_of(_high(f.until), bin) if f.until else (max(placed) if placed else None)
    if lo is None or hi is None or lo > hi:
        return None
    return lo, hi


def partners(ix: EventIndex, f: Filters, country: str, limit: int) -> list[str]:
    """A country's busiest partner dyads under the filters (distinct events), as "RUS-TJK" keys."""
    if limit < 1:
        return []

    def run(c: duckdb.DuckDBPyConnection) -> list[tuple]:
        clauses, first = _series_clause(ix, country)
        fs = Filters(types=f.types, since=f.since, until=f.until, outlet=f.outlet, actor=f.actor, lang=f.lang)
        where, params = _event_where(ix, fs, clauses)
        return c.execute(f"SELECT CASE WHEN source = ? THEN target ELSE source END AS partner, "
                         f"count(DISTINCT event_key) FROM ev{where} GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ?",
                         [country, *first, *params, limit]).fetchall()

    return [f"{country}-{p}" for p, _ in _on_index(ix, run) if p]


def trend(ix: EventIndex, f: Filters, spec: TrendSpec, quads: Mapping[str, str]) -> dict[str, Any]:
    """Series side by side over the same periods, zero-filled: per period the distinct events (or
    reports), reports, net cooperation index (:data:`NET_INDEX`) and events per quad class; spikes
    (:data:`SPIKE_RULE`); ``coarse`` counts events dated too coarsely for the bin (a year by quarter)."""
    keys: list[str] = []
    for key in spec.series:
        keys.append(key)
        if "-" not in key:
            keys += partners(ix, f, key, spec.partners)
    keys = list(dict.fromkeys(keys))[:MAX_SERIES]
    units = {k: trend_units(ix, f, k, spec.planned, spec.unit) for k in keys}
    dates = sorted(u["date"] for us in units.values() for u in us)
    bin = spec.bin
    if bin == "auto":
        first = _low(f.since) if f.since else (dates[0] if dates else None)
        last = _high(f.until) if f.until else (dates[-1] if dates else None)
        bin = _auto_bin(first, last) if first and last else "year"
    known = [e for us in units.values() if (e := _extent(us, bin, f))]
    periods: list[str] = []
    if known:
        lo, hi = min(e[0] for e in known), max(e[1] for e in known)
        if _ordinal(hi) - _ordinal(lo) + 1 > MAX_BINS:
            raise QueryError(f"more than {MAX_BINS} periods: choose a coarser bin or a shorter span")
        periods = _bins_between(lo, hi)
    series = [{"key": k, "kind": "dyad" if "-" in k else "country", **_series_points(units[k], bin, periods, quads)}
              for k in keys]
    return {"bin": bin, "unit": spec.unit, "planned": spec.planned, "periods": periods, "series": series,
            "index": NET_INDEX, "auto_bin": AUTO_BIN, "spike_rule": SPIKE_RULE}


def trend_why(ix: EventIndex, f: Filters, key: str, period: str, quads: Mapping[str, str], planned: bool = False,
              unit: str = "events", limit: int = 50) -> dict[str, Any]:
    """Why a series stood where it did in one period: its index and the change from the period before,
    whether it is a spike, and its events, those that moved the index most (largest contribution, either
    sign) first, each with the evidence sentence of the report that stands for it and its outlets."""
    bin = period_bin(period)
    spec = TrendSpec((key,), bin, planned, unit)  # validates the key
    units = trend_units(ix, f, spec.series[0], planned, unit)
    previous = _period(_ordinal(period) - 1, bin)
    shown = _series_points(units, bin, [previous, period], quads)
    before, point = shown["points"]
    mine = sorted((u for u in units if _bin_of(u["date"], bin) == period),
                  key=lambda u: (-abs(u["contribution"] or 0.0), u["date"], u["rk"]))
    ix.ensure()
    names = outlet_names(ix._store, ix)
    # outlets by canonical name, in new dicts: the units are kept in the index's memo
    mine = [{**u, "outlets": sorted({names.canonical(o) for o in u["outlets"]})} for u in mine]
    confirmed = confirmations(ix._store, ix, {u["event_key"]: ix.take(ix.ranks_of("event_key", u["event_key"], MAX_LIMIT),
                                                                    ["doc_id", "idx", "outlet"]).to_pylist()
                                              for u in mine[:limit]})
    reports = ix.take([u["rk"] for u in mine[:limit]], EVENT_COLUMNS).to_pylist() if mine else []
    items = []
    for u, r in zip(mine[:limit], reports, strict=True):
        items.append({**{k: r[k] for k in ("event_key", "doc_id", "idx", "type", "mode", "source", "source_actor",
                                            "target", "target_actor", "evidence", "trigger", "start_char",
                                            "end_char")},
                      "date": u["date"], "quad": quads.get(u["type"]),
                      "contribution": round(u["contribution"], 2) if u["contribution"] is not None else None,
                      "reports": u["reports"], "outlets": u["outlets"],
                      "confirmed_by": confirmed[u["event_key"]]["confirmed_by"],
                      "independent_outlets": confirmed[u["event_key"]]["independent_outlets"]})
    start, end = period_range(period)
    return {"series": spec.series[0], "period": period, "bin": bin, "start": start, "end": end,
            "net": point["net"], "events": point["events"], "reports": point["reports"], "quads": point["quads"],
            "previous": {"period": previous, "net": before["net"], "events": before["events"]},
            "change": round(point["net"] - before["net"], 1), "spike": period in shown["spikes"],
            "busiest_days": busiest_days(mine),
            "total": len(mine), "limit": limit, "items": items, "index": NET_INDEX}
