"""What a request of the REST API or of a dashboard page depends on: the app's state, a cursor of the
read-only store, and the shared filters, validated.

The server (``bilat.server``) builds the :class:`AppState`; routes and pages take these functions with
``Depends``, so they never import the app that includes them.
"""
from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
from fastapi import Query, Request

from ..errors import BilatError, QueryError
from ..events.ontology import PLOVER_TYPES
from ..store.queries import EventIndex, Filters
from ..store.search import SearchIndex

# Empty values are allowed (a filter form sends "since=" for a blank field) and mean "no filter".
DATE_PATTERN = r"^(\d{4}(-\d{2}(-\d{2})?)?)?$"
DYAD_PATTERN = r"^([A-Za-z0-9]{2,12}-[A-Za-z0-9]{2,12})?$"
_TYPE = "|".join(t for name in PLOVER_TYPES for t in (name, name.lower()))
TYPES_PATTERN = rf"^(({_TYPE})(,({_TYPE}))*)?$"  # the schema names the types, so clients can know them
LANG_PATTERN = r"^(|en|ru)$"


class ReviewClosed(BilatError):
    """A correction posted to a server that was not started for review."""

    status = 403


@dataclass
class AppState:
    """What every request needs: the read-only store, the quad classes and the search index.

    ``review``: the store is open for writing, and corrections may be posted (``bilat serve --review``)."""

    db_path: Path
    con: duckdb.DuckDBPyConnection
    quads: Mapping[str, str]
    search: SearchIndex
    events: EventIndex
    review: bool = False
    _write_lock: threading.Lock = field(default_factory=threading.Lock)

    def write(self, fn: Callable[[duckdb.DuckDBPyConnection], Any]) -> Any:
        """Run ``fn`` on a cursor, one writer at a time, then let the views see the change."""
        if not self.review:
            raise ReviewClosed("corrections are off: serve with `bilat serve --review` to make them")
        with self._write_lock:
            cur = self.con.cursor()
            try:
                return fn(cur)
            finally:
                cur.close()
                self.events.refresh()

    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        cur = self.con.cursor()
        try:
            yield cur
        finally:
            cur.close()


def state(request: Request) -> AppState:
    return request.app.state.bilat


def index(request: Request) -> EventIndex:
    return request.app.state.bilat.events


def db(request: Request) -> Iterator[duckdb.DuckDBPyConnection]:
    yield from request.app.state.bilat.cursor()


def filters(
    request: Request,
    dyad: str | None = Query(None, pattern=DYAD_PATTERN, max_length=25, description="Country pair, e.g. RUS-TJK"),
    type: str | None = Query(None, pattern=TYPES_PATTERN, max_length=200, description="PLOVER types, comma-separated"),
    since: str | None = Query(None, pattern=DATE_PATTERN, max_length=10, description="YYYY, YYYY-MM or YYYY-MM-DD"),
    until: str | None = Query(None, pattern=DATE_PATTERN, max_length=10, description="YYYY, YYYY-MM or YYYY-MM-DD"),
    outlet: str | None = Query(None, max_length=200),
    actor: str | None = Query(None, max_length=200, description="Canonical actor name (source or target)"),
    lang: str | None = Query(None, pattern=LANG_PATTERN, description="Language of the documents: en or ru"),
) -> Filters:
    """The shared filters, validated; unknown PLOVER types are a 400."""
    types: tuple[str, ...] = ()
    if type:
        known = request.app.state.bilat.quads
        types = tuple(dict.fromkeys(t.strip().upper() for t in type.split(",") if t.strip()))
        unknown = [t for t in types if t not in known]
        if unknown:
            raise QueryError(f"unknown event type(s) {unknown}; known: {sorted(known)}")
    return Filters(dyad=dyad.upper() if dyad else None, types=types, since=since or None, until=until or None,
                   outlet=outlet or None, actor=actor or None, lang=lang or None)


def doc_filters(
    since: str | None = Query(None, pattern=DATE_PATTERN, max_length=10, description="Published on or after"),
    until: str | None = Query(None, pattern=DATE_PATTERN, max_length=10, description="Published on or before"),
    outlet: str | None = Query(None, max_length=200),
    lang: str | None = Query(None, pattern=LANG_PATTERN, description="Language of the documents: en or ru"),
) -> Filters:
    """The filters that apply to documents."""
    return Filters(since=since or None, until=until or None, outlet=outlet or None, lang=lang or None)


def figure_filters(
    dyad: str | None = Query(None, pattern=DYAD_PATTERN, max_length=25, description="Country pair, e.g. RUS-TJK"),
    since: str | None = Query(None, pattern=DATE_PATTERN, max_length=10, description="Period from"),
    until: str | None = Query(None, pattern=DATE_PATTERN, max_length=10, description="Period until"),
    outlet: str | None = Query(None, max_length=200),
    lang: str | None = Query(None, pattern=LANG_PATTERN, description="Language of the documents: en or ru"),
) -> Filters:
    """The filters that apply to figures and claims."""
    return Filters(dyad=dyad.upper() if dyad else None, since=since or None, until=until or None,
                   outlet=outlet or None, lang=lang or None)
