"""Linking states, organisations, metonyms and people (tiny fixture KB, real spaCy)."""
from __future__ import annotations

import pytest

# --- states by name, alias, adjective ------------------------------------------------------------

STATES = [
    ("Tajikistan signed the deal on Friday.", "Tajikistan", "TJK"),
    ("Officials in the Russian Federation declined to comment.", "Russian Federation", "RUS"),
    ("The Republic of Tajikistan sent a note.", "Republic of Tajikistan", "TJK"),
    ("Some outlets write russia in lower case on purpose.", "russia", "RUS"),
    ("Kirghizia was the older name in many reports.", "Kirghizia", "KGZ"),
    ("Exports from China rose sharply.", "China", "CHN"),
    ("The U.S. criticised the vote.", "U.S.", "USA"),
    ("Belarus and Kazakhstan joined the statement.", "Kazakhstan", "KAZ"),
]


@pytest.mark.parametrize(("text", "surface", "code"), STATES)
def test_state_names(run, text, surface, code):
    m = run(text).one(surface)
    assert (m.country, m.kind, m.via) == (code, "state", "name")


@pytest.mark.parametrize("text", [
    "We asked us to leave the turkey on the table.",
    "He bought fine china at the market.",
    "The united states of mind were discussed.",
])
def test_lowercase_common_words_are_not_states(run, text):
    assert not [m for m in run(text).mentions if m.kind == "state"]


GROUPS = [
    ("The Tajik side welcomed the offer.", "Tajik side", "TJK", "GOV", "state"),
    ("Russian troops stayed at the base.", "Russian troops", "RUS", "MIL", "sector"),
    ("The Russian military base employs thousands.", "Russian military base", "RUS", "MIL", "sector"),
    ("The Kyrgyz government denied it.", "Kyrgyz government", "KGZ", "GOV", "state"),
    ("Tajik labour migrants send money home.", "Tajik labour migrants", "TJK", "CVL", "sector"),
    ("Chinese companies won the tender.", "Chinese companies", "CHN", "BUS", "sector"),
    ("Russia's delegation arrived late.", "Russia's delegation", "RUS", "GOV", "state"),
    ("The Uzbek authorities opened the border.", "Uzbek authorities", "UZB", "GOV", "state"),
    ("Afghan police made arrests.", "Afghan police", "AFG", "COP", "sector"),
    ("Kazakh media reported the talks.", "Kazakh media", "KAZ", "MED", "sector"),
]


@pytest.mark.parametrize(("text", "surface", "code", "sector", "kind"), GROUPS)
def test_adjective_gives_country_and_sector_of_its_noun(run, text, surface, code, sector, kind):
    m = run(text).one(surface)
    assert (m.country, m.sector, m.kind) == (code, sector, kind)
    assert m.text == surface


def test_plain_adjective_before_other_nouns_is_not_an_actor(run):
    linked = run("She studied the Russian language and Tajik poetry.")
    assert linked.mentions == []


# --- metonyms: actor or place --------------------------------------------------------------------

METONYM_ACTS = [
    ("Moscow rejected the proposal outright.", "Moscow", "RUS"),
    ("The Kremlin's reaction came quickly.", "Kremlin", "RUS"),
    ("Dushanbe has not decided yet.", "Dushanbe", "TJK"),
    ("The talks between Moscow and Dushanbe stalled.", "Moscow", "RUS"),
    ("The talks between Moscow and Dushanbe stalled.", "Dushanbe", "TJK"),
    ("The sanctions hurt Beijing more than expected.", "Beijing", "CHN"),
    ("Washington urged restraint.", "Washington", "USA"),
    ("Moscow and Dushanbe work together in the bloc.", "Dushanbe", "TJK"),
    ("The deal was blocked by Tashkent.", "Tashkent", "UZB"),
    ("Relations with Bishkek improved.", "Bishkek", "KGZ"),
]


@pytest.mark.parametrize(("text", "surface", "code"), METONYM_ACTS)
def test_metonym_acting_is_the_government(run, text, surface, code):
    m = run(text).one(surface)
    assert (m.country, m.sector, m.via, m.kind) == (code, "GOV", "metonym", "state")


METONYM_PLACES = [
    ("The summit took place in Moscow last week.", "Moscow"),
    ("The minister arrived in Dushanbe on Monday.", "Dushanbe"),
    ("Leaders met at the Kremlin for dinner.", "Kremlin"),
    ("She flew to Beijing for the fair.", "Beijing"),
    ("Dushanbe International Airport reopened.", "Dushanbe"),
    ("Students of Moscow State University protested.", "Moscow"),
    ("Trains from Tashkent were delayed.", "Tashkent"),
    ("MOSCOW, May 3 - The ruble fell again.", "MOSCOW"),
]


