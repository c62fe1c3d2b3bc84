"""When was an article published? Metadata first, then the URL, the dateline, date lines, and
inference from the text (weekdays, anniversaries, known events, years mentioned).
"""
from __future__ import annotations

import calendar
import datetime as dt
import functools
import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from dateparser.date import DateDataParser
from htmldate.extractors import Extractor, extract_url_date

from ..model import DatedValue

logger = logging.getLogger(__name__)

_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
_MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
_MONTHS["sept"] = 9
_MON = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?"
_WEEKDAY = r"(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
# "March 3", "3 March" with no year after it (a year would be a full date, read elsewhere)
_LEAD_DAY = re.compile(rf"\b(?:(?P<m1>{_MON})\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?|(?P<d2>\d{{1,2}})\s+(?P<m2>{_MON}))"
                       rf"\b(?!,?\s*\d)")
# Russian weekdays in the accusative of "в среду", Monday first (as calendar.day_name); the events
# stage reads the same words in a sentence
WEEKDAYS_RU = ("понедельник", "вторник", "среду", "четверг", "пятницу", "субботу", "воскресенье")
WEEKDAY_RU = re.compile(r"(?<!\w)во?\s+(?P<wd>" + "|".join(WEEKDAYS_RU) + r")(?!\w)", re.IGNORECASE)
# a month named in a sentence (capitalised: "may" is a verb), and what makes it a past year's month
_BARE_MONTH = re.compile(rf"(?<![\w-])(?P<mon>{_MON})(?![\w-])")
_LAST = re.compile(r"(?i:\b(?:last|past|previous)\s+)$")
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+")
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
# A line opening with a place and a dateline mark but no date; bounded repetition, so linear.
_PLACE_LINE = re.compile(r"^[ \t]*(?P<place>[A-Z][\w'’.-]{1,30}(?:[ -][A-Z][\w'’.-]{1,30}){0,3})"
                         r"(?:/[A-Z][\w'’.-]{1,30}){0,3}[ \t]*(?:,|\(|:|—|–|-[ \t])", re.MULTILINE)
# a Russian place line in capitals, as agencies print it ("ДУШАНБЕ,", "НУР-СУЛТАН."): prose never is
_PLACE_LINE_RU = re.compile(r"^[ \t]*(?P<place>[А-ЯЁ][А-ЯЁ-]{2,30}(?: [А-ЯЁ][А-ЯЁ-]{1,30})?)[ \t]*(?:[,.(]|—|–)",
                            re.MULTILINE)
_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)
_DATE_LINE = re.compile(
    r"^[^\w\n]*(?:last\s+)?(?:modified|updated|update|published|posted|created|dated?)(?:\s+(?:on|at))?\s*[:\-–—]?\s*(?P<date>.{4,60})$",
    re.IGNORECASE | re.MULTILINE,
)
# A line that is nothing but a full date (and time), as printed under headlines. Edges are [^\w\n], not \W:
# \W crosses line ends, and on a page of blank lines every line start would scan all the rest.
_BARE_DATE_LINE = re.compile(
    rf"^[^\w\n]*(?:\w+day,?\s+)?(?P<date>\d{{1,2}}\s+{_MON},?\s+\d{{4}}|{_MON}\s+\d{{1,2}},?\s+\d{{4}}"
    r"|\d{1,2}[./-]\d{1,2}[./-]\d{4}|\d{4}-\d{2}-\d{2})(?:,?\s*(?:at\s+)?\d{1,2}:\d{2}(?:\s*[ap]\.?m\.?)?)?[^\w\n]*$",
    re.IGNORECASE | re.MULTILINE,
)
_URL_DAY = re.compile(r"/(?P<y>(?:19|20)\d{2})[/-](?P<m>\d{1,2})[/-](?P<d>\d{1,2})(?:/|$|[^\d])")
_URL_COMPACT = re.compile(r"[/_-](?P<y>(?:19|20)\d{2})(?P<m>[01]\d)(?P<d>[0-3]\d)(?!\d)")
_URL_MONTH = re.compile(r"/(?P<y>(?:19|20)\d{2})/(?P<m>[01]?\d)/")
# Other day forms of URL paths: /2009/0219/ (year, then month and day), /200001/21/ (year and month,
# then day), /07-Mar-2015/ (day, month name, year).
_URL_Y_MD = re.compile(r"/(?P<y>(?:19|20)\d{2})/(?P<m>[01]\d)(?P<d>[0-3]\d)(?:/|$|[^\d])")
_URL_YM_D = re.compile(r"/(?P<y>(?:19|20)\d{2})(?P<m>[01]\d)/(?P<d>[0-3]\d)(?:/|$|[^\d])")
_URL_D_MON_Y = re.compile(rf"[/_-](?P<d>[0-3]?\d)-(?P<mon>{_MON})-(?P<y>(?:19|20)\d{{2}})(?:[/_.-]|$)", re.IGNORECASE)
# /04/11/12/: three two-digit parts, read month/day/year, day/month/year or year/month/day; only a
# reading whose year the article itself names is taken.
_URL_TRIPLE = re.compile(r"/(?P<a>\d{2})/(?P<b>\d{2})/(?P<c>\d{2})/")
_YEAR = re.compile(r"(?<![\d./:-])(?P<y>(?:19[5-9]|20\d)\d)(?![\d%]|\s*[-–]\s*\d|-\w)")
_ABSOLUTE = re.compile(r"(?<!\d)(1[89]\d{2}|20\d{2})(?!\d)|\b\d{1,2}[./-]\d{1,2}[./-]\d{2}\b")
_DOTTED = re.compile(r"^\d{1,2}\.\d{1,2}\.\d{2,4}\b")
# Words that put a year mentioned in the same sentence in the future ("will chair the CIS in 2025").
_FUTURE_CONTEXT = re.compile(r"\b(will|would|shall|plans?|planned|scheduled|expected|next|upcoming|due to|is to|are to|"
                             r"aims? to|intends? to|by the end of)\b", re.IGNORECASE)
