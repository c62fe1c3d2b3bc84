"""Time expressions: finding, resolving, precision and method (anchor Thursday 2023-06-08)."""
from __future__ import annotations

from datetime import date

import pytest

from bilat.events.timing import StoryClock, inherited, reanchor
from bilat.events.when import TimeExpression, TimeResolver

A = date(2023, 6, 8)  # a Thursday


@pytest.fixture(scope="module")
def tr() -> TimeResolver:
    return TimeResolver()


def one(tr: TimeResolver, text: str, **kw) -> TimeExpression:
    found = tr.find(text, kw.pop("anchor", A), **kw)
    assert len(found) == 1, found
    return found[0]


# (sentence, value, precision, method)
CASES = [
    ("The ministers met yesterday in Dushanbe.", "2023-06-07", "day", "relative-day"),
    ("Talks continue today.", "2023-06-08", "day", "relative-day"),
    ("Yesterday the envoy left.", "2023-06-07", "day", "relative-day"),
    ("Results are due tomorrow.", "2023-06-09", "day", "relative-day"),
    ("He flew in the day before yesterday.", "2023-06-06", "day", "relative-day"),
    ("They spoke last night by phone.", "2023-06-07", "day", "relative-day"),
    ("This morning the delegation arrived.", "2023-06-08", "day", "relative-day"),
    ("The delegation met on Monday.", "2023-06-05", "day", "weekday"),
    ("The president said Tuesday that talks went well.", "2023-06-06", "day", "weekday"),
    ("The meeting took place on Thursday.", "2023-06-08", "day", "weekday"),
    ("The envoy visited last Thursday.", "2023-06-01", "day", "weekday"),
    ("It was stated on Wednesday, June 7, by the spokesman.", "2023-06-07", "day", "explicit"),
    ("The accord was signed on June 7.", "2023-06-07", "day", "explicit"),
    ("The accord was signed June 7, 2023.", "2023-06-07", "day", "explicit"),
    ("The accord was signed on 7 June.", "2023-06-07", "day", "explicit"),
    ("The deal was reached on 23 April.", "2023-04-23", "day", "explicit"),
    ("The deal was reached on the 23rd of April.", "2023-04-23", "day", "explicit"),
    ("The deal was reached on Sept. 5.", "2022-09-05", "day", "explicit"),
    ("He spoke on June 29, 2022 in Minsk.", "2022-06-29", "day", "explicit"),
    ("It opened on 7 June 2019.", "2019-06-07", "day", "explicit"),
    ("It opened on June 2 last year.", "2022-06-02", "day", "explicit"),
    ("The treaty dates from 23.04.2019 in its final form.", "2019-04-23", "day", "numeric"),
    ("The treaty dates from 2019-04-23 in its final form.", "2019-04-23", "day", "numeric"),
    ("Moscow made the offer last September.", "2022-09", "month", "last-month-name"),
    ("A summit is planned this September.", "2023-09", "month", "this-month-name"),
    ("A summit is planned next March.", "2024-03", "month", "next-month-name"),
    ("The base agreement was extended in December.", "2022-12", "month", "month-only"),
    ("The talks took place in May.", "2023-05", "month", "month-only"),
    ("It was ratified in December 2011.", "2011-12", "month", "explicit"),
    ("It was ratified in March last year.", "2022-03", "month", "explicit"),
    ("Troops withdrew at the end of March.", "2023-03", "month", "part-of-month"),
    ("Troops withdrew in late April.", "2023-04", "month", "part-of-month"),
    ("Trade grew earlier this month.", "2023-06", "month", "relative-month"),
    ("Trade fell last month.", "2023-05", "month", "relative-month"),
    ("The base deal was signed in 2011.", "2011", "year", "year"),
    ("Trade with China grew last year.", "2022", "year", "relative-year"),
    ("Trade grew this year.", "2023", "year", "relative-year"),
    ("The plant opened in early 2012.", "2012", "year", "part-of-year"),
    ("Ties were cut at the end of last year.", "2022", "year", "part-of-year"),
    ("The road was built two years ago.", "2021", "year", "ago"),
    ("The border was closed three days ago.", "2023-06-05", "day", "ago"),
    ("Relations were frozen in the 1990s.", "1990", "year", "decade"),
    ("The treaty was signed in the summer of 2012.", "2012", "year", "season"),
    ("He visited last summer.", "2022", "year", "season"),
    ("The ministers talked last week.", "2023-06-01", "week", "relative-week"),
    ("The ministers will talk next week.", "2023-06-15", "week", "relative-week"),
    ("MOSCOW, April 23 (agency) - a minister comments.", "2023-04-23", "day", "dateline"),
]