@pytest.mark.parametrize(("text", "surface"), METONYM_PLACES)
def test_metonym_as_place_is_not_an_actor(run, text, surface):
    assert run(text).at(surface) == []


def test_unnamed_official_of_a_country_is_still_an_actor(run):
    m = run("The Kremlin's envoy left early.").one("envoy")
    assert (m.country, m.sector, m.role, m.kind, m.via) == ("RUS", "GOV", "envoy", "state", "title")


# --- organisations -------------------------------------------------------------------------------

ORGS = [
    ("The CIS summit opened.", "CIS", "CIS"),
    ("Tajikistan is a CSTO member.", "CSTO", "CSTO"),
    ("Armenia belongs to the Eurasian Economic Union.", "Eurasian Economic Union", "EAEU"),
    ("The EEU expanded its customs rules.", "EEU", "EAEU"),
    ("The EAEU commission met.", "EAEU", "EAEU"),
    ("The EurAsEC was dissolved in 2014.", "EurAsEC", "EURASEC"),
    ("The SCO held drills.", "SCO", "SCO"),
    ("The Shanghai Cooperation Organization grew.", "Shanghai Cooperation Organization", "SCO"),
    ("The WHO issued guidance.", "WHO", "WHO"),
    ("The UN voted on Tuesday.", "UN", "UN"),
]


@pytest.mark.parametrize(("text", "surface", "code"), ORGS)
def test_organisations(run, text, surface, code):
    m = run(text).one(surface)
    assert (m.country, m.kind, m.sector) == (code, "org", "IGO")


@pytest.mark.parametrize("text", [
    "Who said that?",
    "The cis and trans forms differ.",
    "Ask who knows the way.",
])
def test_short_acronyms_are_case_sensitive(run, text):
    assert [m for m in run(text).mentions if m.kind == "org"] == []


def test_eurasec_is_not_the_eaeu(run):
    linked = run("EurAsEC came first; the EAEU replaced it.")
    assert linked.one("EurAsEC").country == "EURASEC"
    assert linked.one("EAEU").country == "EAEU"


# --- people from the KB --------------------------------------------------------------------------

PEOPLE = [
    ("Vladimir Putin spoke first.", "Vladimir Putin", "putin", "RUS", "2020-01-01"),
    ("Emomali Rakhmonov addressed parliament.", "Emomali Rakhmonov", "rahmon", "TJK", "2005-01-01"),
    ("Emomalii Rahmon addressed parliament.", "Emomalii Rahmon", "rahmon", "TJK", "2015-01-01"),
    ("Rakhmon opened the plant.", "Rakhmon", "rahmon", "TJK", "2012-01-01"),
    ("Yury Ushakov briefed reporters.", "Yury Ushakov", "ushakov", "RUS", "2022-01-01"),
    ("Yuriy Ushakov briefed reporters.", "Yuriy Ushakov", "ushakov", "RUS", "2022-01-01"),
    ("Aleksandr Lukashenko flew in.", "Aleksandr Lukashenko", "lukashenko", "BLR", "2022-01-01"),
    ("Alyaksandr Lukashenka flew in.", "Alyaksandr Lukashenka", "lukashenko", "BLR", "2022-01-01"),
    ("Sergey Lavrov met the press.", "Sergey Lavrov", "lavrov", "RUS", "2019-01-01"),
    ("Dmitri Medvedev called it a mistake.", "Dmitri Medvedev", "medvedev", "RUS", "2010-01-01"),
    ("Sirojiddin Muhriddin visited Minsk.", "Sirojiddin Muhriddin", "mukhriddin", "TJK", "2019-01-01"),
    ("Sadyr Zhaparov won the vote.", "Sadyr Zhaparov", "japarov", "KGZ", "2021-02-01"),
    ("Kassym-Jomart Tokayev replied.", "Kassym-Jomart Tokayev", "tokayev", "KAZ", "2021-02-01"),
    ("Kasym-Zhomart Tokaev replied.", "Kasym-Zhomart Tokaev", "tokayev", "KAZ", "2021-02-01"),
    ("Shoigu inspected the troops.", "Shoigu", "shoigu", "RUS", "2015-05-05"),
]


@pytest.mark.parametrize(("text", "surface", "pid", "code", "day"), PEOPLE)
def test_kb_people_and_their_spellings(run, text, surface, pid, code, day):
    m = run(text, day).one(surface)
    assert (m.kb_id, m.country, m.kind) == (pid, code, "person")


@pytest.mark.parametrize(("day", "role"), [
    ("2010-06-01", "prime minister"),
    ("2013-06-01", "president"),
    ("2005-06-01", "president"),
])
def test_kb_role_is_taken_on_the_document_date(run, day, role):
    assert run("Putin gave a speech.", day).one("Putin").role == role


def test_surname_after_full_name_is_the_same_person(run):
    linked = run("Sergei Ivanov flew to Dushanbe. Later Ivanov met soldiers.", "2003-05-01")
    assert linked.one("Ivanov", 1).kb_id == "s_ivanov"


