"""The unit vocabulary (units.yaml) loaded into compiled patterns."""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

logger = logging.getLogger(__name__)

DATA_PACKAGE = "bilat.quantities"


def data_path(name: str) -> Path:
    """Where a packaged data file of this stage lives."""
    return Path(str(resources.files(DATA_PACKAGE).joinpath("data", name)))


def load_yaml(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as f:
        return yaml.safe_load(f)


def alternation(forms: list[str]) -> str:
    """A regex alternation of literal forms, longest first so "percentage points" beats "percent"."""
    return "|".join(re.escape(f) for f in sorted(set(forms), key=len, reverse=True))


@dataclass(frozen=True)
class UnitForm:
    unit: str
    kind: str
    factor: float


@dataclass
class UnitVocabulary:
    """Currencies, scales, units, qualifiers and number words, with the patterns built from them."""

    currency_prefix: dict[str, str]  # form -> ISO code
    currency_suffix: dict[str, str]
    scale_words: dict[str, float]  # lower-cased form -> factor
    scale_short: dict[str, float]  # case-sensitive glued forms ("m", "bn")
    unit_forms: dict[str, UnitForm]  # lower-cased form -> unit
    qualifiers_before: dict[str, str]  # lower-cased phrase -> bound
    qualifiers_after: dict[str, str]
    number_units: dict[str, int]
    number_tens: dict[str, int]
    before_scale: dict[str, float]
    people_nouns: frozenset[str]
    count_modifiers: frozenset[str]
    not_count_nouns: frozenset[str]
    label_words: frozenset[str]
    party_nouns: frozenset[str]
    strong_kinds: frozenset[str]
    timeless_kinds: frozenset[str]

    @classmethod
    def load(cls, path: Path | None = None) -> UnitVocabulary:
        data = load_yaml(path or data_path("units.yaml"))
        prefix: dict[str, str] = {}
        suffix: dict[str, str] = {}
        for cur in data["currencies"]:
            for form in cur.get("prefixes", []):
                prefix[form] = cur["code"]
            for form in cur.get("suffixes", []):
                suffix[form] = cur["code"]
        scale_words: dict[str, float] = {}
        scale_short: dict[str, float] = {}
        for sc in data["scales"]:
            for w in sc["words"]:
                scale_words[w.lower()] = float(sc["factor"])
            for w in sc.get("short", []):
                scale_short[w] = float(sc["factor"])
        unit_forms: dict[str, UnitForm] = {}
        for u in data["units"]:
            for form in u["forms"]:
                unit_forms[form.lower()] = UnitForm(u["unit"], u["kind"], float(u.get("factor", 1.0)))
        before: dict[str, str] = {}
        after: dict[str, str] = {}
        for bound, forms in data["qualifiers"].items():
            for q in forms.get("before", []):
                before[q.lower()] = bound
            for q in forms.get("after", []):
                after[q.lower()] = bound
        nw = data["number_words"]
        vocab = cls(
            currency_prefix=prefix, currency_suffix=suffix, scale_words=scale_words,
            scale_short=scale_short, unit_forms=unit_forms, qualifiers_before=before,
            qualifiers_after=after, number_units=dict(nw["units"]), number_tens=dict(nw["tens"]),
            before_scale={k.lower(): float(v) for k, v in nw["before_scale"].items()},
            people_nouns=frozenset(w.lower() for w in data["people_nouns"]),
            count_modifiers=frozenset(w.lower() for w in data["count_modifiers"]),
            not_count_nouns=frozenset(w.lower() for w in data["not_count_nouns"]),
            label_words=frozenset(w.lower() for w in data["label_words"]),
            party_nouns=frozenset(w.lower() for w in data.get("party_nouns", ())),
            strong_kinds=frozenset(data["strong_kinds"]),
            timeless_kinds=frozenset(data["timeless_kinds"]),
        )
        logger.debug("loaded %d unit forms, %d currency forms", len(unit_forms), len(prefix) + len(suffix))
        return vocab

    def word_number_pattern(self) -> str:
        """Spelled-out numbers: "fifteen", "twenty-five", "two hundred", "a" (before a scale only)."""
        units = alternation(list(self.number_units))
        tens = alternation(list(self.number_tens))
        simple = rf"(?:(?:{tens})(?:[-\s](?:{units}))?|(?:{units}))(?:\s+hundred)?"
        scales = alternation(list(self.scale_words))
        lead = alternation(list(self.before_scale))
        return rf"\b(?:(?:{lead})(?=\s+(?:{scales})\b)|{simple})\b"

    def word_value(self, text: str) -> float:
        words = re.split(r"[-\s]+", text.lower().strip())
        joined = " ".join(words)
        if joined in self.before_scale:
            return self.before_scale[joined]
        total = 0.0
        for w in words:
            if w == "hundred":
                total = (total or 1) * 100
            elif w in self.number_tens:
                total += self.number_tens[w]
            elif w in self.number_units:
                total += self.number_units[w]
        return total
