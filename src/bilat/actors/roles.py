"""Title vocabulary and dated roles: who held an office on a given day.

The vocabulary (``titles.yaml``) maps title phrases to a canonical role and a CAMEO
sector; the knowledge base's own role strings are normalised to the same canonical
form, so "Minister of Foreign Affairs" in the KB and "Foreign Minister" in a text meet.
"""
from __future__ import annotations

import calendar
import logging
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ..errors import ConfigError

logger = logging.getLogger(__name__)

# "'s" stays one word so possessives are easy to see.
WORD_RE = re.compile(r"['’]s\b|\w+|[^\w\s]")


def words_of(text: str) -> tuple[str, ...]:
    """Lowercased word tokens, the same split the linker uses on documents."""
    return tuple(w.lower() for w in WORD_RE.findall(text))


@dataclass(frozen=True)
class Title:
    role: str
    sector: str | None
    plural: bool = False
    former: bool = False


@dataclass
class TitleVocab:
    """Title phrases (as word tuples) and the other word lists of ``titles.yaml``."""

    titles: dict[tuple[str, ...], Title] = field(default_factory=dict)
    prefixes: dict[tuple[str, ...], dict[str, Any]] = field(default_factory=dict)
    leader_roles: list[str] = field(default_factory=list)
    group_nouns: dict[tuple[str, ...], tuple[str, str]] = field(default_factory=dict)
    collectives: list[tuple[str, ...]] = field(default_factory=list)
    place_prepositions: frozenset[str] = frozenset()
    actor_deps: frozenset[str] = frozenset()
    lowercase_words: frozenset[str] = frozenset()
    not_names: frozenset[str] = frozenset()
    not_bare_surnames: frozenset[str] = frozenset()
    demonym_not_actors: frozenset[str] = frozenset()
    compass_words: frozenset[str] = frozenset()
    collective_states: frozenset[str] = frozenset()
    collective_whole_states: frozenset[str] = frozenset()
    fillers: frozenset[str] = frozenset()
    name_particles: frozenset[str] = frozenset()
    honorifics: frozenset[str] = frozenset()
    former_words: frozenset[str] = frozenset()
    institution_words: frozenset[str] = frozenset()
    collective_roles: dict[str, str] = field(default_factory=dict)
    currency_words: frozenset[str] = frozenset()
    region_words: frozenset[str] = frozenset()
    region_names: frozenset[str] = frozenset()
    historic_states: frozenset[str] = frozenset()
    era_words_before: frozenset[str] = frozenset()
    era_words_after: frozenset[str] = frozenset()
    council_qualifiers: frozenset[str] = frozenset()
    max_len: int = 1
    first_words: set[str] = field(default_factory=set)

    @classmethod
    def load(cls, path: str | Path | None = None) -> TitleVocab:
        try:
            if path is None:
                text = resources.files("bilat.actors").joinpath("titles.yaml").read_text(encoding="utf-8")
            else:
                text = Path(path).read_text(encoding="utf-8")
            data = yaml.safe_load(text)
        except (OSError, yaml.YAMLError) as exc:
            raise ConfigError(f"cannot read title vocabulary: {exc}") from exc
        return cls.from_dict(data)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TitleVocab:
        vocab = cls()
        plurals = {k.lower(): v.lower() for k, v in (data.get("plurals") or {}).items()}
        for phrase, spec in (data.get("titles") or {}).items():
            vocab._add(phrase, Title(spec["role"], spec.get("sector"), plural=bool(spec.get("plural"))))
        staff = ["spokesman", "spokeswoman", "spokesperson", "press secretary", "official", "officials"]
        for phrase, spec in (data.get("portfolios") or {}).items():
            role, sector = spec["role"], spec.get("sector")
            minister = Title(f"{role} minister", sector)
            # "Defence Secretary" is the British (and US) form of the same office
            for form in (f"{phrase} minister", f"minister of {phrase}", f"minister for {phrase}",
                         f"minister of the {phrase}", f"{phrase} secretary", f"secretary of {phrase}"):
                vocab._add(form, minister)
            for form in (f"{phrase} ministry", f"ministry of {phrase}", f"ministry of the {phrase}"):
                vocab._add(form, Title(f"{role} ministry", sector))
                for word in staff:
                    vocab._add(f"{form} {word}", Title(f"{role} ministry spokesman"
                                                       if not word.startswith("official") else
                                                       f"{role} ministry official", sector))
        # Plural head words: "presidents", "foreign ministers".
        for key, title in list(vocab.titles.items()):
            for plural, singular in plurals.items():
                if key[-1] == singular:
                    vocab._add_words(key[:-1] + (plural,), Title(title.role, title.sector, plural=True))
        for phrase, spec in (data.get("prefixes") or {}).items():
            vocab.prefixes[words_of(phrase)] = dict(spec)
        vocab.first_words = {k[0] for k in vocab.titles} | {k[0] for k in vocab.prefixes}
        vocab.leader_roles = [normalise_role(r) for r in data.get("leader_roles") or []]
        for phrase, spec in (data.get("group_nouns") or {}).items():
            vocab.group_nouns[words_of(phrase)] = (spec["sector"], spec.get("kind", "sector"))
        vocab.collectives = [tuple(w.lower() for w in c) for c in data.get("collectives") or []]
        vocab.place_prepositions = frozenset(data.get("place_prepositions") or [])
        vocab.actor_deps = frozenset(data.get("actor_deps") or [])
        vocab.lowercase_words = frozenset(data.get("lowercase_words") or [])
        vocab.not_names = frozenset(w.lower() for w in data.get("not_names") or [])
        vocab.not_bare_surnames = frozenset(w.lower() for w in data.get("not_bare_surnames") or [])
        vocab.demonym_not_actors = frozenset(w.lower() for w in data.get("demonym_not_actors") or [])
        vocab.compass_words = frozenset(w.lower() for w in data.get("compass_words") or [])
        vocab.collective_states = frozenset(data.get("collective_states") or ())
        vocab.collective_whole_states = frozenset(data.get("collective_whole_states") or ())
        vocab.former_words = frozenset(k[0] for k, spec in vocab.prefixes.items() if spec.get("former"))
        vocab.fillers = frozenset(data.get("descriptor_fillers") or []) | vocab.former_words
        vocab.institution_words = frozenset(data.get("institution_words") or [])
        vocab.name_particles = frozenset(data.get("name_particles") or [])
        vocab.honorifics = frozenset(data.get("honorifics") or [])
        for name in ("currency_words", "region_words", "region_names", "historic_states", "era_words_before",
                     "era_words_after", "council_qualifiers"):
            setattr(vocab, name, frozenset(data.get(name) or ()))
        vocab.collective_roles = {plural: normalise_role(singular) for plural, singular in plurals.items()
                                  if plural not in ("counterparts", "heads", "chiefs")}
        return vocab

    def _add(self, phrase: str, title: Title) -> None:
        self._add_words(words_of(phrase), title)

    def _add_words(self, key: tuple[str, ...], title: Title) -> None:
        self.titles.setdefault(key, title)
        self.max_len = max(self.max_len, len(key))

    def match_title(self, words: list[str], i: int) -> tuple[int, Title] | None:
        """Longest title (with optional prefixes like "deputy", "former") starting at words[i].

        Returns (end index, title) or None. ``words`` are lowercased tokens.
        """
        if i >= len(words) or words[i] not in self.first_words:
            return None
        j, role_prefix, former = i, "", False
        while True:
            pref = self._longest(words, j, self.prefixes)
            if pref is None:
                break
            end, spec = pref
            # "ex-president": the dash belongs to the prefix.
            if end < len(words) and words[end] == "-":
                end += 1
            nxt = self._longest(words, end, self.titles)
            if nxt is None:
                break
            role_prefix += spec.get("role_prefix", "")
            former = former or bool(spec.get("former"))
            j = end
        hit = self._longest(words, j, self.titles)
        if hit is None:
            return None
        end, title = hit
        if role_prefix or former:
            title = Title(role_prefix + title.role, title.sector, title.plural, former)
        return end, title

    def _longest(self, words: list[str], i: int, table: dict[tuple[str, ...], Any]) -> tuple[int, Any] | None:
        for n in range(min(self.max_len, len(words) - i), 0, -1):
            value = table.get(tuple(words[i:i + n]))
            if value is not None:
                return i + n, value
        return None

    def role_of(self, text: str) -> Title | None:
        """The title a whole string names ("Minister of Foreign Affairs" -> foreign minister)."""
        words = list(words_of(text))
        hit = self.match_title(words, 0)
        if hit and hit[0] == len(words):
            return hit[1]
        return None


