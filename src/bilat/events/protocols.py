"""What the events stage needs from its collaborators, as typed protocols: the time resolver
(``when.TimeResolver``) and the place lookup (``where.Gazetteer``), or test doubles with the same methods."""
from __future__ import annotations

from datetime import date
from typing import Protocol

from .when import TimeExpression
from .where import Place


class TimeFinder(Protocol):
    def find(self, sentence: str, anchor: date, previous: date | None = None,
             future: bool | None = False) -> list[TimeExpression]: ...

    def resolve(self, sentence: str, anchor: date, previous: date | None = None,
                future: bool | None = False, near: int | None = None) -> TimeExpression | None: ...


class PlaceFinder(Protocol):
    def find_locations(self, sentence: str, ents: list[tuple[str, str, int, int]],
                       country_hint: set[str] | None = None,
                       locative_only: bool = False) -> list[tuple[Place, int, int]]: ...

    def lookup(self, name: str, country_hint: set[str] | None = None) -> Place | None: ...
