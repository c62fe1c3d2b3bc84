"""Load the actor knowledge base (states, organisations, people with dated roles, sectors).

The data lives beside this module in ``kb/`` (CSV and YAML, each entry with its source);
this module only reads it into plain dataclasses. Nothing is fetched from the network.

Dates in the data may be partial: ``YYYY`` or ``YYYY-MM`` when only the year or month is
known. A start counts from the first day of that period and an end to its last day, so a
role is held on every day of ``[start, end]`` (both inclusive; ``None`` = open).
"""

from __future__ import annotations

import calendar
import csv
import io
import logging
import re
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from bilat.errors import ConfigError

logger = logging.getLogger(__name__)

try:  # the C loader is several times faster; fall back when libyaml is absent
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader

__all__ = [
    "Country",
    "Group",
    "KnowledgeBase",
    "Membership",
    "Org",
    "Person",
    "Role",
    "Sector",
    "load_groups",
    "load_kb",
    "parse_bound",
]


def parse_bound(value: Any, end: bool) -> tuple[date | None, str]:
    """A date bound and its precision ("day", "month", "year" or "none").

    ``end`` picks the last day of a partial period, otherwise the first.
    """
    if value is None or value == "":
        return None, "none"
    if isinstance(value, date):
        return value, "day"
    text = str(value).strip()
    if re.fullmatch(r"\d{4}", text):
        year = int(text)
        return (date(year, 12, 31) if end else date(year, 1, 1)), "year"
    if re.fullmatch(r"\d{4}-\d{2}", text):
        year, month = (int(x) for x in text.split("-"))
        last = calendar.monthrange(year, month)[1]
        return (date(year, month, last) if end else date(year, month, 1)), "month"
    try:
        return date.fromisoformat(text), "day"
    except ValueError as exc:
        raise ConfigError(f"bad date in knowledge base: {value!r}") from exc


def _covers(start: date | None, end: date | None, on: date) -> bool:
    return (start is None or start <= on) and (end is None or on <= end)


def split_values(value: str | None) -> tuple[str, ...]:
    """The values of a "|"-separated field of the knowledge-base tables."""
    return tuple(v.strip() for v in (value or "").split("|") if v.strip())


@dataclass(frozen=True)
class Country:
    code: str
    name: str
    official_name: str
    aliases: tuple[str, ...]
    adjectives: tuple[str, ...]
    capital: str
    metonyms: tuple[str, ...]
    un_status: str  # member | observer | none
    source: str

    def names(self) -> tuple[str, ...]:
        """Every surface form that names the state itself (not adjectives or metonyms)."""
        return tuple(dict.fromkeys(n for n in (self.name, self.official_name, *self.aliases) if n))


@dataclass(frozen=True)
class Membership:
    country: str
    start: date | None
    end: date | None
    note: str = ""

    def active_on(self, on: date) -> bool:
        return _covers(self.start, self.end, on)


@dataclass(frozen=True)
class Org:
    code: str
    name: str
    aliases: tuple[str, ...]
    members: tuple[Membership, ...]
    founded: date | None
    source: str
    kind: str = "igo"  # igo | ngo
    dissolved: date | None = None
    members_complete: bool = True
    metonyms: tuple[str, ...] = ()
    note: str = ""

    def exists_on(self, on: date) -> bool:
        return _covers(self.founded, self.dissolved, on)

    def members_on(self, on: date) -> list[str]:
        """Codes of the member states on that day (an unknown join date counts from founding)."""
        out = []
        for m in self.members:
            start = m.start or self.founded
            if _covers(start, m.end, on) and m.country not in out:
                out.append(m.country)
        return out

    def is_member(self, country: str, on: date) -> bool:
        return country in self.members_on(on)


@dataclass(frozen=True)
class Role:
    role: str
    sector: str
    start: date | None
    end: date | None
    country: str  # the state (or org code for secretaries general) the role is held for
    start_precision: str = "day"
    end_precision: str = "day"
    note: str = ""

    def active_on(self, on: date) -> bool:
        return _covers(self.start, self.end, on)


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    surname: str
    variants: tuple[str, ...]  # includes the surname alone
    country: str
    roles: tuple[Role, ...]
    source: str
    note: str = ""

    def names(self) -> tuple[str, ...]:
        return (self.name, *self.variants)

    def roles_on(self, on: date) -> list[Role]:
        return [r for r in self.roles if r.active_on(on)]


@dataclass(frozen=True)
class Sector:
    code: str
    name: str
    keywords: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class Group:
    """A named actor that is not a state: a state institution, an armed or political group, an NGO."""

    id: str
    name: str
    aliases: tuple[str, ...]
    code: str  # the actor code events use (a state's, IMG, or the body's own)
    sector: str
    kind: str  # state (an organ of the state ``code``) | org
    source: str

    def names(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(spelling_variants((self.name, *self.aliases))))


# British and American spellings of the same name: both are common in wire copy
SPELLINGS = (("isation", "ization"), ("Defence", "Defense"), ("Labour", "Labor"), ("Programme", "Program"))


def spelling_variants(names: tuple[str, ...]) -> list[str]:
    out = []
    for n in names:
        out.append(n)
        for a, b in SPELLINGS:
            if a in n:
                out.append(n.replace(a, b))
            elif b in n:
                out.append(n.replace(b, a))
    return out


