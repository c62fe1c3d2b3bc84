"""Actor names on the command line: "Russia-Tajikistan" as a dyad, "Rahmon" or "Kremlin" as an actor.

Names are looked up, without regard to case or a leading "the", in the knowledge base the extractor uses:
states (codes, names, official names, aliases and metonyms such as "the Kremlin", from ``countries.csv``
and ``metonyms.csv``), organisations (codes, names, aliases, metonyms), named groups and institutions,
and people (full names, variants and surnames). The knowledge base is read only when a value is not
already an actor code the store names.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any, NoReturn

from .args import bad, dyad_sides, looks_like_code


@dataclass(frozen=True)
class Match:
    """What a name given on the command line stands for."""

    asked: str
    name: str  # the canonical name, as the store's mentions and events carry it
    code: str | None  # the actor code events use for a state or organisation; a person's or group's state
    kind: str  # state | org | group | person
    via: str  # code | name | metonym | surname: how ``asked`` named it

    def describe(self) -> str:
        if self.asked.casefold() == self.name.casefold():
            return self.name
        how = {"metonym": f"a metonym of {self.code}", "code": "its code"}.get(self.via, "in the knowledge base")
        return f"{self.asked} → {self.name} ({how})"


def _key(name: str) -> str:
    key = " ".join(name.casefold().split())
    return key[4:] if key.startswith("the ") else key


class KnowledgeNames:
    """The knowledge base's names of states, organisations, groups and people, by lower-case name."""

    def __init__(self, load: Callable[[], Any] | None = None, load_groups: Callable[[], list[Any]] | None = None):
        from ..actors import kb_loader

        self._load = load or kb_loader.load_kb
        self._load_groups = load_groups or kb_loader.load_groups

    @cached_property
    def kb(self) -> Any:
        return self._load()

    @cached_property
    def _bodies(self) -> dict[str, list[Match]]:
        """States, organisations and groups under every name, code and metonym."""
        table: dict[str, list[Match]] = {}

        def add(surface: str | None, name: str, code: str, kind: str, via: str) -> None:
            if not surface:
                return
            bucket = table.setdefault(_key(surface), [])
            if all(m.name != name or m.code != code for m in bucket):
                bucket.append(Match(surface, name, code, kind, via))

        for code, c in self.kb.countries.items():
            add(code, c.name, code, "state", "code")
            for surface in (c.name, c.official_name, *c.aliases):
                add(surface, c.name, code, "state", "name")
            for surface in c.metonyms:
                add(surface, c.name, code, "state", "metonym")
        for code, o in self.kb.orgs.items():
            add(code, o.name, code, "org", "code")
            for surface in (o.name, *o.aliases):
                add(surface, o.name, code, "org", "name")
            for surface in o.metonyms:
                add(surface, o.name, code, "org", "metonym")
        for g in self._load_groups():
            for surface in g.names():
                add(surface, g.name, g.code, "group", "name")
        return table

    def bodies(self, name: str) -> list[Match]:
        """States, organisations and groups called ``name``."""
        return [Match(name, m.name, m.code, m.kind, m.via) for m in self._bodies.get(_key(name), [])]

    def people(self, name: str) -> list[Match]:
        """People whose name, a variant or the surname is ``name``."""
        found = self.kb.people_named(" ".join(name.split()))
        return [Match(name, p.name, p.country, "person", "name" if name.casefold() == p.name.casefold()
                      else "surname") for p in found]

    def find(self, name: str) -> list[Match]:
        return self.bodies(name) + self.people(name)

    def roles(self, name: str) -> list[Any]:
        """The knowledge base's dated roles of the person called ``name`` (canonical name)."""
        return [r for p in self.kb.people_named(name) if p.name == name for r in p.roles]


def resolve_side(side: str, names: KnowledgeNames, in_store: Callable[[str], bool] | None) -> str | None:
    """The actor code a dyad side stands for: a code the store names, else a state, organisation or group
    of the knowledge base by code, name or metonym; None when nothing is called so."""
    if in_store is not None and looks_like_code(side) and in_store(side.upper()):
        return side.upper()
    codes = list(dict.fromkeys(m.code for m in names.bodies(side) if m.code))
    return codes[0] if codes else None


def resolve_dyad(value: str, names: KnowledgeNames, in_store: Callable[[str], bool] | None = None,
                 option: str = "--dyad") -> str:
    """ "RUS-TJK", "rustjk", "Russia-Tajikistan", "the Kremlin-Dushanbe" → "RUS-TJK".

    ``in_store(code)`` says whether the store's events name a code: a side it does not name is an error
    (an empty answer would hide the mistake), as is a name the knowledge base does not hold."""
    readings = dyad_sides(value, option)
    unknown: list[str] = []
    for a, b in readings:
        codes = [resolve_side(a, names, in_store), resolve_side(b, names, in_store)]
        if None not in codes:
            return _named_pair((a, b), codes, in_store, option)
        unknown += [s for s, c in zip((a, b), codes, strict=True) if c is None and s not in unknown]
    if len(readings) == 1 and unknown:
        _unknown(unknown, value, option)
    bad(option, f"cannot read {value!r} as two actors: give two codes or names joined by '-', "
                "e.g. RUS-TJK or Russia-Tajikistan")


def resolve_pair(a: str, b: str, names: KnowledgeNames, in_store: Callable[[str], bool] | None = None,
                 option: str = "A B") -> str:
    """Two sides given apart (``bilat monthly Russia TJK``) → "RUS-TJK"."""
    codes = [resolve_side(a, names, in_store), resolve_side(b, names, in_store)]
    if None in codes:
        _unknown([s for s, c in zip((a, b), codes, strict=True) if c is None], f"{a} {b}", option)
    return _named_pair((a, b), codes, in_store, option)


def _named_pair(sides: tuple[str, str], codes: list[str | None], in_store: Callable[[str], bool] | None,
                option: str) -> str:
    for side, code in zip(sides, codes, strict=True):
        if in_store is not None and code is not None and not in_store(code):
            said = code if side.upper() == code else f"{code} ({side})"
            bad(option, f"no event of this store names {said}: dyads are two actor codes such as "
                        "RUS-TJK or RUS-CSTO, or their names (`bilat actors` lists them)")
    return f"{codes[0]}-{codes[1]}"


def _unknown(sides: list[str], value: str, option: str) -> NoReturn:
    bad(option, f"unknown actor {', '.join(repr(s) for s in sides)} in {value!r}: neither an actor code nor "
                "a name of a state, organisation or group in the knowledge base (e.g. RUS-TJK or Russia-Tajikistan)")