_FUTURE_BEFORE = re.compile(r"\b(by|until|till|up to|through|to|before|for|towards?|in the period up to|до|к|на период до)\s+$",
                            re.IGNORECASE)
# The month and day written before a year ("January 1, 2015", "1 January 2015"), at the end of a
# short window: anchored at its end, so each search is bounded by the window.
_DAY_BEFORE_YEAR = re.compile(rf"(?:{_MON}\s+\d{{1,2}}(?:st|nd|rd|th)?,?|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MON},?)\s*$",
                              re.IGNORECASE)
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


def _english_dateline(text: str) -> tuple[re.Match[str], tuple[int, int]] | None:
    """The first of the first six paragraphs that opens with a dateline (a place or a year, and a day),
    with its (month, day)."""
    for para in [p for p in text.split("\n", 40) if p.strip()][:6]:
        m = _DATELINE.match(para)
        md = _month_day(m) if m and (m.group("place") or m.group("year")) else None
        if md:
            return m, md
    return None


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
class _DatedEvent:
    """A one-off event the news names without its year ("the Andijan events in May")."""
    name: str
    pattern: re.Pattern[str]
    dates: tuple[dt.date, ...]


@dataclass(frozen=True)
class _EraMarker:
    pattern: re.Pattern[str]
    min_count: int
    min_year: int
    note: str


_WEEKDAY_ANY = (r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues?|wed|thu(?:rs?)?|fri|sat|sun"
                r"|понедельник|вторник|среда|четверг|пятница|суббота|воскресенье|пн|вт|ср|чт|пт|сб|вс)\.?")
_TIME = r"\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?"


