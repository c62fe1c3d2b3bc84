"""Who published an article (outlet) and whom it cites (cited sources)."""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

logger = logging.getLogger(__name__)

# A proper name (capitalised words, joined by a few lower-case particles) or a web domain.
_TOKEN = r"(?:[A-Z][\w&'’-]*(?:\.[\w-]+)*|[a-z0-9-]+\.[a-z]{2,6}\b)"  # a full stop only inside: "Zamin.uz"
_NAME = (rf"(?-i:(?P<name>{_TOKEN}"
         rf"(?:[ \t]+(?:(?:of|for|the|and|de)[ \t]+)?{_TOKEN}){{0,5}}))")


_LIST_SEP = re.compile(r",|;|\band\b|&")  # parts are stripped in _clean_name


@dataclass(frozen=True)
class _SourceCue:
    pattern: re.Pattern[str]
    agencies_only: bool
    split: bool = False  # a list of names ("TASS and Asia-Plus")


@dataclass(frozen=True)
class SourceRules:
    version: str
    outlet_cues: tuple[_SourceCue, ...]
    cited_cues: tuple[_SourceCue, ...]
    agencies: frozenset[str]
    not_names: frozenset[str]

    @classmethod
    def load(cls, path: str | Path | None = None) -> SourceRules:
        if path is None:
            text = resources.files("bilat.clean").joinpath("sources.yaml").read_text(encoding="utf-8")
        else:
            text = Path(path).read_text(encoding="utf-8")
        return cls.from_dict(yaml.safe_load(text))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SourceRules:
        def compile_cue(e: dict[str, Any]) -> _SourceCue:
            pattern = e["pattern"] if e.get("raw") else e["pattern"].replace("NAME", _NAME)
            flags = (0 if e.get("raw") else re.IGNORECASE) | (re.MULTILINE if e.get("multiline") else 0)
            return _SourceCue(re.compile(pattern, flags), bool(e.get("agencies_only")), bool(e.get("split")))

        return cls(str(data.get("version", "sources")),
                   tuple(compile_cue(e) for e in data["outlet_cues"]),
                   tuple(compile_cue(e) for e in data["cited_source_cues"]),
                   frozenset(a.casefold() for a in data["agencies"]),
                   frozenset(n.casefold() for n in data["not_names"]))


class SourceFinder:
    def __init__(self, rules: SourceRules | None = None) -> None:
        self.rules = rules or SourceRules.load()

    def _clean_name(self, name: str) -> str | None:
        name = re.sub(r"(['’]s)$", "", name.strip().rstrip(".,:;"))
        name = re.sub(r"\s+(of|for|the|and|de|on)$", "", name)
        if len(name) < 2 or name.casefold() in self.rules.not_names:
            return None
        first = name.split()[0]
        if first.casefold() in self.rules.not_names and len(name.split()) == 1:
            return None
        return name

    def _agency_prefix(self, name: str) -> str | None:
        """The longest leading run of words that is a known agency ("RIA Novosti" in "RIA Novosti Monday")."""
        toks = name.split()
        for n in range(len(toks), 0, -1):
            if " ".join(toks[:n]).casefold() in self.rules.agencies:
                return " ".join(toks[:n])
        return None

    def _names(self, cues: tuple[_SourceCue, ...], text: str) -> list[str]:
        found: list[tuple[int, str]] = []
        for cue in cues:
            for m in cue.pattern.finditer(text):
                parts = _LIST_SEP.split(m.group("name")) if cue.split else [m.group("name")]
                for k, part in enumerate(parts):
                    name = self._clean_name(part)
                    if name and cue.agencies_only:
                        name = self._agency_prefix(name)
                    if name:
                        found.append((m.start("name") + k, name))
        return [n for _, n in sorted(found)]

    def cited_sources(self, text: str) -> list[str]:
        seen: dict[str, str] = {}
        for name in self._names(self.rules.cited_cues, text):
            seen.setdefault(name.casefold(), name)
        return list(seen.values())

    def outlet_from_text(self, text: str) -> str | None:
        names = self._names(self.rules.outlet_cues, text)
        return names[0] if names else None

    @staticmethod
    def outlet_from_url(url: str | None) -> str | None:
        if not url:
            return None
        try:
            host = urlsplit(url if "//" in url else "//" + url).hostname or ""
        except ValueError:  # a malformed URL from metadata names no outlet
            return None
        host = re.sub(r"^(www\d?|m|amp)\.", "", host.lower())
        return host or None

    def outlet(self, meta_outlet: str | None, sitename: str | None, url: str | None, text: str) -> str | None:
        """Metadata first, then the site's own name, the URL's host, and cues in the text."""
        for candidate in (meta_outlet, sitename):
            if candidate and candidate.strip():
                return candidate.strip()
        return self.outlet_from_url(url) or self.outlet_from_text(text)
