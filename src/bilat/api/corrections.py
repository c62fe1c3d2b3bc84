"""The REST API of review: the queue by confidence, the corrections made, and a new correction (POST).

A POST needs a server started for review (``bilat serve --review``: 403 otherwise), the server token when
one is set (the middleware checks it on every request), and, unless the token came in an
``Authorization: Bearer`` header (which no other site can make a browser send), the CSRF token: the
``bilat_csrf`` cookie a dashboard page set, sent back in the ``X-CSRF-Token`` header.
"""
from __future__ import annotations

import dataclasses
from typing import Any, Literal

import duckdb
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from ..store import corrections as store
from ..store.queries import MAX_LIMIT
from .deps import AppState, db, state
from .security import CSRF_HEADER, HEADERS, csrf_problem

ERROR = {"content": {"application/json": {"schema": {"type": "object", "properties": {"detail": {}}}}}}
router = APIRouter(prefix="/api", tags=["review"], responses={
    400: {"description": "A value that cannot be used", **ERROR},
    401: {"description": "Token missing or wrong (when the server requires one)", **ERROR}})


class CorrectionIn(BaseModel):
    """One correction. ``event_key`` names the event (a cluster id, whose every report is corrected, or
    DOC~IDX); for ``add``, ``doc_id`` and ``sentence`` name the sentence that states the missed event."""

    action: Literal["reject", "restore", "retype", "actors", "date", "modality", "add"]
    by: str = Field(..., min_length=1, max_length=store.MAX_AUTHOR, description="Who corrects")
    why: str | None = Field(None, max_length=store.MAX_REASON, description="Why")
    event_key: str | None = Field(None, max_length=300)
    doc_id: str | None = Field(None, max_length=300)
    sentence: int | None = Field(None, ge=0, le=10_000_000)
    type: str | None = Field(None, max_length=20, description="PLOVER type (retype, add)")
    mode: str | None = Field(None, max_length=40)
    source: str | None = Field(None, max_length=12, description="Code of the acting side (actors, add)")
    target: str | None = Field(None, max_length=12)
    source_actor: str | None = Field(None, max_length=200)
    target_actor: str | None = Field(None, max_length=200)
    date: str | None = Field(None, max_length=10, description="YYYY, YYYY-MM or YYYY-MM-DD")
    negated: bool | None = None
    planned: bool | None = None
    hypothetical: bool | None = None

    def change(self) -> store.Change:
        return store.Change(**self.model_dump(include={f.name for f in dataclasses.fields(store.Change)}))


def save(s: AppState, c: CorrectionIn) -> list[int]:
    """Store one correction through the server's writer; the ids of the rows written."""
    if c.action == "add":
        if c.doc_id is None or c.sentence is None:
            raise store.CorrectionError("add: give doc_id and sentence")
        return [s.write(lambda cur: store.add_event(cur, c.doc_id, c.sentence, c.by, c.why, c.change()))]
    if not c.event_key:
        raise store.CorrectionError(f"{c.action}: give event_key")
    return s.write(lambda cur: store.correct(cur, c.event_key, c.action, c.by, c.why, c.change()))


@router.post("/corrections", status_code=201, responses={
    403: {"description": "Corrections are off (serve with --review), or the CSRF check failed", **ERROR},
    404: {"description": "No such event or sentence", **ERROR}})
def post_correction(request: Request, body: CorrectionIn, s: AppState = Depends(state)) -> Any:
    """Correct an event (reject, restore, retype, actors, date, modality) or add a missed one. Applies at
    once to every view, count, trend and export; each corrected row carries ``corrected`` and
    ``correction_id``."""
    # a server token the middleware accepted from a Bearer header cannot come from another site's page
    if s.review and not getattr(request.state, "bearer", False):
        problem = csrf_problem(request, request.headers.get(CSRF_HEADER))
        if problem:
            return JSONResponse({"detail": problem}, status_code=403, headers=HEADERS)
    ids = save(s, body)
    return JSONResponse({"correction_ids": ids}, status_code=201, headers=HEADERS)


@router.get("/corrections")
def get_corrections(limit: int = Query(100, ge=1, le=MAX_LIMIT), offset: int = Query(0, ge=0, le=10_000_000),
                    con: duckdb.DuckDBPyConnection = Depends(db)) -> list[dict[str, Any]]:
    """The corrections made, newest first: who, when, why, the event as extracted and the values set."""
    return store.corrections(con, limit, offset)


@router.get("/review/queue")
def review_queue(limit: int = Query(50, ge=1, le=MAX_LIMIT), offset: int = Query(0, ge=0, le=10_000_000),
                 include_corrected: bool = False, con: duckdb.DuckDBPyConnection = Depends(db)) -> dict[str, Any]:
    """Event reports to review, the event coder's least confident first (rule-only reports last)."""
    return {"total": store.queue_size(con, include_corrected), "limit": limit, "offset": offset,
            "items": store.review_queue(con, limit, offset, include_corrected)}
