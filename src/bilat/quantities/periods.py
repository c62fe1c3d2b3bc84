"""Time expressions that set the period a figure refers to, resolved against the publication date.

Periods are strings: ``YYYY``, ``YYYY-MM``, ``YYYY-H1``, ``YYYY-Q3``, ``YYYY-01/YYYY-05`` (a span of
months) or ``YYYY/YYYY`` (a span of years).
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from ..model import DatedValue

logger = logging.getLogger(__name__)

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}
MONTH_RE = r"(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
SMALL = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
         "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}
_N = r"(?:\d{1,2}|" + "|".join(SMALL) + r")"
_YEAR = r"(?:19[5-9]\d|20\d\d)"
# A reference to a year: an explicit one or one relative to publication.
_YREF = (rf"(?:(?:the\s+)?(?:this|current|last|previous|past|next|coming)\s+year|{_YEAR}|"
         rf"the\s+year\s+before\s+last)")
_ORD = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
        "last": 4, "final": 4}
_QORD = "|".join(sorted(_ORD, key=len, reverse=True))

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("first_n_months", re.compile(
        rf"\b(?:the\s+)?(?:first\s+)?(?P<n>{_N})\s+months\s+(?:of\s+)?(?P<y>{_YREF})(?:'s)?"
        rf"|\b(?:the\s+)first\s+(?P<n2>{_N})\s+months\b", re.I)),
    ("month_range", re.compile(
        rf"\b(?P<m1>{MONTH_RE})\s*(?:-|–|—|to|through|until)\s*(?P<m2>{MONTH_RE})(?:\s+(?:of\s+)?(?P<y>{_YREF}))?",
        re.I)),
    ("half", re.compile(
        rf"\b(?:the\s+)?(?P<h>first|second|1st|2nd)\s+half(?:\s+of\s+(?P<y>{_YREF}))?(?!\s+of\s+the\b)"
        rf"|\bH(?P<h2>[12])\s+(?P<y2>{_YEAR})", re.I)),
    ("quarter", re.compile(
        rf"\b(?:the\s+)?(?P<q>{_QORD})\s+quarter(?:\s+of\s+(?P<y>{_YREF}))?(?!\s+of\s+the\b)"
        rf"|\bQ(?P<q2>[1-4])\s+(?P<y2>{_YEAR})", re.I)),
    ("month_year", re.compile(rf"\b(?P<m>{MONTH_RE})\s+(?:\d{{1,2}},?\s+)?(?P<y>{_YEAR})\b", re.I)),
    ("last_month_name", re.compile(rf"\b(?P<rel>last|this|next)\s+(?P<m>{MONTH_RE})(?!\w)", re.I)),
    ("in_month", re.compile(rf"\b(?:in|during|since|by|until|from)\s+(?P<m>{MONTH_RE})(?![\w\s]*\d)", re.I)),
    ("year_range", re.compile(
        rf"\b(?P<y1>{_YEAR})\s*(?:(?:-|–|—|/|to)\s*(?P<y2>{_YEAR})|(?:-|–|/)(?P<y3>\d\d))\b(?!\s*(?:%|per))")),
    ("since_year", re.compile(rf"\bsince\s+(?P<y>{_YEAR})\b", re.I)),
    ("year", re.compile(rf"(?<![\d$€£.,/-])\b(?P<y>{_YEAR})\b(?![.,]\d|\s*(?:-|–)\s*\d)")),
    ("relative_year", re.compile(
        r"\b(?P<rel>(?:the\s+)?(?:this|current|last|previous|past|next|coming)\s+year|"
        r"a\s+year\s+(?:earlier|ago|before)|the\s+year\s+before\s+last|"
        r"(?:one|two|three|\d)\s+years\s+ago)(?:'s)?", re.I)),
    ("relative_month", re.compile(r"\b(?P<rel>(?:last|this|next|previous|past)\s+month)(?:'s)?", re.I)),
    ("now", re.compile(r"\b(?:now|currently|today|at\s+present|presently|nowadays|to\s+date|so\s+far)\b", re.I)),
]


# Publication years whose relative periods (up to 9 years back or 1 ahead) keep four digits.
_MIN_ANCHOR_YEAR, _MAX_ANCHOR_YEAR = 1010, 9989


@dataclass
class PeriodMention:
    start: int
    end: int
    text: str
    period: str | None  # None where it is relative and no publication date is known
    kind: str  # the pattern that found it
    baseline: bool = False  # the "than"/"compared with" side of a comparison


@dataclass(frozen=True)
class Anchor:
    """The publication date as numbers."""

    year: int | None
    month: int | None

    @classmethod
    def from_published(cls, published: DatedValue | None) -> Anchor:
        if published is None or not published.value:
            return cls(None, None)
        parts = published.value.split("-")
        try:
            year = int(parts[0])
            month = int(parts[1]) if len(parts) > 1 else None
        except ValueError:
            return cls(None, None)
        if not _MIN_ANCHOR_YEAR <= year <= _MAX_ANCHOR_YEAR:
            # A metadata date like "0001-01-01" says nothing about when; periods counted from it
            # ("last year" = 0) would not be ISO years.
            return cls(None, None)
        return cls(year, month if month is not None and 1 <= month <= 12 else None)


def find_periods(text: str, anchor: Anchor) -> list[PeriodMention]:
    """Period expressions in a sentence, longest first where they overlap."""
    found: list[PeriodMention] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            period = _resolve(kind, m, anchor)
            if period == "":  # matched the shape but is not a period ("May" the verb)
                continue
            taken.append((m.start(), m.end()))
            found.append(PeriodMention(m.start(), m.end(), m.group(0), period, kind))
    found.sort(key=lambda p: p.start)
    _anaphoric(found)
    _mark_baselines(text, found)
    return found


_ANAPHORIC = re.compile(r"a\s+year\s+(?:earlier|before)|(?:the\s+)?previous\s+year|the\s+year\s+before(?!\s+last)", re.I)
_BASELINE = re.compile(r"(?:than|compared\s+(?:to|with)|against|versus|vs\.?)\s+(?:in\s+|the\s+same\s+period\s+of\s+)?$", re.I)
_EXPLICIT = {"year", "month_year", "year_range", "since_year"}


def _anaphoric(found: list[PeriodMention]) -> None:
    """ "A year earlier" counts from the year the sentence already named, not from publication."""
    last_year: int | None = None
    for p in found:
        if p.kind in _EXPLICIT and p.period:
            last_year = int(p.period[:4]) if p.kind != "year_range" else int(p.period[-4:])
        elif p.kind == "relative_year" and last_year is not None and _ANAPHORIC.fullmatch(p.text.removesuffix("'s")):
            p.period = str(last_year - 1)


def _mark_baselines(text: str, found: list[PeriodMention]) -> None:
    """ "25% more than in 2021": 2021 is the baseline of a comparison, not the period of the figure before it."""
    for p in found:
        p.baseline = bool(_BASELINE.search(text[max(0, p.start - 40):p.start]))


def _year_ref(ref: str | None, anchor: Anchor) -> int | None:
    if ref is None:
        return anchor.year
    ref = ref.lower()
    if re.fullmatch(_YEAR, ref):
        return int(ref)
    if anchor.year is None:
        return None
    if "before last" in ref:
        return anchor.year - 2
    if any(w in ref for w in ("last", "previous", "past", "earlier", "ago", "before")):
        m = re.match(r"(\w+)\s+years\s+ago", ref)
        if m:
            n = SMALL.get(m.group(1)) or (int(m.group(1)) if m.group(1).isdigit() else 1)
            return anchor.year - n
        return anchor.year - 1
    if "next" in ref or "coming" in ref:
        return anchor.year + 1
    return anchor.year


def _month(name: str) -> int:
    return MONTHS[name.lower().rstrip(".")]


def _resolve(kind: str, m: re.Match[str], anchor: Anchor) -> str | None:
    g = m.groupdict()
    if kind == "first_n_months":
        n = (g["n"] or g["n2"]).lower()
        months = SMALL.get(n) or int(n)
        year = _year_ref(g["y"], anchor)
        if not 1 <= months <= 12:
            return ""
        return f"{year}-01/{year}-{months:02d}" if year else None
    if kind == "month_range":
        year = _year_ref(g.get("y"), anchor)
        return f"{year}-{_month(g['m1']):02d}/{year}-{_month(g['m2']):02d}" if year else None
    if kind == "half":
        half = 1 if (g.get("h") or g.get("h2") or "").lower() in ("first", "1st", "1") else 2
        year = _year_ref(g.get("y") or g.get("y2"), anchor)
        return f"{year}-H{half}" if year else None
    if kind == "quarter":
        q = int(g["q2"]) if g.get("q2") else _ORD[g["q"].lower()]
        year = _year_ref(g.get("y") or g.get("y2"), anchor)
        return f"{year}-Q{q}" if year else None
    if kind == "month_year":
        return f"{g['y']}-{_month(g['m']):02d}"
    if kind == "last_month_name":
        if g["m"].lower().startswith("may") and g["rel"].lower() != "last":
            return ""
        if anchor.year is None:
            return None
        month = _month(g["m"])
        rel = g["rel"].lower()
        year = anchor.year
        if rel == "last" and (anchor.month is None or month >= anchor.month):
            year -= 1
        elif rel == "next" and anchor.month is not None and month <= anchor.month:
            year += 1
        return f"{year}-{month:02d}"
    if kind == "in_month":
        if anchor.year is None:
            return None
        month = _month(g["m"])
        late = anchor.month is not None and month > anchor.month
        return f"{anchor.year - 1 if late else anchor.year}-{month:02d}"
    if kind == "year_range":
        y2 = g["y2"] or g["y1"][:2] + g["y3"]
        return f"{g['y1']}/{y2}" if int(y2) > int(g["y1"]) else ""
    if kind == "since_year":
        return f"{g['y']}/{anchor.year}" if anchor.year and anchor.year > int(g["y"]) else g["y"]
    if kind == "year":
        return g["y"]
    if kind == "relative_year":
        year = _year_ref(g["rel"], anchor)
        return str(year) if year else None
    if kind == "relative_month":
        if anchor.year is None or anchor.month is None:
            return None
        rel = g["rel"].lower()
        year, month = anchor.year, anchor.month
        if rel.startswith(("last", "previous", "past")):
            year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        elif rel.startswith("next"):
            year, month = (year, month + 1) if month < 12 else (year + 1, 1)
        return f"{year}-{month:02d}"
    if kind == "now":
        return str(anchor.year) if anchor.year else None
    return None


_PERIOD_SPAN = re.compile(r"^(\d{4})(?:-(\d{2})|-Q([1-4])|-H([12]))?(?:/(\d{4})(?:-(\d{2}))?)?$")
LENGTH_NAMES = {1: "month", 3: "quarter", 6: "half-year", 12: "year"}


def period_months(period: str | None) -> int | None:
    """How many months a stored period covers: "2019" 12, "2019-Q2" 3, "2019-H1" 6, "2019-04" 1,
    "2024-01/2024-08" 8, "2019/2021" 36; None for no period or a form it does not know."""
    m = _PERIOD_SPAN.match(period or "")
    if not m:
        return None
    y1, m1, quarter, half, y2, m2 = m.groups()
    if y2 is None:
        return 1 if m1 else 3 if quarter else 6 if half else 12
    if quarter or half or bool(m1) != bool(m2):
        return None
    months = (int(y2) - int(y1)) * 12 + (int(m2) - int(m1) if m1 else 11) + 1
    return months if months > 0 else None


def period_length(period: str | None) -> str | None:
    """The length of a stored period in words, so figures of one length can be shown together: month,
    quarter, half-year, year, "8 months", "3 years"; None for no period."""
    months = period_months(period)
    if months is None:
        return None
    if months in LENGTH_NAMES:
        return LENGTH_NAMES[months]
    return f"{months // 12} years" if months % 12 == 0 else f"{months} months"
