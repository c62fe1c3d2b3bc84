"""Russian actors: names in every case, capitals and seats of power, adjectives, people with and without
a knowledge-base entry, linked to the English entries."""
from __future__ import annotations

from datetime import date

import pytest

from bilat.actors.kb_loader import load_kb
from bilat.actors.russian import RussianLinker, nominative, surname_stem
from bilat.clean.language import detect_language
from bilat.nlp.russian import RussianPipeline


@pytest.fixture(scope="module")
def ru():
    nlp = RussianPipeline()
    return nlp, RussianLinker(load_kb(), nlp.lemmatizer)


def link(ru, text: str, on: date = date(2021, 6, 1)):
    nlp, linker = ru
    return linker.link(nlp(text), on)


def test_language_by_script():
    assert detect_language("Президент Казахстана прибыл в Москву с визитом.") == "ru"
    assert detect_language("The Kazakh president arrived in Moscow (Москва) on Monday.") == "en"
    assert detect_language("") == "en"


def test_states_in_every_case_and_metonyms(ru):
    found = link(ru, "Делегация Узбекистана обсудила с Киргизией и Казахстаном поставки воды, "
                     "а Кремль и Пекин приветствовали итоги встречи в Российской Федерации.")
    codes = [(m.text, m.country, m.via) for m in found]
    assert ("Узбекистана", "UZB", "name") in codes
    assert ("Киргизией", "KGZ", "name") in codes
    assert ("Казахстаном", "KAZ", "name") in codes
    assert ("Кремль", "RUS", "metonym") in codes
    assert ("Пекин", "CHN", "metonym") in codes
    assert ("Российской Федерации", "RUS", "name") in codes


def test_adjective_stands_for_a_state_only_before_an_actor_noun(ru):
    found = link(ru, "Туркменская сторона предложила снизить цену, но туркменский газ подорожал.")
    assert [(m.text, m.country) for m in found] == [("Туркменская", "TKM")]


def test_compound_adjective_names_both_states(ru):
    found = link(ru, "Армяно-иранские переговоры завершились в среду.")
    assert {m.country for m in found} == {"ARM", "IRN"}


def test_one_word_names_are_matched_as_written(ru):
    assert link(ru, "Я рада, что того же мнения придерживаются все.") == []


def test_known_person_in_any_case_links_to_the_english_entry(ru):
    found = link(ru, "Министр встретился с Сергеем Лавровым и поблагодарил Марию Захарову.")
    people = {m.name: m.country for m in found if m.kind == "person"}
    assert people == {"Sergei Lavrov": "RUS", "Maria Zakharova": "RUS"}


def test_unknown_person_takes_the_country_of_the_title(ru):
    found = link(ru, "Посол Монголии Батбаяр Дамдинсурэн вручил верительные грамоты.")
    person = next(m for m in found if m.kind == "person")
    assert person.country == "MNG"
    assert person.learned


def test_surname_forms():
    assert surname_stem("Захарова") == "захаров"
    assert surname_stem("Рахмон") == "рахмон"


def test_nominative_of_an_unknown_surname(ru):
    nlp, _ = ru
    assert nominative("Дамдинсурэном", nlp.lemmatizer).startswith("Дамдинсурэн")
    assert nominative("Кудайбергеновым", nlp.lemmatizer) == "Кудайбергенов"
