"""The FastAPI application: REST API under ``/api``, dashboard pages at ``/``, one query layer.

The server stands above both edges it serves: it builds the state that ``api.deps`` hands to
every request, includes the API's routes and the dashboard's pages, and neither imports it back.
``create_app(db)`` opens the store read-only once (for writing corrections with ``review=True``); every
request works on its own cursor. Errors are translated once here: a ``BilatError`` answers with its class's
``status`` (``errors.py``: ``QueryError`` 400, ``ReviewClosed`` 403, ``NotFound`` and ``UnknownEvent`` 404,
...) and its message on one line, a server-side one (5xx) without details; a database error or anything
else is a 500 without details.
"""
from __future__ import annotations

import logging
from collections.abc import Collection
from pathlib import Path

import duckdb
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response

from ..api.analysis import router as analysis_api_router
from ..api.corrections import router as corrections_router
from ..api.deps import AppState
from ..api.routes import router as api_router
from ..api.security import HEADERS, SecurityMiddleware, token_problem
from ..errors import BilatError, ConfigError, one_line
from ..events.quads import load_quads
from ..store.queries import EventIndex
from ..store.search import SearchIndex
from ..store.writer import connect
from ..web.analysis import router as analysis_pages_router
from ..web.pages import error_page, static_routes
from ..web.pages import router as pages_router
from ..web.review import router as review_router

logger = logging.getLogger(__name__)


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api") and request.url.path != "/openapi.json"


def _error(request: Request, status: int, message: str) -> Response:
    if _wants_html(request):
        return error_page(request, status, message)
    return JSONResponse({"detail": message}, status_code=status, headers=HEADERS)


def create_app(db_path: str | Path, token: str | None = None, index_path: str | Path | None = None,
               allowed_hosts: Collection[str] | None = None, review: bool = False) -> FastAPI:
    """The app over one store, opened read-only; ``token`` (if set) is required on every request, and
    ``allowed_hosts`` (if set) are the only ``Host`` names answered (``bilat serve`` on loopback: the
    loopback names, against DNS rebinding). ``review``: open the store for writing and take corrections
    (each POST also needs the CSRF token of the page, ``api.security``)."""
    if token is not None and (problem := token_problem(token)):
        raise ConfigError(problem)
    db_path = Path(db_path)
    con = connect(db_path, read_only=not review)
    if review:  # the writer's memory bound is for ingest; the views read whole tables into the event index
        con.execute("RESET memory_limit")
    search = SearchIndex(db_path, index_path)
    app = FastAPI(title="bilat", version="0.1.0", docs_url=None, redoc_url=None,  # /api/docs: web.pages
                  description="Evidence-linked political event data: documents, events, actors, figures, claims.")
    app.state.bilat = AppState(db_path, con, load_quads(), search, EventIndex(con), review=review)
    app.add_middleware(SecurityMiddleware, token=token, allowed_hosts=allowed_hosts)

    @app.exception_handler(BilatError)
    async def bilat_error(request: Request, exc: BilatError) -> Response:
        if exc.status >= 500:  # the server's own trouble (a store, a setting): logged, its details kept here
            logger.error("%s on %s: %s", type(exc).__name__, request.url.path, exc)
            return _error(request, exc.status, "server error")
        return _error(request, exc.status, one_line(exc))

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

    app.include_router(api_router)
    app.include_router(corrections_router)
    app.include_router(analysis_api_router)
    static_routes(app)
    app.include_router(pages_router)
    app.include_router(review_router)
    app.include_router(analysis_pages_router)

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return HTMLResponse("", status_code=204)

    return app