@pytest.mark.parametrize("text,value,precision,method", CASES)
def test_single_expression(tr, text, value, precision, method):
    t = one(tr, text)
    assert (t.value, t.precision, t.method) == (value, precision, method)
    assert text[t.start:t.end] == t.text


# (sentence, start value, end value, precision)
RANGES = [
    ("The forum ran October 8 to 10.", "2022-10-08", "2022-10-10", "day"),
    ("The forum ran October 8-10.", "2022-10-08", "2022-10-10", "day"),
    ("The forum ran from 8 to 10 October.", "2022-10-08", "2022-10-10", "day"),
    ("The forum ran between May 5 and 7.", "2023-05-05", "2023-05-07", "day"),
    ("The forum ran 30 April - 2 May 2019.", "2019-04-30", "2019-05-02", "day"),
    ("Exercises ran from October 8 to 10, 2021.", "2021-10-08", "2021-10-10", "day"),
    ("The programme covers 2018-2028.", "2018", "2028", "year"),
    ("It was in force between 2011 and 2013.", "2011", "2013", "year"),
]


@pytest.mark.parametrize("text,start,end,precision", RANGES)
def test_ranges(tr, text, start, end, precision):
    t = one(tr, text)
    assert (t.value, t.end_value, t.precision, t.relation, t.method) == (
        start, end, precision, "range", "range-start")


def test_since_year(tr):
    t = one(tr, "Since 2015 Moscow has pressed Dushanbe to join.")
    assert (t.value, t.precision, t.method, t.relation) == ("2015", "year", "since-year", "since")


def test_until_relation(tr):
    t = one(tr, "The lease runs until 2042.")
    assert (t.value, t.relation) == ("2042", "until")
    t = one(tr, "The plant is to be finished by the end of 2024.")
    assert (t.value, t.relation, t.method) == ("2024", "until", "part-of-year")


def test_since_relative(tr):
    t = one(tr, "Prices have risen since last year.")
    assert (t.value, t.relation) == ("2022", "since")


def test_future_weekday(tr):
    assert one(tr, "Lavrov will go to Dushanbe on Monday.", future=True).value == "2023-06-12"
    assert one(tr, "Lavrov went to Dushanbe on Monday.").value == "2023-06-05"


def test_future_guessed_from_sentence(tr):
    assert one(tr, "Lavrov will go to Dushanbe on Monday.", future=None).value == "2023-06-12"
    assert one(tr, "Lavrov went to Dushanbe on Monday.", future=None).value == "2023-06-05"


def test_later_weekday_is_the_reporting_day(tr):
    # filed a day late (anchor Thursday): "later Wednesday" is the day the story was written, not next week
    assert one(tr, "The envoy is due to meet the king later Wednesday.", future=True).value == "2023-06-07"
    assert one(tr, "The envoy met the king earlier Thursday.").value == "2023-06-08"


def test_next_weekday(tr):
    assert one(tr, "They meet next Tuesday.").value == "2023-06-13"


def test_future_month(tr):
    assert one(tr, "A summit will be held in December.", future=True).value == "2023-12"
    assert one(tr, "A summit will be held in May.", future=True).value == "2024-05"


def test_future_month_day(tr):
    assert one(tr, "The forum opens on October 8.", future=True).value == "2023-10-08"


def test_date_a_few_days_ahead_stays_in_year(tr):
    assert one(tr, "The talks on June 10 are confirmed.").value == "2023-06-10"


def test_weekday_chooses_year(tr):
    # June 7 was a Wednesday in 2023 only among 2022-2024
    t = one(tr, "It was said on Wednesday, June 7.", anchor=date(2024, 1, 10))
    assert t.value == "2023-06-07"


def test_year_rollover(tr):
    assert one(tr, "They met on December 30.", anchor=date(2024, 1, 3)).value == "2023-12-30"


def test_day_before_uses_sentence_date(tr):
    found = tr.find("It was said on Wednesday, June 7, by the spokesman of the minister, who "
                    "visited the day before.", A)
    assert [(t.value, t.method) for t in found] == [
        ("2023-06-07", "explicit"), ("2023-06-06", "anaphoric-day-before")]