def normalise_role(text: str) -> str:
    return " ".join(words_of(text.lower().replace("defence", "defense").replace("labour", "labor")))


def to_date(value: Any) -> date | None:
    """A date from a date, datetime, DatedValue or 'YYYY[-MM[-DD]]' string (month/year -> mid-point)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = getattr(value, "value", value)
    if not isinstance(text, str):
        return None
    m = re.match(r"(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", text.strip())
    if not m:
        return None
    year = int(m.group(1))
    month = int(m.group(2) or 7)
    day = int(m.group(3) or (15 if m.group(2) else 1))
    try:
        return date(year, month, day)
    except ValueError:
        return None


def period_of(value: Any) -> tuple[date, date] | None:
    """First and last day a date of day, month or year precision can stand for."""
    text = getattr(value, "value", value)
    if not isinstance(text, str):
        return None
    text = text.strip()
    if len(text) >= 10:
        day = to_date(text)
        return (day, day) if day else None
    key = text[:7] if len(text) >= 7 else text[:4]
    start, end = _bound(key, False), _bound(key, True)
    return (start, end) if start and end else None


def _bound(value: Any, end: bool) -> date | None:
    """A tenure bound: a bare year or month counts from its first / to its last day."""
    if value is None or value == "":
        return None
    if isinstance(value, (date, datetime)):
        return to_date(value)
    text = str(value).strip()
    if re.fullmatch(r"\d{4}", text):
        return date(int(text), 12, 31) if end else date(int(text), 1, 1)
    if re.fullmatch(r"\d{4}-\d{1,2}", text):
        y, mo = (int(x) for x in text.split("-"))
        if not 1 <= mo <= 12:
            return None
        return date(y, mo, calendar.monthrange(y, mo)[1]) if end else date(y, mo, 1)
    return to_date(text)


def _get(obj: Any, name: str, default: Any = None) -> Any:
    if isinstance(obj, dict):
        return obj.get(name, default)
    return getattr(obj, name, default)


@dataclass(frozen=True)
class Tenure:
    """One role of one person, normalised."""

    person: Any
    role: str
    sector: str | None
    country: str | None
    start: date | None
    end: date | None

    def covers(self, on: date | None) -> bool:
        if on is None:
            return self.end is None  # undated: only a current holder
        return (self.start is None or self.start <= on) and (self.end is None or on <= self.end)


class RoleBook:
    """Dated roles of the knowledge base's people, by canonical role."""

    def __init__(self, kb: Any, vocab: TitleVocab | None = None):
        self.vocab = vocab or TitleVocab.load()
        self.tenures: list[Tenure] = []
        for person in _get(kb, "people", []) or []:
            self.tenures.extend(self.tenures_of(person))

    def canonical(self, role_text: str) -> str:
        title = self.vocab.role_of(role_text)
        return title.role if title else normalise_role(role_text)

    def tenures_of(self, person: Any) -> list[Tenure]:
        out = []
        for r in _get(person, "roles", []) or []:
            text = _get(r, "role") or ""
            title = self.vocab.role_of(text)
            out.append(Tenure(person, title.role if title else normalise_role(text),
                              _get(r, "sector") or (title.sector if title else None),
                              _get(r, "country") or _get(person, "country"),
                              _bound(_get(r, "start"), False), _bound(_get(r, "end"), True)))
        return out

    def holders(self, country: str, role: str, on: date | None) -> list[Any]:
        role = normalise_role(role)
        roles = self.vocab.leader_roles if role == "leader" else [role]
        for r in roles:
            found = [t.person for t in self.tenures if t.country == country and t.role == r and t.covers(on)]
            if found:
                return found
        return []

    def resolve_role(self, country: str | None, role: str, on: date | None,
                     until: date | None = None) -> Any | None:
        """The one person holding ``role`` for ``country`` on ``on``; None if none or several.

        With ``until`` (a text dated only to a month or year), the same person must hold
        the role at both ends of the period.
        """
        if not country:
            return None
        found = self.holders(country, role, on)
        ids = {_get(p, "id") for p in found}
        if len(ids) != 1:
            return None
        if until is not None and until != on:
            later = self.resolve_role(country, role, until)
            if later is None or _get(later, "id") not in ids:
                return None
        return found[0]

    def role_on(self, person: Any, on: date | None) -> Tenure | None:
        """The person's role on the day; undated: the current one, else the latest."""
        tenures = [t for t in self.tenures if t.person is person]
        current = [t for t in tenures if t.covers(on)]
        if current:
            return current[0]
        if on is None and tenures:
            return max(tenures, key=lambda t: t.end or date.max)
        return None

    def tenures_for(self, person: Any) -> list[Tenure]:
        return [t for t in self.tenures if t.person is person]


