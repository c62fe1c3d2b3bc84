"""Current memory of this process and of its children, read from /proc (Linux only).

``RssSampler`` is handed to the ingest as its ``progress`` callback and takes a sample every
``every`` documents, so a long run that is stopped early still shows how memory grows.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

PROC = Path("/proc")


def _status_kb(pid: int | str, field: str) -> int:
    """A ``kB`` field of /proc/<pid>/status (VmRSS: the current resident set, not the peak)."""
    try:
        for line in (PROC / str(pid) / "status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except (OSError, ValueError):  # the process ended between listing and reading
        pass
    return 0


def _pss_kb(pid: int | str) -> int | None:
    """Proportional set size: shared pages (forked workers share the models) counted once overall."""
    try:
        for line in (PROC / str(pid) / "smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        return None
    return None


def children(pid: int) -> list[int]:
    """Direct children of ``pid`` (the 4th field of /proc/<child>/stat is its parent)."""
    found = []
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # the command name (2nd field) is in parentheses and may hold spaces
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return found


def sample() -> tuple[float, float, float | None]:
    """(main RSS MB, children's RSS MB summed, PSS MB of main and children, None if unreadable)."""
    me = os.getpid()
    kids = children(me)
    main = _status_kb(me, "VmRSS")
    workers = sum(_status_kb(k, "VmRSS") for k in kids)
    pss = [_pss_kb(p) for p in [me, *kids]]
    pss_total = None if any(p is None for p in pss) else sum(pss) / 1024  # type: ignore[misc]
    return main / 1024, workers / 1024, pss_total


class RssSampler:
    """An ingest ``progress`` callback that samples memory every ``every`` documents."""

    def __init__(self, every: int) -> None:
        self.every = every
        self.done = 0
        self.next_at = every
        self.series: list[list[float | int | None]] = []

    def take(self) -> None:
        main, workers, pss = sample()
        row = [self.done, round(main, 1), round(workers, 1), None if pss is None else round(pss, 1)]
        self.series.append(row)
        print(f"rss docs={row[0]} main_mb={row[1]} workers_mb={row[2]} pss_total_mb={row[3]}",
              file=sys.stderr, flush=True)

    def __call__(self, done: int, failed: int) -> None:
        self.done += done
        if self.every > 0 and self.done >= self.next_at:
            self.take()
            while self.next_at <= self.done:
                self.next_at += self.every
