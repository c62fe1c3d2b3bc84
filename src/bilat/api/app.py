"""The FastAPI application: REST API under ``/api``, dashboard pages at ``/``, one query layer.

``create_app(db)`` opens the store read-only once; every request works on its own cursor.
Errors are translated once here: ``NotFound`` → 404, ``QueryError`` → 400, any other
``BilatError`` → 400, anything else → 500 without details.
"""
from __future__ import annotations

import logging
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import duckdb
from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response

from ..errors import BilatError, ConfigError
from ..events.ontology import PLOVER_TYPES
from ..store.queries import EventIndex, Filters, NotFound, QueryError
from ..store.writer import connect
from .quads import load_quads
from .search import SearchIndex
from .security import HEADERS, SecurityMiddleware, token_problem

logger = logging.getLogger(__name__)

# Empty values are allowed (a filter form sends "since=" for a blank field) and mean "no filter".
DATE_PATTERN = r"^(\d{4}(-\d{2}(-\d{2})?)?)?$"
DYAD_PATTERN = r"^([A-Za-z0-9]{2,12}-[A-Za-z0-9]{2,12})?$"
_TYPE = "|".join(t for name in PLOVER_TYPES for t in (name, name.lower()))
TYPES_PATTERN = rf"^(({_TYPE})(,({_TYPE}))*)?$"  # the schema names the types, so clients can know them


@dataclass
class AppState:
    """What every request needs: the read-only store, the quad classes and the search index."""

    db_path: Path
    con: duckdb.DuckDBPyConnection
    quads: Mapping[str, str]
    search: SearchIndex
    events: EventIndex

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


LANG_PATTERN = r"^(|en|ru)$"


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


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api") and request.url.path != "/openapi.json"


def _error(request: Request, status: int, message: str) -> Response:
    if _wants_html(request):
        from ..web.pages import error_page

        return error_page(request, status, message)
    return JSONResponse({"detail": message}, status_code=status, headers=HEADERS)


def create_app(db_path: str | Path, token: str | None = None, index_path: str | Path | None = None,
               allowed_hosts: Collection[str] | None = None) -> FastAPI:
    """The app over one store, opened read-only; ``token`` (if set) is required on every request, and
    ``allowed_hosts`` (if set) are the only ``Host`` names answered (``bilat serve`` on loopback: the
    loopback names, against DNS rebinding)."""
    if token is not None and (problem := token_problem(token)):
        raise ConfigError(problem)
    db_path = Path(db_path)
    con = connect(db_path, read_only=True)
    search = SearchIndex(db_path, index_path)
    app = FastAPI(title="bilat", version="0.1.0", docs_url=None, redoc_url=None,  # /api/docs: web.pages
                  description="Evidence-linked political event data: documents, events, actors, figures, claims.")
    app.state.bilat = AppState(db_path, con, load_quads(), search, EventIndex(con))
    app.add_middleware(SecurityMiddleware, token=token, allowed_hosts=allowed_hosts)

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound) -> Response:
        return _error(request, 404, str(exc))

    @app.exception_handler(QueryError)
    async def bad_query(request: Request, exc: QueryError) -> Response:
        return _error(request, 400, str(exc))

    @app.exception_handler(BilatError)
    async def bilat_error(request: Request, exc: BilatError) -> Response:
        return _error(request, 400, str(exc))

    @app.exception_handler(duckdb.Error)
    async def db_error(request: Request, exc: duckdb.Error) -> Response:
        logger.error("database error on %s: %s", request.url.path, exc)
        return _error(request, 500, "database error")

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        if _wants_html(request):
            fields = ", ".join(str(e.get("loc", ["?"])[-1]) for e in exc.errors())
            return _error(request, 422, f"invalid value for: {fields}")
        detail = [{"loc": list(e.get("loc", [])), "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))}
                  for e in exc.errors()]
        return JSONResponse({"detail": detail}, status_code=422, headers=HEADERS)

    from ..web.pages import router as pages_router
    from ..web.pages import static_routes
    from .routes import router as api_router

    app.include_router(api_router)
    static_routes(app)
    app.include_router(pages_router)

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return HTMLResponse("", status_code=204)

    return app
