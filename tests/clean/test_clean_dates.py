"""Each publication-date rule on sentences of our own."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bilat.clean import infer_published

TODAY = dt.date(2026, 11, 22)  # fixed, so that "the latest past year" does not drift


def infer(inferrer, text, url=None, meta=None, year_range=None):
    return inferrer.infer(text, url, meta, year_range, today=TODAY)


@pytest.mark.parametrize(("meta", "value", "precision"), [
    ("2019-05-06T10:00:00+03:00", "2019-05-06", "day"),
    ("6 May 2019", "2019-05-06", "day"),
    ("May 2019", "2019-05", "month"),
])
def test_metadata_first(inferrer, meta, value, precision):
    got = infer(inferrer, "Last modified: June 29, 2022", url="https://x.tj/2018/07/09/a", meta=meta)
    assert (got.value, got.precision, got.method) == (value, precision, "metadata")


@pytest.mark.parametrize(("url", "value", "precision"), [
    ("https://news.example.tj/2019/04/23/talks-in-moscow", "2019-04-23", "day"),
    ("https://news.example.tj/politics/20190423-talks", "2019-04-23", "day"),
    ("https://news.example.tj/2019/04/talks.html", "2019-04", "month"),
])
def test_url(inferrer, url, value, precision):
    got = infer(inferrer, "No dates in this text.", url=url)
    assert (got.value, got.precision, got.method) == (value, precision, "url")


def test_url_with_impossible_date_is_ignored(inferrer):
    assert infer(inferrer, "No dates here.", url="https://x.tj/2019/13/45/a") is None


def test_dateline_with_year(inferrer):
    got = infer(inferrer, "DUSHANBE, March 3, 2015 (Asia-Plus) -- The president met the delegation.")
    assert (got.value, got.method) == ("2015-03-03", "dateline")


def test_dateline_takes_its_year_from_an_anniversary(inferrer):
    text = ("ALMATY, 14 June (Kazinform) - Officials of Russia and Kazakhstan marked the 30th anniversary of "
            "diplomatic relations with a concert.")
    got = infer(inferrer, text)
    assert got.value == "2022-06-14" and got.precision == "day"
    assert got.method == "dateline+anniversary"


def test_dateline_without_any_year_gives_nothing(inferrer):
    assert infer(inferrer, "MOSCOW, May 2 (TASS) -- Talks went on.") is None


@pytest.mark.parametrize("line", ["Last modified: June 29, 2022", "Updated: 29 June 2022", "Published on 29.06.2022"])
def test_modified_line(inferrer, line):
    got = infer(inferrer, "The talks went on.\n" + line)
    assert (got.value, got.precision) == ("2022-06-29", "day") and got.method in ("stamp", "modified-line")


def test_weekday_picks_nearest_year_after_latest_mentioned(inferrer):
    # 7 June fell on a Wednesday in 2006, 2017 and 2023; the text mentions 2016 as past.
    got = infer(inferrer, "The deal signed in 2016 was discussed on Wednesday, June 7, by the ministers.")
    assert (got.value, got.method) == ("2017", "weekday")


def test_weekday_with_era_marker(inferrer):
    got = infer(inferrer, "The envoy spoke on Wednesday, 7 June, about the special military operation.")
    assert got.value == "2023"


def test_weekday_respects_year_range(inferrer):
    got = infer(inferrer, "He arrived on Wednesday, June 7.", year_range=(2005, 2010))
    assert got.value == "2006"


def test_weekday_without_bounds_takes_latest_past_year(inferrer):
    got = infer(inferrer, "He arrived on Friday, November 20.")
    assert got.value == "2026" and dt.date(2026, 11, 20).weekday() == 4


@pytest.mark.parametrize(("text", "year"), [
    ("Leaders met for the 30th anniversary of the CIS in the capital.", 2021),
    ("The tenth anniversary of the Eurasian Economic Union was celebrated.", 2025),
    ("Moscow and Dushanbe marked the 25th anniversary of diplomatic relations between Russia and Tajikistan.", 2017),
    ("Tajikistan celebrated the 20th anniversary of independence with a parade in Dushanbe.", 2011),
    ("The 50th anniversary of the 1972 agreement was noted.", 2022),
])
def test_anniversary(inferrer, text, year):
    got = infer(inferrer, text)
    assert (got.value, got.method) == (str(year), "anniversary")


def test_known_event_by_month_day(inferrer):
    got = infer(inferrer, "On September 16, the SCO summit opened in Dushanbe with eight leaders.")
    assert (got.value, got.method) == ("2021", "known-event")


def test_known_event_by_ordinal(inferrer):
    got = infer(inferrer, "Speaking at the 16th BRICS summit, the president praised the bloc.")
    assert (got.value, got.method) == ("2024", "known-event")


@pytest.mark.parametrize("text, year", [
    ("Brussels tied the new measures to the Andijan events in May and the refusal of an inquiry.", "2005"),
    ("Russian tanks crossed into South Ossetia on Aug. 8 after days of shelling.", "2008"),
    ("The clashes in Batken in September left dozens dead on both sides.", "2022"),
    # two wars of one month: no reading; "last May" is another year; a year named wins
    ("The Karabakh war in September changed the region.", None),
    ("Since last May, after the Andijan events, ties have cooled.", None),
])
def test_one_off_event_named_with_its_month(inferrer, text, year):
    got = infer(inferrer, text)
    assert (got.value if got else None) == year
    if got:
        assert got.method == "known-event"


def test_latest_past_year(inferrer):
    got = infer(inferrer, "Trade grew in 2013 and in 2015, and the plan runs until 2030.")
    assert (got.value, got.precision, got.method) == ("2015", "year", "years")


def test_era_marker_alone_is_not_a_date(inferrer):
    assert infer(inferrer, "The coronavirus pandemic hit trade hard.") is None


def test_nothing_known(inferrer):
    assert infer(inferrer, "The ministers met and talked about trade.") is None


def test_public_function_signature():
    got = infer_published("Last modified: June 29, 2022", None, None, year_range=None)
    assert got is not None and got.value == "2022-06-29"


def test_dotted_dates_are_day_first(inferrer):
    got = infer(inferrer, "Talks went on.\nPublished: 05.10.2012 18:40")
    assert got.value == "2012-10-05"


def test_dateline_weekday_fixes_the_year(inferrer):
    # 25 May fell on a Tuesday in 1993 (and 1999, 2004, ...); the text mentions 1992 as past.
    text = ("KHUJAND, May 25 (Pamir Wire) - The two presidents signed the accord on Tuesday.\n"
            "The fighting that began in 1992 has displaced many families.")
    got = infer(inferrer, text)
    assert got.value == "1993-05-25" and got.method == "dateline+weekday"


def test_future_years_do_not_raise_the_lower_bound(inferrer):
    text = ("It was stated on Friday, October 13, that the country will chair the bloc in 2025, "
            "ten years after the reform of 2013.")
    assert infer(inferrer, text).value == "2017"


def test_year_range_overrules_an_anniversary_outside_it(inferrer):
    text = "Leaders met for the 30th anniversary of the CIS in the capital."
    assert infer(inferrer, text).value == "2021"
    assert infer(inferrer, text, year_range=(2005, 2010)) is None


def test_a_single_year_range_is_a_date(inferrer):
    got = infer(inferrer, "The ministers met and talked about trade.", year_range=(2014, 2014))
    assert (got.value, got.method) == ("2014", "roles")


@pytest.mark.parametrize("line", ["Updated 2 hours ago", "Published: yesterday, 14:05", "Posted at 14:05"])
def test_relative_date_lines_give_no_date(inferrer, line):
    assert infer(inferrer, "The talks went on.\n" + line) is None


@pytest.mark.parametrize(("text", "value"), [
    ("DUSHANBE, 23 April 2012, Asia-Plus - The talks went on.", "2012-04-23"),
    ("April 23, 2012 — The talks went on.", "2012-04-23"),
    ("MOSCOW, April 23. /TASS/. The talks began on the 20th anniversary of diplomatic relations between Russia and "
     "Tajikistan.", "2012-04-23"),
])
def test_dateline_variants(inferrer, text, value):
    assert infer(inferrer, text).value == value


def test_a_month_and_day_alone_is_not_a_dateline(inferrer):
    assert inferrer.dateline("May 5 - talks resumed.") is None


def test_several_weekday_dates_must_agree(inferrer):
    agree = "The deal of 2016 was discussed on Wednesday, June 7, and signed on Friday, June 9."
    got = infer(inferrer, agree)
    assert got.value == "2017" and got.evidence.count("day,") == 2
    # Tuesday, June 12 fits other years than Wednesday, June 7: the contradicting date is left out.
    clash = "The deal of 2016 was discussed on Wednesday, June 7, and signed on Tuesday, June 12."
    got = infer(inferrer, clash)
    assert got.value == "2017" and got.evidence == "Wednesday, June 7"


def test_known_event_on_its_second_day(inferrer):
    got = infer(inferrer, "The SCO summit in Dushanbe ended on September 17 with a joint declaration.")
    assert got.value == "2021"


# --- the plain forms read without dateparser must read as dateparser reads them
_MONTH_NAMES = ["January", "Feb", "March", "Apr.", "May", "June", "Jul", "August", "Sept", "Sep", "October",
                "Nov.", "December", "october"]


@st.composite
def _plain_form(draw) -> str:
    from datetime import date

    day = draw(st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)))
    time = draw(st.sampled_from(["", " 18:40", ", 09:05", " at 7:30", "T10:20:30", " 23:59:59"]))
    name = draw(st.sampled_from([m for m in _MONTH_NAMES
                                 if dateparser_month(m) == day.month] or ["January"]))
    form = draw(st.integers(0, 4))
    if form == 0:
        return day.isoformat() + (time if time.startswith("T") or time in ("", " 18:40") else "")
    if form == 1:
        return day.isoformat()[:7]
    if form == 2:
        return f"{day.day:02d}.{day.month:02d}.{day.year}" + ("" if time.startswith("T") else time)
    if form == 3:
        return f"{day.day} {name} {day.year}" + ("" if time.startswith("T") else time)
    return f"{name} {day.day}, {day.year}" + ("" if time.startswith("T") else time)


def dateparser_month(name: str) -> int:
    import calendar

    key = name.lower().rstrip(".")[:3]
    return [m.lower()[:3] for m in calendar.month_abbr].index(key)


@settings(max_examples=300, deadline=None)
@given(_plain_form())
def test_plain_dates_read_as_dateparser_reads_them(text):
    from bilat.clean.dates import DateParser, _plain_date

    fast = _plain_date(text)
    assert fast is not None, text
    assert fast == DateParser().parse(text), text


def test_impossible_or_odd_dates_go_to_dateparser():
    from bilat.clean.dates import DateParser, _plain_date

    assert _plain_date("31.02.2012") is None
    assert _plain_date("Friday, 5 October 2012") is None  # not a plain form: dateparser reads it
    assert DateParser()("Friday, 5 October 2012") == ("2012-10-05", "day")
    assert DateParser()("2012-10-05T23:30:00+03:00") is not None  # an offset: dateparser's reading
