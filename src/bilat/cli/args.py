"""Command-line values checked in one place, and every bad one answered in one line with exit code 2.

The commands call these checks (as Typer callbacks or on the value) instead of each reading a date, a
type list or a limit its own way. A check raises ``typer.BadParameter``;
:class:`OneLineGroup`, the class of the ``bilat`` app, turns any usage error, Typer's own included
("no such option", "missing argument", "not a valid integer"), into one line on stderr and exit 2,
never a traceback or a boxed panel. The query layer checks the same values again (``QueryError``) for the
Python API and the REST API; the CLI's check comes first so its message names the option.
"""
from __future__ import annotations

import re
import sys
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from typer.core import TyperGroup

from ..events.ontology import PLOVER_TYPES
from ..store.queries import MAX_DOWNLOAD

err = Console(stderr=True, soft_wrap=True, highlight=False)

FORMATS = ("table", "csv", "json")
LANGUAGES = ("en", "ru")
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_CODE = re.compile(r"^[A-Za-z0-9]{2,12}$")
# en and em dashes, minus, or a hyphen between spaces (" - "); fixed width, so linear (the parts are stripped)
_DASHES = re.compile(r"[\u2010-\u2015\u2212]|\s-\s")


def one_line(text: str) -> str:
    return " ".join(str(text).split())


def fail(message: str, code: int = 1) -> NoReturn:
    """Say what went wrong in one line on stderr and leave with ``code`` (2: a value that cannot be used)."""
    err.print(f"[red]error:[/red] {escape(one_line(message))}")
    raise typer.Exit(code)


class OneLineGroup(TyperGroup):
    """The ``bilat`` group: usage errors in one line with exit 2 instead of Typer's usage box."""

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True, **extra: Any) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except typer.TyperException as exc:  # Typer's own copy of Click's exceptions derive from it
            ctx = getattr(exc, "ctx", None)
            if type(exc).__name__ == "NoArgsIsHelpError":  # a bare ``bilat``: the help, as before
                typer.echo(exc.format_message())
                sys.exit(2)
            message = one_line(exc.format_message())
            if ctx is not None and exc.exit_code == 2:
                message = f"{ctx.command_path}: {message} (see '{ctx.command_path} --help')"
            err.print(f"[red]error:[/red] {escape(message)}")
            sys.exit(exc.exit_code)
        except typer.Abort:
            err.print("[red]aborted[/red]")
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)


def bad(option: str, message: str) -> NoReturn:
    """A value of ``option`` that cannot be used: one line, exit 2 (through :class:`OneLineGroup`)."""
    raise typer.BadParameter(message, param_hint=f"'{option}'")


def check_date(value: str | None, option: str = "--since") -> str | None:
    """An ISO date (YYYY-MM-DD), a month (YYYY-MM) or a year (YYYY) that exists on the calendar."""
    if value is None:
        return None
    value = value.strip()
    m = _DATE.match(value)
    try:
        if not m:
            raise ValueError
        date(int(m[1]), int(m[2] or 1), int(m[3] or 1))
    except ValueError:
        bad(option, f"not a date: {value!r} (use YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2019, 2019-04 or 2019-04-17)")
    return value


def first_day(value: str | None) -> date | None:
    """The first day of a checked date, month or year."""
    if value is None:
        return None
    parts = [int(p) for p in value.split("-")] + [1, 1]
    return date(parts[0], parts[1], parts[2])


def check_types(value: str | None) -> str | None:
    """PLOVER types, comma-separated, in any case: "consult,AGREE" -> "CONSULT,AGREE"."""
    if value is None:
        return None
    types = [t.strip().upper() for t in value.split(",") if t.strip()]
    unknown = [t for t in types if t not in PLOVER_TYPES]
    if unknown or not types:
        bad("--type", f"not a PLOVER type: {', '.join(unknown) or repr(value)} (one of {', '.join(PLOVER_TYPES)})")
    return ",".join(types)


def check_limit(value: int) -> int:
    """How many rows to list: 1 to MAX_DOWNLOAD."""
    if not 1 <= value <= MAX_DOWNLOAD:
        bad("--limit", f"must be from 1 to {MAX_DOWNLOAD:,}, not {value}")
    return value


def check_lang(value: str | None) -> str | None:
    if value is not None and value.lower() not in LANGUAGES:
        bad("--lang", f"not a language bilat reads: {value!r} (one of {', '.join(LANGUAGES)})")
    return value.lower() if value else None


def choice(option: str, allowed: Sequence[str]) -> Callable[[str | None], str | None]:
    """A Typer callback accepting one of ``allowed`` (any case) for ``option``."""
    def check(value: str | None) -> str | None:
        if value is not None and value.lower() not in allowed:
            bad(option, f"{value!r} is not one of {', '.join(allowed)}")
        return value.lower() if value is not None else None

    return check


def at_least_one(option: str) -> Callable[[int | None], int | None]:
    def check(value: int | None) -> int | None:
        if value is not None and value < 1:
            bad(option, f"must be at least 1, not {value}")
        return value

    return check


def check_port(value: int) -> int:
    if not 1 <= value <= 65535:
        bad("--port", f"must be from 1 to 65535, not {value}")
    return value


def output_format(fmt: str | None, as_json: bool) -> str:
    """``--format`` and the older ``--json`` flag as one answer: table, csv or json."""
    if as_json and fmt not in (None, "json"):
        bad("--format", f"--json asks for json, --format for {fmt}: give one of them")
    return "json" if as_json else fmt or "table"


def dyad_sides(value: str, option: str = "--dyad") -> list[tuple[str, str]]:
    """The ways to read a dyad as two sides: "RUS-TJK", "RUSTJK", "Russia-Tajikistan", "Guinea-Bissau-Mali"
    (every hyphen is a possible cut, for names that hold one), "Russia – Tajikistan"."""
    value = value.strip()
    if _DASHES.search(value):
        parts = [p.strip() for p in _DASHES.split(value)]
        return [(parts[0], parts[1])] if len(parts) == 2 and all(parts) else []
    if "-" not in value:
        if len(value) == 6 and value.isalpha():
            return [(value[:3], value[3:])]
        bad(option, f"{value!r} is not two actors: give two codes or names joined by '-', "
                    "e.g. RUS-TJK, RUSTJK or Russia-Tajikistan")
    cuts = [i for i, ch in enumerate(value) if ch == "-"]
    return [(value[:i].strip(), value[i + 1:].strip()) for i in cuts if value[:i].strip() and value[i + 1:].strip()]


def looks_like_code(side: str) -> bool:
    return bool(_CODE.match(side))
