"""In-document coreference: pronouns, definite roles, counterparts and collectives."""
from __future__ import annotations

import pytest

from bilat.actors.coref import role_matches


def _coref(linked, surface, nth=0):
    return [m for m in linked.at(surface, nth) if m.via == "coref"]


PRONOUNS = [
    ("Lavrov arrived on Sunday. He met students.", "He", "lavrov"),
    ("Rahmon greeted Putin warmly. He then left for the airport.", "He", "rahmon"),
    ("Putin said that he would come back.", "he", "putin"),
    ("Shoigu inspected the units. His deputy stayed behind.", "His", "shoigu"),
    ("Rahmon spoke after Lukashenko left. Later he flew to Khujand.", "he", "rahmon"),
    ("Medvedev phoned Rahmon. The call pleased him.", "him", "medvedev"),
]


@pytest.mark.parametrize(("text", "pronoun", "pid"), PRONOUNS)
def test_pronoun_goes_to_last_person_subject(run, text, pronoun, pid):
    found = _coref(run(text, "2015-06-01"), pronoun)
    assert [m.kb_id for m in found] == [pid]
    assert found[0].kind == "person"


def test_pronoun_without_any_person_stays_unresolved(run):
    assert _coref(run("He said the roads were closed."), "He") == []


def test_pronoun_too_far_away_stays_unresolved(run):
    text = "Lavrov spoke. It rained. It was cold. It got dark. It went on. It stopped. He left."
    assert _coref(run(text, "2015-06-01"), "He") == []


def test_pronoun_after_unknown_person_takes_that_person(run):
    linked = run("Tajik Labour Minister Shodi Shabdolov toured Moscow. He met workers.", "2019-01-01")
    found = _coref(linked, "He")
    assert [(m.name, m.country) for m in found] == [("Shodi Shabdolov", "TJK")]


def test_the_russian_minister_is_the_last_russian_minister(run):
    text = "Russian Foreign Minister Sergei Lavrov flew to Dushanbe. A Tajik official answered the Russian minister."
    found = _coref(run(text, "2020-01-01"), "Russian minister")
    assert [m.kb_id for m in found] == ["lavrov"]


def test_the_minister_is_the_last_minister(run):
    text = "Putin met Tajik Foreign Minister Sirojiddin Mukhriddin. The minister praised the talks."
    found = _coref(run(text, "2019-01-01"), "The minister")
    assert [m.kb_id for m in found] == ["mukhriddin"]


def test_the_president_is_the_last_president(run):
    text = "Lavrov met President Emomali Rahmon. The president thanked him."
    found = _coref(run(text, "2019-01-01"), "The president")
    assert [m.kb_id for m in found] == ["rahmon"]


def test_counterpart_with_name_takes_the_antecedents_role(run):
    text = "Russian Foreign Minister Sergei Lavrov met his Tajik counterpart Abdullo Yuldoshev."
    m = run(text, "2019-01-01").one("Abdullo Yuldoshev")
    assert (m.country, m.role) == ("TJK", "foreign minister")


def test_counterpart_without_name_resolves_to_the_role_holder(run):
    text = "Lavrov arrived in Dushanbe. He will meet his Tajik counterpart on Monday."
    found = [m for m in run(text, "2010-05-05").at("counterpart") if m.kind == "person"]
    assert [m.kb_id for m in found] == ["zarifi"]


def test_counterpart_with_nobody_to_name_is_still_an_actor_of_its_country(run):
    text = "Officials said the delegation would brief its Kyrgyz counterpart before the vote."
    found = run(text, "2010-05-05").at("counterpart")
    assert [(m.country, m.kind) for m in found] == [("KGZ", "state")]


def test_counterpart_by_possessor_name(run):
    text = "Rahmon welcomed Lukashenko's Russian counterpart on Friday."
    found = [m for m in run(text, "2010-05-05").at("counterpart") if m.kind == "person"]
    assert [m.kb_id for m in found] == ["medvedev"]


