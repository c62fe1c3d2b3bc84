"""When was an article published? Metadata first, then the URL, the dateline, date lines, and
inference from the text (weekdays, anniversaries, known events, years mentioned).
"""
from __future__ import annotations

import calendar
import datetime as dt
import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from dateparser.date import DateDataParser

from ..model import DatedValue

logger = logging.getLogger(__name__)

_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
_MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
_MONTHS["sept"] = 9
_MON = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?"
_WEEKDAY = r"(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_MONTH_DAY = re.compile(rf"\b(?:(?P<m1>{_MON})\s+(?P<d1>\d{{1,2}})(?!\d)|(?P<d2>\d{{1,2}})\s+(?P<m2>{_MON}))(?!\w)")
_WEEKDAY_DATE = re.compile(
    rf"\b{_WEEKDAY},?\s+(?:(?:the\s+)?(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m2>{_MON})|(?P<m1>{_MON})\s+(?P<d1>\d{{1,2}}))(?![\d,]*\s*,?\s*\d{{4}})"
)
# "MOSCOW, April 23 (Itar-Tass) --", "DUSHANBE, 23 April 2012, Asia-Plus -", "MOSCOW, April 23. /TASS/.",
# and without a place when the year is given: "April 23, 2012 -".
_DATELINE = re.compile(
    rf"^\s*(?:(?P<place>[A-Z][A-Za-z.'’ -]{{1,30}}),\s+)?(?:(?P<m1>{_MON})\s+(?P<d1>\d{{1,2}})|(?P<d2>\d{{1,2}})\s+(?P<m2>{_MON}))"
    rf"(?:,?\s+(?P<year>\d{{4}}))?(?:,\s*[A-Z][\w.-]*(?:[ -][A-Z][\w.-]*){{0,2}})?\.?\s*"
    rf"(?:\((?P<agency>[^)]{{2,40}})\)|/(?P<agency2>[A-Za-z][\w .-]{{1,30}})/\.?)?\s*(?:[-–—|]+|/|(?<=/\.)|(?<=/)\s)"
)
_DATE_LINE = re.compile(
    r"^\W*(?:last\s+)?(?:modified|updated|update|published|posted|created|dated?)(?:\s+(?:on|at))?\s*[:\-–—]?\s*(?P<date>.{4,60})$",
    re.IGNORECASE | re.MULTILINE,
)
# A line that is nothing but a full date (and time), as printed under headlines.
_BARE_DATE_LINE = re.compile(
    rf"^\W*(?:\w+day,?\s+)?(?P<date>\d{{1,2}}\s+{_MON},?\s+\d{{4}}|{_MON}\s+\d{{1,2}},?\s+\d{{4}}"
    r"|\d{1,2}[./-]\d{1,2}[./-]\d{4}|\d{4}-\d{2}-\d{2})(?:,?\s*(?:at\s+)?\d{1,2}:\d{2}(?:\s*[ap]\.?m\.?)?)?\W*$",
    re.IGNORECASE | re.MULTILINE,
)
_URL_DAY = re.compile(r"/(?P<y>(?:19|20)\d{2})[/-](?P<m>\d{1,2})[/-](?P<d>\d{1,2})(?:/|$|[^\d])")
_URL_COMPACT = re.compile(r"[/_-](?P<y>(?:19|20)\d{2})(?P<m>[01]\d)(?P<d>[0-3]\d)(?!\d)")
_URL_MONTH = re.compile(r"/(?P<y>(?:19|20)\d{2})/(?P<m>[01]?\d)/")
_YEAR = re.compile(r"(?<![\d./:-])(?P<y>(?:19[5-9]|20\d)\d)(?![\d%]|\s*[-–]\s*\d|-\w)")
_ABSOLUTE = re.compile(r"(?<!\d)(1[89]\d{2}|20\d{2})(?!\d)|\b\d{1,2}[./-]\d{1,2}[./-]\d{2}\b")
_DOTTED = re.compile(r"^\d{1,2}\.\d{1,2}\.\d{2,4}\b")
# Words that put a year mentioned in the same sentence in the future ("will chair the CIS in 2025").
_FUTURE_CONTEXT = re.compile(r"\b(will|would|shall|plans?|planned|scheduled|expected|next|upcoming|due to|is to|are to|"
                             r"aims? to|intends? to|by the end of)\b", re.IGNORECASE)
