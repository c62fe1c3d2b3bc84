"""Outlets as one name each, and reports that count once.

The store keeps each document's outlet as the cleaning stage found it: a site name ("Central Asian
Wire"), a short name ("CAW") or, when the page named none, the host of its URL
("steppemonitor.example.net"). Counting those as they are makes one outlet several. Here they are
read as one:

- **the alias table** (``outlets.yaml``, data): canonical names with their short names and hosts;
- **general cues** where the table lists nothing: two names are one when they are equal without case,
  accents, punctuation, spaces and a leading "The" ("Asia Plus" = "Asia-Plus"); a host is the outlet
  whose name, run together, is one of its labels ("centralasianwire.example" = "Central Asian Wire").
  Names are never merged on a shared word: "The Times" and "The New York Times" stay two.

:class:`OutletNames` resolves the outlets of one store (:func:`resolve`, with document counts);
:func:`confirmation` tells, for the reports of one event, which are copies (a near-duplicate of
another document, or a syndicated copy credited to another outlet by its dateline or a source note)
and how many independent outlets confirm it.

    names = resolve([("CAW", 5), ("Central Asian Wire", 2)])
    names.canonical("CAW")            # 'Central Asian Wire'
"""
from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

logger = logging.getLogger(__name__)

_HOST = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}\.?$")
_HOST_PREFIX = re.compile(r"^(?:www\d?|m|amp)\.")
DATELINE_CHARS = 600  # a wire dateline opens the story: look no further


