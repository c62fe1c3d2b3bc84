"""Find figures in a sentence: a number with its qualifier, currency, scale word and unit.

The mechanism is here; the words are in units.yaml. A figure is a number that carries a unit, a
currency, a scale word or a counted noun; years, dates, times, ordinals, model names and list
numbers are not figures.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any

from .periods import MONTH_RE
from .vocab import UnitVocabulary, alternation

logger = logging.getLogger(__name__)

_DIGITS = re.compile(
    r"(?<![\w])(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!,\d)|\d{1,3}(?:\.\d{3}){2,}|"
    r"\d{1,3}(?:[\u00a0\u202f ]\d{3})+(?![\d.,]\d)|\d+(?:[.,]\d+)?)(?!\d)")
_VERB_QUALIFIERS = {"exceeded", "exceeding", "exceeds", "exceed", "surpassed", "surpassing", "topped"}
_TEMPORAL_BEFORE = re.compile(
    r"\b(?:past|last|next|previous|coming|recent|first|in|during|every|each)\s+$", re.I)
_DEADLINE = re.compile(r"\bwithin\s+(?:the\s+)?(?:next\s+)?(?:about\s+)?$", re.I)
_TEMPORAL_AFTER = re.compile(
    r"\s*(?:ago|later|earlier|after|before|from\s+now|prior|since|in\s+a\s+row|running|straight|"
    r"of\s+(?:the|his|her|their|its)\b)", re.I)
_DATE_LEFT = re.compile(rf"(?:\b{MONTH_RE}\s*|\b{MONTH_RE}\s+\d{{1,2}}(?:st|nd|rd|th)?\s*(?:-|–|to|and|through|until)\s*)$", re.I)
_DATE_RIGHT = re.compile(
    rf"(?:(?:st|nd|rd|th)?\s*(?:of\s+)?{MONTH_RE}(?!\w)|\s*(?:-|–|to|and)\s*\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTH_RE}(?!\w))",
    re.I)
_ORDINAL = re.compile(r"(?:st|nd|rd|th)\b", re.I)
_CONNECTOR = re.compile(r"\s*(-|–|—|to|and|or)\s*", re.I)
_PER = re.compile(r"\s*(?:per|a|an|each|every|/)\s*(year|month|week|day|annum|capita|person)\b(?!\s+(?:earlier|ago|before|later|after))", re.I)
_WORD = re.compile(r"[\s\u00a0]+([A-Za-z][\w'’-]*)")
# A figure that states a change rather than a level ("grew by 50 percent", "a 5% increase"), and whether
# the change was a fall, whose value is negative ("fell 3.5 percent" is -3.5). One word list for both.
_RISE_WORDS = r"by|up|increase\s+of|growth\s+of|rise\s+of|grew|rose|jumped|surged|soared|increased|gained"
_FALL_WORDS = (r"down|decline\s+of|drop\s+of|fall\s+of|decrease\s+of|contraction\s+of|fell|declined|dropped|"
               r"decreased|lost|shrank|plunged|slumped|tumbled|slid|contracted")
_CHANGE_LEFT = re.compile(rf"\b(?:{_RISE_WORDS}|{_FALL_WORDS})\s+$", re.I)
_FALL_LEFT = re.compile(rf"\b(?:{_FALL_WORDS})(?:\s+by)?\s+$", re.I)
_FALL_AFTER = r"decline|drop|fall|decrease|contraction"
_CHANGE_RIGHT = re.compile(
    rf"\s*(?:increase|growth|rise|{_FALL_AFTER}|jump|gain|year[- ]on[- ]year|y/y|yoy|"
    r"more\s+than|less\s+than|higher\s+than|lower\s+than)\b", re.I)
_FALL_RIGHT = re.compile(rf"\s*(?:{_FALL_AFTER}|lower|less\s+than)\b", re.I)
_COMPARATIVE = re.compile(r"\s+(?:more|less|higher|lower|larger|bigger|smaller|greater|as|over)\b", re.I)
_NUMBER_OF = re.compile(r"\bnumber\s+of\s+(?:[\w-]+\s+){0,3}?([a-z]+s)\b[^.;:]*?(?:reach\w*|exceed\w*|totall?\w*|stands?\s+at|"
                        r"stood\s+at|was|is|were|are|amount\w*\s+to|rose\s+to|grew\s+to|fell\s+to|of)\s+"
                        r"(?:\w+\s+){0,2}$", re.I)
_ONE_IN = re.compile(r"\s+in\s+(?:\d|one|two|three|four|five|six|seven|eight|nine|ten)", re.I)
# Capitalised plurals that name people by origin: "Libyans", "Iraqis", "Kurds".
_STRONG = re.compile(r"-strong\b", re.I)
_MODIFIER = re.compile(r"[a-z][a-z-]{2,}")
# words that end a noun phrase rather than modify its noun
_FUNCTION_WORDS = frozenset(
    "and or but nor the that this those these which who whom whose what when where while with without "
    "from into onto over under about after before since until than then there here were been being "
    "have had will would could should shall must might also only just even still more most less least "
    "very such each every other another some many much few several per via for not".split())
_DEMONYM_PLURAL = re.compile(r"[A-Z][a-z]+(?:ans|is|ds|ks|eks)")
_YEAR_LIKE = re.compile(r"(?:1[89]\d\d|20\d\d|2100)")
# "the two sides", "our two countries", "all three men": a small spelled number after a determiner
# names a known set of things (usually the parties), it is not a figure
_DETERMINER_LEFT = re.compile(r"\b(?:the|these|those|our|their|its|his|her|your|all|both|every|each|of)\s+$", re.I)


@dataclass
class RawFigure:
    """A figure found in one sentence; offsets are within that sentence."""

    start: int
    end: int
    value: float
    unit: str | None
    kind: str | None  # money | percent | count | people | duration | distance | ...
    bound: str = "exact"
    is_word: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


class FigureFinder:
    """Compiled patterns over a :class:`UnitVocabulary`; one instance serves any number of sentences."""

    def __init__(self, vocab: UnitVocabulary):
        self.vocab = vocab
        self.words = re.compile(vocab.word_number_pattern(), re.I)
        alpha_prefix = [p for p in vocab.currency_prefix if p[0].isalpha()]
        sign_prefix = [p for p in vocab.currency_prefix if not p[0].isalpha()]
        self.prefix = re.compile(
            rf"(?:(?<![A-Za-z])(?:{alternation(alpha_prefix)})\s?|(?:{alternation(sign_prefix)})\s?)$")
        self.qualifier = re.compile(rf"(?:^|(?<=[\s(\"“]))({alternation(list(vocab.qualifiers_before))})\s*$", re.I)
        self.post_qualifier = re.compile(
            rf"(?:\s*(\+)|-?\s*(plus)\b|\s+({alternation([q for q in vocab.qualifiers_after if q not in ('+', 'plus')])})\b)",
            re.I)
        self.scale = re.compile(rf"[\s\u00a0-]?({alternation(list(vocab.scale_words))})\b", re.I)
        self.scale_short = re.compile(rf"({alternation(list(vocab.scale_short))})(?![\w])")
        unit_forms = list(vocab.unit_forms) + list(vocab.currency_suffix)
        self.unit = re.compile(rf"[\s\u00a0-]?(?:of\s+)?({alternation(unit_forms)})(?![\w])", re.I)
        self.currency_suffix_lower = {k.lower(): v for k, v in vocab.currency_suffix.items()}

    def find(self, text: str) -> list[RawFigure]:
        anchors = sorted([(m.start(), m.end(), False) for m in _DIGITS.finditer(text)]
                         + [(m.start(), m.end(), True) for m in self.words.finditer(text)])
        figures: list[RawFigure] = []
        consumed = 0
        i = 0
        while i < len(anchors):
            start, end, is_word = anchors[i]
            i += 1
            if start < consumed:
                continue
            fig = self._parse(text, start, end, is_word)
            if fig is None:
                continue
            nxt = self._range_partner(text, fig, anchors, i)
            if nxt is not None:
                partner, connector = nxt
                if fig.unit is None and partner.unit is not None and not fig.is_word \
                        and _YEAR_LIKE.fullmatch(fig.extra["number"]):
                    continue  # "in 2011 and 700 million": a year, then a figure
                if fig.unit is None and partner.unit is not None:
                    fig = self._parse(text, start, end, is_word, inherit=partner)
                if fig is not None and fig.unit is not None and partner.unit is not None:
                    between = re.search(r"\bbetween\s+\S*\s*$", text[: fig.start], re.I)
                    if (connector in "-–—" or (between and connector.lower() == "and")) \
                            and fig.bound == "exact" and partner.bound == "exact":
                        fig.bound, partner.bound = "lower", "upper"
                    figures.extend([fig, partner])
                    consumed = partner.end
                    while i < len(anchors) and anchors[i][0] < consumed:
                        i += 1
                    continue
            if fig is not None and fig.unit is not None:
                figures.append(fig)
                consumed = fig.end
        return figures

    def _range_partner(self, text: str, fig: RawFigure, anchors: list[tuple[int, int, bool]],
                       i: int) -> tuple[RawFigure, str] | None:
        if i >= len(anchors):
            return None
        m = _CONNECTOR.match(text, fig.extra.get("number_end", fig.end) if fig.unit is None else fig.end)
        if not m or m.end() != anchors[i][0]:
            return None
        partner = self._parse(text, *anchors[i], in_range=True)
        if partner is None or partner.unit is None:
            return None
        return partner, m.group(1)

    # --- one number -------------------------------------------------------------------------
    def _parse(self, s: str, a_start: int, a_end: int, is_word: bool,
               inherit: RawFigure | None = None, in_range: bool = False) -> RawFigure | None:
        v = self.vocab
        raw = s[a_start:a_end]
        if is_word:
            number = v.word_value(raw)
        else:
            if self._bad_context(s, a_start, a_end, in_range):
                return None
            number = _parse_digits(raw)
            if number is None:
                return None
        if _DATE_LEFT.search(s[max(0, a_start - 20):a_start]) or _DATE_RIGHT.match(s, a_end):
            return None
        if _ONE_IN.match(s, a_end) or re.search(r"\b(?:\d+|one)\s+in\s+$", s[max(0, a_start - 12):a_start], re.I):
            return None  # "1 in 5 migrants": a proportion in words, not two figures
        extra: dict[str, Any] = {"number": raw}
        start = a_start
        currency = None
        pm = self.prefix.search(s[max(0, a_start - 6):a_start])
        if pm:
            currency = self.vocab.currency_prefix[pm.group(0).strip()]
            start = a_start - len(pm.group(0))
        bound = "exact"
        qm = self.qualifier.search(s[max(0, start - 30):start])
        if qm:
            phrase = qm.group(1).lower()
            bound = v.qualifiers_before[phrase]
            extra["qualifier"] = phrase
            if phrase not in _VERB_QUALIFIERS:
                start = start - (len(qm.group(0)))
        scale_end, pos, factor, unit, kind, currency = self._read_unit(s, a_end, currency)
        extra["number_end"] = scale_end
        if currency:
            unit, kind = currency, "money"
        pm2 = self.post_qualifier.match(s, pos)
        if pm2:
            phrase = (pm2.group(1) or pm2.group(2) or pm2.group(3)).lower()
            if bound == "exact":
                bound = v.qualifiers_after.get(phrase, "min")
                extra["qualifier"] = phrase
            pos = pm2.end()
        noun = None
        if unit is None and inherit is not None:
            unit, kind = inherit.unit, inherit.kind
            if factor == 1.0 and "factor" in inherit.extra:
                factor = inherit.extra["factor"]
            noun = inherit.extra.get("noun")
            if noun:
                extra["noun"] = noun
        if unit is None:
            noun = self._count_noun(s, pos) or self._number_of(s, start)
            if noun is not None:
                unit = "people" if (noun.lower() in v.people_nouns or _DEMONYM_PLURAL.fullmatch(noun)
                                    or _STRONG.match(s, pos)) else "count"
                kind = unit
                extra["noun"] = noun
            elif factor > 1:
                unit, kind = "count", "count"
        extra["factor"] = factor
        per = _PER.match(s, pos)
        if per and unit is not None and kind not in ("count", "people"):
            extra["per"] = per.group(1).lower()
            pos = per.end()  # "$9.99 per month": the rate belongs to the figure
        sign = 1.0
        if _CHANGE_LEFT.search(s[max(0, start - 20):start]) or _CHANGE_RIGHT.match(s, pos):
            extra["change"] = True
            if _FALL_LEFT.search(s[max(0, start - 24):start]) or _FALL_RIGHT.match(s, pos):
                sign = -1.0
                extra["direction"] = "down"
        fig = RawFigure(start, pos, sign * number * factor, unit, kind, bound, is_word, extra)
        if unit is None:
            return fig  # a bare number: may still take the unit of a range partner
        if not self._keep(s, a_start, a_end, fig, raw, currency, factor, bool(qm)):
            return None
        return fig

    def _read_unit(self, s: str, pos: int, currency: str | None
                   ) -> tuple[int, int, float, str | None, str | None, str | None]:
        """Scale word and unit after a number: (end of scale, end of unit, factor, unit, kind, currency)."""
        v = self.vocab
        factor = 1.0
        sm = self.scale.match(s, pos)
        if sm:
            factor = v.scale_words[sm.group(1).lower()]
            pos = sm.end()
        elif currency:
            short = self.scale_short.match(s, pos)  # "$5m", "$1.2bn"
            if short:
                factor = v.scale_short[short.group(1)]
                pos = short.end()
        scale_end = pos
        unit = kind = None
        um = self.unit.match(s, pos)
        if um:
            form = um.group(1)
            code = v.currency_suffix.get(form) or self.currency_suffix_lower.get(form.lower())
            if code and (currency is None or currency == code):
                currency = code
                pos = um.end()
            elif not currency:
                uf = v.unit_forms.get(form.lower())
                if uf is not None:
                    unit, kind = uf.unit, uf.kind
                    factor *= uf.factor
                    pos = um.end()
        return scale_end, pos, factor, unit, kind, currency

    def _bad_context(self, s: str, a_start: int, a_end: int, in_range: bool = False) -> bool:
        before = s[a_start - 1] if a_start else ""
        before2 = s[a_start - 2] if a_start > 1 else ""
        after = s[a_end] if a_end < len(s) else ""
        after2 = s[a_end + 1] if a_end + 1 < len(s) else ""
        if before in "/:#№@" and before:
            return True
        if before == "-" and (before2.isalpha() or (before2.isdigit() and not in_range)):
            return True  # model names (S-400, Su-30) and the second half of "2018-2028"
        if before == "." and before2.isdigit():
            return True
        if after in ":/" and after2.isdigit():
            return True  # times and dates (12:00, 12/05)
        if _ORDINAL.match(s, a_end):
            return True
        if not s[:a_start].strip() and re.match(r"[.)]\s", s[a_end:a_end + 2] + " "):
            return True  # list numbering
        return False

    def _keep(self, s: str, a_start: int, a_end: int, fig: RawFigure, raw: str, currency: str | None,
              factor: float, qualified: bool) -> bool:
        v = self.vocab
        if not fig.is_word and _YEAR_LIKE.fullmatch(raw) and not currency and factor == 1.0 \
                and fig.kind in ("count", "people", "duration", None):
            return False  # a year
        if fig.is_word and factor == 1.0 and fig.value < 10 and not qualified and (
                fig.kind not in v.strong_kinds or fig.value == 1
                or _DETERMINER_LEFT.search(s[max(0, a_start - 8):a_start]) or "-" in s[a_end:a_end + 1]
                or str(fig.extra.get("noun", "")).lower() in v.party_nouns):
            # "two times", "one person", "the two sides", "a three-day visit", "two countries": narrative,
            # the parties, a known set or a descriptor, not a figure
            return False
        if fig.kind == "ratio" and not (fig.extra.get("change") or _COMPARATIVE.match(s, fig.end)):
            return False  # "flew over 2 times" counts occasions, not a ratio
        if fig.kind == "duration" and fig.extra.get("qualifier") == "over" \
                and not re.search(r"\bfor\s+$", s[max(0, fig.start - 5):fig.start]):
            return False  # "over five years" is a time frame; "for over 20 years" a length
        if fig.kind == "duration":
            left = s[max(0, fig.start - 25):fig.start]
            if _DEADLINE.search(left):
                return True  # "within 10 days", "within the next seven days": a deadline is a figure
            if _TEMPORAL_BEFORE.search(left) or _TEMPORAL_AFTER.match(s, fig.end):
                return False  # a time frame ("the past 20 years", "three days after"), not a figure
        if fig.kind in ("count", "people") and not currency:
            prev = re.search(r"([A-Za-z][\w.]*)\s*$", s[max(0, fig.start - 20):fig.start])
            if prev and not currency:
                word = prev.group(1)
                head = s[: fig.start - len(prev.group(0))].strip() == ""
                if word.lower().rstrip(".") in v.label_words or (word[0].isupper() and not head
                                                                   and word.lower() not in v.qualifiers_before):
                    return False  # "Article 5", "Boeing 737"
        return True

    @staticmethod
    def _number_of(s: str, start: int) -> str | None:
        """The noun of "the number of Tajik students ... reached 30,000", which counts the bare number."""
        m = _NUMBER_OF.search(s[max(0, start - 90):start])
        return m.group(1) if m and not re.search(r"\d", m.group(0)) else None

    def _count_noun(self, s: str, pos: int) -> str | None:
        """The counted noun after a number, over known modifiers and names ("80 Russian regions") and at
        most two other words that are not function words ("12 top officials", "two ballistic missile
        tests"); after "-strong" the first noun, singular too ("a 36,000-strong force")."""
        v = self.vocab
        cur = pos
        strong = _STRONG.match(s, pos)
        if strong:  # "a 36,000-strong force": the noun after counts the number
            cur = strong.end()
        loose = 0
        for _ in range(4):
            m = _WORD.match(s, cur)
            if not m:
                return None
            word = m.group(1).rstrip("'’")
            low = word.lower()
            if low in v.people_nouns:
                return word
            if low in v.not_count_nouns:
                return None
            if _plural(low):
                return word
            if strong and low not in v.count_modifiers and not word[0].isupper():
                return word  # "a 36,000-strong force": a body of people, singular
            if low in v.count_modifiers or word[0].isupper():
                pass
            elif loose < 2 and _MODIFIER.fullmatch(low) and low not in _FUNCTION_WORDS:
                loose += 1
            else:
                return None
            cur = m.end()
        return None


def _plural(word: str) -> bool:
    return (len(word) >= 4 and word.endswith("s") and not word.endswith(("ss", "us", "is", "'s", "’s"))
            and word.isalpha())


def _parse_digits(raw: str) -> float | None:
    text = raw.replace("\u00a0", "").replace("\u202f", "")
    if re.fullmatch(r"\d{1,3}(?: \d{3})+", text):
        return float(text.replace(" ", ""))
    if re.fullmatch(r"\d{1,3}(?:\.\d{3}){2,}", text):
        return float(text.replace(".", ""))
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", text):
        return float(text.replace(",", ""))
    if "," in text:  # a decimal comma ("1,2 bln")
        return float(text.replace(",", "."))
    try:
        return float(text)
    except ValueError:
        return None
