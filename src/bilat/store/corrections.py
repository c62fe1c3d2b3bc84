"""The analyst's corrections: stored apart from extraction, applied to every read of the events.

A correction (a row of ``corrections``, migration 005) rejects an extracted report, restores it, changes
its type, its sides, its date or its modality, or adds an event extraction missed. It names the report by
facts that survive re-extraction (document, sentence index, extracted type, the two sides' codes), not by
``idx`` or ``event_id``, which a new extraction may renumber; those are recorded as seen, for the record.
Ingest never writes this table, so a re-extracted report is corrected again as soon as it is stored. An
added event (``added-N``, N the id of the addition) is corrected like any other, named by that id.

Every read of the events goes through :data:`REVIEWED_EVENTS` (the event index of the views and the API,
the summary, the export): the ``events`` table with the corrections applied, rejected reports left out and
added events in, each row flagged ``corrected`` with the latest ``correction_id`` that touched it.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from typing import Any

import duckdb

from ..errors import BilatError
from ..events.ontology import PLOVER_TYPES, Ontology

logger = logging.getLogger(__name__)

ACTIONS = ("reject", "restore", "retype", "actors", "date", "modality", "add")
MAX_AUTHOR = 100
MAX_REASON = 1000
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_CODE = re.compile(r"^[A-Z0-9]{2,12}$")
_PRECISION = {4: "year", 7: "month", 10: "day"}

# Fields a correction may set; for each, the latest correction of a report that sets it wins. A retype
# sets ``mode`` to '' when it names none (the old type's mode does not carry over), a new side without a
# name sets the side's actor name to '' (the old actor does not belong to the new side): '' reads as null.
_FIELDS = ("type", "mode", "cameo", "intensity", "source", "target", "source_actor", "target_actor", "date",
           "date_precision", "negated", "planned", "hypothetical")
_LATEST = ",\n".join(f"arg_max(c.{f}, c.correction_id) FILTER (WHERE c.{f} IS NOT NULL) AS {f}"
                     for f in ("rejected", *_FIELDS))
_CLEARABLE = ("mode", "source_actor", "target_actor")
_APPLIED = ", ".join(
    f"CASE WHEN h.{f} IS NULL THEN e.{f} ELSE nullif(h.{f}, '') END AS {f}" if f in _CLEARABLE
    else f"coalesce(h.{f}, e.{f}) AS {f}" for f in _FIELDS)

# Every report, extracted or added, with its corrections applied; ``rejected`` says which an analyst rejected.
ALL_REVIEWED = f"""(
WITH added AS (
    SELECT a.doc_id, -a.correction_id AS idx, 'added-' || CAST(a.correction_id AS VARCHAR) AS event_id,
           a.type, nullif(a.mode, '') AS mode, a.cameo, a.intensity, a.source, a.target,
           nullif(a.source_actor, '') AS source_actor, nullif(a.target_actor, '') AS target_actor, a.date,
           a.date_precision, 'review' AS date_method, a.negated, a.planned, a.hypothetical, a.sentence,
           s.start_char, s.end_char, s.text AS evidence, 'review' AS rule, a.correction_id AS added_by
    FROM corrections a LEFT JOIN sentences s ON s.doc_id = a.doc_id AND s.idx = a.sentence
    WHERE a.action = 'add'),
hit AS (
    SELECT e.doc_id, e.idx, {_LATEST}, max(c.correction_id) AS correction_id
    FROM events e JOIN corrections c
      ON c.action <> 'add' AND c.doc_id = e.doc_id AND c.sentence IS NOT DISTINCT FROM e.sentence
     AND c.orig_type = e.type AND c.orig_source IS NOT DISTINCT FROM e.source
     AND c.orig_target IS NOT DISTINCT FROM e.target
    GROUP BY e.doc_id, e.idx
    UNION ALL
    -- an added event is named by its own id, which no extraction renumbers
    SELECT e.doc_id, e.idx, {_LATEST}, max(c.correction_id) AS correction_id
    FROM added e JOIN corrections c
      ON c.action <> 'add' AND c.orig_type IS NULL AND c.seen_event_id = e.event_id
    GROUP BY e.doc_id, e.idx),
base AS (SELECT * FROM events UNION ALL BY NAME SELECT * FROM added)
SELECT e.* EXCLUDE (added_by) REPLACE ({_APPLIED},
                    CASE WHEN h.date IS NULL THEN e.date_method ELSE 'review' END AS date_method),
       h.idx IS NOT NULL OR e.added_by IS NOT NULL AS corrected,
       coalesce(h.correction_id, e.added_by) AS correction_id, coalesce(h.rejected, false) AS rejected
FROM base e LEFT JOIN hit h ON h.doc_id = e.doc_id AND h.idx = e.idx
)"""
# What the views, the API and the export read in place of ``events``.
REVIEWED_EVENTS = f"(SELECT * EXCLUDE (rejected) FROM {ALL_REVIEWED} WHERE NOT rejected)"


class CorrectionError(BilatError):
    """A correction that cannot be made: an unknown action, type or value, a missing author."""

    status = 400


class UnknownEvent(CorrectionError):
    """No extracted report has this key."""

    status = 404


@dataclass(frozen=True)
class Change:
    """The values one correction sets; None leaves a value as it is."""

    type: str | None = None
    mode: str | None = None
    source: str | None = None
    target: str | None = None
    source_actor: str | None = None
    target_actor: str | None = None
    date: str | None = None
    negated: bool | None = None
    planned: bool | None = None
    hypothetical: bool | None = None


def _check_date(value: str) -> str:
    if not _DATE.match(value):
        raise CorrectionError(f"date must be YYYY, YYYY-MM or YYYY-MM-DD, not {value!r}")
    parts = [int(p) for p in value.split("-")]
    try:
        date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        raise CorrectionError(f"{value!r} is not a real date") from None
    return value


def _check_code(value: str, side: str) -> str:
    code = value.strip().upper()
    if not _CODE.match(code):
        raise CorrectionError(f"{side} must be a code of 2 to 12 letters or digits (RUS, CSTO), not {value!r}")
    return code


def _values(action: str, change: Change, ontology: Ontology | None) -> dict[str, Any]:
    """The columns a correction of ``action`` sets, checked."""
    if action not in ACTIONS:
        raise CorrectionError(f"action must be one of {', '.join(ACTIONS)}, not {action!r}")
    given = {k: v for k, v in asdict(change).items() if v is not None and v != ""}
    out: dict[str, Any] = {}
    if action in ("reject", "restore"):
        return {"rejected": action == "reject"}
    if action in ("retype", "add"):
        kind = str(given.get("type", "")).upper()
        if kind not in PLOVER_TYPES:
            raise CorrectionError(f"type must be one of {', '.join(PLOVER_TYPES)}, not {given.get('type')!r}")
        cameo, intensity = (ontology or Ontology()).code(kind, given.get("mode"))
        out |= {"type": kind, "mode": str(given.get("mode", "")).strip()[:40], "cameo": cameo, "intensity": intensity}
    if action in ("actors", "add"):
        for side in ("source", "target"):
            if side in given:
                out[side] = _check_code(given[side], side)
            if f"{side}_actor" in given:
                out[f"{side}_actor"] = str(given[f"{side}_actor"]).strip()[:200]
            elif side in out:
                out[f"{side}_actor"] = ""
        if action == "actors" and not out:
            raise CorrectionError("actors: give a new source or target (a code, and optionally a name)")
        if action == "add" and not ("source" in out and "target" in out):
            raise CorrectionError("add: give the source and target codes")
    if action in ("date", "add") and "date" in given:
        out["date"] = _check_date(str(given["date"]))
        out["date_precision"] = _PRECISION[len(out["date"])]
    if action == "date" and "date" not in out:
        raise CorrectionError("date: give the new date (YYYY, YYYY-MM or YYYY-MM-DD)")
    if action in ("modality", "add"):
        out |= {k: bool(given[k]) for k in ("negated", "planned", "hypothetical") if k in given}
        if action == "modality" and not out:
            raise CorrectionError("modality: give negated, planned or hypothetical (true or false)")
    if action == "add":
        out = {"negated": False, "planned": False, "hypothetical": False} | out
    return out


def _who(author: str | None, reason: str | None) -> tuple[str, str | None]:
    author = (author or "").strip()
    if not author:
        raise CorrectionError("say who makes the correction (--by, the 'by' field)")
    if len(author) > MAX_AUTHOR or (reason and len(reason) > MAX_REASON):
        raise CorrectionError(f"who at most {MAX_AUTHOR} characters, why at most {MAX_REASON}")
    return author, (reason or "").strip() or None


def extracted_reports(con: duckdb.DuckDBPyConnection, key: str) -> list[dict[str, Any]]:
    """The reports an event key names, as extracted: every report of the cluster ``event_id``, or ``doc~idx``;
    for an added event (``added-N``) the addition, with no extracted type or sides."""
    if key.startswith("added-") and key[6:].isdigit():
        cur = con.execute("SELECT doc_id, -correction_id AS idx, ? AS event_id, sentence, NULL AS type, "
                          "NULL AS source, NULL AS target FROM corrections WHERE action = 'add' AND correction_id = ?",
                          [key, int(key[6:])])
        return _dicts(cur)
    cur = con.execute(
        "SELECT doc_id, idx, event_id, sentence, type, source, target FROM events "
        "WHERE event_id = ? OR (event_id IS NULL AND doc_id || '~' || CAST(idx AS VARCHAR) = ?) "
        "ORDER BY doc_id, idx", [key, key])
    return _dicts(cur)


def _insert(con: duckdb.DuckDBPyConnection, rows: Sequence[dict[str, Any]]) -> list[int]:
    """Write the rows in one transaction, numbered after the last correction."""
    con.execute("BEGIN TRANSACTION")
    try:
        first = int(con.execute("SELECT coalesce(max(correction_id), 0) + 1 FROM corrections").fetchone()[0])
        ids = []
        for n, row in enumerate(rows):
            row = {"correction_id": first + n, **row}
            con.execute(f"INSERT INTO corrections ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                        list(row.values()))
            ids.append(first + n)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return ids


def correct(con: duckdb.DuckDBPyConnection, key: str, action: str, author: str, reason: str | None = None,
            change: Change = Change(), ontology: Ontology | None = None) -> list[int]:
    """Correct every report of the event ``key`` (a cluster's ``event_id`` or ``doc~idx``): one row per
    report; returns their ids. Raises UnknownEvent for no such extracted report, CorrectionError for a
    bad value."""
    if action == "add":
        raise CorrectionError("to add an event use add_event")
    values = _values(action, change, ontology)
    author, reason = _who(author, reason)
    targets = extracted_reports(con, key)
    if not targets:
        raise UnknownEvent(f"no event {key!r}")
    now = datetime.now(UTC).replace(tzinfo=None)
    return _insert(con, [{
        "created": now, "author": author, "reason": reason, "action": action, "doc_id": t["doc_id"],
        "sentence": t["sentence"], "orig_type": t["type"], "orig_source": t["source"], "orig_target": t["target"],
        "seen_event_id": t["event_id"], "seen_idx": t["idx"], **values} for t in targets])


def add_event(con: duckdb.DuckDBPyConnection, doc_id: str, sentence: int, author: str, reason: str | None = None,
              change: Change = Change(), ontology: Ontology | None = None) -> int:
    """Add an event extraction missed, stated in sentence ``sentence`` (its index) of ``doc_id``."""
    values = _values("add", change, ontology)
    author, reason = _who(author, reason)
    found = con.execute("SELECT count(*) FROM sentences WHERE doc_id = ? AND idx = ?", [doc_id, sentence]).fetchone()
    if not found[0]:
        raise UnknownEvent(f"no sentence {sentence} in document {doc_id!r}")
    now = datetime.now(UTC).replace(tzinfo=None)
    return _insert(con, [{"created": now, "author": author, "reason": reason, "action": "add", "doc_id": doc_id,
                          "sentence": sentence, **values}])[0]


def copy_corrections(source: duckdb.DuckDBPyConnection, con: duckdb.DuckDBPyConnection) -> int:
    """Copy the corrections of the store ``source`` into ``con`` (a store ingested anew, by another bilat or
    with other settings): they name reports by facts, not ids, so they apply to its extraction. Each is
    numbered after ``con``'s own; an added event's corrections follow its new id. A correction ``con``
    holds already (same author, time, action and report) is skipped, so copying twice copies nothing.
    Returns how many were copied."""
    rows = _dicts(source.execute("SELECT * FROM corrections ORDER BY correction_id"))
    have = {_identity(r): r["correction_id"] for r in _dicts(con.execute("SELECT * FROM corrections"))}
    next_id = int(con.execute("SELECT coalesce(max(correction_id), 0) + 1 FROM corrections").fetchone()[0])
    new_key: dict[str, str] = {}  # "added-N" in the source → its key in ``con``
    todo = []
    for row in rows:
        if row["action"] != "add" and row["orig_type"] is None and row["seen_event_id"] in new_key:
            row = {**row, "seen_event_id": new_key[row["seen_event_id"]]}
        if (held := have.get(_identity(row))) is None:
            held = next_id + len(todo)
            todo.append({k: v for k, v in row.items() if k != "correction_id"})
        if row["action"] == "add":
            new_key[f"added-{row['correction_id']}"] = f"added-{held}"
    return len(_insert(con, todo)) if todo else 0


def _identity(row: dict[str, Any]) -> tuple:
    return (row["created"], row["author"], row["action"], row["doc_id"], row["sentence"], row["orig_type"],
            row["orig_source"], row["orig_target"], row["seen_idx"], row["seen_event_id"])


def _dicts(cur: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    names = [c[0] for c in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def corrections(con: duckdb.DuckDBPyConnection, limit: int = 500, offset: int = 0) -> list[dict[str, Any]]:
    """The corrections, newest first, each with the fields it sets."""
    rows = _dicts(con.execute("SELECT * FROM corrections ORDER BY correction_id DESC LIMIT ? OFFSET ?",
                              [limit, offset]))
    for row in rows:
        row["created"] = row["created"].isoformat(timespec="seconds") if row["created"] else None
    return rows


def review_queue(con: duckdb.DuckDBPyConnection, limit: int = 50, offset: int = 0,
                 include_corrected: bool = False) -> list[dict[str, Any]]:
    """Reports to review: the model's least confident first (those it did not judge, rule-only, last)."""
    where = "" if include_corrected else "WHERE NOT e.corrected"
    return _dicts(con.execute(
        "SELECT coalesce(e.event_id, e.doc_id || '~' || CAST(e.idx AS VARCHAR)) AS event_key, e.doc_id, e.idx, "
        "e.confidence, e.type, e.source, e.target, e.source_actor, e.target_actor, "
        "coalesce(e.date, d.published) AS date, e.negated, e.planned, e.hypothetical, e.evidence, e.corrected, "
        f"e.correction_id FROM {REVIEWED_EVENTS} e LEFT JOIN documents d USING (doc_id) {where} "
        "ORDER BY e.confidence ASC NULLS LAST, e.doc_id, e.idx LIMIT ? OFFSET ?", [limit, offset]))


def queue_size(con: duckdb.DuckDBPyConnection, include_corrected: bool = False) -> int:
    """How many reports the review queue holds."""
    where = "" if include_corrected else " WHERE NOT corrected"
    return int(con.execute(f"SELECT count(*) FROM {REVIEWED_EVENTS} e{where}").fetchone()[0])


def _spelled(mentions: list[dict[str, Any]], code: str | None, name: str | None, text: str) -> str | None:
    """How the sentence writes a side: its mention by the actor's name, else by the code's country."""
    for wanted in ((lambda m: name and m["name"] == name), (lambda m: code and m["country"] == code)):
        for m in mentions:
            if wanted(m) and m["text"] and m["text"] in text:
                return m["text"]
    if name and name in text:
        return name
    return None


def training_rows(con: duckdb.DuckDBPyConnection) -> tuple[list[dict[str, Any]], int]:
    """The corrected reports as event-coder training rows (``training/events/SPEC.md``): the sentence, both
    sides as the sentence writes them, the corrected type or NONE for a rejected report, the flags. Also how
    many were left out because a side is not written in the sentence."""
    reviewed = _dicts(con.execute(
        f"SELECT e.*, s.text AS sentence_text FROM {ALL_REVIEWED} e "
        "JOIN sentences s ON s.doc_id = e.doc_id AND s.idx = e.sentence WHERE e.corrected "
        "ORDER BY e.correction_id, e.doc_id, e.idx"))
    mentions: dict[tuple[str, int], list[dict[str, Any]]] = {}
    for m in _dicts(con.execute(
            "SELECT m.doc_id, m.sentence, m.text, m.name, m.country FROM mentions m WHERE EXISTS "
            f"(SELECT 1 FROM {ALL_REVIEWED} e WHERE e.corrected AND e.doc_id = m.doc_id "
            "AND e.sentence = m.sentence) ORDER BY m.doc_id, m.idx")):
        mentions.setdefault((m["doc_id"], m["sentence"]), []).append(m)
    rows, skipped = [], 0
    for e in reviewed:
        found = mentions.get((e["doc_id"], e["sentence"]), [])
        text = e["sentence_text"].strip()
        source = _spelled(found, e["source"], e["source_actor"], text)
        target = _spelled(found, e["target"], e["target_actor"], text)
        if not source or not target or source == target:
            skipped += 1
            continue
        rows.append({"id": f"review-{e['correction_id']}-{e['doc_id']}-{e['idx']}", "text": text,
                     "source": source, "target": target, "source_code": e["source"], "target_code": e["target"],
                     "label": "NONE" if e["rejected"] else e["type"],
                     "mode": None if e["rejected"] else e["mode"],
                     "negated": bool(e["negated"]), "planned": bool(e["planned"]),
                     "hypothetical": bool(e["hypothetical"]), "reported": e.get("attribution") is not None,
                     "style": "review"})
    return rows, skipped
