"""Input readers: files, folders, globs and stdin in; RawDocument or ReadError records out.

``iter_inputs`` never raises for a bad input: each unreadable file or record becomes a
``ReadError(origin, reason)`` with a one-line reason, and reading goes on with the next one.
"""
from __future__ import annotations

import glob
import logging
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO

from ..config import Settings
from ..errors import InputError
from ..model import RawDocument, ReadError
from .common import ReadContext, Sniffer, one_line, path_text
from .feed import read_feed
from .html import read_html
from .jsonl import read_jsonl, read_jsonl_stream
from .text import read_text
from .warc import read_warc

__all__ = ["FORMATS", "InputFormat", "ReadContext", "detect_format", "expand_paths", "iter_inputs", "read_file"]

logger = logging.getLogger(__name__)

STDIN = "-"
STDIN_ORIGIN = "<stdin>"
_GLOB_CHARS = frozenset("*?[")


@dataclass(frozen=True)
class InputFormat:
    fmt: str  # txt | html | jsonl | warc | feed
    suffix: str  # the matched name ending, e.g. ".warc.gz"
    compressed: bool  # decompress with gzip first


# Longest endings first so ".warc.gz" wins over ".gz".
_SUFFIXES: tuple[tuple[str, str], ...] = (
    (".txt", "txt"), (".text", "txt"), (".md", "txt"),
    (".html", "html"), (".htm", "html"), (".xhtml", "html"),
    (".jsonl", "jsonl"), (".ndjson", "jsonl"),
    (".warc", "warc"),
    (".xml", "feed"), (".rss", "feed"), (".atom", "feed"),
)
FORMATS: tuple[str, ...] = ("txt", "html", "jsonl", "warc", "feed")


def detect_format(path: str | Path) -> InputFormat | None:
    """The reader for a file name, from its extension (``.gz`` of any known one too); None if unknown."""
    name = Path(path).name.lower()
    compressed = name.endswith(".gz")
    base = name[:-3] if compressed else name
    for suffix, fmt in _SUFFIXES:
        if base.endswith(suffix) and len(base) > len(suffix):
            full = suffix + (".gz" if compressed else "")
            return InputFormat(fmt, full, compressed)
    return None


def expand_paths(paths: list[str]) -> Iterator[str | ReadError]:
    """Files named, found under folders (recursively, sorted, hidden names skipped) or by glob.

    A name that matches nothing yields a ReadError; "-" is passed through for stdin.
    """
    seen: set[str] = set()
    for given in paths:
        if given == STDIN:
            yield STDIN
            continue
        if os.path.isdir(given):
            candidates = _walk(given)
        elif os.path.exists(given):
            candidates = iter([given])
        elif _GLOB_CHARS & set(given):
            matches = sorted(glob.glob(given, recursive=True))
            if not matches:
                yield ReadError(given, "no files match this pattern")
                continue
            candidates = (f for m in matches for f in (_walk(m) if os.path.isdir(m) else [m]))
        else:
            yield ReadError(given, "no such file or directory")
            continue
        for path in candidates:
            if isinstance(path, ReadError):
                yield path
                continue
            key = os.path.realpath(path)
            if key not in seen:
                seen.add(key)
                yield path


def _walk(folder: str) -> Iterator[str | ReadError]:
    """The files under ``folder``; a folder that cannot be listed, or a link to a folder (not followed:
    links can loop or lead far away), is reported, never skipped in silence."""
    unreadable: list[OSError] = []
    for root, dirs, files in os.walk(folder, onerror=unreadable.append):
        while unreadable:
            exc = unreadable.pop(0)
            yield ReadError(path_text(exc.filename or root), f"cannot read folder: {exc.strerror or one_line(exc)}")
        linked = sorted(d for d in dirs if not d.startswith(".") and os.path.islink(os.path.join(root, d)))
        for name in linked:
            yield ReadError(path_text(os.path.join(root, name)),
                            "a link to a folder is not followed (name the folder itself to read it)")
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in linked)
        for name in sorted(files):
            if not name.startswith("."):
                yield os.path.join(root, name)
    for exc in unreadable:  # the folder itself
        yield ReadError(path_text(exc.filename or folder), f"cannot read folder: {exc.strerror or one_line(exc)}")