def name_key(name: str) -> str:
    """A name without case, accents, punctuation, spaces and a leading "The": "The Asia-Plus" → "asiaplus"."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").casefold()
    text = text.replace("&", " and ")
    words = re.findall(r"[a-z0-9]+", text)
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return "".join(words)


def host_of(text: str | None) -> str | None:
    """The host a URL or a bare host names, lower case and without "www.", "m." or "amp."; else None."""
    if not text or not text.strip():
        return None
    text = text.strip().lower()
    if "/" in text or ":" in text:
        try:
            text = urlsplit(text if "//" in text else "//" + text).hostname or ""
        except ValueError:  # a malformed URL names no host
            return None
    text = text.rstrip(".")
    if not _HOST.match(text):
        return None
    return _HOST_PREFIX.sub("", text) or None


@dataclass(frozen=True)
class CreditCue:
    pattern: re.Pattern[str]
    note: str


@dataclass(frozen=True)
class OutletTable:
    """The alias table of ``outlets.yaml``: name keys and hosts → canonical name, and the cues."""

    version: str
    by_key: Mapping[str, str]
    by_host: Mapping[str, str]
    generic_labels: frozenset[str]
    suffixes: frozenset[str]
    dateline_cues: tuple[CreditCue, ...]
    source_cues: tuple[CreditCue, ...]

    @classmethod
    def load(cls, path: str | Path | None = None) -> OutletTable:
        if path is None:
            text = resources.files("bilat.store").joinpath("outlets.yaml").read_text(encoding="utf-8")
        else:
            text = Path(path).read_text(encoding="utf-8")
        return cls.from_dict(yaml.safe_load(text))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> OutletTable:
        by_key: dict[str, str] = {}
        by_host: dict[str, str] = {}
        for entry in data.get("outlets") or []:
            name = str(entry["name"])
            for alias in [name, *(entry.get("aliases") or [])]:
                key = name_key(str(alias))
                if key in by_key and by_key[key] != name:
                    raise ValueError(f"outlet alias {alias!r} names both {by_key[key]!r} and {name!r}")
                by_key[key] = name
            for host in entry.get("hosts") or []:
                h = host_of(str(host))
                if h is None:
                    raise ValueError(f"not a host: {host!r} (outlet {name!r})")
                by_host[h] = name
        cues = data.get("credit_cues") or {}

        def compile_cues(items: Iterable[Mapping[str, Any]]) -> tuple[CreditCue, ...]:
            return tuple(CreditCue(re.compile(c["pattern"], re.MULTILINE | (re.IGNORECASE if c.get("ignore_case") else 0)),
                                   str(c.get("note", ""))) for c in items)

        return cls(str(data.get("version", "outlets")), by_key, by_host,
                   frozenset(str(g).lower() for g in data.get("generic_labels") or []),
                   frozenset(str(s).lower() for s in data.get("suffixes") or []),
                   compile_cues(cues.get("dateline") or []), compile_cues(cues.get("source_line") or []))

    def labels(self, host: str) -> list[str]:
        """The labels of a host that may name its outlet, the registrable one first:
        "news.centralasianwire.example" → ["centralasianwire"] (endings and generic labels left out)."""
        parts = host.split(".")
        while len(parts) > 1:
            if len(parts) > 2 and ".".join(parts[-2:]) in self.suffixes:
                parts = parts[:-2]
            elif parts[-1] in self.suffixes:
                parts = parts[:-1]
            else:
                break
        return [p for p in reversed(parts) if p not in self.generic_labels and len(p) >= 3]


@lru_cache(maxsize=1)
def default_table() -> OutletTable:
    """The packaged alias table (read once; the table is immutable)."""
    return OutletTable.load()


@dataclass
class _Group:
    canonical: str | None  # from the alias table
    names: dict[str, int] = field(default_factory=dict)  # raw name → documents


class OutletNames:
    """The outlets of one store, each raw name resolved to one canonical name.

    Built from the raw names with their document counts (:func:`resolve`). A group's name is the alias
    table's, else its most used name that is not a host, else its most used host. Names the store does
    not hold (a credit in a dateline) are resolved by :meth:`canonical` against the same groups.
    """

    def __init__(self, names: Iterable[tuple[str, int]], table: OutletTable | None = None):
        self.table = table or default_table()
        groups: dict[str, _Group] = {}
        hosts: dict[str, list[str]] = {}  # group id of an unlisted host → its labels
        for raw, count in names:
            if raw is None or not str(raw).strip():
                continue
            gid, canonical, labels = self._identify(str(raw))
            group = groups.setdefault(gid, _Group(canonical))
            group.names[str(raw)] = group.names.get(str(raw), 0) + int(count)
            if labels is not None:
                hosts[gid] = labels
        # a host joins the group of the name that is one of its labels run together
        for gid, labels in hosts.items():
            target = next((f"key:{label}" for label in labels if f"key:{label}" in groups), None)
            alias = next((self.table.by_key[label] for label in labels if label in self.table.by_key), None)
            if target is None and alias is not None:
                target = f"alias:{alias}"
                groups.setdefault(target, _Group(alias))
            if target and target != gid:
                into = groups[target]
                for raw, count in groups.pop(gid).names.items():
                    into.names[raw] = into.names.get(raw, 0) + count
        self._of: dict[str, str] = {}
        self._members: dict[str, list[str]] = {}
        self._documents: dict[str, int] = {}
        self._gid_name: dict[str, str] = {}
        for gid, group in groups.items():
            name = group.canonical or self._display(group.names)
            self._gid_name[gid] = name
            self._documents[name] = self._documents.get(name, 0) + sum(group.names.values())
            self._members.setdefault(name, []).extend(sorted(group.names))
            for raw in group.names:
                self._of[raw] = name

    def _identify(self, raw: str) -> tuple[str, str | None, list[str] | None]:
        """(group id, alias-table name or None, labels when an unlisted host)."""
        host = host_of(raw) if "." in raw and " " not in raw.strip() else None
        if host is not None:
            if host in self.table.by_host:
                return f"alias:{self.table.by_host[host]}", self.table.by_host[host], None
            return f"host:{host}", None, self.table.labels(host)
        key = name_key(raw)
        if key in self.table.by_key:
            return f"alias:{self.table.by_key[key]}", self.table.by_key[key], None
        return f"key:{key or raw.strip().casefold()}", None, None

    @staticmethod
    def _display(names: Mapping[str, int]) -> str:
        def rank(item: tuple[str, int]) -> tuple[bool, int, str]:
            raw, count = item
            return (host_of(raw) is not None and " " not in raw, -count, raw)
        return min(names.items(), key=rank)[0].strip()

    def canonical(self, raw: str | None) -> str | None:
        """The canonical name of a raw outlet name, host or URL (None for none)."""
        if raw is None or not str(raw).strip():
            return None
        raw = str(raw)
        if raw in self._of:
            return self._of[raw]
        gid, canonical, labels = self._identify(raw.strip())
        if gid in self._gid_name:
            return self._gid_name[gid]
        if canonical:
            return canonical
        for label in labels or []:
            if f"key:{label}" in self._gid_name:
                return self._gid_name[f"key:{label}"]
            if label in self.table.by_key:
                return self.table.by_key[label]
        return raw.strip() if labels is None else gid[5:]

    def known(self, raw: str) -> bool:
        """Whether a name resolves to an outlet of the store or of the alias table."""
        name = self.canonical(raw)
        return name is not None and (name in self._members or name in self.table.by_key.values())

    def members(self, raw: str | None) -> list[str]:
        """Every raw name stored for the outlet that ``raw`` names (for a filter); [raw] if none is."""
        name = self.canonical(raw)
        return list(self._members.get(name, [raw] if raw else [])) if name else []

    def outlets(self) -> list[dict[str, Any]]:
        """Canonical outlets with their documents and the raw names stored for them, busiest first."""
        rows = [{"outlet": name, "documents": self._documents[name], "names": sorted(self._members[name])}
                for name in self._members]
        return sorted(rows, key=lambda r: (-r["documents"], r["outlet"]))

    def __len__(self) -> int:
        return len(self._members)


def resolve(names: Iterable[tuple[str, int]], table: OutletTable | None = None) -> OutletNames:
    """The outlets of a store from its (raw outlet, documents) pairs."""
    return OutletNames(names, table)


def credit(text: str | None, removed: Sequence[str] = (), table: OutletTable | None = None,
           known: Callable[[str], bool] | None = None) -> str | None:
    """The outlet a document credits as the author of its copy: the agency of a wire dateline at its
    start ("DUSHANBE, March 25 (CAW) -"), else a source note ("Source: Central Asian Wire") in its text
    or its removed paragraphs, when ``known(name)`` (a note may name a data source, not an outlet).
    None when it credits nobody."""
    table = table or default_table()
    head = (text or "")[:DATELINE_CHARS]
    for cue in table.dateline_cues:
        m = cue.pattern.search(head)
        if m:
            return m.group("name").strip()
    for part in [text or "", *removed]:
        for cue in table.source_cues:
            for m in cue.pattern.finditer(part):
                name = m.group("name").strip()
                if known is None or known(name):
                    return name
    return None


@dataclass(frozen=True)
class Source:
    """One report's document as a source: its outlet, the document it copies and the credited outlet."""

    doc_id: str
    outlet: str | None  # raw, as stored
    duplicate_of: str | None = None
    credit: str | None = None