@dataclass
class KnowledgeBase:
    countries: dict[str, Country]
    orgs: dict[str, Org]
    people: list[Person]
    sectors: dict[str, Sector]
    _by_id: dict[str, Person] = field(default_factory=dict, init=False, repr=False)
    _by_name: dict[str, list[Person]] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        for p in self.people:
            self._by_id[p.id] = p
            for n in p.names():
                bucket = self._by_name.setdefault(n.casefold(), [])
                if p not in bucket:
                    bucket.append(p)

    def person(self, pid: str) -> Person | None:
        return self._by_id.get(pid)

    def people_named(self, name: str) -> list[Person]:
        """People whose name, variant or surname is exactly ``name`` (case-insensitive)."""
        return list(self._by_name.get(name.casefold(), []))

    def people_in_role(self, country: str, role: str, on: date) -> list[Person]:
        """Who held ``role`` for ``country`` (or org code) on that day; several on a hand-over day."""
        role = role.lower()
        return [
            p for p in self.people
            if any(r.country == country and r.role == role and r.active_on(on) for r in p.roles)
        ]


def _open_dir(path: str | Path | None) -> Any:
    if path is not None:
        return Path(path)
    return resources.files("bilat.actors") / "kb"


def _people_files(base: Any) -> list[str]:
    """``people.yaml`` (Russia, Central Asia, the organisations), then the regional files ``people_*.yaml``."""
    regional = sorted(f.name for f in base.iterdir() if f.name.startswith("people_") and f.name.endswith(".yaml"))
    return ["people.yaml", *regional]


def _read_text(base: Any, name: str) -> str:
    try:
        return (base / name).read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ConfigError(f"knowledge base file missing: {name}") from exc


def _load_countries(text: str) -> dict[str, Country]:
    out = {}
    for row in csv.DictReader(io.StringIO(text)):
        out[row["code"]] = Country(
            code=row["code"],
            name=row["name"],
            official_name=row["official_name"],
            aliases=split_values(row["aliases"]),
            adjectives=split_values(row["adjectives"]),
            capital=row["capital"],
            metonyms=split_values(row["metonyms"]),
            un_status=row["un_status"],
            source=row["source"],
        )
    return out


def _load_orgs(data: list[dict], countries: dict[str, Country]) -> dict[str, Org]:
    out = {}
    for o in data:
        members = []
        for m in o.get("members") or []:
            start, _ = parse_bound(m.get("start"), end=False)
            end, _ = parse_bound(m.get("end"), end=True)
            members.append(Membership(m["country"], start, end, m.get("note") or ""))
        if o.get("members_from") == "countries.un_status":
            # UN membership is the un_status column; entries above keep their dates
            listed = {m.country for m in members}
            members += [Membership(c.code, None, None) for c in countries.values()
                        if c.un_status == "member" and c.code not in listed]
        out[o["code"]] = Org(
            code=o["code"],
            name=o["name"],
            aliases=tuple(o.get("aliases") or ()),
            members=tuple(members),
            founded=parse_bound(o.get("founded"), end=False)[0],
            source=o.get("source") or "",
            kind=o.get("kind") or "igo",
            dissolved=parse_bound(o.get("dissolved"), end=True)[0],
            members_complete=bool(o.get("members_complete", True)),
            metonyms=tuple(o.get("metonyms") or ()),
            note=o.get("note") or "",
        )
    return out


def _load_people(data: list[dict]) -> list[Person]:
    out = []
    for p in data:
        surname = p.get("surname") or p["name"].split()[-1]
        variants = [v for v in (p.get("variants") or []) if v != p["name"]]
        if surname not in variants:
            variants.append(surname)
        roles = []
        for r in p.get("roles") or []:
            start, sp = parse_bound(r.get("start"), end=False)
            end, ep = parse_bound(r.get("end"), end=True)
            roles.append(Role(
                role=str(r["role"]).lower(),
                sector=r.get("sector") or "GOV",
                start=start,
                end=end,
                country=r.get("country") or p["country"],
                start_precision=sp,
                end_precision=ep,
                note=r.get("note") or "",
            ))
        out.append(Person(
            id=p["id"],
            name=p["name"],
            surname=surname,
            variants=tuple(dict.fromkeys(variants)),
            country=p["country"],
            roles=tuple(roles),
            source=p.get("source") or "",
            note=p.get("note") or "",
        ))
    return out


def _load_sectors(data: list[dict]) -> dict[str, Sector]:
    return {
        s["code"]: Sector(s["code"], s["name"], tuple(s.get("keywords") or ()), s.get("source") or "")
        for s in data
    }


def load_groups(path: str | Path | None = None) -> list[Group]:
    """Institutions, non-state groups and NGOs from ``groups.yaml`` (see its header)."""
    data = yaml.load(_read_text(_open_dir(path), "groups.yaml"), Loader=_Loader) or []
    return [Group(g["id"], g["name"], tuple(g.get("aliases") or ()), g["code"], g["sector"],
                  g.get("kind") or "org", g.get("source") or "") for g in data]


def load_kb(path: str | Path | None = None) -> KnowledgeBase:
    """Read the knowledge base from ``path`` (a folder) or from the installed package."""
    base = _open_dir(path)
    countries = _load_countries(_read_text(base, "countries.csv"))
    orgs = _load_orgs(yaml.load(_read_text(base, "orgs.yaml"), Loader=_Loader) or [], countries)
    people = [p for name in _people_files(base)
              for p in _load_people(yaml.load(_read_text(base, name), Loader=_Loader) or [])]
    sectors = _load_sectors(yaml.load(_read_text(base, "sectors.yaml"), Loader=_Loader) or [])
    logger.debug("knowledge base: %d states, %d orgs, %d people, %d sectors",
                 len(countries), len(orgs), len(people), len(sectors))
    return KnowledgeBase(countries, orgs, people, sectors)