def resolve_role(kb: Any, country: str | None, role: str, on: date | None) -> Any | None:
    """Convenience wrapper: the person holding ``role`` in ``country`` on ``on``."""
    return RoleBook(kb).resolve_role(country, role, on)


def tenure_year_range(mentions: Iterable[Any], kb: Any, book: RoleBook | None = None) -> tuple[int, int] | None:
    """Years an undated text can be from: the intersection of the tenures of the
    KB people it names with a role ("Foreign Minister Khamrokhon Zarifi").

    Only mentions that carry both a kb_id and a role count; an open-ended tenure is
    bounded by today. None when no such mention or the tenures do not overlap.
    """
    days = tenure_day_range(mentions, kb, book)
    return None if days is None else (days[0].year if days[0] != date.min else 1900, days[1].year)


def tenure_day_range(mentions: Iterable[Any], kb: Any, book: RoleBook | None = None) -> tuple[date, date] | None:
    """The days an undated text can be from (``tenure_year_range``, to the day)."""
    book = book or RoleBook(kb)
    by_id = {_get(t.person, "id"): t.person for t in book.tenures}
    lo, hi, seen = date.min, date.max, False
    for m in mentions:
        if m.kb_id is None or not m.role or m.kb_id not in by_id or m.via == "coref":
            continue
        role = normalise_role(m.role)
        spans = [t for t in book.tenures_for(by_id[m.kb_id]) if t.role == role]
        if not spans:
            continue
        seen = True
        start = min((t.start or date.min) for t in spans)
        end = max((t.end or date.today()) for t in spans)
        lo, hi = max(lo, start), min(hi, end)
    if not seen or lo > hi:
        return None
    return lo, hi


