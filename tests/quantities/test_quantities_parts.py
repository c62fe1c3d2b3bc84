"""The parts of the stage: sentences, periods, exchange rates, countries, the data files, the API."""
from __future__ import annotations

import pytest

import bilat.quantities as q
from bilat.model import DatedValue, Document, Sentence
from bilat.nlp.pipeline import EnglishPipeline
from bilat.quantities import QuantityExtractor
from bilat.quantities.countries import CountryFinder
from bilat.quantities.fx import ExchangeRates
from bilat.quantities.periods import Anchor, find_periods
from bilat.quantities.sentences import split_clauses, split_sentences
from bilat.quantities.vocab import data_path


def test_public_api() -> None:
    assert set(q.__all__) == {"QuantityExtractor", "build_claims"}


def test_data_files_name_their_source() -> None:
    for name in ("units.yaml", "metrics.yaml", "countries.yaml", "fx_rates.csv"):
        head = data_path(name).read_text(encoding="utf-8")[:800].lower()
        assert "source" in head, name


def test_sentences_keep_offsets() -> None:
    text = "Mr. Lavrov came to Dushanbe. Trade rose by 5% in 2011.\nRussia is a partner! Is it? Yes."
    sents = split_sentences(text)
    assert [s.text for s in sents] == ["Mr. Lavrov came to Dushanbe.", "Trade rose by 5% in 2011.",
                                       "Russia is a partner!", "Is it?", "Yes."]
    assert all(text[s.start:s.end] == s.text for s in sents)


def test_decimals_do_not_split_sentences() -> None:
    assert len(split_sentences("Trade was 810.4 million dollars. It grew.")) == 2


def test_clauses() -> None:
    s = "Trade grew by 5%, and investment fell; exports rose while imports fell."
    parts = [s[a:b] for a, b in split_clauses(s)]
    assert parts == ["Trade grew by 5%", "investment fell", "exports rose", "imports fell."]


@pytest.mark.parametrize(("text", "pub", "period"), [
    ("in 2011", "2023-06-15", "2011"),
    ("over the first five months of this year", "2022-06-29", "2022-01/2022-05"),
    ("during the first 11 months of last year", "2022-06-29", "2021-01/2021-11"),
    ("in the first half of 2019", None, "2019-H1"),
    ("in the second half of this year", "2020-10-01", "2020-H2"),
    ("in the fourth quarter of last year", "2020-10-01", "2019-Q4"),
    ("in Q2 2018", None, "2018-Q2"),
    ("in January-March 2024", None, "2024-01/2024-03"),
    ("from January to May", "2023-07-01", "2023-01/2023-05"),
    ("in May 2017", None, "2017-05"),
    ("on 9 October 2025", None, "2025-10"),
    ("last September", "2012-04-23", "2011-09"),
    ("last March", "2012-04-23", "2012-03"),
    ("in March", "2012-04-23", "2012-03"),
    ("in November", "2012-04-23", "2011-11"),
    ("last year", "2012-04-23", "2011"),
    ("last year's", "2023", "2022"),
    ("the previous year", "2023", "2022"),
    ("next year", "2023", "2024"),
    ("this year", "2023", "2023"),
    ("last month", "2023-01-10", "2022-12"),
    ("now", "2023", "2023"),
    ("since 2015", "2023", "2015/2023"),
    ("in 2010-2012", None, "2010/2012"),
    ("in 2010-12", None, "2010/2012"),
    ("three years ago", "2023", "2020"),
    ("last year", None, None),
])
def test_periods(text: str, pub: str | None, period: str | None) -> None:
    anchor = Anchor.from_published(DatedValue(pub, "day", "test") if pub else None)
    found = find_periods(text, anchor)
    assert len(found) == 1, found
    assert found[0].period == period


def test_may_the_verb_is_no_period() -> None:
    assert find_periods("Russia may send more troops this month", Anchor(2023, 6))[0].kind == "relative_month"
    assert all(p.kind != "last_month_name" for p in find_periods("this may help", Anchor(2023, 6)))


def test_exchange_rates() -> None:
    fx = ExchangeRates.load()
    assert fx.to_usd(100, "USD", None) == 100
    assert fx.to_usd(2938e6, "RUB", 2011) == pytest.approx(100e6)
    assert fx.to_usd(100, "RUB", None) is None
    assert fx.to_usd(100, "RUB", 1850) is None
    assert fx.to_usd(100, "XYZ", 2011) is None
    for code in ("RUB", "TJS", "EUR", "CNY", "UAH", "KZT", "UZS", "KGS", "GBP"):
        assert all(year in fx.rates[code] for year in range(2000, 2026)), code


def test_country_finder() -> None:
    finder = CountryFinder.load()
    found = [c for _, _, c in finder.find("The russian side and Tajik officials met in Beijing; China agreed.")]
    assert found == ["RUS", "TJK", "CHN", "CHN"]
    assert finder.find("She bought fine china.") == []


def test_country_mentions_from_caller_win() -> None:
    ex = QuantityExtractor()
    text = "The republic's trade with its northern neighbour reached $2 billion in 2020."
    doc = Document("d", "t", "txt", text)
    assert ex.extract(doc)[0].countries == []
    got = ex.extract(doc, country_mentions=[(4, 12, "TJK"), (33, 48, "RUS")])
    assert got[0].countries == ["RUS", "TJK"]


def test_given_sentences_are_used() -> None:
    ex = QuantityExtractor()
    text = "Intro line. Trade reached $5 million."
    doc = Document("d", "t", "txt", text, sentences=[Sentence(0, 11, "Intro line."),
                                                     Sentence(12, len(text), "Trade reached $5 million.")])
    got = ex.extract(doc)
    assert got[0].sentence == 1
    assert got[0].span == (26, 36)
    assert got[0].evidence == "Trade reached $5 million."


def test_spacy_sentences_give_the_same_figures() -> None:
    """With sentences from the real NLP stage the figures are the same as with the regex splitter."""
    nlp = EnglishPipeline()
    text = ("Russia is Tajikistan's main partner. Bilateral trade came to 633.7 million dollars in 2017, "
            "and Russia's exports amounted to 512.9 million dollars. About 1 million Tajik migrants work "
            "in Russia.")
    spacy_doc = nlp(text)
    sents = [Sentence(s.start_char, s.end_char, s.text) for s in spacy_doc.sents]
    pub = DatedValue("2012-04-23", "day", "metadata")
    ex = QuantityExtractor()
    with_spacy = ex.extract(Document("d", "t", "txt", text, published=pub, sentences=sents))
    alone = ex.extract(Document("d", "t", "txt", text, published=pub))
    assert [(x.value, x.unit, x.metric, x.period) for x in with_spacy] == \
        [(x.value, x.unit, x.metric, x.period) for x in alone]
    assert [x.metric for x in alone] == ["bilateral_trade", "exports", "migrants"]


def test_cues_do_not_cross_paragraphs() -> None:
    """A sentence that runs over a line break (as a parser may make it) keeps cues to their paragraph."""
    text = ("Bilateral trade came to 633.7 million dollars in 2017 while Russian exports amounted to "
            "512.9 million dollars/\n\nHumanitarian ties matter too.")
    doc = Document("d", "t", "txt", text, sentences=[Sentence(0, len(text), text)])
    got = QuantityExtractor().extract(doc)
    assert [x.metric for x in got] == ["bilateral_trade", "exports"]
