"""Every regular expression compiled at module level in the package runs in linear time on a 100 KB
hostile line: a page of blank lines, a run of spaces, a long list of dashes or dates. A pattern the code
only ever anchors at one position (``.match``/``.fullmatch``) is fed the line that way; any other use
(search, finditer, findall, split, sub) is fed by ``search`` and a scan with ``finditer``."""
from __future__ import annotations

import importlib
import pkgutil
import re
import time
from pathlib import Path

import pytest

import bilat

N = 100_000
LINES = ["a" * N, " " * N, "\n" * N, "-" * N, "a-" * (N // 2), "1 " * (N // 2), "a." * (N // 2), "|" * N,
         "12 " * (N // 3), "April 1, " * (N // 9), "AAAA" * (N // 4), "A. " * (N // 3), "a\n" * (N // 2),
         "1,000 " * (N // 6), "Mr " * (N // 3), "- " * (N // 2), "де " * (N // 3), "Aa " * (N // 3), "a, " * (N // 3),
         "1." * (N // 2), "' " * (N // 2), "\n \n" * (N // 3)]
SCANS = ("search", "finditer", "findall", "split", "sub", "subn")


def _patterns() -> list[tuple[str, re.Pattern[str], bool]]:
    """(module.name, pattern, scanned) for every str pattern bound at module level."""
    found = []
    for info in pkgutil.walk_packages(bilat.__path__, "bilat."):
        if info.name.endswith("__main__"):
            continue  # runs the command line
        module = importlib.import_module(info.name)
        source = Path(module.__file__).read_text(encoding="utf-8") if module.__file__ else ""
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern) and isinstance(value.pattern, str) \
                    and getattr(module, "__name__", "") == info.name:
                anchored = f"{name}.match(" in source or f"{name}.fullmatch(" in source
                scanned = any(f"{name}.{how}(" in source for how in SCANS) or not anchored
                found.append((f"{info.name}.{name}", value, scanned))
    return found


PATTERNS = _patterns()


def test_the_package_has_patterns_to_check():
    assert len(PATTERNS) > 50


@pytest.mark.parametrize(("name", "pattern", "scanned"), PATTERNS, ids=[p[0] for p in PATTERNS])
def test_every_pattern_runs_in_linear_time_on_a_hostile_line(name, pattern, scanned):
    for line in LINES:
        start = time.process_time()  # CPU time: other work on the machine does not count
        if scanned:
            pattern.search(line)
            for _ in pattern.finditer(line):
                pass
        else:
            pattern.match(line)
            pattern.match(line, N // 2)
        assert time.process_time() - start < 1.0, (name, repr(line[:12]))


def _data_patterns() -> list[tuple[str, re.Pattern[str]]]:
    """Patterns the package reads from its data files rather than binds at module level."""
    from bilat.store.outlets import default_table

    table = default_table()
    return [(f"outlets.yaml:{cue.pattern.pattern[:24]}", cue.pattern)
            for cue in (*table.dateline_cues, *table.source_cues)]


DATA_PATTERNS = _data_patterns()


@pytest.mark.parametrize(("name", "pattern"), DATA_PATTERNS, ids=[p[0] for p in DATA_PATTERNS])
def test_every_pattern_from_data_runs_in_linear_time_on_a_hostile_line(name, pattern):
    for line in LINES:
        start = time.process_time()
        pattern.search(line)
        for _ in pattern.finditer(line):
            pass
        assert time.process_time() - start < 1.0, (name, repr(line[:12]))