_FUTURE_BEFORE = re.compile(r"\b(by|until|till|up to|through|to|before|for|towards?|in the period up to)\s+$", re.IGNORECASE)
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
             "ninth": 9, "tenth": 10, "fifteenth": 15, "twentieth": 20, "twenty-fifth": 25, "thirtieth": 30,
             "thirty-fifth": 35, "fortieth": 40, "forty-fifth": 45, "fiftieth": 50, "sixtieth": 60,
             "seventieth": 70, "seventy-fifth": 75, "eightieth": 80, "ninetieth": 90, "hundredth": 100}
_ORD = r"(?P<ord>\d{1,3}(?:st|nd|rd|th)|" + "|".join(sorted(_ORDINALS, key=len, reverse=True)) + ")"
_ANNIVERSARY = re.compile(rf"\b{_ORD}\s+anniversary\s+of\s+(?P<what>[^.;]{{3,120}})", re.IGNORECASE)
_EDITION = re.compile(rf"\b{_ORD}\b(?=[^.!?]{{0,50}}\bsummit)", re.IGNORECASE)


def _ordinal(text: str) -> int | None:
    text = text.lower()
    if text[:1].isdigit():
        return int(re.match(r"\d+", text).group())  # type: ignore[union-attr]
    return _ORDINALS.get(text)


def _month_day(m: re.Match[str]) -> tuple[int, int] | None:
    mon = m.group("m1") or m.group("m2")
    day = m.group("d1") or m.group("d2")
    month = _MONTHS.get(mon.lower().rstrip("."))
    if month is None or not 1 <= int(day) <= 31:
        return None
    return month, int(day)


def _valid(y: int, m: int, d: int) -> bool:
    try:
        dt.date(y, m, d)
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class _Founding:
    what: re.Pattern[str]
    countries: tuple[str, ...]
    year: int


@dataclass(frozen=True)
class _KnownEvent:
    name: str
    pattern: re.Pattern[str]
    editions: tuple[tuple[int | None, dt.date, str], ...]
    annual_from: int | None


@dataclass(frozen=True)
class _EraMarker:
    pattern: re.Pattern[str]
    min_count: int
    min_year: int
    note: str


@dataclass(frozen=True)
class DateRules:
    version: str
    countries: dict[str, re.Pattern[str]]
    foundings: tuple[_Founding, ...]
    known_events: tuple[_KnownEvent, ...]
    era_markers: tuple[_EraMarker, ...]

    @classmethod
    def load(cls, path: str | Path | None = None) -> DateRules:
        if path is None:
            text = resources.files("bilat.clean").joinpath("dates.yaml").read_text(encoding="utf-8")
        else:
            text = Path(path).read_text(encoding="utf-8")
        return cls.from_dict(yaml.safe_load(text))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DateRules:
        countries = {k: re.compile(v) for k, v in data["countries"].items()}
        foundings = tuple(_Founding(re.compile(f["what"], re.IGNORECASE), tuple(f.get("countries", ())), int(f["year"]))
                          for f in data["foundings"])
        events = tuple(
            _KnownEvent(e["name"], re.compile(e["pattern"], re.IGNORECASE),
                        tuple((ed.get("n"), dt.date.fromisoformat(str(ed["date"])), ed.get("place", ""))
                              for ed in e.get("editions", ())),
                        e.get("annual_from"))
            for e in data["known_events"])
        markers = tuple(_EraMarker(re.compile(m["pattern"], 0 if m.get("case") else re.IGNORECASE),
                                   int(m.get("min_count", 1)), int(m["min_year"]), m.get("note", ""))
                        for m in data["era_markers"])
        return cls(str(data.get("version", "dates")), countries, foundings, events, markers)


MIN_YEAR, MAX_YEAR = 1800, 2200  # news publication dates outside this are metadata junk