def test_day_before_uses_previous(tr):
    t = one(tr, "He had arrived the day before.", previous=date(2023, 5, 20))
    assert (t.value, t.method) == ("2023-05-19", "anaphoric-day-before")


def test_day_before_falls_back_to_anchor(tr):
    assert one(tr, "He had arrived the day before.").value == "2023-06-07"


def test_days_after_needs_previous(tr):
    assert tr.find("Three days after the summit, troops moved.", A) == []
    t = one(tr, "Three days after the summit, troops moved.", previous=date(2023, 5, 1))
    assert (t.value, t.method) == ("2023-05-04", "anaphoric-after")


def test_days_later(tr):
    t = one(tr, "Two days later he left.", previous=date(2023, 5, 30))
    assert (t.value, t.precision) == ("2023-06-01", "day")


def test_next_day_and_same_day(tr):
    assert one(tr, "The next day he flew home.", previous=date(2023, 3, 1)).value == "2023-03-02"
    assert one(tr, "That day he flew home.", previous=date(2023, 3, 1)).value == "2023-03-01"
    assert tr.find("That day he flew home.", A) == []


def test_a_day_after_without_anchor_event(tr):
    assert tr.find("A day after the vote, the envoy spoke.", A) == []


@pytest.mark.parametrize("text", [
    "Russia keeps troops at the 201st base.",
    "The bank approved a $1.2 billion loan.",
    "Trade grew by 8 percent.",
    "They signed 10 documents.",
    "He led the country for 49 years.",
    "The minister may visit soon.",
    "Jan Kubis said talks would go on.",
    "Russia Today reported the story.",
    "The fall of Kabul changed the region.",
    "About 2000 troops are stationed there.",
    "The company sold 1,500 cars.",
    "The score was 3-1 at half time.",
    "Over 7,000 people attended.",
    "He quoted article 12.3 of the charter.",
])
def test_no_false_hits(tr, text):
    assert tr.find(text, A) == []


def test_ago_with_years(tr):
    assert one(tr, "The base opened 49 years ago.").value == "1974"


def test_offsets_and_text(tr):
    s = "After talks in Dushanbe on 23 April, the minister left."
    t = one(tr, s)
    assert s[t.start:t.end] == t.text == "on 23 April"


def test_to_dated_value(tr):
    dv = one(tr, "He arrived yesterday.").to_dated_value()
    assert (dv.value, dv.precision, dv.method, dv.evidence) == ("2023-06-07", "day", "relative-day", "yesterday")


def test_resolve_prefers_point_dates_and_precision(tr):
    s = "Since 2015 Moscow has pressed Dushanbe, and on Monday the minister repeated the call."
    assert tr.resolve(s, A).value == "2023-06-05"
    s = "Last year's talks failed, but today the ministers met."
    assert tr.resolve(s, A).value == "2023-06-08"


def test_resolve_prefers_explicit_over_anaphora(tr):
    s = "It was stated on June 7 by the spokesman, after the minister visited the day before."
    assert tr.resolve(s, A).value == "2023-06-07"


def test_resolve_near_offset(tr):
    s = "It was stated on June 7 by the spokesman, after the minister visited the day before."
    assert tr.resolve(s, A, near=s.index("visited")).value == "2023-06-06"


def test_resolve_none(tr):
    assert tr.resolve("The ministers discussed security.", A) is None


def test_invalid_date_dropped(tr):
    assert tr.find("It happened on February 30.", A) == []


def test_uppercase_dateline(tr):
    assert one(tr, "DUSHANBE, JUNE 7 - the talks ended.").value == "2023-06-07"


def test_idiom_is_not_a_future_cue(tr):
    s = "It is to be noted that the trip was his first since February 24."
    assert one(tr, s, future=None).value == "2023-02-24"


@pytest.mark.parametrize("text,start,end", [
    ("Exercises ran from May to July 2015.", "2015-05", "2015-07"),
    ("Exercises ran between March and May.", "2023-03", "2023-05"),
    ("Exercises ran from December to February 2020.", "2019-12", "2020-02"),
])
def test_month_ranges(tr, text, start, end):
    t = one(tr, text)
    assert (t.value, t.end_value, t.precision, t.relation) == (start, end, "month", "range")


def test_weekend(tr):
    t = one(tr, "The ministers spoke over the weekend.")
    assert (t.value, t.precision, t.method) == ("2023-06-03", "week", "weekend")
    assert one(tr, "They will meet next weekend.").value == "2023-06-10"