# -- people by name -------------------------------------------------------------------------------


def name_key(word: str, endings: bool = True) -> str:
    """A transliteration-tolerant key for one name word (Rakhmonov ~ Rahmon, Yury ~ Yuri).

    ``endings=False`` keeps the Russian -ov/-ev ending, to tell "Ivan" from "Ivanov".
    """
    s = unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode("ascii").lower()
    s = re.sub(r"[^a-z]", "", s)
    s = s.replace("dzh", "j").replace("dj", "j").replace("kh", "h").replace("x", "ks").replace("y", "i")
    s = re.sub(r"(.)\1", r"\1", s)
    if not endings:
        return s
    for ending in ("ova", "eva", "ov", "ev"):
        if s.endswith(ending) and len(s) - len(ending) >= 4:
            s = s[: -len(ending)]
            break
    return s


def given_compatible(a: str, b: str) -> bool:
    """Two given-name keys (or an initial) that can be the same name."""
    if a == b:
        return True
    if not a or not b:  # a given name of no letters ("-", an apostrophe alone) matches nothing
        return False
    if len(a) == 1 or len(b) == 1:
        return a[0] == b[0]
    if min(len(a), len(b)) >= 3 and (a.startswith(b) or b.startswith(a)):
        return True
    if min(len(a), len(b)) >= 4 and abs(len(a) - len(b)) <= 1:
        diffs = sum(x != y for x, y in zip(a, b, strict=False)) + abs(len(a) - len(b))
        return diffs <= 1 or _one_edit(a, b)
    return False


def _one_edit(a: str, b: str) -> bool:
    if len(a) < len(b):
        a, b = b, a
    return any(a[:i] + a[i + 1:] == b for i in range(len(a)))


class PersonIndex:
    """KB people by surname key, with the given-name keys of their name variants."""

    def __init__(self, people: Iterable[Any]):
        self.by_surname: dict[str, list[tuple[Any, frozenset[str]]]] = {}
        self.by_id: dict[str, Any] = {}
        self.given_names: set[str] = set()
        self.surname_forms: set[str] = set()  # surnames as spelt, endings kept
        for p in people:
            pid = _get(p, "id")
            self.by_id[pid] = p
            for variant in [_get(p, "name")] + list(_get(p, "variants") or []):
                parts = [w for w in re.findall(r"[^\W\d_]+", variant or "") if len(w) > 1 or w.isupper()]
                if not parts:
                    continue
                family = _get(p, "surname")
                if family and family in parts and parts[-1] != family:
                    # family name first ("Ban Ki-moon", "Xi Jinping"): "Moon" is no surname of his
                    parts = [w for w in parts if w != family] + [family]
                entry = (p, frozenset(name_key(g) for g in parts[:-1]))
                self.given_names |= entry[1]
                self.surname_forms.add(name_key(parts[-1], endings=False))
                bucket = self.by_surname.setdefault(name_key(parts[-1]), [])
                if entry not in bucket:
                    bucket.append(entry)

    def full_key(self, words: list[str]) -> str:
        return " ".join(name_key(w) for w in words if w[:1].isalpha())
