"""Test-only stand-in for the actor linker: marks country names, adjectives, capitals, organisations
and a few well-known people as Mentions, and resolves "the two leaders"/"both sides"/"he" to the
actors last named. Reads the project's actor KB tables when present; not part of the package."""
from __future__ import annotations

import csv
import re
from pathlib import Path

import yaml

from bilat.model import Mention

ROOT = Path(__file__).resolve().parents[2]
KB = ROOT / "src" / "bilat" / "actors" / "kb"
PEOPLE = Path(__file__).parent / "data" / "people.yaml"
COLLECTIVE = re.compile(r"\b(?:the two (?:leaders|presidents|countries|sides|ministers|states|heads of state|nations)|"
                        r"both (?:sides|countries|leaders|presidents|states|nations)|the (?:two )?sides|"
                        r"the leaders of the two countries|the presidents|the countries)\b", re.I)
PRONOUN = re.compile(r"\b(?:he|she)\b", re.I)


class SimpleTagger:
    def __init__(self) -> None:
        self.names: dict[str, tuple[str, str, str, str]] = {}  # surface -> (name, code, kind, via)
        rows = list(csv.DictReader((KB / "countries.csv").open(encoding="utf-8"))) if (KB / "countries.csv").exists() else []
        for r in rows:
            code, name = r["code"], r["name"]
            self._add(name, name, code, "state", "name")
            for a in filter(None, (r.get("aliases") or "").split("|")):
                self._add(a, name, code, "state", "name")
            for a in filter(None, (r.get("adjectives") or "").split("|")):
                self._add(a, name, code, "state", "demonym")
            for a in filter(None, (r.get("metonyms") or "").split("|")):
                self._add(a, name, code, "state", "metonym")
        if (KB / "orgs.yaml").exists():
            for o in yaml.safe_load((KB / "orgs.yaml").read_text(encoding="utf-8")) or []:
                self._add(o["name"], o["name"], o["code"], "org", "name")
                for a in o.get("aliases") or []:
                    self._add(a, o["name"], o["code"], "org", "name")
        for a, code in (("United States", "USA"), ("US", "USA"), ("U.S.", "USA"), ("American", "USA"),
                        ("Britain", "GBR"), ("British", "GBR"), ("UN", "UN"), ("United Nations", "UN"),
                        ("Israeli", "ISR"), ("Palestinian", "PSE"), ("Kremlin", "RUS")):
            self.names.setdefault(a, (a, code, "org" if code == "UN" else "state", "name"))
        for name, vals in (yaml.safe_load(PEOPLE.read_text(encoding="utf-8")) or {}).items():
            code, *aliases = vals
            for a in [name, *aliases]:
                self._add(a, name, code, "person", "name")
        keys = sorted(self.names, key=len, reverse=True)
        self.pattern = re.compile(r"(?<![\w])(" + "|".join(re.escape(k) for k in keys) + r")(?![\w])")

    def _add(self, surface: str, name: str, code: str, kind: str, via: str) -> None:
        if len(surface) >= 2:
            self.names.setdefault(surface, (name, code, kind, via))

    def tag(self, text: str, sentences: list[tuple[int, int]] | None = None) -> list[Mention]:
        sentences = sentences or [(0, len(text))]
        found: list[Mention] = []
        for i, (s, e) in enumerate(sentences):
            chunk = text[s:e]
            taken: list[tuple[int, int]] = []
            for m in self.pattern.finditer(chunk):
                name, code, kind, via = self.names[m.group(1)]
                found.append(Mention(m.group(1), (s + m.start(), s + m.end()), i, name, code, kind=kind, via=via))
                taken.append((m.start(), m.end()))
            for m in COLLECTIVE.finditer(chunk):
                prev = _last_two(found, s + m.start())
                for p in prev:
                    found.append(Mention(m.group(0), (s + m.start(), s + m.end()), i, p.name, p.country,
                                         kind=p.kind, via="coref"))
            for m in PRONOUN.finditer(chunk):
                people = [x for x in found if x.kind == "person" and x.span[0] < s + m.start()]
                if people:
                    p = people[-1]
                    found.append(Mention(m.group(0), (s + m.start(), s + m.end()), i, p.name, p.country,
                                         kind="person", via="coref"))
        found.sort(key=lambda m: m.span)
        return found


def _last_two(found: list[Mention], before: int) -> list[Mention]:
    out: list[Mention] = []
    for m in sorted((x for x in found if x.span[0] < before and x.via != "coref" and x.kind != "org"),
                    key=lambda x: x.span[0], reverse=True):
        if m.country not in {o.country for o in out}:
            out.append(m)
        if len(out) == 2:
            break
    return out
