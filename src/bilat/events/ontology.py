"""PLOVER 2.0 event types and the trigger rules, loaded from the data files in ``rules/``.

``Ontology`` knows the types, their modes, CAMEO codes and Goldstein intensities (plover.yaml).
``RuleSet`` holds the verb, noun and light-verb rules (verbs.yaml, nouns.yaml, light_verbs.yaml)
and answers the cheap question "could this sentence hold an event?" before any parsing.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import ConfigError

logger = logging.getLogger(__name__)

RULES_DIR = Path(__file__).parent / "rules"
PLOVER_TYPES = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
                "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")
# acts of both sides at once: told again with the sides swapped, still one event
JOINT_TYPES = frozenset({"AGREE", "CONSULT", "COOPERATE", "SUPPORT"})


def dyad_key(type_: str, source: str | None, target: str | None) -> tuple | frozenset:
    """What makes two events of one type the same dyad's: the unordered pair for joint acts, the ordered
    one for the others ("A accused B" and then "B accused A" are two accusations)."""
    return frozenset((source, target)) if type_ in JOINT_TYPES else (source, target)



@dataclass(frozen=True)
class Mode:
    name: str
    cameo: str
    intensity: float


@dataclass(frozen=True)
class EventType:
    name: str
    quad: int
    cameo: str
    intensity: float
    modes: dict[str, Mode]


@dataclass(frozen=True)
class Rule:
    """One trigger rule (a verb or a noun); ``rule_id`` names file, entry and version."""

    kind: str  # verbs | nouns
    id: str
    lemmas: frozenset[str]
    type: str
    mode: str | None
    cameo: str | None = None
    version: int = 1
    source: tuple[str, ...] = ("subj",)
    target: tuple[str, ...] = ("obj",)
    opts: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)

    @property
    def rule_id(self) -> str:
        return f"{self.kind}.{self.id}.v{self.version}"

    def opt(self, name: str, default: Any = None) -> Any:
        return self.opts.get(name, default)


@dataclass(frozen=True)
class LightVerb:
    id: str
    lemmas: frozenset[str]
    via: str = "dobj"
    mode: str | None = None
    nouns: frozenset[str] | None = None  # noun rule ids it combines with; None = any
    version: int = 1
    type: str | None = None  # overrides the noun's type ("lodged a protest" is ACCUSE, not PROTEST)

    @property
    def rule_id(self) -> str:
        return f"light_verbs.{self.id}.v{self.version}"


@dataclass(frozen=True)
class Residence:
    """Which role nouns take the country of the place they are in, and how (residence.yaml)."""

    people_nouns: frozenset[str] = frozenset()
    place_preps: tuple[str, ...] = ()
    ethnic_marks: frozenset[str] = frozenset()

    @classmethod
    def load(cls, path: Path) -> Residence:
        if not path.exists():  # a custom rules folder without the file: no residence rules
            return cls()
        data = _read_yaml(path)
        return cls(frozenset(str(x).lower() for x in data.get("people_nouns") or ()),
                   tuple(str(x).lower() for x in data.get("place_preps") or ()),
                   frozenset(str(x).lower() for x in data.get("ethnic_marks") or ()))


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot read event rules: {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping at the top level")
    return data


class Ontology:
    """PLOVER types with modes, CAMEO codes and Goldstein intensities."""

    def __init__(self, rules_dir: str | Path | None = None):
        data = _read_yaml(Path(rules_dir or RULES_DIR) / "plover.yaml")
        self.version = int(data.get("version", 1))
        self.types: dict[str, EventType] = {}
        for name, spec in data["types"].items():
            modes = {m: Mode(m, str(v["cameo"]), float(v["intensity"])) for m, v in (spec.get("modes") or {}).items()}
            self.types[name] = EventType(name, int(spec["quad"]), str(spec["cameo"]), float(spec["intensity"]), modes)
        self.mode_groups: dict[str, dict[str, str]] = {
            t: {str(k): str(v) for k, v in g.items()} for t, g in (data.get("mode_groups") or {}).items()}
        self.domestic_when_one_sided = frozenset(data.get("domestic_when_one_sided") or ())
        self.home_types = frozenset(data.get("home_types") or ())
        missing = set(PLOVER_TYPES) - set(self.types)
        if missing:
            raise ConfigError(f"plover.yaml lacks types {sorted(missing)}")

    def code(self, type_: str, mode: str | None, rule_cameo: str | None = None) -> tuple[str, float]:
        """CAMEO code and Goldstein intensity: the rule's own code first, then the mode's, then the type's."""
        et = self.types[type_]
        m = et.modes.get(mode or "")
        cameo = rule_cameo or (m.cameo if m else et.cameo)
        return cameo, (m.intensity if m else et.intensity)

    def mode_group(self, type_: str, mode: str | None) -> str:
        """The mode under which two mentions may be the same event ("host" and "visit" are)."""
        m = mode or ""
        return self.mode_groups.get(type_, {}).get(m, m)

    def quad(self, type_: str) -> int:
        return self.types[type_].quad


