"""How the list commands print their rows: ``--format table`` (fitted to the terminal), ``csv`` or ``json``.

In a table every row is one line: the short columns keep their width (the widest are cut with "…" when
the line would not fit) and the free-text column (an event's evidence, a claim's sources, a document's
title) takes what is left of the terminal's width, cut with "…". When fewer than ``MIN_FREE`` characters
would be left, the free text goes on its own indented line under its row instead. CSV and JSON are never
cut. A list cut by ``--limit`` says so: "events: 100 of 147 (use --limit)", in the title of a table and
on stderr for CSV and JSON, whose stdout stays machine-readable.
"""
from __future__ import annotations

import csv
import json
import sys
from collections.abc import Sequence
from typing import Any

from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from ..store.export import csv_cell

out = Console(soft_wrap=True, highlight=False)
err = Console(stderr=True, soft_wrap=True, highlight=False)

GAP = 2  # spaces between columns
MIN_FREE = 40  # the free column shares a row's line only if this much of it shows
MIN_LEVEL = 12  # short columns are not cut below this to keep the free column on the line
INDENT = 4  # of a free text printed on its own line


def count_line(title: str, shown: int, total: int | None) -> str:
    """ "events (12)", or "events: 100 of 147 (use --limit)" when the list was cut."""
    if total is not None and total > shown:
        return f"{title}: {shown} of {total} (use --limit)"
    return f"{title} ({shown})"


def show(rows: list[dict[str, Any]], columns: Sequence[str], title: str, fmt: str = "table",
         total: int | None = None, free: str | None = None) -> None:
    """Print ``rows`` as a table of ``columns`` (``free``: the column cut to the terminal's width), as CSV
    of ``columns``, or as JSON of the whole rows."""
    cut = total is not None and total > len(rows)
    if fmt == "json":
        out.print_json(json.dumps(rows, default=str))
    elif fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["" if row.get(c) is None else csv_cell(row.get(c)) for c in columns])
        sys.stdout.flush()
    else:
        out.print(Text(count_line(title, len(rows), total), style="bold"))
        for line in table_lines(rows, columns, out.width, free):
            out.print(line, crop=False)
        return
    if cut:
        err.print(Text(count_line(title, len(rows), total)))


def cell(value: Any) -> str:
    """A value as table text: one line, booleans as yes/no, fractions to four digits, lists joined."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, list | tuple):
        return ", ".join(cell(v) for v in value)
    return " ".join(str(value).split())


def fit(text: str, width: int) -> str:
    """``text`` padded or cut with "…" to ``width`` terminal cells."""
    if cell_len(text) <= width:
        return text + " " * (width - cell_len(text))
    cut = Text(text)
    cut.truncate(width, overflow="ellipsis", pad=True)
    return cut.plain


def _level(natural: list[int], budget: int, floors: list[int]) -> list[int]:
    """The widest columns cut to one level (never below their floor) so that all fit ``budget``, if they can."""
    level = max(natural, default=0)
    while level > 0 and sum(max(f, min(n, level)) for n, f in zip(natural, floors, strict=True)) > budget:
        level -= 1
    return [max(f, min(n, level)) for n, f in zip(natural, floors, strict=True)]


def table_lines(rows: list[dict[str, Any]], columns: Sequence[str], width: int,
                free: str | None = None) -> list[Text]:
    """The header, a rule and one line per row (two when the free column goes below), fitted to ``width``."""
    short = [c for c in columns if c != free]
    texts = [[cell(r.get(c)) for c in short] for r in rows]
    natural = [max([cell_len(c)] + [cell_len(t[i]) for t in texts]) for i, c in enumerate(short)]
    floors = [min(n, max(cell_len(c), 4)) for n, c in zip(natural, short, strict=True)]
    gaps = GAP * max(0, len(short) - 1)
    below = False
    free_width = 0
    widths = natural
    if free and free in columns:
        budget = width - gaps - GAP - MIN_FREE
        level = _level(natural, budget, [max(f, min(n, MIN_LEVEL)) for f, n in zip(floors, natural, strict=True)])
        if sum(level) <= budget:
            widths = level
            free_width = width - sum(widths) - gaps - GAP
        else:
            below = True
            widths = _level(natural, width - gaps, floors)
            free_width = width - INDENT
    else:
        widths = _level(natural, width - gaps, floors)
    spacer = " " * GAP
    header = spacer.join(fit(c, w) for c, w in zip(short, widths, strict=True))
    if free and free in columns and not below:
        header += spacer + fit(free, free_width)
    lines = [Text(header.rstrip(), style="bold"), Text("─" * min(width, cell_len(header.rstrip())), style="dim")]
    for row, row_texts in zip(rows, texts, strict=True):
        line = spacer.join(fit(t, w) for t, w in zip(row_texts, widths, strict=True))
        if free and free in columns:
            text = cell(row.get(free))
            if below:
                lines.append(Text(line.rstrip()))
                if text:
                    lines.append(Text(" " * INDENT + fit(text, free_width).rstrip(), style="dim"))
                continue
            line += spacer + fit(text, free_width)
        lines.append(Text(line.rstrip()))
    return lines
