"""One schema source: the migrations in ``migrations/`` are DuckDB's, and PostgreSQL's are made from them.

A migration's PostgreSQL text is its DuckDB text with the types translated (:data:`POSTGRES_TYPES`:
``VARCHAR`` is ``TEXT COLLATE "C"``, so that text sorts by code point as in DuckDB and ``ORDER BY``
gives the same order on both stores; ``VARCHAR[]`` is ``TEXT[]``; ``DOUBLE`` is ``DOUBLE PRECISION``),
outside string literals and comments. A statement PostgreSQL needs written otherwise is marked in the
DuckDB file, PostgreSQL's lines commented out, so that DuckDB runs the file as it is::

    -- dialect duckdb
    SELECT doc_id, arg_max(run_id, logged_at) ...
    -- dialect postgresql
    -- SELECT DISTINCT ON (doc_id) doc_id, run_id ...
    -- dialect end
"""
from __future__ import annotations

import re

from ..errors import StoreError

DIALECTS = ("duckdb", "postgresql")

# DuckDB's type → PostgreSQL's, tried in this order (VARCHAR[] before VARCHAR).
POSTGRES_TYPES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bVARCHAR\[\]"), "TEXT[]"),
    (re.compile(r"\bVARCHAR\b"), 'TEXT COLLATE "C"'),
    (re.compile(r"\bDOUBLE\b(?!\s+PRECISION)"), "DOUBLE PRECISION"),
)

_MARK = re.compile(r"^\s*--\s*dialect\s+(\w+)\s*$")
# A string literal, a comment to the end of the line, or a run of anything else (translated).
_PIECE = re.compile(r"'(?:[^']|'')*'|--[^\n]*|[^'-]+|-|'")


def translate(sql: str, dialect: str, where: str = "migration") -> str:
    """``sql``, a DuckDB migration, as ``dialect`` runs it; ``where`` names it in errors."""
    if dialect not in DIALECTS:
        raise StoreError(f"unknown SQL dialect {dialect!r} (one of {', '.join(DIALECTS)})")
    lines = _choose(sql, dialect, where)
    if dialect == "duckdb":
        return sql
    return "".join(_types(line) for line in lines)


def _choose(sql: str, dialect: str, where: str) -> list[str]:
    """The lines of ``sql`` for ``dialect``: the other dialect's marked lines left out, its own uncommented."""
    out: list[str] = []
    block: str | None = None  # the dialect of the marked block the line is in, if any
    for number, line in enumerate(sql.splitlines(keepends=True), 1):
        mark = _MARK.match(line)
        if mark:
            name = mark.group(1)
            expected = ("duckdb",) if block is None else ("postgresql", "end") if block == "duckdb" else ("end",)
            if name not in expected:
                raise StoreError(f"{where}, line {number}: '-- dialect {name}' where "
                                 f"{' or '.join(expected)} was expected")
            block = None if name == "end" else name
            continue
        if block == "postgresql":  # PostgreSQL's lines, commented out so that DuckDB skips them
            stripped = line.lstrip()
            if not stripped.startswith("--"):
                raise StoreError(f"{where}, line {number}: a PostgreSQL line must be commented out (-- ...)")
            if dialect == "postgresql":
                out.append(line[: len(line) - len(stripped)] + re.sub(r"^-- ?", "", stripped))
        elif block is None or block == dialect:
            out.append(line)
    if block is not None:
        raise StoreError(f"{where}: '-- dialect {block}' is never closed ('-- dialect end')")
    return out


def _types(line: str) -> str:
    """The line with DuckDB's types made PostgreSQL's, string literals and comments untouched."""
    pieces = []
    for piece in _PIECE.findall(line):
        if not piece.startswith(("'", "--")):
            for pattern, replacement in POSTGRES_TYPES:
                piece = pattern.sub(replacement, piece)
        pieces.append(piece)
    return "".join(pieces)