def test_decade_part(tr):
    t = one(tr, "Ties date back to the mid-1990s.")
    assert (t.value, t.method) == ("1990", "decade")


def test_anaphora_say_what_they_count_from(tr):
    t = one(tr, "The visit came three days after he met the president.", previous=date(2022, 6, 28))
    assert (t.value, t.counted_from) == ("2022-07-01", "2022-06-28")
    assert one(tr, "He had arrived the day before.").counted_from == "2023-06-08"
    assert one(tr, "He arrived yesterday.").counted_from is None


def test_up_to_year(tr):
    t = one(tr, "The strategy covers the period up to 2030.")
    assert (t.value, t.relation, t.text) == ("2030", "until", "up to 2030")


# ---------------------------------------------------------------- demo-corpus causes (issue #4)
def test_dateline_yields_to_the_sentences_own_day(tr):
    found = tr.find("DUSHANBE, June 7 (Wire) - The presidents spoke by telephone on Monday.", A)
    assert [(t.value, t.method) for t in found] == [("2023-06-05", "weekday")]
    headline = tr.find("Leaders talk by phone\n\nDUSHANBE, June 7 (Wire) -", A)
    assert [(t.value, t.method) for t in headline] == [("2023-06-07", "dateline")]


def test_count_after_a_clause_starts_at_the_day_named_in_it(tr):
    # Friday before Thursday 2023-06-08 is 2 June; the call came two days later
    t = tr.find("The call came two days after gunmen opened fire on Friday evening.", A, previous=A)[0]
    assert (t.value, t.counted_from, t.method) == ("2023-06-04", "2023-06-02", "anaphoric-after")


def test_day_before_a_named_occasion_counts_from_the_story_date(tr):
    s = "He arrived on Tuesday for a summit that was held the day before the ceremony."
    found = tr.find(s, A, previous=date(2023, 6, 8))
    assert [t.value for t in found] == ["2023-06-06", "2023-06-07"]
    # without a noun after it, "the day before" counts from the day just named
    found = tr.find("He arrived on Tuesday and had left Minsk the day before.", A, previous=date(2023, 6, 8))
    assert [t.value for t in found] == ["2023-06-06", "2023-06-05"]
    assert one(tr, "He came on the eve of the summit.", previous=date(2023, 6, 3)).value == "2023-06-02"


def test_period_after_for_is_not_the_event_date(tr):
    t = one(tr, "The ministers signed a plan of consultations for 2025-2026.")
    assert (t.value, t.relation) == ("2025", "for")
    assert tr.find("They signed the budget for 2024.", A) == []  # a bare year needs "in", "since" ...
    assert one(tr, "The visit is scheduled for June 20.", future=True).relation == "at"


def test_future_verb_in_the_clause_points_ahead(tr):
    # the caller took the sentence for a report (future=False); "would hold" still points ahead
    s = "An aide told journalists that the presidents would hold talks on Monday, after the forum."
    assert one(tr, s, future=False).value == "2023-06-12"
    assert one(tr, "The presidents held talks on Monday.", future=False).value == "2023-06-05"
    assert one(tr, "He said on Monday that he would go.", future=False).value == "2023-06-05"


@pytest.mark.parametrize("sentence,anchor", [
    ("They met two weeks ago.", date(1, 1, 3)),
    ("It ended last year.", date(1, 1, 3)),
    ("It opens next month.", date(9999, 12, 28)),
])
def test_dates_past_the_calendar_are_not_returned(tr, sentence, anchor):
    assert tr.find(sentence, anchor) == []


# ---------------------------------------------------------------- timing.py: which event a time dates
def _parsed(nlp, tr, text: str, anchor: date = A):
    sdoc = nlp(text)
    out = []
    for t in tr.find(text, anchor):
        span = sdoc.char_span(t.start, t.end, alignment_mode="expand")
        out.append((t, span.root))
    return sdoc, out


def _tok(sdoc, word: str):
    return next(t for t in sdoc if t.text == word)


@pytest.mark.parametrize("text,trigger", [
    ("Putin arrived in Dushanbe on his first visit since June 2022.", "visit"),  # a bound, not a date
    ("The ministers signed a plan of consultations for 2025-2026.", "signed"),  # a period an object covers
    ("Russia will keep its base in Tajikistan until 2042, the minister said.", "keep"),
])
def test_expressions_that_do_not_date_the_event(nlp, tr, text, trigger):
    sdoc, found = _parsed(nlp, tr, text)
    assert found
    for texp, root in found:
        assert reanchor(texp, root, _tok(sdoc, trigger), lambda tok: None) is None


