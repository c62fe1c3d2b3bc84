"""Publication stamps, URL dates and plain-text page furniture in the forms real sites print them.

Every sentence here is written for these tests; none comes from an evaluation article.
"""
from __future__ import annotations

import datetime as dt
import re
import time

import pytest

from bilat.clean.boilerplate import BoilerplateRules
from bilat.clean.dates import DateRules

TODAY = dt.date(2026, 11, 22)

BODY = ("The foreign ministers of Kazakhstan and Kyrgyzstan met in Bishkek to discuss water sharing "
        "and border crossings along the Chu river valley.\n"
        "The two ministers agreed to set up a working group on water sharing before the spring floods.")


def infer(inferrer, text, url=None):
    return inferrer.infer(text, url, None, None, today=TODAY)


# --- publication dates -----------------------------------------------------------------------
@pytest.mark.parametrize(("url", "value"), [
    ("https://example.org/news/2016/0407/border-talks.html", "2016-04-07"),
    ("https://example.org/en/201103/09/page5.html", "2011-03-09"),
    ("https://example.org/story/14-Oct-2019/water-deal", "2019-10-14"),
    ("https://example.org/a/b-77-a-2004-06-30-12-x-123/456.html", "2004-06-30"),
])
def test_url_day_forms(inferrer, url, value):
    got = infer(inferrer, "No date in this text.", url)
    assert (got.value, got.precision) == (value, "day")


def test_url_two_digit_triple_needs_the_texts_year(inferrer):
    url = "https://example.org/world/09/23/17/ministers-meet"
    assert infer(inferrer, "The ministers met.", url) is None
    got = infer(inferrer, "The ministers met in September, as agreed in 2017.", url)
    assert (got.value, got.method) == ("2017-09-23", "url+years")


@pytest.mark.parametrize(("line", "value"), [
    ("Posted at Mar 9 2016 11:05 AM | Updated as of Mar 10 2016 08:00 AM", "2016-03-09"),
    ("October 5, 2019 at 09:30 JST", "2019-10-05"),
    ("By Staff Writer Published: Thu 12 Sep 2019, 6:15 PM Last updated: Fri 13 Sep 2019, 9:00 AM", "2019-09-12"),
    ("Tuesday, March 7, 2006, updated at 14:10(GMT+6) Asia news", "2006-03-07"),
    ("09:41, 3 октября 2019, Душанбе - редакция", "2019-10-03"),
    ("Wire | Almaty | Updated: 02-11-2018 10:00 | Created: 01-11-2018 18:30", "2018-11-01"),
    ("04.05.2017 12:30 |", "2017-05-04"),
])
def test_stamps(inferrer, line, value):
    got = infer(inferrer, "Headline of the story\n" + line + "\n" + BODY)
    assert (got.value, got.precision) == (value, "day")


def test_a_date_inside_prose_is_not_a_stamp(inferrer):
    text = "Headline\nThe plan was published on 3 May 2015 and later revised.\n12 June 2014, the leaders met again."
    assert inferrer.stamp(text) is None


def test_dateline_year_agrees_with_the_articles_years(inferrer):
    # 2 December fell on a Tuesday in 2014 and in 2025; the text expects an event "by March 1, 2015".
    text = ("ASTANA, December 2. /Wire/. The bank will open a branch by March 1, 2015, "
            "the minister said on Tuesday.")
    got = infer(inferrer, text)
    assert got.value == "2014-12-02"


def test_dateline_weekday_alone_gives_no_year(inferrer):
    assert infer(inferrer, "ASTANA, December 2. /Wire/. The minister spoke on Tuesday.") is None


def test_russian_dateline_with_url_month(inferrer):
    got = infer(inferrer, "ТАШКЕНТ, 14 мая — Агентство. Министры провели встречу.",
                "https://example.uz/rus/2018/05/ministry-talks")
    assert (got.value, got.method) == ("2018-05-14", "url+dateline")


def test_russian_until_year_is_ahead(inferrer):
    got = infer(inferrer, "Стороны подписали программу сотрудничества до 2030 года. Договор 2019 года продлён.")
    assert got.value == "2019"


# --- plain-text furniture --------------------------------------------------------------------
def article(*furniture: str) -> str:
    return "\n".join([*furniture, BODY])


@pytest.mark.parametrize("line", [
    "Accessibility links", "Left Menu", "Поиск", "Printer-friendly Version", "Join The Steppe Courier today",
    "Choose your plan", "Already a member?", "... or subscribe as a group", "Become an expert on Asia",
    "Powered by automated translation", "Publication: Weekly Brief Volume: 4 Issue: 12",
    "Region, economy |", "Steppe-Courier.NET", "Eurasian regional news digest",
    "IMG_0412_resized_final", "Wire report. Ссылка here.",
])
def test_furniture_lines(clean_text, line):
    doc = clean_text(article(line))
    assert line not in doc.text
    assert "working group on water sharing" in doc.text