@dataclass(frozen=True)
class StampPatterns:
    """Publication stamps as pages print them: a labelled date anywhere on a line ("By X Published:
    Thu 2 Nov 2023, 8:15 PM"), or a line that opens with a full date ("Sunday, March 5, 2006,
    updated at 09:41", "09:12, 3 октября 2021, Бишкек"). Every part is a fixed sequence of simple
    runs, so a search is linear in the line."""

    months: dict[str, int]
    date: re.Pattern[str]
    labelled: re.Pattern[str]
    line_start: re.Pattern[str]
    label_ranks: tuple[tuple[re.Pattern[str], int], ...]
    ru_dateline: re.Pattern[str]

    @classmethod
    def build(cls, months_ru: dict[int, list[str]], labels: list[dict[str, Any]]) -> StampPatterns:
        months = dict(_MONTHS)
        for number, names in months_ru.items():
            months.update({n.lower(): int(number) for n in names})
        words = "|".join(sorted((re.escape(w) for w in months), key=len, reverse=True))
        mon = rf"(?:{words})(?![^\W\d_])\.?"
        date = (rf"(?<!\d)(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon1>{mon}),?\s+(?P<y1>\d{{4}})(?:\s*(?:года|г\.))?"
                rf"|(?P<mon2>{mon})\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y2>\d{{4}})"
                rf"|(?P<d3>\d{{1,2}})[./-](?P<m3>\d{{1,2}})[./-](?P<y3>\d{{4}})"
                rf"|(?P<y4>\d{{4}})-(?P<m4>\d{{2}})-(?P<d4>\d{{2}}))(?!\d)")
        every = "|".join(f"(?:{entry['label']})" for entry in labels)
        lead = rf"(?:{_WEEKDAY_ANY},?\s+)?(?:{_TIME},?\s+)?"
        labelled = re.compile(
            rf"(?:^|(?<=[\s|•·(]))(?P<label>{every})(?![^\W\d_])(?P<conn>\s+(?:on|at|as\s+of|в|от))?\s*(?P<colon>:)?,?"
            rf"\s*{lead}(?:{date})", re.IGNORECASE | re.MULTILINE)
        # What may follow a date that opens a line: nothing, a time, a separator or an update label;
        # "12 June 2020, the leaders met" reads as prose only when a word follows the comma directly.
        line_start = re.compile(
            rf"^(?:[^|•·\n]{{1,60}}[|•·])?[^\w\n]{{0,10}}(?:{_TIME},?\s+)?{lead}(?:{date})"
            rf"(?=[ \t]*(?:$|[|•·(\-–—]|,?[ \t]*(?:at\s+|в\s+)?{_TIME}|,?[ \t]*(?:updated|обновлено)"
            rf"|,[ \t]*{_WEEKDAY_ANY}[ \t]*$|,[ \t]*(?-i:[A-ZА-ЯЁ])))",
            re.IGNORECASE | re.MULTILINE)
        ranks = tuple((re.compile(rf"^(?:{e['label']})$", re.IGNORECASE), int(e["rank"])) for e in labels)
        ru_words = "|".join(sorted((re.escape(n.lower()) for names in months_ru.values() for n in names),
                                   key=len, reverse=True))
        ru_dateline = re.compile(
            rf"^\s*(?P<place>[А-ЯЁ][А-ЯЁа-яё'’ -]{{1,30}})[,.]\s+(?P<d>\d{{1,2}})\s+(?P<mon>(?:{ru_words})(?![^\W\d_])\.?)"
            rf"(?:\s+(?P<y>\d{{4}})(?:\s*(?:года|г\.))?)?[.,]?\s*(?:[-–—/(]|(?-i:[A-ZА-ЯЁ]))", re.IGNORECASE)
        return cls(months, re.compile(date, re.IGNORECASE), labelled, line_start, ranks, ru_dateline)

    def value(self, m: re.Match[str]) -> str | None:
        """The ISO day of a match of `date` (inside `labelled` or `line_start`), or None if impossible."""
        g = m.groupdict()
        for d, mon, y in (("d1", "mon1", "y1"), ("d2", "mon2", "y2"), ("d3", "m3", "y3"), ("d4", "m4", "y4")):
            if g.get(y):
                raw = g[mon]
                month = int(raw) if raw.isdigit() else self.months.get(raw.lower().rstrip("."))
                year, day = int(g[y]), int(g[d])
                if month and MIN_YEAR <= year <= MAX_YEAR and _valid(year, month, day):
                    return f"{year:04d}-{month:02d}-{day:02d}"
                return None
        return None

    def dateline(self, text: str) -> tuple[tuple[int, int], str, int | None] | None:
        """'МОСКВА, 31 авг — РИА Новости.', 'Москва. 27 августа. INTERFAX.RU -' in the first paragraphs."""
        m = self.dateline_match(text)
        if m is None:
            return None
        month = self.months[m.group("mon").lower().rstrip(".")]
        return (month, int(m.group("d"))), m.group(0).strip(), int(m.group("y")) if m.group("y") else None

    def dateline_match(self, text: str) -> re.Match[str] | None:
        """The Russian dateline of the first paragraphs, with its ``place``, ``d``, ``mon`` and ``y``."""
        for para in [p for p in text.split("\n") if p.strip()][:6]:
            m = self.ru_dateline.match(para)
            if m and self.months.get(m.group("mon").lower().rstrip(".")) and 1 <= int(m.group("d")) <= 31:
                return m
        return None

    def months_ru(self) -> dict[str, int]:
        """The Russian month words (genitive, nominative, abbreviations) and their numbers."""
        return {w: n for w, n in self.months.items() if _CYRILLIC.match(w)}

    @functools.cached_property
    def day_month_ru(self) -> re.Pattern[str]:
        """'14 марта', '5 дек. 2019 года': day, month word and the year where one follows."""
        words = "|".join(sorted(map(re.escape, self.months_ru()), key=len, reverse=True))
        return re.compile(rf"(?<!\d)(\d{{1,2}})\s+({words})(?![а-яё])\.?(?:\s+(\d{{4}})\s*(?:года|г\.)?)?",
                          re.IGNORECASE)

    def rank(self, label: str) -> int:
        label = " ".join(label.split())
        return next((r for rx, r in self.label_ranks if rx.match(label)), 9)

    def find(self, text: str, latest: dt.date | None = None) -> tuple[str, str] | None:
        """The best stamp in `text`: (ISO day, the stamp), by label rank, then first on the page."""
        found: list[tuple[float, re.Match[str]]] = []
        for m in self.labelled.finditer(text):
            line_start = text.rfind("\n", 0, m.start()) + 1
            at_start = not re.search(r"\w", text[line_start : m.start()])
            # "published on 3 May 2020" inside a sentence is prose; a colon, "at" or the start of a
            # line makes it a stamp.
            if m.group("colon") or at_start or (m.group("conn") or "").strip().lower() in ("at", "as of"):
                found.append((float(self.rank(m.group("label"))), m))
        found.extend((1.5, m) for m in self.line_start.finditer(text))  # between a publication and a date label
        best: tuple[tuple[float, int], str, str] | None = None
        for rank, m in found:
            value = self.value(m)
            if value is None or (latest is not None and value > latest.isoformat()):
                continue
            if best is None or (rank, m.start()) < best[0]:
                best = ((rank, m.start()), value, m.group(0).strip())
        return (best[1], best[2]) if best else None