def test_a_clause_of_its_own_keeps_its_date(nlp, tr):
    sdoc, found = _parsed(nlp, tr, "The minister resigned after he returned from Moscow on Monday.")
    (texp, root), = found
    assert reanchor(texp, root, _tok(sdoc, "resigned"), lambda tok: None) is None
    assert reanchor(texp, root, _tok(sdoc, "returned"), lambda tok: None) is texp


def test_the_events_own_date_is_kept(nlp, tr):
    sdoc, found = _parsed(nlp, tr, "The presidents met in Dushanbe on Monday and signed a treaty.")
    (texp, root), = found
    assert reanchor(texp, root, _tok(sdoc, "met"), lambda tok: None) is texp


def test_an_event_inside_a_during_phrase_lends_its_date(nlp, tr):
    text = "During Putin's visit to Dushanbe last September the presidents noted in a statement that ties grew."
    sdoc, found = _parsed(nlp, tr, text)
    (texp, _), = found
    chosen = {_tok(sdoc, "visit").i: texp}
    assert inherited(_tok(sdoc, "noted"), chosen) is texp
    assert inherited(_tok(sdoc, "grew"), {}) is None


def test_story_clock_returns_from_a_flashback_at_the_paragraph_break():
    text = "Lead on Friday.\nHe arrived on Thursday. The two met.\nSpeaking at the dam, he said more."
    s1, s2, s3, s4 = 0, text.index("He"), text.index("The two"), text.index("Speaking")
    clock = StoryClock(date(2009, 7, 31))
    assert clock.carried is None and clock.resolver_anchor() == date(2009, 7, 31)
    clock.at_sentence(text, s1, s2)
    clock.observe("2009-07-31", "day", "weekday")
    clock.at_sentence(text, s2, s3)
    clock.observe("2009-07-30", "day", "weekday")  # a flashback
    clock.observe("2013", "year", "year")  # background never moves the clock
    clock.observe("2009-07-29", "day", "previous-event")  # nor does a date that came from the clock
    clock.observe("2009-07-01", "day", "explicit", "since")
    clock.at_sentence(text, s3, s4)
    assert clock.carried == ("2009-07-30", "day") and clock.previous == date(2009, 7, 30)
    clock.at_sentence(text, s4, len(text))
    assert clock.carried == ("2009-07-31", "day")
    clock.observe("2009-08-01", "day", "anaphoric-day-after")  # the story moves on
    clock.at_sentence(text + "\nMore.", len(text), len(text) + 6)
    assert clock.carried == ("2009-08-01", "day")


def test_story_clock_dateline_gives_way_and_year_only_publication():
    clock = StoryClock(date(2024, 3, 25))
    clock.observe("2024-03-25", "day", "dateline")
    clock.observe("2024-03-24", "day", "weekday")
    clock.at_sentence("a\nb", 2, 3)
    assert clock.carried == ("2024-03-24", "day")
    clock = StoryClock(date(2011, 12, 31), "year")
    assert clock.resolver_anchor() == date(2011, 12, 31)
    clock.observe_times(tr_find := TimeResolver().find("Leaders met on Saturday, September 3, 2011.", date(2011, 12, 31)))
    assert tr_find and clock.resolver_anchor() == date(2011, 9, 3)  # "on Friday" now counts from the story


def test_a_during_which_clause_belongs_to_the_clause_before_it(nlp, tr):
    # the parser hangs "during which he said" on "visit"; it tells of the Tashkent meeting
    text = ("Rahmon's visit to Minsk has taken place two days after he met with Uzbek President Shavkat "
            "Mirziyoyev in Tashkent, during which he said that Tajikistan will sell power to Uzbekistan.")
    sdoc = nlp(text)
    assert _tok(sdoc, "said").head.text == "visit"
    texp = next(t for t in tr.find(text, A, previous=date(2023, 6, 8)) if t.text == "two days after")
    root = sdoc.char_span(texp.start, texp.end, alignment_mode="expand").root
    sell = reanchor(texp, root, _tok(sdoc, "sell"), lambda tok: "2023-06-08")
    met = reanchor(texp, root, _tok(sdoc, "met"), lambda tok: "2023-06-08")
    assert sell.value == met.value == "2023-06-06"  # the meeting's day, not the visit's