def test_counterpart_named_in_kb_keeps_kb_identity(run):
    text = "At the forum, Rahmon stood beside his Russian counterpart, Vladimir Putin, for photos."
    m = run(text, "2022-06-28").one("Vladimir Putin")
    assert (m.kb_id, m.role, m.country) == ("putin", "president", "RUS")


COLLECTIVES = [
    ("Putin received Rahmon in Moscow. The two leaders discussed security.", "two leaders", {"putin", "rahmon"}),
    ("Lavrov met Zarifi. Both ministers praised the talks.", "ministers", {"lavrov", "zarifi"}),
    ("Medvedev and Rahmon signed it. The presidents then posed for photos.", "presidents", {"medvedev", "rahmon"}),
    ("Lavrov hosted Zarifi. The negotiators agreed on a plan.", "negotiators", {"lavrov", "zarifi"}),
]


@pytest.mark.parametrize(("text", "surface", "pids"), COLLECTIVES)
def test_collective_people(run, text, surface, pids):
    found = _coref(run(text, "2011-09-02"), surface)
    assert {m.kb_id for m in found} == pids
    assert len(found) == 2


STATE_COLLECTIVES = [
    ("Russia and Tajikistan signed a pact. Both sides praised it.", "Both sides"),
    ("Moscow pressed Dushanbe on the base. The parties failed to agree.", "The parties"),
    ("Tajikistan buys wheat from Russia. Trade between the two countries grew.", "two countries"),
]


@pytest.mark.parametrize(("text", "surface"), STATE_COLLECTIVES)
def test_collective_states(run, text, surface):
    found = _coref(run(text), surface)
    assert sorted(m.country for m in found) == ["RUS", "TJK"]
    assert all(m.kind == "state" and m.kb_id is None for m in found)


def test_collective_needs_two_different_countries(run):
    assert _coref(run("Russia spoke loudly. Both sides listened."), "Both sides") == []


def test_collective_people_take_the_most_recent_pair(run):
    text = "Karimov met Rahmon in 2010. Years later Putin met Lukashenko. The two leaders talked."
    found = _coref(run(text, "2015-01-01"), "two leaders")
    assert {m.kb_id for m in found} == {"putin", "lukashenko"}


def test_coref_mentions_share_the_trigger_span(run):
    linked = run("Putin received Rahmon. The two leaders talked.", "2015-01-01")
    found = _coref(linked, "two leaders")
    assert len({m.span for m in found}) == 1
    assert all(linked.doc.text[m.span[0]:m.span[1]] == m.text for m in found)


@pytest.mark.parametrize(("wanted", "role", "ok"), [
    ("minister", "foreign minister", True),
    ("minister", "deputy prime minister", False),
    ("president", "president", True),
    ("president", "vice president", True),
    ("leader", "prime minister", True),
    ("leader", "foreign minister", False),
    ("minister", None, False),
])
def test_role_matches(wanted, role, ok):
    assert role_matches(wanted, role) is ok


def test_pronoun_prefers_the_main_clause_subject(run):
    text = "Foreign Minister Sergei Lavrov held talks after Rahmon left. He praised the hosts."
    assert [m.kb_id for m in _coref(run(text, "2015-06-01"), "He")] == ["lavrov"]


def test_his_counterpart_goes_to_the_subject_of_its_sentence(run):
    text = ("Putin spoke on Monday. Tajikistan's Foreign Minister Sirojiddin Mukhriddin met "
            "his Russian counterpart Sergei Lavrov.")
    assert [m.kb_id for m in _coref(run(text, "2019-06-01"), "his")] == ["mukhriddin"]


def test_collective_states_skip_a_bystander_named_last(run):
    text = ("Russia and Tajikistan traded charges over the base. Russia said Tajikistan broke the deal. Tajikistan "
            "denied it. Kazakhstan offered to mediate. Both sides welcomed the offer.")
    found = _coref(run(text), "Both sides")
    assert sorted(m.country for m in found) == ["RUS", "TJK"]