_PLAIN_TIME = r"(?:,?\s+(?:at\s+)?\d{1,2}:\d{2}(?::\d{2})?)?"
_PLAIN_DATES = [  # whole-string forms read directly; each gives what dateparser gives for it
    (re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"), "day"),
    (re.compile(r"(?P<y>\d{4})-(?P<m>\d{2})"), "month"),
    (re.compile(rf"(?P<d>\d{{1,2}})\.(?P<m>\d{{1,2}})\.(?P<y>\d{{4}}){_PLAIN_TIME}"), "day"),
    (re.compile(rf"(?P<d>\d{{1,2}})\s+(?P<mon>{_MON}),?\s+(?P<y>\d{{4}}){_PLAIN_TIME}", re.IGNORECASE), "day"),
    (re.compile(rf"(?P<mon>{_MON})\s+(?P<d>\d{{1,2}}),?\s+(?P<y>\d{{4}}){_PLAIN_TIME}", re.IGNORECASE), "day"),
]


def _plain_date(text: str) -> tuple[str, str] | None:
    """ISO dates, day.month.year and "5 March 2023"/"March 5, 2023" (with a time or not), read without
    dateparser; None for anything else, or for an impossible date, which dateparser then judges."""
    for rx, precision in _PLAIN_DATES:
        m = rx.fullmatch(text)
        if m is None:
            continue
        parts = m.groupdict()
        month = int(parts["m"]) if parts.get("m") else _MONTHS.get(parts["mon"].lower().rstrip("."))
        try:
            day = dt.date(int(parts["y"]), month or 0, int(parts.get("d") or 1))
        except ValueError:
            return None
        if not MIN_YEAR <= day.year <= MAX_YEAR:
            return None
        return (day.isoformat(), "day") if precision == "day" else (day.isoformat()[:7], "month")
    return None


class DateParser:
    """dateparser with fixed English settings; returns (ISO value, precision)."""

    def __init__(self) -> None:
        base = {"PREFER_DAY_OF_MONTH": "first", "RETURN_AS_TIMEZONE_AWARE": False}
        self._ddp = DateDataParser(languages=["en"], settings=base)
        # 05.10.2012 is 5 October wherever dots are used (Europe, the former USSR); slashes stay
        # month-first as in American English.
        self._dmy = DateDataParser(languages=["en"], settings={**base, "DATE_ORDER": "DMY"})

    def __call__(self, text: str) -> tuple[str, str] | None:
        """An absolute date only: without a year, "2 hours ago" or "14:05" would become today."""
        text = text.strip()[:80]
        if not _ABSOLUTE.search(text):
            return None
        return _plain_date(text) or self.parse(text)

    def parse(self, text: str) -> tuple[str, str] | None:
        """dateparser's reading (a few milliseconds a call; the common plain forms never get here)."""
        parser = self._dmy if _DOTTED.match(text) else self._ddp
        try:
            data = parser.get_date_data(text)
        except (ValueError, OverflowError, TypeError) as exc:
            logger.debug("unparseable date %r: %s", text, exc)
            return None
        if data is None or data.date_obj is None:
            return None
        d = data.date_obj
        if not MIN_YEAR <= d.year <= MAX_YEAR:  # "0001-01-05" in metadata is a placeholder, not a date
            return None
        precision = data.period if data.period in ("day", "month", "year") else "day"
        if precision == "year":
            return f"{d.year:04d}", "year"
        if precision == "month":
            return f"{d.year:04d}-{d.month:02d}", "month"
        return d.date().isoformat(), "day"


class DateInferrer:
    """Holds the rules and the parser; `infer` applies them in order of trust."""

    def __init__(self, rules: DateRules | None = None, parser: DateParser | None = None) -> None:
        self.rules = rules or DateRules.load()
        self.parse = parser or DateParser()

    def infer(self, text: str, url: str | None = None, meta_date: str | None = None,
              year_range: tuple[int, int] | None = None, *, today: dt.date | None = None) -> DatedValue | None:
        today = today or dt.date.today()
        if meta_date:
            parsed = self.parse(meta_date)
            if parsed:
                return DatedValue(parsed[0], parsed[1], "metadata", meta_date)
        if url:
            found = self.from_url(url)
            if found:
                return found
        lo, hi, lo_evidence = self.year_bounds(text, year_range, today)
        latest_past = lo if lo_evidence[1] == "years" else None
        dateline = self.dateline(text)
        if dateline and dateline[2]:
            (m, d), year, ev = dateline[0], dateline[2], dateline[1]
            if _valid(year, m, d):
                return DatedValue(f"{year:04d}-{m:02d}-{d:02d}", "day", "dateline", ev)
        line = self.date_line(text)
        if line and int(line.value[:4]) <= hi:  # a date line in the future is a typo or an event
            return line
        rules = (lambda: self.weekday(text, lo, hi), lambda: self.known_event(text, lo, hi),
                 lambda: self.anniversary(text, lo, hi),
                 lambda: self.dateline_weekday(text, dateline, lo, hi) if dateline else None)
        year_value = None
        for rule in rules:
            found = rule()
            # The actors' tenures (year_range) overrule a text cue that falls outside them.
            if found and (year_range is None or year_range[0] <= int(found.value[:4]) <= year_range[1]):
                year_value = found
                break
        if year_value is None and latest_past is not None:
            # Only when no era marker or role says later: a lower bound is not an estimate.
            year_value = DatedValue(str(latest_past), "year", "years", lo_evidence[0])
        if year_value is None and year_range and year_range[0] == year_range[1]:
            year_value = DatedValue(str(year_range[0]), "year", "roles", f"roles {year_range[0]}")
        if dateline and year_value is not None:
            (m, d), ev = dateline[0], dateline[1]
            year = int(year_value.value[:4])
            if _valid(year, m, d):
                return DatedValue(f"{year:04d}-{m:02d}-{d:02d}", "day", f"dateline+{year_value.method}",
                                  f"{ev} | {year_value.evidence}")
        return year_value

    # -- the rules --------------------------------------------------------------------------
    def from_url(self, url: str) -> DatedValue | None:
        path = re.sub(r"^[a-z]+://[^/]+", "", url)
        for rx, precision in ((_URL_DAY, "day"), (_URL_COMPACT, "day"), (_URL_MONTH, "month")):
            m = rx.search(path)
            if not m:
                continue
            y, mo = int(m.group("y")), int(m.group("m"))
            d = int(m.group("d")) if precision == "day" else 1
            if _valid(y, mo, d):
                value = f"{y:04d}-{mo:02d}-{d:02d}" if precision == "day" else f"{y:04d}-{mo:02d}"
                return DatedValue(value, precision, "url", m.group(0))
        return None

    def dateline(self, text: str) -> tuple[tuple[int, int], str, int | None] | None:
        """'MOSCOW, April 23 (Agency) --' at the start of one of the first paragraphs."""
        for para in [p for p in text.split("\n") if p.strip()][:6]:
            m = _DATELINE.match(para)
            if not m or not (m.group("place") or m.group("year")):
                continue
            md = _month_day(m)
            if md:
                return md, m.group(0).strip(), int(m.group("year")) if m.group("year") else None
        return None

    def dateline_weekday(self, text: str, dateline: tuple[tuple[int, int], str, int | None],
                         lo: int | None, hi: int) -> DatedValue | None:
        """'MOSCOW, May 25 (X) - ... signed on Tuesday': wire copy names the day of the dateline, so the
        year is one in which that date fell on that weekday (nearest above the lower bound)."""
        (month, day), evidence, _ = dateline
        start = text.find(evidence)
        lead = text[start : text.find("\n", start) if "\n" in text[start:] else len(text)]
        m = re.search(rf"\b(?:on|late on|early on|last)\s+{_WEEKDAY}\b(?!,?\s+(?:\d|{_MON}))", lead)
        if not m:
            return None
        wd = list(calendar.day_name).index(m.group("wd"))
        floor = lo if lo is not None else hi - 30
        years = [y for y in range(floor, hi + 1) if _valid(y, month, day) and dt.date(y, month, day).weekday() == wd]
        if not years:
            return None
        year = years[0] if lo is not None else years[-1]
        return DatedValue(str(year), "year", "weekday", f"{evidence} ... {m.group(0)}")

    def date_line(self, text: str) -> DatedValue | None:
        for m in [*_DATE_LINE.finditer(text), *_BARE_DATE_LINE.finditer(text)]:
            if len(m.group(0).split()) > 10 or not re.search(r"\d", m.group("date")):
                continue
            parsed = self.parse(m.group("date"))
            if parsed:
                return DatedValue(parsed[0], parsed[1], "modified-line", m.group(0).strip())
        return None

    def year_bounds(self, text: str, year_range: tuple[int, int] | None,
                    today: dt.date) -> tuple[int | None, int, tuple[str, str]]:
        """Lowest and highest plausible publication year, from past years and era markers."""
        hi = today.year
        lo: int | None = None
        evidence = ("", "")
        for m in _YEAR.finditer(text):
            y = int(m.group("y"))
            if y > hi or _FUTURE_BEFORE.search(text[max(0, m.start() - 25) : m.start()]):
                continue
            if _FUTURE_CONTEXT.search(_sentence_before(text, m.start())):
                continue
            if lo is None or y > lo:
                lo, evidence = y, (_snippet(text, m.start(), m.end()), "years")
        for marker in self.rules.era_markers:
            hits = list(marker.pattern.finditer(text))
            if len(hits) >= marker.min_count and (lo is None or marker.min_year > lo):
                lo, evidence = marker.min_year, (_snippet(text, hits[0].start(), hits[0].end()), "era")
        if year_range:
            hi = min(hi, year_range[1])
            if lo is None or year_range[0] > lo:
                lo, evidence = year_range[0], (f"roles {year_range[0]}-{year_range[1]}", "roles")
        return lo, hi, evidence

    def weekday(self, text: str, lo: int | None, hi: int) -> DatedValue | None:
        """'on Wednesday, June 7': the years where that day is that weekday, nearest above the lower
        bound; several such dates narrow the years down to those that fit them all."""
        floor = lo if lo is not None else hi - 30
        chosen: set[int] | None = None
        evidence: list[str] = []
        for m in _WEEKDAY_DATE.finditer(text):
            md = _month_day(m)
            if not md:
                continue
            wd = list(calendar.day_name).index(m.group("wd"))
            years = {y for y in range(floor, hi + 1) if _valid(y, *md) and dt.date(y, *md).weekday() == wd}
            if not years or (chosen is not None and not chosen & years):
                continue  # a date that fits no year, or contradicts the others (a typo, another year)
            chosen = years if chosen is None else chosen & years
            evidence.append(m.group(0))
        if not chosen:
            return None
        year = min(chosen) if lo is not None else max(chosen)
        return DatedValue(str(year), "year", "weekday", "; ".join(evidence))

    def known_event(self, text: str, lo: int | None, hi: int) -> DatedValue | None:
        """A dated event of a known series: matched by month-day (and place) or by ordinal edition."""
        sentences = re.split(r"(?<=[.!?])\s+", text)
        for ev in self.rules.known_events:
            last_seen = -10
            for i, sent in enumerate(sentences):
                if ev.pattern.search(sent):
                    last_seen = i
                    for md in (_month_day(x) for x in _MONTH_DAY.finditer(sent)):
                        for _n, date, place in ev.editions:
                            # summits last a day or two: the text may name the second day
                            if md and _near(date, md) and (not place or place in text):
                                return DatedValue(str(date.year), "year", "known-event", sent.strip())
                if i - last_seen > 1:
                    continue
                for m in _EDITION.finditer(sent):
                    n = _ordinal(m.group("ord"))
                    year = None
                    if ev.annual_from and n:
                        year = ev.annual_from + n - 1
                    for en, date, _place in ev.editions:
                        if en is not None and en == n:
                            year = date.year
                    if year and year <= hi and (lo is None or year >= lo):
                        return DatedValue(str(year), "year", "known-event", sent.strip())
        return None

    def anniversary(self, text: str, lo: int | None, hi: int) -> DatedValue | None:
        """'marked the 25th anniversary of diplomatic ties' with a founding year from the data table."""
        for m in _ANNIVERSARY.finditer(text):
            n = _ordinal(m.group("ord"))
            what = m.group("what")
            if not n:
                continue
            explicit = re.search(r"\b(1[89]\d{2}|20\d{2})\b", what)
            base = int(explicit.group(1)) if explicit else self._founding_year(what, text)
            if base is None or base + n > hi + 1:
                continue
            return DatedValue(str(base + n), "year", "anniversary", m.group(0).strip())
        return None

    def _founding_year(self, what: str, text: str) -> int | None:
        best: tuple[int, int] | None = None  # (score, year)
        for f in self.rules.foundings:
            if not f.what.search(what):
                continue
            counts = [len(self.rules.countries[c].findall(text)) for c in f.countries]
            if counts and min(counts) == 0:
                continue
            score = sum(counts)  # the pair of states the article talks about most
            if best is None or score > best[0]:
                best = (score, f.year)
        return best[1] if best else None


def _near(date: dt.date, month_day: tuple[int, int], days: int = 1) -> bool:
    """True when month_day, in date's year, is within `days` of date."""
    if not _valid(date.year, *month_day):
        return False
    return abs((dt.date(date.year, *month_day) - date).days) <= days


def _sentence_before(text: str, pos: int) -> str:
    """The part of the clause holding `pos` that comes before it."""
    start = max(text.rfind(sep, 0, pos) for sep in (". ", "\n", ", ", "; "))
    return text[start + 1 : pos]


def _snippet(text: str, start: int, end: int, width: int = 60) -> str:
    """The match with up to `width` characters around it, cut at word boundaries."""
    a = max(0, start - width)
    b = min(len(text), end + width)
    left = text[a:start].split(None, 1)[-1] if a > 0 and " " in text[a:start] else text[a:start]
    right = text[end:b].rsplit(None, 1)[0] if b < len(text) and " " in text[end:b] else text[end:b]
    return " ".join((left + text[start:end] + right).split())


@lru_cache(maxsize=1)
def default_inferrer() -> DateInferrer:
    """The packaged rules, loaded once (immutable after loading)."""
    return DateInferrer()


def infer_published(text: str, url: str | None, meta_date: str | None,
                    year_range: tuple[int, int] | None = None, *, today: dt.date | None = None) -> DatedValue | None:
    """The publication date of an article, or None; see DateInferrer.infer for the order of rules."""
    return default_inferrer().infer(text, url, meta_date, year_range, today=today)
