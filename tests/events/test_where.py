"""Gazetteer lookups and place finding in sentences, with the real spaCy pipeline."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from bilat.events.where import Gazetteer, Place, normalize

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"


@pytest.fixture(scope="module")
def gz() -> Gazetteer:
    return Gazetteer()


@pytest.fixture(scope="module")
def nlp():
    from bilat.nlp.pipeline import EnglishPipeline

    return EnglishPipeline()


def places(gz: Gazetteer, nlp, sentence: str, **kw) -> list[tuple[str, str, str]]:
    doc = nlp(sentence)
    ents = [(e.text, e.label_, e.start_char, e.end_char) for e in doc.ents]
    return [(p.name, p.country, sentence[s:e]) for p, s, e in gz.find_locations(sentence, ents, **kw)]


# (name, hint, expected name, country, kind)
LOOKUPS = [
    ("Dushanbe", None, "Dushanbe", "TJK", "city"),
    ("Osh", None, "Osh", "KGZ", "city"),
    ("Washington", None, "Washington", "USA", "city"),
    ("Washington", {"GBR"}, "Washington", "GBR", "city"),
    ("Moscow", None, "Moscow", "RUS", "city"),
    ("Kurgan-Tyube", None, "Bokhtar", "TJK", "city"),
    ("Kulyab", None, "Kŭlob", "TJK", "city"),
    ("Nur-Sultan", None, "Astana", "KAZ", "city"),
    ("St. Petersburg", None, "Saint Petersburg", "RUS", "city"),
    ("Tajikistan", None, "Tajikistan", "TJK", "country"),
    ("Russian Federation", None, "Russia", "RUS", "country"),
    ("the Kremlin", None, "Kremlin", "RUS", "landmark"),
    ("Palace of Nations", None, "Palace of Nations (Kokhi Millat)", "TJK", "landmark"),
    ("Palace of Nations", {"CHE"}, "Palais des Nations", "CHE", "landmark"),
    ("Palace of Independence", None, "Palace of Independence (Minsk)", "BLR", "landmark"),
    ("Palace of Independence", {"KAZ"}, "Palace of Independence (Astana)", "KAZ", "landmark"),
    ("Kokhi Navruz", None, "Kokhi Navruz", "TJK", "landmark"),
    ("Ak Orda", None, "Akorda", "KAZ", "landmark"),
    ("Oksaroy", None, "Oqsaroy", "UZB", "landmark"),
    ("Zhongnanhai", None, "Zhongnanhai", "CHN", "landmark"),
    ("White House", None, "White House", "USA", "landmark"),
    ("Élysée Palace", None, "Elysee Palace", "FRA", "landmark"),
    ("Downing Street", None, "Downing Street", "GBR", "landmark"),
    ("Novo-Ogarevo", None, "Novo-Ogaryovo", "RUS", "landmark"),
    ("Bocharov Ruchey", None, "Bocharov Ruchei", "RUS", "landmark"),
    ("Ala-Archa", None, "Ala-Archa state residence", "KGZ", "landmark"),
    ("Ayni air base", None, "Ayni airbase", "TJK", "landmark"),
    ("201st military base", None, "201st Russian military base", "TJK", "landmark"),
    ("Gorno-Badakhshan", None, "Gorno-Badakhshan", "TJK", "region"),
]


@pytest.mark.parametrize("name,hint,expected,country,kind", LOOKUPS)
def test_lookup(gz, name, hint, expected, country, kind):
    p = gz.lookup(name, hint)
    assert p is not None
    assert (p.name, p.country, p.kind) == (expected, country, kind)


def test_lookup_unknown(gz):
    assert gz.lookup("Xyzzyville") is None


def test_landmark_carries_city_and_coordinates(gz):
    p = gz.lookup("Bocharov Ruchei")
    assert p.city == "Sochi"
    assert 43 < p.lat < 44 and 39 < p.lon < 40


def test_city_has_geonames_id(gz):
    p = gz.lookup("Dushanbe")
    assert isinstance(p, Place) and p.geonames_id == 1221874
    assert 38 < p.lat < 39 and 68 < p.lon < 69


def test_country_pinned_at_capital(gz):
    assert (gz.lookup("Kazakhstan").lat, gz.lookup("Kazakhstan").lon) == (
        gz.capital_of("KAZ").lat, gz.capital_of("KAZ").lon)


def test_capitals_and_adjectives(gz):
    assert gz.capital_of("TJK").name == "Dushanbe"
    assert gz.capital_of("KAZ").name == "Astana"
    assert gz.country_of_adjective("Tajik") == "TJK"
    assert gz.country_of_adjective("Kyrgyz") == "KGZ"


def test_normalize():
    assert normalize("the Kremlin's") == "kremlin"
    assert normalize("Novo-Ogaryovo") == normalize("Novo Ogaryovo")
    assert normalize("Élysée") == "elysee"
    assert normalize("St. Petersburg") == "saint petersburg"


SENTENCES = [
    ("Rahmon and Putin held talks in Dushanbe on Friday.", [("Dushanbe", "TJK", "Dushanbe")]),
    ("Rahmon met Putin at the Kremlin.", [("Kremlin", "RUS", "Kremlin")]),
    ("The foreign minister arrived in the Tajik capital on Tuesday.", [("Dushanbe", "TJK", "the Tajik capital")]),
    ("The leaders met in the capital of Kazakhstan.", [("Astana", "KAZ", "the capital of Kazakhstan")]),
    ("Putin greeted Rahmon at Dushanbe International Airport.",
     [("Dushanbe International Airport", "TJK", "Dushanbe International Airport")]),
    ("The meeting was held in Osh, Kyrgyzstan.", [("Osh", "KGZ", "Osh"), ("Kyrgyzstan", "KGZ", "Kyrgyzstan")]),
    ("Delegates gathered at the Palace of Nations in Geneva.",
     [("Palais des Nations", "CHE", "Palace of Nations"), ("Geneva", "CHE", "Geneva")]),
    ("Delegates gathered at the Palace of Nations in Dushanbe.",
     [("Palace of Nations (Kokhi Millat)", "TJK", "Palace of Nations"), ("Dushanbe", "TJK", "Dushanbe")]),
    ("He flew from Kurgan-Tyube to Kulyab.", [("Bokhtar", "TJK", "Kurgan-Tyube"), ("Kŭlob", "TJK", "Kulyab")]),
    ("Putin hosted Lukashenko at Bocharov Ruchei in Sochi.",
     [("Bocharov Ruchei", "RUS", "Bocharov Ruchei"), ("Sochi", "RUS", "Sochi")]),
    ("The ministers met in Moscow, Minsk and Astana this year.",
     [("Moscow", "RUS", "Moscow"), ("Minsk", "BLR", "Minsk"), ("Astana", "KAZ", "Astana")]),
]


@pytest.mark.parametrize("sentence,expected", SENTENCES)
def test_find_locations(gz, nlp, sentence, expected):
    assert places(gz, nlp, sentence) == expected


def test_lowercase_kremlin_found(gz, nlp):
    assert places(gz, nlp, "The kremlin's pressure on the region grows.")[0][:2] == ("Kremlin", "RUS")


def test_surname_is_not_a_place(gz, nlp):
    assert places(gz, nlp, "George Washington never read about it.") == []
    assert places(gz, nlp, "Actor Denzel Washington praised the film.") == []


def test_common_word_city_needs_locative_cue(gz):
    s = "Reading the statement, the spokesman smiled."
    assert gz.find_locations(s, [("Reading", "GPE", 0, 7)]) == []
    s = "The summit took place in Reading."
    assert [p.name for p, _, _ in gz.find_locations(s, [])] == ["Reading"]


def test_month_after_in_is_not_a_place(gz):
    assert gz.find_locations("The talks took place in March.", []) == []


def test_small_town_needs_hint_when_only_cued(gz):
    s = "The deal was signed in Hisor."
    assert gz.find_locations(s, []) == []
    assert [p.name for p, _, _ in gz.find_locations(s, [], country_hint={"TJK"})] == ["Hisor"]


def test_locative_only_drops_metonyms(gz, nlp):
    s = "Moscow said the talks would be held in Dushanbe."
    assert [x[0] for x in places(gz, nlp, s)] == ["Moscow", "Dushanbe"]
    assert [x[0] for x in places(gz, nlp, s, locative_only=True)] == ["Dushanbe"]


def test_country_context_settles_city(gz):
    s = "Protests took place in Washington, England."
    found = gz.find_locations(s, [("Washington", "GPE", 23, 33), ("England", "GPE", 35, 42)])
    assert found[0][0].country == "USA"  # England is not a country in ISO 3166
    found = gz.find_locations(s, [("Washington", "GPE", 23, 33)], country_hint={"GBR"})
    assert found[0][0].country == "GBR"


def test_seed_sentences_with_dushanbe(gz, nlp):
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not beside the checkout")
    sentences = []
    for f in sorted(SEEDS.glob("*.txt")):
        for para in f.read_text(encoding="utf-8").splitlines():
            sentences += [s for s in re.split(r"(?<=[.!?])\s+", para) if re.search(r"\bin Dushanbe\b", s)]
    assert sentences
    for s in sentences:
        assert "Dushanbe" in [x[0] for x in places(gz, nlp, s, locative_only=True)], s


def test_topic_phrase_is_not_a_location(gz):
    s = "They discussed the situation in Afghanistan."
    ents = [("Afghanistan", "GPE", 32, 43)]
    assert [p.name for p, _, _ in gz.find_locations(s, ents)] == ["Afghanistan"]
    assert gz.find_locations(s, ents, locative_only=True) == []


def test_center_of_city(gz):
    s = "A wreath was laid in the center of Dushanbe."
    assert [(p.name, s[a:b]) for p, a, b in gz.find_locations(s, [])] == [("Dushanbe", "Dushanbe")]