@dataclass(frozen=True)
class DateRules:
    version: str
    countries: dict[str, re.Pattern[str]]
    foundings: tuple[_Founding, ...]
    known_events: tuple[_KnownEvent, ...]
    era_markers: tuple[_EraMarker, ...]
    stamps: StampPatterns | None = None
    dated_events: tuple[_DatedEvent, ...] = ()

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
        stamps = StampPatterns.build(data.get("months_ru", {}), data.get("stamp_labels", []))
        dated = tuple(_DatedEvent(e["name"], re.compile(e["pattern"], re.IGNORECASE),
                                  tuple(dt.date.fromisoformat(str(d)) for d in e["dates"]))
                      for e in data.get("dated_events", ()))
        return cls(str(data.get("version", "dates")), countries, foundings, events, markers, stamps, dated)


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
        from_url = self.from_url(url, text, today) if url else None
        if from_url is not None and from_url.precision == "day":
            return from_url
        stamp = self.stamp(text, today)
        # A stamp refines a URL's month; where they disagree the URL, which a site cannot misprint, wins.
        if stamp is not None and (from_url is None or stamp.value.startswith(from_url.value)):
            return stamp
        dateline = self.dateline(text)
        if from_url is not None:
            if dateline and not dateline[2] and from_url.value == f"{from_url.value[:4]}-{dateline[0][0]:02d}":
                (m, d), ev = dateline[0], dateline[1]
                if _valid(int(from_url.value[:4]), m, d):
                    return DatedValue(f"{from_url.value}-{d:02d}", "day", "url+dateline", f"{from_url.evidence} | {ev}")
            return from_url
        lo, hi, lo_evidence = self.year_bounds(text, year_range, today)
        latest_past = lo if lo_evidence[1] == "years" else None
        if dateline and dateline[2]:
            (m, d), year, ev = dateline[0], dateline[2], dateline[1]
            if _valid(year, m, d):
                return DatedValue(f"{year:04d}-{m:02d}-{d:02d}", "day", "dateline", ev)
        line = self.date_line(text)
        if line and int(line.value[:4]) <= hi:  # a date line in the future is a typo or an event
            return line
        rules = (lambda: self.weekday(text, lo, hi), lambda: self.known_event(text, lo, hi),
                 lambda: self.dated_event(text, lo, hi),
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
    def from_url(self, url: str, text: str = "", today: dt.date | None = None) -> DatedValue | None:
        """A date in the URL's path: year-month-day in its common forms (htmldate's reader and ours),
        a two-digit triple read the way the article's own years allow, or a year and month."""
        path = re.sub(r"^[a-z]+://[^/]+", "", url)
        latest = (today or dt.date.today()) + dt.timedelta(days=1)
        for rx, precision in ((_URL_DAY, "day"), (None, "day"), (_URL_COMPACT, "day"), (_URL_Y_MD, "day"),
                              (_URL_YM_D, "day"), (_URL_D_MON_Y, "day"), (_URL_MONTH, "month")):
            if rx is None:
                found = _htmldate_url(path, latest)
                if found:
                    return DatedValue(found, "day", "url", path)
                continue
            m = rx.search(path)
            if not m:
                continue
            parts = m.groupdict()
            y = int(parts["y"])
            mo = int(parts["m"]) if parts.get("m") else _MONTHS.get(parts["mon"].lower().rstrip("."), 0)
            d = int(parts["d"]) if precision == "day" else 1
            if _valid(y, mo, d) and dt.date(y, mo, d) <= latest:
                value = f"{y:04d}-{mo:02d}-{d:02d}" if precision == "day" else f"{y:04d}-{mo:02d}"
                return DatedValue(value, precision, "url", m.group(0))
        return self._url_triple(path, text, latest)

    def _url_triple(self, path: str, text: str, latest: dt.date) -> DatedValue | None:
        m = _URL_TRIPLE.search(path)
        if not m:
            return None
        a, b, c = (int(m.group(k)) for k in "abc")
        named = {int(y.group("y")) for y in _YEAR.finditer(text)}
        readings = {(2000 + c if c < 50 else 1900 + c, a, b), (2000 + c if c < 50 else 1900 + c, b, a),
                    (2000 + a if a < 50 else 1900 + a, b, c)}
        fits = sorted(r for r in readings if r[0] in named and _valid(*r) and dt.date(*r) <= latest)
        if len({r[0] for r in fits}) != 1:
            return None  # no reading agrees with the text's years, or several do: the URL does not decide
        if len(fits) > 1:
            # 04/11/12 is 11 April or 4 November 2012: the month the text names decides, else the year alone
            lowered = text.lower()
            fits = [r for r in fits if calendar.month_name[r[1]].lower() in lowered] or fits
        y, mo, d = fits[0]
        if len(fits) > 1:
            return DatedValue(f"{y:04d}", "year", "url+years", m.group(0))
        return DatedValue(f"{y:04d}-{mo:02d}-{d:02d}", "day", "url+years", m.group(0))

    def stamp(self, text: str, today: dt.date | None = None) -> DatedValue | None:
        """A publication stamp printed on the page (see StampPatterns)."""
        if self.rules.stamps is None:
            return None
        found = self.rules.stamps.find(text, (today or dt.date.today()) + dt.timedelta(days=1))
        return DatedValue(found[0], "day", "stamp", found[1]) if found else None

    def dateline(self, text: str) -> tuple[tuple[int, int], str, int | None] | None:
        """'MOSCOW, April 23 (Agency) --' at the start of one of the first paragraphs."""
        found = _english_dateline(text)
        if found is not None:
            m, md = found
            return md, m.group(0).strip(), int(m.group("year")) if m.group("year") else None
        if self.rules.stamps is not None:
            return self.rules.stamps.dateline(text)
        return None

    def lead_day(self, text: str) -> tuple[int, int, str] | None:
        """(month, day, words) of a day named without a year in the dateline or the first paragraphs
        ("15 января президент ... прибыл", "On March 3 the ministers met"): the day of the story,
        whose year the office holders it names may pin down (pipeline.refine_date)."""
        found = self.dateline(text)
        if found is not None and found[2] is None:
            return found[0][0], found[0][1], found[1]
        head = "\n".join([p for p in text[:3000].split("\n") if p.strip()][:4])
        for m in _LEAD_DAY.finditer(head):
            month = _MONTHS.get((m.group("m1") or m.group("m2")).lower().rstrip("."))
            day = int(m.group("d1") or m.group("d2"))
            if month and 1 <= day <= 31:
                return month, day, m.group(0)
        stamps = self.rules.stamps
        m = stamps.day_month_ru.search(head) if stamps else None
        if m and not m.group(3) and 1 <= int(m.group(1)) <= 31:
            return stamps.months[m.group(2).lower()], int(m.group(1)), m.group(0)
        return None

    def dateline_place(self, text: str) -> str | None:
        """The place of the dateline ('MOSCOW' of 'MOSCOW, April 23 (Agency) --'), if the text has one."""
        found = _english_dateline(text)
        if found is not None and found[0].group("place"):
            return found[0].group("place").strip()
        russian = self.rules.stamps.dateline_match(text) if self.rules.stamps else None
        if russian is not None:
            return russian.group("place").strip()
        # wire copy without a date: "KABUL (Agency) -", "DOHA/TEHRAN:", "ДУШАНБЕ, /Агентство/."
        head = "\n".join(text[:3000].split("\n")[:6])
        m = _PLACE_LINE.search(head) or _PLACE_LINE_RU.search(head)
        return m.group("place") if m else None

    def dateline_weekday(self, text: str, dateline: tuple[tuple[int, int], str, int | None],
                         lo: int | None, hi: int) -> DatedValue | None:
        """'MOSCOW, May 25 (X) - ... signed on Tuesday': wire copy names the day of the dateline, so the
        year is one in which that date fell on that weekday (nearest above the lower bound)."""
        (month, day), evidence, _ = dateline
        start = text.find(evidence)
        lead = text[start : text.find("\n", start) if "\n" in text[start:] else len(text)]
        m = re.search(rf"\b(?:on|late on|early on|last)\s+{_WEEKDAY}\b(?!,?\s+(?:\d|{_MON}))", lead)
        if m:
            wd = list(calendar.day_name).index(m.group("wd"))
        else:
            m = WEEKDAY_RU.search(lead)  # "заявили во вторник"
            if not m:
                return None
            wd = WEEKDAYS_RU.index(m.group("wd").lower())
        # Without a lower bound, the years the article names (future ones too: "will join by 2015")
        # must agree: a weekday alone fits a year in every six or so.
        named = [int(y.group("y")) for y in _YEAR.finditer(text) if int(y.group("y")) <= hi + 10]
        if lo is None and not named:
            return None
        floor = lo if lo is not None else min(named) - 10
        years = [y for y in range(floor, hi + 1) if _valid(y, month, day) and dt.date(y, month, day).weekday() == wd]
        if not years:
            return None
        if lo is not None:
            year = years[0]
        else:
            # nearest to the latest year named, a year before it preferred to one after
            year = min(years, key=lambda y: (abs(max(named) - y), y > max(named)))
            if abs(max(named) - year) > 3:
                return None
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
            # "by January 1, 2015": the words before the date, not before the year, say it is ahead
            window = text[max(0, m.start() - 45) : m.start()]
            day = _DAY_BEFORE_YEAR.search(window)
            start = m.start() - (len(window) - day.start()) if day else m.start()
            if y > hi or _FUTURE_BEFORE.search(text[max(0, start - 25) : start]):
                continue
            if _FUTURE_CONTEXT.search(_sentence_before(text, start)):
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
        sentences = _SENTENCE_BREAK.split(text)
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

    def dated_event(self, text: str, lo: int | None, hi: int) -> DatedValue | None:
        """A one-off event told with its month but no year ("the Andijan events in May", "rolled into
        Georgia on Aug. 8"): news names the month alone only in the year it happened. One reading only:
        an event with two dates in the month named says nothing; "last May" is left out."""
        for sent in _SENTENCE_BREAK.split(text):
            if _YEAR.search(sent):
                continue
            months = {_MONTHS[m.group("mon").lower().rstrip(".")] for m in _BARE_MONTH.finditer(sent)
                      if not _LAST.search(sent, max(0, m.start() - 8), m.start())}
            if not months:
                continue
            for ev in self.rules.dated_events:
                if not ev.pattern.search(sent):
                    continue
                years = {d.year for d in ev.dates if d.month in months}
                if len(years) == 1:
                    year = years.pop()
                    if year <= hi and (lo is None or year >= lo):
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


@lru_cache(maxsize=1)
def _htmldate_options() -> Extractor:
    return Extractor(False, dt.datetime(2100, 1, 1), dt.datetime(1990, 1, 1), False, "%Y-%m-%d")


def _htmldate_url(path: str, latest: dt.date) -> str | None:
    """htmldate's URL reader (year, month and day joined by '/', '-' or '_', as in a-2001-12-01)."""
    found = extract_url_date("/" + path.lstrip("/"), _htmldate_options())
    return found if found and found <= latest.isoformat() else None


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
