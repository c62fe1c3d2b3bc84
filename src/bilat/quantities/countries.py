"""A small country finder over names, demonyms and capitals (countries.yaml), for standalone use."""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path

from .vocab import data_path, load_yaml

logger = logging.getLogger(__name__)


@dataclass
class CountryFinder:
    pattern: re.Pattern[str]
    lower_pattern: re.Pattern[str] | None
    codes: dict[str, str]  # surface form (as written in the file, or lower-cased) -> ISO3

    @classmethod
    def load(cls, path: Path | None = None) -> CountryFinder:
        data = load_yaml(path or data_path("countries.yaml"))["countries"]
        codes: dict[str, str] = {}
        lower_forms: list[str] = []
        for iso3, entry in data.items():
            for name in entry["names"]:
                codes[name] = iso3
                if entry.get("any_case"):
                    codes[name.lower()] = iso3
                    lower_forms.append(name.lower())
        forms = sorted((n for n in codes if n not in lower_forms), key=len, reverse=True)
        pattern = re.compile(r"(?<![\w.])(?:" + "|".join(re.escape(f) for f in forms) + r")(?![\w])")
        lower = None
        if lower_forms:
            lower = re.compile(r"(?<![\w.])(?:" + "|".join(
                re.escape(f) for f in sorted(lower_forms, key=len, reverse=True)) + r")(?![\w])")
        return cls(pattern, lower, codes)

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, ISO3) for every country name, demonym or capital in ``text``."""
        spans = [(m.start(), m.end(), self.codes[m.group(0)]) for m in self.pattern.finditer(text)]
        if self.lower_pattern is not None:
            taken = {(s, e) for s, e, _ in spans}
            for m in self.lower_pattern.finditer(text):
                if (m.start(), m.end()) not in taken and not any(s <= m.start() < e for s, e, _ in spans):
                    spans.append((m.start(), m.end(), self.codes[m.group(0)]))
        spans.sort()
        return spans