def test_paywall_offer_sentences(clean_text):
    offer = "Get unlimited access to all stories and ten years of archives. 30-day free trial."
    doc = clean_text(article(offer))
    assert "unlimited access" not in doc.text and "free trial" not in doc.text


@pytest.mark.parametrize(("caption", "credit"), [
    ("Border guards walk along the fence near the river crossing on May 3. (AP Photo/Jane Roe)", "(AP Photo/Jane Roe)"),
    ("The two ministers shake hands in front of the press in the capital after the long talks. "
     "Image Credit: Supplied", "Image Credit: Supplied"),
    ("Fishermen mend their nets in the harbour at dawn. Reuters", "Reuters"),
    ("river-talks-afp Delegates leave the hall after the talks", "river-talks-afp"),
    ("AFPDelegates leave the hall after the second round of talks in the capital.", "AFP"),
])
def test_credit_is_cut_and_caption_kept(clean_text, caption, credit):
    doc = clean_text(article(caption))
    rest = caption.replace(credit, "").strip()
    assert caption not in doc.text
    assert rest[:30] in doc.text  # the caption may name people the article does not repeat
    assert any(credit in r.text for r in doc.removed)


def test_wire_credit_in_parentheses(clean_text):
    line = "(Reporting by Ann Smith in Almaty; Additional reporting by Bo Lee; Editing by Cy Dunn and Di Eve)"
    doc = clean_text(article() + "\n" + line)
    assert "Reporting by" not in doc.text


def test_stamp_line_is_removed_and_its_date_kept(clean_text):
    line = "By Staff Writer Published: Thu 12 Sep 2019, 6:15 PM Last updated: Thu 12 Sep 2019, 7:00 PM"
    doc = clean_text("Headline of the story\n" + line + "\n" + BODY)
    assert "Last updated" not in doc.text
    assert doc.published is not None and doc.published.value == "2019-09-12"


def test_tail_tags_and_other_headlines(clean_text):
    doc = clean_text(BODY + "\n  • Energy\n  • Water\n  • Asia\nLeaders Discuss New Rail Links In The South.")
    assert "• Energy" not in doc.text and "Rail Links" not in doc.text
    assert "working group" in doc.text


def test_twin_caption_lines(clean_text):
    doc = clean_text("Headline of the story\nAlmaty - Talks on water\nAlmaty - Talks on water\n" + BODY)
    assert "Talks on water" not in doc.text


def test_head_labels(clean_text):
    doc = clean_text("Editors recommend:\nCultural pick:\n\n" + BODY)
    assert "recommend:" not in doc.text and "pick:" not in doc.text


def test_related_headline_above_a_date_line(clean_text):
    text = (BODY + "\nNeighbours Reopen Two Border Posts\n5 марта 2019, 10:15\n"
            "The working group will report to both governments within a month, officials said.")
    doc = clean_text(text)
    assert "Neighbours Reopen" not in doc.text and "report to both governments" in doc.text


def test_a_sentence_cut_off_at_the_end_is_kept(clean_text):
    doc = clean_text(BODY + "\nThe minister said that the working group would report to the two governments by")
    assert "would report to the two governments" in doc.text


def test_a_quote_introduction_in_the_body_is_kept(clean_text):
    doc = clean_text(BODY + "\nThe minister said:\n\"We will share the water fairly.\"")
    assert "The minister said:" in doc.text


# --- every pattern is linear ------------------------------------------------------------------
_ADVERSARIAL = [
    "a" * 100_000, " " * 100_000, "-" * 100_000, "a-" * 50_000, "a_" * 50_000, "1 " * 50_000, "a." * 50_000,
    "|" * 100_000, "Published " * 10_000, "12 " * 33_000, "April 1, " * 11_000, "(AP Photo/" * 10_000,
    "Join " * 20_000, "x " * 50_000 + "|", "Copy of " + "a_b " * 25_000, "AAAA" * 25_000,
]


def _patterns() -> list[re.Pattern[str]]:
    rules = DateRules.load()
    stamps = rules.stamps
    assert stamps is not None
    found = [stamps.date, stamps.labelled, stamps.line_start, stamps.ru_dateline]
    bp = BoilerplateRules.load()
    found.append(bp.any_sentence_cue)  # the combined prefilter of the sentence cues
    for c in bp.cues:
        found.append(c.pattern)
        if c.then is not None:
            found.append(c.then)
    from bilat.clean import dates
    found += [getattr(dates, n) for n in dir(dates) if n.startswith("_URL") or n == "_DAY_BEFORE_YEAR"]
    return found


@pytest.mark.parametrize("pattern", _patterns(), ids=lambda p: p.pattern[:40])
def test_every_pattern_is_linear_on_a_long_line(pattern):
    for line in _ADVERSARIAL:
        start = time.process_time()  # CPU time: other work on the machine does not count
        pattern.search(line)
        list(pattern.finditer(line[:20_000]))
        assert time.process_time() - start < 1.0, line[:20]
