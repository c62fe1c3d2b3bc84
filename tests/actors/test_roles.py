"""Title vocabulary, dates, dated roles and the tenure constraint."""
from __future__ import annotations

from datetime import date

import pytest

from bilat.actors.roles import RoleBook, TitleVocab, normalise_role, resolve_role, tenure_year_range, to_date
from bilat.model import DatedValue, Mention

from .kbfixture import tiny_kb


@pytest.fixture(scope="module")
def vocab() -> TitleVocab:
    return TitleVocab.load()


@pytest.fixture(scope="module")
def book(vocab) -> RoleBook:
    return RoleBook(tiny_kb(), vocab)


@pytest.mark.parametrize(("text", "role", "sector"), [
    ("President", "president", "GOV"),
    ("Foreign Minister", "foreign minister", "GOV"),
    ("Minister of Foreign Affairs", "foreign minister", "GOV"),
    ("minister for foreign affairs", "foreign minister", "GOV"),
    ("Defence Minister", "defense minister", "MIL"),
    ("Defense Minister", "defense minister", "MIL"),
    ("Interior Minister", "interior minister", "COP"),
    ("Economic Development Minister", "economic development minister", "GOV"),
    ("Labour Minister", "labor minister", "GOV"),
    ("Deputy Prime Minister", "deputy prime minister", "GOV"),
    ("First Deputy Prime Minister", "first deputy prime minister", "GOV"),
    ("Foreign Ministry spokesman", "foreign ministry spokesman", "GOV"),
    ("foreign ministry spokesperson", "foreign ministry spokesman", "GOV"),
    ("Secretary-General", "secretary-general", "IGO"),
    ("secretary general", "secretary-general", "IGO"),
    ("Presidential Assistant", "presidential aide", "GOV"),
    ("premier", "prime minister", "GOV"),
    ("political scientist", "analyst", "EDU"),
    ("head of state", "president", "GOV"),
])
def test_title_phrases(vocab, text, role, sector):
    title = vocab.role_of(text)
    assert title is not None, text
    assert (title.role, title.sector) == (role, sector)


@pytest.mark.parametrize(("text", "plural", "former"), [
    ("presidents", True, False),
    ("Deputy Prime Ministers", True, False),
    ("foreign ministers", True, False),
    ("former president", False, True),
    ("ex-president", False, True),
])
def test_title_flags(vocab, text, plural, former):
    title = vocab.role_of(text)
    assert title is not None
    assert (title.plural, title.former) == (plural, former)


@pytest.mark.parametrize("text", ["weather", "Minister Lavrov said", "the press"])
def test_not_a_whole_title(vocab, text):
    assert vocab.role_of(text) is None


def test_match_title_returns_longest(vocab):
    words = "the deputy prime minister said".split()
    end, title = vocab.match_title(words, 1)
    assert end == 4 and title.role == "deputy prime minister"


@pytest.mark.parametrize(("value", "expected"), [
    ("2022-06-29", date(2022, 6, 29)),
    ("2012-04", date(2012, 4, 15)),
    ("2023", date(2023, 7, 1)),
    (DatedValue("2011-09-02", "day", "metadata"), date(2011, 9, 2)),
    (date(2020, 1, 1), date(2020, 1, 1)),
    (None, None),
    ("yesterday", None),
    ("2021-13-40", None),
])
def test_to_date(value, expected):
    assert to_date(value) == expected


def test_normalise_role_spelling():
    assert normalise_role("Defence  Minister") == "defense minister"
    assert normalise_role("Labour minister") == "labor minister"


@pytest.mark.parametrize(("country", "role", "day", "pid"), [
    ("RUS", "president", date(2011, 9, 2), "medvedev"),
    ("RUS", "president", date(2022, 6, 28), "putin"),
    ("RUS", "president", date(2005, 1, 1), "putin"),
    ("RUS", "prime minister", date(2010, 3, 3), "putin"),
    ("RUS", "prime minister", date(2015, 3, 3), "medvedev"),
    ("RUS", "foreign minister", date(2001, 1, 1), "i_ivanov"),
    ("RUS", "foreign minister", date(2012, 4, 23), "lavrov"),
    ("RUS", "defense minister", date(2019, 5, 5), "shoigu"),
    ("RUS", "defense minister", date(2024, 10, 8), "belousov"),
    ("TJK", "foreign minister", date(2010, 1, 1), "zarifi"),
    ("TJK", "foreign minister", date(2020, 1, 1), "mukhriddin"),
    ("TJK", "leader", date(2020, 1, 1), "rahmon"),
    ("UZB", "president", date(2010, 1, 1), "karimov"),
])
def test_resolve_role_on_a_date(book, country, role, day, pid):
    person = book.resolve_role(country, role, day)
    assert person is not None and person.id == pid


@pytest.mark.parametrize(("country", "role", "day"), [
    ("UZB", "president", date(2018, 1, 1)),  # nobody in the tiny KB
    ("TJK", "president", date(1990, 1, 1)),  # before the office existed there
    ("RUS", "minister", date(2020, 1, 1)),  # too vague to name anyone
    (None, "president", date(2020, 1, 1)),
])
def test_resolve_role_gives_none(book, country, role, day):
    assert book.resolve_role(country, role, day) is None


def test_undated_role_means_current_holder(book):
    assert book.resolve_role("RUS", "president", None).id == "putin"
    assert book.resolve_role("TJK", "foreign minister", None).id == "mukhriddin"


def test_module_level_resolve_role():
    assert resolve_role(tiny_kb(), "RUS", "president", date(2009, 1, 1)).id == "medvedev"


def _m(pid, role):
    return Mention("x", (0, 1), 0, pid, "TJK", "GOV", role, pid, "person")


def test_tenure_range_from_one_minister():
    kb = tiny_kb()
    assert tenure_year_range([_m("zarifi", "foreign minister")], kb) == (2006, 2013)


def test_tenure_range_intersects():
    kb = tiny_kb()
    mentions = [_m("zarifi", "foreign minister"), _m("medvedev", "president")]
    assert tenure_year_range(mentions, kb) == (2008, 2012)


def test_tenure_range_none_without_roles_or_overlap():
    kb = tiny_kb()
    assert tenure_year_range([_m("zarifi", None)], kb) is None
    assert tenure_year_range([_m("zarifi", "foreign minister"), _m("belousov", "defense minister")], kb) is None
    assert tenure_year_range([], kb) is None


def test_tenure_range_open_end_runs_to_today():
    lo, hi = tenure_year_range([_m("mukhriddin", "foreign minister")], tiny_kb())
    assert lo == 2013 and hi == date.today().year


@pytest.mark.parametrize(("value", "expected"), [
    ("2012", (date(2012, 1, 1), date(2012, 12, 31))),
    ("2012-02", (date(2012, 2, 1), date(2012, 2, 29))),
    ("2012-02-10", (date(2012, 2, 10), date(2012, 2, 10))),
    (DatedValue("2023", "year", "years"), (date(2023, 1, 1), date(2023, 12, 31))),
    (None, None),
    ("soon", None),
])
def test_period_of(value, expected):
    from bilat.actors.roles import period_of
    assert period_of(value) == expected


@pytest.mark.parametrize(("start", "end", "pid"), [
    (date(2010, 1, 1), date(2010, 12, 31), "medvedev"),
    (date(2012, 1, 1), date(2012, 12, 31), None),  # the office changed hands that year
    (date(2012, 9, 1), date(2012, 9, 30), "putin"),
])
def test_resolve_role_over_a_period(book, start, end, pid):
    person = book.resolve_role("RUS", "president", start, end)
    assert (person.id if person else None) == pid
