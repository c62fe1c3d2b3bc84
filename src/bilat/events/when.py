"""When an event happened: time expressions in one sentence, resolved to calendar dates.

The resolver is a list of regular expressions (built from the vocabulary in
``when_words.yaml``) and our own date arithmetic: no network, no global state,
about 10k sentences a second (see tests). Every result says how it was found
(``method``) and how precise it is (``precision``):

* ``day``, ``month``, ``year``: as in :class:`bilat.model.DatedValue`.
* ``week``: "last week", "next week", "two weeks ago". The value is a day
  (anchor -/+ 7 days) but the event may lie anywhere in that week; a consumer that
  only knows day/month/year should treat it as month-level evidence.
* Decades ("the 1990s") give the first year of the decade at ``year`` precision
  with method ``decade``; "early 2012" or "the end of March" keep year or month
  precision and name the part in the method (``part-of-year``, ``part-of-month``).

Dates without a year are placed relative to the publication date (``anchor``): in
the past by default (a week of slack for dates just ahead), in the future when
``future=True`` (or, with ``future=None``, when the sentence has a future cue).
Anaphoric expressions ("the day before", "two days later") count from the last
day-precise date earlier in the same sentence, else from ``previous`` (the last
event date of the text); "before"-type ones fall back to the anchor, "after"-type
ones are dropped when there is nothing to count from. Two exceptions: "two days
after gunmen opened fire on Friday" counts from the date named later in the same
sentence (the reference point the preposition introduces), and "the day before the
ceremony" / "on the eve of the summit" count from ``previous`` (the story's date),
not from a date earlier in the sentence: the noun names the story's occasion.

A future verb in the expression's own clause ("said they would hold talks on
Thursday") resolves it forward even when the caller passed ``future=False``.

A wire dateline ("DUSHANBE, March 25 (CAW) -") gives the filing day, method
``dateline``; it is dropped when the sentence has a day of its own ("... on Sunday").
A date introduced by "for" ("the plan for 2025-2026", "the budget for 2024") is the
period an object covers, relation ``for``, unless a scheduling word precedes it
("scheduled for October 8"). Arithmetic that would leave years 1-9999 (a garbled
publication date) gives no expression rather than an error.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from importlib import resources
from typing import Any

import yaml

from bilat.model import DatedValue

logger = logging.getLogger(__name__)

PRECISION_RANK = {"day": 4, "week": 3, "month": 2, "year": 1}
_SLACK_PAST = timedelta(days=7)  # "on June 10" in a June 8 article is still this year's
_SLACK_FUTURE = timedelta(days=1)
_METHOD_RANK = {"explicit": 3, "numeric": 3, "range-start": 3, "dateline": 2}


@dataclass
class TimeExpression:
    text: str
    start: int  # char offsets in the sentence given to find()/resolve()
    end: int
    value: str  # YYYY-MM-DD | YYYY-MM | YYYY
    precision: str  # day | week | month | year
    method: str
    end_value: str | None = None  # last day/month/year of a range
    relation: str = "at"  # at | since | until | range
    # for anaphora, the date counted from: "three days after he met X" may date the meeting
    # at counted_from - 3 rather than counted_from + 3, which only the parse can tell
    counted_from: str | None = None

    def to_dated_value(self) -> DatedValue:
        return DatedValue(self.value, self.precision, self.method, evidence=self.text)


@dataclass
class _Ctx:
    anchor: date
    base: date | None  # what anaphora count from
    future: bool
    story: date | None = None  # the story's date before this sentence ("the day before the summit")


@dataclass
class _Val:
    value: str
    precision: str
    method: str
    end_value: str | None = None
    relation: str | None = None  # None: decided by the preposition
    counted_from: str | None = None


def _fmt(y: int, m: int | None = None, d: int | None = None) -> str:
    if m is None:
        return f"{y:04d}"
    if d is None:
        return f"{y:04d}-{m:02d}"
    return f"{y:04d}-{m:02d}-{d:02d}"


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _valid(val: _Val | None) -> _Val | None:
    """Only dates within years 1-9999: a garbled anchor must not give year 0 or 10000."""
    if val is None:
        return None
    for v in (val.value, val.end_value):
        if v is not None and not (v[:4].isdigit() and len(v.split("-")[0]) == 4 and v[:4] != "0000"):
            return None
    return val


def _call(handler: Callable[[re.Match[str], _Ctx], _Val | None], m: re.Match[str], ctx: _Ctx) -> _Val | None:
    try:
        return _valid(handler(m, ctx))
    except (OverflowError, ValueError):  # date arithmetic past year 1 or 9999
        return None


def _add_months(y: int, m: int, n: int) -> tuple[int, int]:
    k = y * 12 + (m - 1) + n
    return k // 12, k % 12 + 1


def _alts(words: list[str], abbrevs: tuple[str, ...] = ()) -> str:
    """Alternation of words in Title and UPPER case, longest first (case matters: "may").

    Abbreviations may carry a full stop ("Sept."), which is then part of the match.
    """
    forms = {(f, w in abbrevs) for w in words for f in (w, w.upper())}
    pats = [re.escape(f) + (r"\.?" if ab else "") for f, ab in sorted(forms, key=lambda x: -len(x[0]))]
    return "|".join(pats)


class TimeResolver:
    """Finds and resolves time expressions; holds compiled patterns only."""

    def __init__(self, words_path: str | None = None) -> None:
        if words_path is None:
            text = resources.files("bilat.events").joinpath("when_words.yaml").read_text("utf-8")
        else:
            with open(words_path, encoding="utf-8") as fh:
                text = fh.read()
        words: dict[str, Any] = yaml.safe_load(text)
        self._month_no: dict[str, int] = {}
        full_months, any_months = [], []
        for i, names in enumerate(words["months"], start=1):
            full_months.append(names[0])
            any_months.extend(names)
            for n in names:
                self._month_no[n.lower()] = i
        self._weekday_no: dict[str, int] = {}
        full_days = []
        for i, names in enumerate(words["weekdays"]):
            full_days.append(names[0])
            for n in names:
                self._weekday_no[n.lower()] = i
        self._numbers: dict[str, int | None] = {k.lower(): v for k, v in words["numbers"].items()}
        self._parts: dict[str, str] = words["parts"]
        self._seasons: dict[str, int] = words["seasons"]
        cues = "|".join((r"\b" if c[0].isalnum() else "") + re.escape(c) + r"\b"
                        for c in sorted(words["future_cues"], key=len, reverse=True))
        self._future_re = re.compile(rf"(?i){cues}")
        self._prefix_re = re.compile(r"(?i)\b(since|as\s+of|until|till|by|up\s+to|through|from)\s+$")
        self._future_verb_re = re.compile(
            r"(?i)\b(?:will|would|shall)\s+(?:(?:also|then|now|not)\s+)?(?:be\s+)?[a-z]+(?:ed|en)?\b|['’]ll\b|"
            r"\b(?:is|are)\s+(?:due|scheduled|expected|set)\s+to\b")
        self._schedule_words = {w.lower() for w in words.get("schedule_words", [])}
        # "for" right before the expression, and the word before "for" ("scheduled for")
        self._for_re = re.compile(r"(?i)(?:\b(\w+)\s+)?\bfor\s+(?:the\s+(?:period|years?)\s+)?$")
        # "DUSHANBE, March 25 (CAW) -" at the start of the sentence, possibly after a headline line
        self._dateline_re = re.compile(
            r"(?s)^(?:[^\n]*\n+)*?\s*[A-Z][A-Z'.\- ]+[A-Z](?:,\s*[A-Z][A-Za-z'.\- ]+)?,\s+"
            r"(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}|\d{1,2}\s+[A-Z][a-z]{2,8})(?:,?\s+\d{4})?"
            r"(?:\s*\([^)\n]{1,40}\))?\s*[-\u2013\u2014]")
        # what follows "the day before" when it is a preposition with a noun: "the day before the summit"
        self._noun_ref_re = re.compile(r"\s+(?:of\s+)?(?:the|a|an|his|her|its|their|this|that)\s+\w")
        abbrevs = tuple(set(any_months) - set(full_months))
        self._rules = self._build_rules(_alts(full_months), _alts(any_months, abbrevs), _alts(full_days))

    # ------------------------------------------------------------------ patterns
    def _build_rules(self, mon_f: str, mon_a: str, wd: str) -> list[tuple[re.Pattern[str], Callable]]:
        num = "|".join(re.escape(k) for k in sorted(self._numbers, key=len, reverse=True))
        d = r"(?:3[01]|[12]\d|0?[1-9])"
        sfx = r"(?:st|nd|rd|th)?"
        y = r"(?:19|20)\d\d"
        yr = rf"(?P<y>{y})(?![\d%])"
        rely = r"(?:,?\s+(?:of\s+)?(?P<rely>(?i:last|this|next))\s+year)"
        to = r"\s*(?:-|–|—|(?i:to|through|till|until))\s*"
        prep = r"(?P<prep>(?i:in|on|at|since|until|till|up\s+to|by|from|during|through|throughout|of|as\s+of|before|after))"
        part_of = r"(?:(?:the\s+)?(?P<part>(?i:end|beginning|start|middle))\s+of\s+)"
        part_ = r"(?:(?P<part2>(?i:early|mid|late))[-\s]+)"
        rel = r"(?P<rel>(?i:last|this|next|past|coming))"
        unit = r"(?P<unit>(?i:day|week|month|year|decade))s?"
        n = rf"(?P<n>\d{{1,2}}|(?i:{num}))"
        papers = r"Times|Telegraph|Express|Post|Herald|Mirror|Mail|Review|Star"  # "The Sunday Times"
        specs: list[tuple[str, Callable]] = [
            (rf"(?<![\d.\-/])(?P<y>{y})-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?![\d])", self._numeric),
            (rf"(?<![\d.,/$€£-])(?P<d>[0-3]?\d)(?P<sep>[./])(?P<m>[01]?\d)(?P=sep)(?P<y>{y})(?!\d)",
             self._numeric),
            # ranges: "October 8 to 10", "October 8 - November 2, 2019", "between May 5 and 7"
            (rf"(?:(?P<from>(?i:from))\s+)?(?P<m1>{mon_a})\s+(?P<d1>{d}){sfx}{to}"
             rf"(?:(?P<m2>{mon_a})\s+)?(?P<d2>{d}){sfx}\b(?:,?\s+{yr})?", self._range_days),
            (rf"(?P<btw>(?i:between))\s+(?P<m1>{mon_a})\s+(?P<d1>{d}){sfx}\s+and\s+"
             rf"(?:(?P<m2>{mon_a})\s+)?(?P<d2>{d}){sfx}\b(?:,?\s+{yr})?", self._range_days),
            # "8-10 October", "from 8 to 10 October", "between 5 and 7 May", "8 October to 2 November"
            (rf"(?:(?P<from>(?i:from))\s+)?(?<![\d.,])(?P<d1>{d}){sfx}(?:\s+(?:of\s+)?(?P<m1>{mon_a}))?"
             rf"(?:{to}|\s+and\s+)(?P<d2>{d}){sfx}\s+(?:of\s+)?(?P<m2>{mon_a})(?!\w)(?:,?\s+{yr})?", self._range_days),
            (rf"(?P<btw>(?i:between))\s+(?P<d1>{d}){sfx}(?:\s+(?:of\s+)?(?P<m1>{mon_a}))?\s+and\s+"
             rf"(?P<d2>{d}){sfx}\s+(?:of\s+)?(?P<m2>{mon_a})(?!\w)(?:,?\s+{yr})?", self._range_days),
            (rf"(?:(?P<from>(?i:from|in))\s+)?(?<![\d.,$])(?P<y1>{y}){to}(?P<y2>{y}|\d\d)(?![\d%])",
             self._range_y),
            (rf"(?P<btw>(?i:between))\s+(?P<y1>{y})\s+and\s+(?P<y2>{y})(?![\d%])", self._range_y),
            (rf"(?:(?P<from>(?i:from))\s+)?(?P<m1>{mon_f}){to}(?P<m2>{mon_f})\b(?:,?\s+{yr})?", self._range_m),
            (rf"(?P<btw>(?i:between))\s+(?P<m1>{mon_f})\s+and\s+(?P<m2>{mon_f})\b(?:,?\s+{yr})?", self._range_m),
            # explicit days: "Wednesday, June 7", "June 7, 2023", "7 June", "the 7th of June"
            (rf"(?:{prep}\s+)?(?:(?P<wd>{wd}),?\s+)?(?P<m>{mon_a})\s+(?P<d>{d}){sfx}(?![\d,.]\d)\b"
             rf"(?:,?\s+{yr}|{rely})?", self._explicit),
            (rf"(?:{prep}\s+)?(?:(?P<wd>{wd}),?\s+)?(?:the\s+)?(?<![\d.,$])(?P<d>{d}){sfx}\s+(?:of\s+)?"
             rf"(?P<m>{mon_a})(?!\w)(?:,?\s+{yr}|{rely})?", self._explicit),
            # months: "in December 2011", "at the end of March", "in early May", "in March last year"
            (rf"(?:{prep}\s+)?(?:{part_of}|{part_})?(?P<m>{mon_f})(?:,?\s+(?:of\s+)?{yr}|{rely})",
             self._month),
            (rf"(?:{prep}\s+)?(?:{part_of}|{part_})(?P<m>{mon_f})\b(?!\s*\d)", self._month),
            (rf"{prep}\s+(?P<m>{mon_f})\b(?!\s*\d)", self._month),
            (rf"{rel}\s+(?P<m>{mon_f})\b(?!\s*\d)", self._month),
            # years: "in 2011", "since 2015", "in early 2012", "by the end of 2024"
            (rf"(?:{prep}\s+)?(?:{part_of}|{part_}){yr}", self._year),
            (rf"{prep}\s+(?:the\s+year\s+)?{yr}(?![,.]\d)", self._year),
            (rf"(?:{prep}\s+)?(?i:the)\s+(?:{part_})?(?P<dec>(?:19|20)\d0|['’]?[2-9]0)['’]?s\b", self._decade),
            # relative to the anchor
            (r"(?<!Russia )(?<!RUSSIA )(?i:the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow|"
             r"yesterday|today|tonight|tomorrow|this\s+(?:morning|afternoon|evening)|last\s+night)\b",
             self._relday),
            (rf"(?:(?:{part_of}|{part_}|(?P<lat>(?i:earlier|later))\s+)?(?P<rel>(?i:last|this|next|"
             rf"the\s+previous|the\s+following|the\s+current))\s+(?P<unit>(?i:week|month|year))\b)",
             self._relunit),
            (rf"(?<![\d.,$]){n}\s+{unit}\s+(?i:ago)\b", self._ago),
            # anaphora: counted from the previous date
            (r"(?i:the\s+(?:day|evening|night)\s+(?:before|earlier)|the\s+previous\s+day|"
             r"a\s+day\s+(?:earlier|before)|on\s+the\s+eve)\b", self._day_before),
            (r"(?i:the\s+(?:next|following)\s+(?:day|morning)|the\s+day\s+after|a\s+day\s+(?:later|after))\b",
             self._day_after),
            (r"(?i:the\s+same\s+day|that\s+(?:same\s+)?day)\b", self._same_day),
            (rf"(?<![\d.,$]){n}\s+{unit}\s+(?P<dir>(?i:earlier|before|later|after|afterwards))\b",
             self._counted),
            (rf"(?:(?P<rel>(?i:last|this|next|coming|past|later|earlier))\s+)?(?<!\w)(?P<wd>{wd})\b(?!,?\s+(?:{mon_a}|\d|{papers}))",
             self._weekday),
            (r"(?i:(?:over|at|during|on)\s+the\s+weekend|(?P<rel>last|this|next|past|coming)\s+weekend)\b",
             self._weekend),
            (rf"(?:{rel}\s+|(?i:in\s+)?(?i:the)\s+|(?i:in)\s+)(?P<season>(?i:spring|summer|autumn|fall|winter))"
             rf"\b(?:\s+(?:of\s+)?{yr})?", self._season),
        ]
        self._trigger = re.compile(
            rf"\d|\b(?:{mon_a}|{wd})|(?i:\b(?:yesterday|today|tonight|tomorrow|weeks?|weekend|months?|years?|days?|"
            rf"eve|morning|afternoon|evening|night|spring|summer|autumn|fall|winter)\b)")
        # a match can only start at a word start; saying so first makes each scan ~3x faster
        return [(re.compile(r"(?<!\w)" + p), h) for p, h in specs]

    # ------------------------------------------------------------------ public
    def find(self, sentence: str, anchor: date, previous: date | None = None,
             future: bool | None = False) -> list[TimeExpression]:
        """All time expressions in the sentence, in text order, resolved."""
        if not self._trigger.search(sentence):  # most sentences hold no time word at all
            return []
        raw: list[tuple[int, int, int, re.Match[str], Callable]] = []
        for order, (rx, handler) in enumerate(self._rules):
            for m in rx.finditer(sentence):
                raw.append((m.start(), m.end(), order, m, handler))
        raw.sort(key=lambda r: (-(r[1] - r[0]), r[2]))  # longest wins, then rule order
        if future is None:
            future = self._future_re.search(sentence) is not None
        # a longer match that cannot be a date ("from 2019-04" as years) must not hide a shorter one
        probe = _Ctx(anchor, previous or anchor, future, previous)
        kept: list[tuple[int, int, int, re.Match[str], Callable]] = []
        for r in raw:
            if all(r[1] <= k[0] or r[0] >= k[1] for k in kept) and _call(r[4], r[3], probe) is not None:
                kept.append(r)
        kept.sort(key=lambda r: r[0])
        out: list[TimeExpression] = []
        matches: list[re.Match[str]] = []
        base = previous
        dateline = self._dateline_re.match(sentence)
        for start, end, _, m, handler in kept:
            ahead = future or self._future_before(sentence, start)
            val = _call(handler, m, _Ctx(anchor, base, ahead, previous))
            if val is None:
                continue
            relation = val.relation or self._relation(m, sentence, start)
            if relation in ("at", "range") and self._for_period(sentence, start):
                relation = "for"
            method = "dateline" if dateline and start < dateline.end() and val.precision == "day" else val.method
            out.append(TimeExpression(sentence[start:end], start, end, val.value, val.precision,
                                      method, val.end_value, relation, val.counted_from))
            matches.append(m)
            if val.precision == "day" and relation in ("at", "range"):
                base = date.fromisoformat(val.value)
        self._count_from_following(out, matches, anchor, future, previous)
        # the filing day yields to a day the sentence names itself ("... spoke on Sunday")
        if any(t.method == "dateline" for t in out) and any(
                t.method != "dateline" and t.precision in ("day", "week") and t.relation in ("at", "range")
                for t in out):
            out = [t for t in out if t.method != "dateline"]
        return out

    def _count_from_following(self, out: list[TimeExpression], matches: list[re.Match[str]], anchor: date,
                              future: bool, previous: date | None) -> None:
        """"two days after gunmen opened fire on Friday": the count starts at the day named after it."""
        for i, (t, m) in enumerate(zip(out, matches, strict=True)):
            if not t.method.startswith("anaphoric-") or "dir" not in m.re.groupindex or (
                    m["dir"].lower() not in ("after", "before")):
                continue
            ref = next((u for u in out[i + 1:] if u.precision == "day" and u.relation == "at"
                        and u.method not in ("dateline",) and not u.method.startswith("anaphoric")
                        and ";" not in m.string[t.end:u.start]), None)
            if ref is None:
                continue
            val = _call(self._counted, m, _Ctx(anchor, date.fromisoformat(ref.value), future, previous))
            if val is not None:
                out[i] = TimeExpression(t.text, t.start, t.end, val.value, val.precision, val.method,
                                        val.end_value, t.relation, val.counted_from)

    def _future_before(self, sentence: str, start: int) -> bool:
        """"said they would hold talks on Thursday": a future verb earlier in the expression's own clause
        (since the last comma or semicolon) points ahead, whatever the caller assumed."""
        cut = max(sentence.rfind(c, 0, start) for c in ",;:")
        return self._future_verb_re.search(sentence, cut + 1, start) is not None

    def _for_period(self, sentence: str, start: int) -> bool:
        """"the plan for 2025-2026": a period the object covers, not when the event happened."""
        pm = self._for_re.search(sentence, max(0, start - 40), start)
        return pm is not None and (pm.group(1) or "").lower() not in self._schedule_words

    def resolve(self, sentence: str, anchor: date, previous: date | None = None,
                future: bool | None = False, near: int | None = None) -> TimeExpression | None:
        """The expression that dates the sentence's event.

        With ``near`` (a char offset, e.g. the event trigger) the closest expression wins;
        otherwise point dates beat since/until, finer precision beats coarser, explicit
        dates beat anaphora, and the first in the sentence wins ties.
        """
        found = self.find(sentence, anchor, previous, future)
        if not found:
            return None

        def score(i: int, t: TimeExpression) -> tuple:
            dist = 0 if near is None else max(t.start - near, near - t.end, 0)
            return (dist, t.relation not in ("at", "range"), -PRECISION_RANK.get(t.precision, 0),
                    -_METHOD_RANK.get(t.method, 1) + (1 if t.method.startswith("anaphoric") else 0), i)

        return min(enumerate(found), key=lambda it: score(*it))[1]

    # ------------------------------------------------------------------ helpers
    def _relation(self, m: re.Match[str], sentence: str, start: int) -> str:
        p = m.groupdict().get("prep")
        if p is None:
            pm = self._prefix_re.search(sentence, max(0, start - 12), start)
            p = pm.group(1) if pm else ""
        p = " ".join(p.lower().split())
        if p in ("since", "as of", "from", "after"):
            return "since"
        if p in ("until", "till", "by", "up to", "through", "before"):
            return "until"
        return "at"

    def _count(self, word: str) -> int | None:
        return int(word) if word.isdigit() else self._numbers.get(word.lower())

    def _year_of(self, m: re.Match[str], ctx: _Ctx) -> int | None:
        g = m.groupdict()
        if g.get("y"):
            return int(g["y"])
        if g.get("rely"):
            return ctx.anchor.year + {"last": -1, "this": 0, "next": 1}[g["rely"].lower()]
        return None

    def _pick_day(self, month: int, day: int, ctx: _Ctx, weekday: int | None = None) -> date | None:
        """Place a month and day without a year near the anchor."""
        cands = [c for yy in (ctx.anchor.year - 1, ctx.anchor.year, ctx.anchor.year + 1)
                 if (c := _safe_date(yy, month, day)) is not None]
        if not cands:
            return None
        if ctx.future:
            ahead = [c for c in cands if c >= ctx.anchor - _SLACK_FUTURE]
            cands, pick = (ahead, min) if ahead else (cands, max)
        else:
            behind = [c for c in cands if c <= ctx.anchor + _SLACK_PAST]
            cands, pick = (behind, max) if behind else (cands, min)
        # a weekday named with the date picks the year among those; a mismatch is ignored
        same = [c for c in cands if c.weekday() == weekday]
        return pick(same or cands)

    def _pick_month_year(self, month: int, ctx: _Ctx, mode: str) -> int:
        a = ctx.anchor
        if mode == "this":
            return a.year
        if mode in ("last", "past"):
            return a.year if month < a.month else a.year - 1
        if mode in ("next", "coming"):
            return a.year if month > a.month else a.year + 1
        if ctx.future:
            return a.year if month >= a.month else a.year + 1
        return a.year if month <= a.month else a.year - 1

    # ------------------------------------------------------------------ handlers
    def _numeric(self, m: re.Match[str], ctx: _Ctx) -> _Val | None:
        y, mo, d = int(m["y"]), int(m["m"]), int(m["d"])
        if mo > 12 and d <= 12:  # month-first (US) order
            mo, d = d, mo
        dt = _safe_date(y, mo, d)
        return _Val(dt.isoformat(), "day", "numeric") if dt else None

    def _range_days(self, m: re.Match[str], ctx: _Ctx) -> _Val | None:
        m1 = self._month_no[(m["m1"] or m["m2"]).rstrip(".").lower()]
        m2 = self._month_no[(m["m2"] or m["m1"]).rstrip(".").lower()]
        d1, d2 = int(m["d1"]), int(m["d2"])
        year = self._year_of(m, ctx)
        if year is None:
            first = self._pick_day(m1, d1, ctx)
            if first is None:
                return None
            year = first.year
        start = _safe_date(year, m1, d1)
        end = _safe_date(year + (1 if m2 < m1 else 0), m2, d2)
        if start is None or end is None or end <= start:
            return None
        return _Val(start.isoformat(), "day", "range-start", end.isoformat(), "range")

    def _range_y(self, m: re.Match[str], ctx: _Ctx) -> _Val | None:
        y1, y2s = int(m["y1"]), m["y2"]
        y2 = int(y2s) if len(y2s) == 4 else (y1 // 100) * 100 + int(y2s)
        if y2 <= y1 or y2 - y1 > 50:
            return None
        return _Val(_fmt(y1), "year", "range-start", _fmt(y2), "range")

    def _range_m(self, m: re.Match[str], ctx: _Ctx) -> _Val:
        m1, m2 = self._month_no[m["m1"].lower()], self._month_no[m["m2"].lower()]
        if m["y"]:  # the year is written after the second month
            y2 = int(m["y"])
            y1 = y2 - (1 if m1 > m2 else 0)
        else:
            y1 = self._pick_month_year(m1, ctx, "default")
            y2 = y1 + (1 if m1 > m2 else 0)
        return _Val(_fmt(y1, m1), "month", "range-start", _fmt(y2, m2), "range")

    def _explicit(self, m: re.Match[str], ctx: _Ctx) -> _Val | None:
        mo, d = self._month_no[m["m"].rstrip(".").lower()], int(m["d"])
        wd = self._weekday_no[m["wd"].lower()] if m["wd"] else None
        year = self._year_of(m, ctx)
        dt = _safe_date(year, mo, d) if year else self._pick_day(mo, d, ctx, wd)
        return _Val(dt.isoformat(), "day", "explicit") if dt else None

    def _month(self, m: re.Match[str], ctx: _Ctx) -> _Val:
        g = m.groupdict()
        mo = self._month_no[m["m"].lower()]
        part = g.get("part") or g.get("part2")
        year = self._year_of(m, ctx)
        if g.get("rel"):
            mode = g["rel"].lower()
            method = {"past": "last", "coming": "next"}.get(mode, mode) + "-month-name"
        else:
            mode, method = "default", "explicit" if year else "month-only"
        if part:
            method = "part-of-month"
        if year is None:
            year = self._pick_month_year(mo, ctx, mode)
        return _Val(_fmt(year, mo), "month", method)

    def _year(self, m: re.Match[str], ctx: _Ctx) -> _Val:
        g = m.groupdict()
        if g.get("part") or g.get("part2"):
            return _Val(m["y"], "year", "part-of-year")
        prep = (g.get("prep") or "").lower()
        return _Val(m["y"], "year", "since-year" if prep in ("since", "from") else "year")

    def _decade(self, m: re.Match[str], ctx: _Ctx) -> _Val:
        dec = m["dec"].lstrip("'’")
        year = int(dec) if len(dec) == 4 else 1900 + int(dec)
        return _Val(_fmt(year), "year", "decade")

    def _relday(self, m: re.Match[str], ctx: _Ctx) -> _Val:
        t = " ".join(m.group(0).lower().split())
        shift = {"yesterday": -1, "last night": -1, "tomorrow": 1, "the day before yesterday": -2,
                 "the day after tomorrow": 2}.get(t, 0)
        return _Val((ctx.anchor + timedelta(days=shift)).isoformat(), "day", "relative-day")

    def _relunit(self, m: re.Match[str], ctx: _Ctx) -> _Val | None:
        rel = " ".join(m["rel"].lower().split())
        unit = m["unit"].lower()
        if rel in ("the previous", "the following"):  # counted from the previous event
            if ctx.base is None and rel == "the following":
                return None
            origin, step, method = (ctx.base or ctx.anchor), (-1 if rel == "the previous" else 1), "anaphoric"
        else:
            origin, step, method = ctx.anchor, {"last": -1, "next": 1}.get(rel, 0), "relative"
        if unit == "week":
            return _Val((origin + timedelta(days=7 * step)).isoformat(), "week", f"{method}-week")
        if unit == "month":
            yy, mm = _add_months(origin.year, origin.month, step)
            return _Val(_fmt(yy, mm), "month", f"{method}-month")
        meth = "part-of-year" if (m["part"] or m["part2"]) else f"{method}-year"
        return _Val(_fmt(origin.year + step), "year", meth)

    def _shift(self, origin: date, n: int, unit: str, method: str) -> _Val:
        unit = unit.lower()
        if unit == "day":
            return _Val((origin + timedelta(days=n)).isoformat(), "day", method)
        if unit == "week":
            return _Val((origin + timedelta(days=7 * n)).isoformat(), "week", method)
        if unit == "month":
            yy, mm = _add_months(origin.year, origin.month, n)
            return _Val(_fmt(yy, mm), "month", method)
        return _Val(_fmt(origin.year + n * (10 if unit == "decade" else 1)), "year", method)

    def _ago(self, m: re.Match[str], ctx: _Ctx) -> _Val | None:
        n = self._count(m["n"])
        return None if n is None else self._shift(ctx.anchor, -n, m["unit"], "ago")

    def _ref_origin(self, m: re.Match[str], ctx: _Ctx) -> date | None:
        """"the day before the ceremony", "on the eve of the summit": the noun is the story's occasion,
        so the count starts at the story's date, not at a date met earlier in the sentence."""
        if self._noun_ref_re.match(m.string, m.end()):
            return ctx.story
        return ctx.base

    def _day_before(self, m: re.Match[str], ctx: _Ctx) -> _Val:
        origin = self._ref_origin(m, ctx) or ctx.anchor
        return _Val((origin - timedelta(days=1)).isoformat(), "day", "anaphoric-day-before",
                    counted_from=origin.isoformat())

    def _day_after(self, m: re.Match[str], ctx: _Ctx) -> _Val | None:
        origin = self._ref_origin(m, ctx)
        if origin is None:
            return None
        return _Val((origin + timedelta(days=1)).isoformat(), "day", "anaphoric-day-after",
                    counted_from=origin.isoformat())

    def _same_day(self, m: re.Match[str], ctx: _Ctx) -> _Val | None:
        if ctx.base is None:
            return None
        return _Val(ctx.base.isoformat(), "day", "anaphoric-same-day", counted_from=ctx.base.isoformat())

    def _counted(self, m: re.Match[str], ctx: _Ctx) -> _Val | None:
        n = self._count(m["n"])
        back = m["dir"].lower() in ("earlier", "before")
        if n is None or (ctx.base is None and not back):
            return None
        origin = ctx.base or ctx.anchor
        val = self._shift(origin, -n if back else n, m["unit"], "anaphoric-before" if back else "anaphoric-after")
        val.counted_from = origin.isoformat()
        return val

    def _weekday(self, m: re.Match[str], ctx: _Ctx) -> _Val:
        wd = self._weekday_no[m["wd"].lower()]
        rel = (m["rel"] or "").lower()
        a = ctx.anchor
        back = (a.weekday() - wd) % 7
        ahead = (wd - a.weekday()) % 7
        if rel in ("last", "past"):
            dt = a - timedelta(days=back or 7)
        elif rel in ("next", "coming"):
            dt = a + timedelta(days=ahead or 7)
        elif rel in ("later", "earlier"):
            dt = a - timedelta(days=back)  # "later Thursday": the day the story was written, even if filed after
        elif ctx.future:
            dt = a + timedelta(days=ahead)
        else:
            dt = a - timedelta(days=back)
        return _Val(dt.isoformat(), "day", "weekday")

    def _weekend(self, m: re.Match[str], ctx: _Ctx) -> _Val:
        rel = (m["rel"] or "").lower()
        a = ctx.anchor
        if rel in ("next", "coming") or (ctx.future and rel != "last"):
            sat = a + timedelta(days=(5 - a.weekday()) % 7)
        else:
            sat = a - timedelta(days=(a.weekday() - 5) % 7)
        return _Val(sat.isoformat(), "week", "weekend")

    def _season(self, m: re.Match[str], ctx: _Ctx) -> _Val | None:
        season = m["season"].lower()
        rel = (m["rel"] or "").lower()
        if m["y"]:
            return _Val(m["y"], "year", "season")
        if season == "fall" and not rel:  # "the fall of Kabul"
            return None
        ends = self._seasons[season]
        a = ctx.anchor
        if rel in ("last", "past"):
            year = a.year if ends < a.month else a.year - 1
        elif rel in ("next", "coming"):
            year = a.year if ends > a.month else a.year + 1
        else:
            year = a.year
        return _Val(_fmt(year), "year", "season")