_ROLE_KEYS = ("id", "lemmas", "type", "mode", "cameo", "version", "source", "target")


class RuleSet:
    """Verb, noun and light-verb rules; ``verb_rules(lemma)`` lists candidates in file order."""

    def __init__(self, rules_dir: str | Path | None = None, ontology: Ontology | None = None):
        root = Path(rules_dir or RULES_DIR)
        self.ontology = ontology or Ontology(root)
        self.verbs = [self._rule("verbs", r) for r in _read_yaml(root / "verbs.yaml")["verbs"]]
        self.nouns = [self._rule("nouns", r) for r in _read_yaml(root / "nouns.yaml")["nouns"]]
        light = _read_yaml(root / "light_verbs.yaml")
        self.light_verbs = [
            LightVerb(r["id"], frozenset(r["lemmas"]), r.get("via", "dobj"), r.get("mode"),
                      frozenset(r["nouns"]) if r.get("nouns") else None, int(r.get("version", 1)), r.get("type"))
            for r in light["light_verbs"]]
        self.irregular: dict[str, list[str]] = {k: list(v) for k, v in (light.get("irregular") or {}).items()}
        self.residence = Residence.load(root / "residence.yaml")
        self._by_verb: dict[str, list[Rule]] = {}
        for r in self.verbs:
            for lemma in r.lemmas:
                self._by_verb.setdefault(lemma, []).append(r)
        self._by_noun: dict[str, list[Rule]] = {}
        for r in self.nouns:
            for lemma in r.lemmas:
                self._by_noun.setdefault(lemma, []).append(r)
        self._light: dict[str, list[LightVerb]] = {}
        for lv in self.light_verbs:
            for lemma in lv.lemmas:
                self._light.setdefault(lemma, []).append(lv)
        self.cue_lemmas = frozenset(self._by_verb) | frozenset(self._by_noun)
        self._cue_forms = self._word_forms(self.cue_lemmas)
        logger.debug("loaded %d verb, %d noun, %d light-verb rules", len(self.verbs), len(self.nouns),
                     len(self.light_verbs))

    def _rule(self, kind: str, r: dict[str, Any]) -> Rule:
        if r["type"] not in self.ontology.types:
            raise ConfigError(f"{kind}.yaml rule {r.get('id')!r}: unknown type {r['type']!r}")
        if "prep" in r and not isinstance(r["prep"], str):  # YAML reads a bare `on` as true
            raise ConfigError(f"{kind}.yaml rule {r.get('id')!r}: quote the preposition ({r['prep']!r})")
        default_source = ("subj",) if kind == "verbs" else ("mod",)
        return Rule(kind, r["id"], frozenset(str(x).lower() for x in r["lemmas"]), r["type"], r.get("mode"),
                    str(r["cameo"]) if r.get("cameo") else None, int(r.get("version", 1)),
                    tuple(r.get("source", default_source)), tuple(r.get("target", ("obj",))),
                    {k: v for k, v in r.items() if k not in _ROLE_KEYS})

    def verb_rules(self, lemma: str) -> list[Rule]:
        return self._by_verb.get(lemma.lower(), [])

    def noun_rules(self, lemma: str) -> list[Rule]:
        """Candidate noun rules in file order; the caller takes the first whose conditions hold."""
        return self._by_noun.get(lemma.lower(), [])

    def light(self, lemma: str) -> list[LightVerb]:
        return self._light.get(lemma.lower(), [])

    def _word_forms(self, lemmas: Iterable[str]) -> frozenset[str]:
        """Regular English inflections plus the irregular list: enough for a recall-first cue check."""
        forms: set[str] = set()
        for lemma in lemmas:
            forms.update(self.irregular.get(lemma, []))
            stem = lemma[:-1] if lemma.endswith("e") else lemma
            forms.update({lemma, lemma + "s", lemma + "es", stem + "ed", stem + "ing", lemma + "d"})
            if lemma.endswith("y"):
                forms.update({lemma[:-1] + "ies", lemma[:-1] + "ied"})
            if re.search(r"[^aeiou][aeiou][bdgmnprt]$", lemma):  # doubled final consonant: "ban" -> "banned"
                forms.update({lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"})
        return frozenset(forms)

    def has_cue(self, sentence: str | Iterable[Any]) -> bool:
        """True when a sentence holds a trigger word; takes text or spaCy tokens (lemmas used)."""
        if isinstance(sentence, str):
            return any(w in self._cue_forms for w in re.findall(r"[a-z]+", sentence.lower()))
        return any(getattr(t, "lemma_", str(t)).lower() in self.cue_lemmas
                   or getattr(t, "lower_", str(t).lower()) in self._cue_forms for t in sentence)