def origins(sources: Mapping[str, Source], names: OutletNames) -> dict[str, tuple[str | None, str | None]]:
    """doc_id → (canonical outlet of its own, outlet it is a copy of or None).

    A near-duplicate copies the outlet of the document it duplicates (that one's origin, followed
    through chains); a document that credits another outlet (:func:`credit`) copies that outlet."""
    out: dict[str, tuple[str | None, str | None]] = {}

    def origin(doc_id: str, seen: frozenset[str] = frozenset()) -> str | None:
        s = sources.get(doc_id)
        if s is None:
            return None
        if s.duplicate_of and s.duplicate_of not in seen and s.duplicate_of in sources:
            return origin(s.duplicate_of, seen | {doc_id})
        own = names.canonical(s.outlet)
        credited = names.canonical(s.credit)
        return credited if credited and credited != own else own

    for doc_id, s in sources.items():
        own = names.canonical(s.outlet)
        src = origin(doc_id)
        out[doc_id] = (own, src if (src and src != own) or s.duplicate_of else None)
    return out


def confirmation(reports: Sequence[Mapping[str, Any]], sources: Mapping[str, Source],
                 names: OutletNames) -> dict[str, Any]:
    """How many independent outlets confirm one event, from its reports (``doc_id`` each).

    ``confirmed_by``: distinct outlets among the reports' origins (a copy counts for the outlet it
    copies, never for the outlet that reprinted it); ``independent_reports``: the reports that are no
    copy, plus one for each copied outlet none of them covers; ``copies``: per report, what it copies.
    """
    of = origins(sources, names)
    by_report: list[dict[str, Any]] = []
    independent_outlets: set[str] = set()
    originals: set[str] = set()
    copied: set[str] = set()
    n_originals = 0
    for r in reports:
        own, copy_of = of.get(str(r.get("doc_id")), (names.canonical(r.get("outlet")), None))
        dup = sources[r["doc_id"]].duplicate_of if r.get("doc_id") in sources else None
        origin = copy_of or own
        if origin:
            independent_outlets.add(origin)
        if copy_of is None and not dup:
            n_originals += 1
            if own:
                originals.add(own)
        elif origin:
            copied.add(origin)
        by_report.append({"doc_id": r.get("doc_id"), "idx": r.get("idx"), "outlet": own, "copy_of": copy_of,
                          "duplicate_of": dup})
    outlets = sorted({o for o in (b["outlet"] for b in by_report) if o})
    return {"reports": len(reports), "outlets": outlets, "confirmed_by": len(independent_outlets),
            "independent_outlets": sorted(independent_outlets),
            "independent_reports": n_originals + len(copied - originals), "copies": by_report}