@pytest.mark.parametrize("day", ["2003-05-01", "2005-01-01", None])
def test_shared_surname_without_context_stays_unresolved(run, day):
    m = run("Ivanov spoke to reporters after the meeting.", day).one("Ivanov")
    assert m.kind == "person" and m.kb_id is None and m.country is None


def test_shared_surname_resolved_when_only_one_is_in_office(run):
    # in 2010 only Sergei Ivanov held an office in the tiny KB
    assert run("Ivanov spoke to reporters.", "2010-03-01").one("Ivanov").kb_id == "s_ivanov"


def test_given_name_picks_between_namesakes(run):
    linked = run("Igor Ivanov and Sergei Ivanov both attended.", "2003-05-01")
    assert linked.one("Igor Ivanov").kb_id == "i_ivanov"
    assert linked.one("Sergei Ivanov").kb_id == "s_ivanov"


def test_unknown_given_name_is_not_forced_onto_a_namesake(run):
    m = run("Pyotr Ivanov, a farmer, complained.", "2003-05-01").one("Pyotr Ivanov")
    assert m.kb_id is None


def test_unknown_person_without_context_has_no_country(run):
    m = run("Maria Petrova wrote the report.").one("Maria Petrova")
    assert (m.kind, m.country, m.kb_id) == ("person", None, None)


def test_mentions_are_ordered_and_point_at_their_sentence(run):
    linked = run("Moscow waited. Dushanbe said no. Putin was silent.", "2020-01-01")
    spans = [m.span for m in linked.mentions]
    assert spans == sorted(spans)
    assert [m.sentence for m in linked.mentions] == [0, 1, 2]
    for m in linked.mentions:
        assert linked.doc.text[m.span[0]:m.span[1]] == m.text


def test_document_sentences_are_filled(run):
    linked = run("One sentence here. Another one there.")
    assert len(linked.doc.sentences) == 2
    assert linked.doc.sentences[1].text.startswith("Another")


def test_empty_document_has_no_mentions(run):
    assert run("").mentions == []
    assert run("   \n ").mentions == []


@pytest.mark.parametrize(("text", "codes"), [
    ("Tajik and Kyrgyz border guards exchanged fire.", ["KGZ", "TJK"]),
    ("Russian and Chinese diplomats objected.", ["CHN", "RUS"]),
    ("Uzbek and Kazakh officials met in Tashkent.", ["KAZ", "UZB"]),
])
def test_coordinated_adjectives_share_their_noun(run, text, codes):
    linked = run(text)
    assert sorted(m.country for m in linked.mentions if m.country) == codes


@pytest.mark.parametrize("text", [
    "DUSHANBE, March 4 (Reuters) - Prices rose.",
    "Moscow, 12 April - Markets were calm.",
])
def test_datelines_are_places(run, text):
    assert [m for m in run(text).mentions if m.via == "metonym"] == []


def test_long_document_links_in_linear_time(nlp, linker):
    from bilat.model import Document
    text = "Moscow urged Dushanbe to act. Putin met Rahmon. The two leaders talked. " * 60
    doc = Document("long", "t", "txt", text)
    mentions = linker.link(doc, nlp(text))
    assert len([m for m in mentions if m.via == "coref"]) == 120


@pytest.mark.parametrize(("text", "surface", "sector"), [
    ("Russian warships entered the port.", "Russian warships", "MIL"),
    ("Afghan rebels attacked a post.", "Afghan rebels", "REB"),
    ("Chinese doctors arrived with supplies.", "Chinese doctors", "HLH"),
    ("The Kyrgyz Constitutional Court struck the law down.", "Kyrgyz Constitutional Court", "JUD"),
    ("Russian negotiators returned to Geneva.", "Russian negotiators", "GOV"),
])
def test_more_group_nouns(run, text, surface, sector):
    m = run(text).one(surface)
    assert m.sector == sector and m.text == surface


@pytest.mark.parametrize(("text", "codes"), [
    ("Exports to Latin America fell.", []),
    ("Voters in New Mexico chose.", []),
    ("Russia and Tajikistan agreed.", ["RUS", "TJK"]),
    ("The Republic of Tajikistan replied.", ["TJK"]),
])
def test_country_inside_a_longer_place_name(nlp, real_linker, text, codes):
    from bilat.model import Document
    mentions = real_linker.link(Document("t", "t", "txt", text), nlp(text))
    assert sorted(m.country for m in mentions if m.kind == "state") == codes


def test_official_of_an_organisation_acts_for_it(run):
    m = run("Sergey Lebedev opened the session.", "2020-01-01").one("Sergey Lebedev")
    assert (m.kb_id, m.country, m.role) == ("lebedev", "CIS", "secretary-general")
