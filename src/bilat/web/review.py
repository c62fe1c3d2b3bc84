"""The review pages: the queue by the event coder's confidence, and the correction form of an event.

A correction is posted as a form (``/events/{key}/correct``, ``/review/add``) and needs a server started
for review (``bilat serve --review``), the server token when one is set (checked on every request by the
middleware) and, always, the page's CSRF token (the hidden ``csrf`` field must match the ``bilat_csrf``
cookie; ``api.security``). The correction itself is the store's (``store.corrections``).
"""
from __future__ import annotations

from urllib.parse import parse_qs, quote

import duckdb
from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ..api.deps import AppState, db, state
from ..api.security import CSRF_FIELD, HEADERS, csrf_problem
from ..events.ontology import PLOVER_TYPES
from ..store import corrections as store
from .pages import error_page, render

router = APIRouter(include_in_schema=False)
PAGE = 50
MAX_FORM = 20_000  # bytes of a correction form: a few short fields
_TRI = {"yes": True, "no": False}


async def _form(request: Request) -> dict[str, str]:
    """The posted form's fields (url-encoded; the first value of each), at most MAX_FORM bytes."""
    body = await request.body()
    if len(body) > MAX_FORM:
        return {}
    fields = parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True)
    return {k: v[0].strip() for k, v in fields.items() if v}


def _change(form: dict[str, str]) -> store.Change:
    return store.Change(
        type=form.get("type") or None, mode=form.get("mode") or None, source=form.get("source") or None,
        target=form.get("target") or None, source_actor=form.get("source_actor") or None,
        target_actor=form.get("target_actor") or None, date=form.get("date") or None,
        negated=_TRI.get(form.get("negated", "")), planned=_TRI.get(form.get("planned", "")),
        hypothetical=_TRI.get(form.get("hypothetical", "")))


def _refused(request: Request, form: dict[str, str]) -> Response | None:
    problem = csrf_problem(request, form.get(CSRF_FIELD))
    return error_page(request, 403, problem) if problem else None


@router.get("/review", response_class=HTMLResponse)
def review_page(request: Request, page: int = Query(1, ge=1, le=100_000), done: str | None = Query(None, max_length=40),
                s: AppState = Depends(state), con: duckdb.DuckDBPyConnection = Depends(db)) -> HTMLResponse:
    queue = store.review_queue(con, PAGE, (page - 1) * PAGE)
    return render(request, "review.html", queue=queue, total=store.queue_size(con), page=page, page_size=PAGE,
                  recent=store.corrections(con, 20), done=done, plover_types=PLOVER_TYPES)


@router.post("/events/{event_key}/correct", response_class=HTMLResponse)
async def correct_event(request: Request, event_key: str = Path(..., max_length=300),
                        s: AppState = Depends(state)) -> Response:
    form = await _form(request)
    if refused := _refused(request, form):
        return refused
    action = form.get("action", "")
    ids = s.write(lambda cur: store.correct(cur, event_key, action, form.get("by", ""), form.get("why"),
                                            _change(form)))
    done = f"{action} of {event_key}: correction {', '.join(map(str, ids))}"
    target = (f"/review?done={quote(done[:40])}" if action == "reject"
              else f"/events/{quote(event_key, safe='')}?corrected={ids[-1]}")
    return RedirectResponse(target, status_code=303, headers=HEADERS)


@router.post("/review/add", response_class=HTMLResponse)
async def add_event(request: Request, s: AppState = Depends(state)) -> Response:
    form = await _form(request)
    if refused := _refused(request, form):
        return refused
    try:
        sentence = int(form.get("sentence", ""))
    except ValueError:
        return error_page(request, 400, "sentence must be the sentence's index (a number)")
    cid = s.write(lambda cur: store.add_event(cur, form.get("doc_id", ""), sentence, form.get("by", ""),
                                              form.get("why"), _change(form)))
    return RedirectResponse(f"/events/added-{cid}?corrected={cid}", status_code=303, headers=HEADERS)