def iter_inputs(
    paths: list[str], settings: Settings, stdin: IO[bytes] | IO[str] | None = None
) -> Iterator[RawDocument | ReadError]:
    """Read every input named in ``paths``; "-" reads JSON Lines from ``stdin`` (default sys.stdin)."""
    ctx = ReadContext(settings=settings, sniffer=Sniffer.packaged())
    for item in expand_paths(paths):
        if isinstance(item, ReadError):
            logger.warning("%s: %s", item.origin, item.reason)
            yield item
        elif item == STDIN:
            source = stdin if stdin is not None else getattr(sys.stdin, "buffer", sys.stdin)
            yield from _guarded(STDIN_ORIGIN, lambda src=source: read_jsonl_stream(src, STDIN_ORIGIN, ctx))
        else:
            yield from read_file(item, ctx)


def read_file(path: str | Path, ctx: ReadContext) -> Iterator[RawDocument | ReadError]:
    """Read one file with the reader its extension names; problems become ReadError records."""
    path = Path(path)
    kind = detect_format(path)
    if kind is None:
        error = ReadError(path_text(path), f"unsupported file type '{_ending(path)}' (expected .txt, .md, .html, "
                                     ".jsonl, .warc, .xml/.rss/.atom, or any of these .gz)")
        logger.warning("%s: %s", error.origin, error.reason)
        yield error
        return
    doc_id = path_text(path.name[: -len(kind.suffix)])

    def reader() -> Iterator[RawDocument | ReadError]:
        if kind.fmt == "txt":
            return _with_alt_ids(read_text(path, ctx, doc_id, kind.compressed), path)
        if kind.fmt == "html":
            return _with_alt_ids(read_html(path, ctx, doc_id, kind.compressed), path)
        if kind.fmt == "jsonl":
            return read_jsonl(path, ctx, kind.compressed)
        if kind.fmt == "warc":
            return read_warc(path, ctx, kind.compressed)
        return read_feed(path, ctx, kind.compressed)

    yield from _guarded(path_text(path), reader)


def further_ids(parts: list[str]) -> tuple[str, ...]:
    """A file's further ids, for when its name is another file's (``engines/ids.py``), from the parts of
    its path or URL: the name with its ending, then with one, two, three folders ("index.html",
    "b/index.html", "site/b/index.html")."""
    parts = [p for p in parts if p not in ("", "/", ".", "..")]
    return tuple("/".join(parts[-k:]) for k in range(1, min(len(parts), 4) + 1))


def _with_alt_ids(items: Iterator[RawDocument | ReadError], path: Path) -> Iterator[RawDocument | ReadError]:
    alt = further_ids([path_text(p) for p in path.parts])
    for item in items:
        yield replace(item, alt_ids=alt) if isinstance(item, RawDocument) else item


def _ending(path: Path) -> str:
    suffixes = path.suffixes
    if len(suffixes) >= 2 and suffixes[-1].lower() == ".gz":
        return "".join(suffixes[-2:])
    return path.suffix or path.name


def _guarded(origin: str, make: Callable[[], Iterator[RawDocument | ReadError]]) -> Iterator[RawDocument | ReadError]:
    """Run a reader, turning any exception into a final ReadError for that input."""
    try:
        for item in make():
            if isinstance(item, ReadError):  # one record of a file; the file itself goes on
                logger.info("%s: %s", item.origin, item.reason)
            yield item
    except InputError as exc:
        logger.warning("%s: %s", origin, exc)
        yield ReadError(origin, str(exc))
    except OSError as exc:
        reason = f"cannot read file: {exc.strerror or one_line(exc)}"
        logger.warning("%s: %s", origin, reason)
        yield ReadError(origin, reason)
    except Exception as exc:  # a reader bug must not stop the whole run
        logger.exception("%s: unexpected error while reading", origin)
        yield ReadError(origin, f"unexpected error: {type(exc).__name__}: {one_line(exc, 150)}")
