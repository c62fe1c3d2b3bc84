"""The default ("news") coding habits, relative-date anchoring and readiness as a commitment."""
from __future__ import annotations

import pytest

from bilat.events.extract import CONVENTIONS, EventExtractor


@pytest.fixture(scope="module")
def dyadic() -> EventExtractor:
    return EventExtractor(convention="dyadic")


def _kinds(evs):
    return {(e.type, e.source, e.target) for e in evs}


def test_default_is_news(extractor):
    assert extractor.convention == "news" and extractor.features == CONVENTIONS["news"]


def test_unknown_feature_is_refused():
    with pytest.raises(ValueError):
        EventExtractor(features=["no-such-habit"])


def test_protest_in_a_place_is_domestic(run, gazetteer, dyadic):
    if gazetteer is None:
        pytest.skip("where.py not present")
    text = "Thousands of students demonstrated in Tashkent on Monday."
    assert _kinds(run(text)) == {("PROTEST", "UZB", "UZB")}
    assert run(text, ex=dyadic) == []  # the strict dyadic habit keeps states' dealings only


def test_no_domestic_event_in_a_sentence_about_two_states(run):
    # a state acting on its own side is domestic only where no other state is named in the sentence
    assert not any(e.source == e.target for e in
                   run("Armenian officials said Azerbaijani troops arrested their own deserters near Lachin."))
    assert not any(e.source == e.target for e in
                   run("The Thai premier urged his soldiers to hold back at the Cambodian border."))


def test_concession_to_own_people_and_no_second_event_for_the_lifted_noun(run):
    assert _kinds(run("The Kyrgyz government lifted the curfew on Monday.")) == {("CONCEDE", "KGZ", "KGZ")}


def test_arrest_of_unnamed_people(run):
    assert _kinds(run("Armenian police arrested five protesters in Yerevan.")) == {("COERCE", "ARM", "ARM")}


def test_attack_victims_alone_are_not_a_domestic_attack(run):
    assert run("Two Georgian soldiers were killed on Sunday.") == []


def test_talks_stay_dyadic(run):
    assert run("The Russian minister met his own deputies on Monday.") == []


def test_protest_told_twice_in_one_sentence_is_one_event(run):
    evs = run("Kazakh farmers began a hunger strike to protest against Russia's tariffs.")
    assert _kinds(evs) == {("PROTEST", "KAZ", "RUS")}


def test_march_in_a_date_is_no_protest(run):
    assert {e.type for e in run("Putin meets Tokayev in Astana on March 20.")} == {"CONSULT"}


def test_readiness_is_a_commitment(run):
    evs = run("Norway is ready to send troops to Mali.")
    assert _kinds(evs) == {("AGREE", "NOR", "MLI")}


def test_event_under_after_is_dated_before_a_restated_event(run):
    evs = run("Rahmon arrived in Moscow on March 10. The visit came two days after he met Tokayev in Astana.")
    met = [e for e in evs if e.target == "KAZ"]
    assert met and met[0].date == "2024-03-08" and met[0].type == "CONSULT"
    assert [e.date for e in evs if e.target == "RUS"] == ["2024-03-10"]


def test_new_main_event_counts_forward_from_the_told_one(run):
    evs = run("Putin met Tokayev on March 4. Tajik and Russian officials signed a treaty two days after the talks ended.")
    signed = [e for e in evs if e.type == "AGREE"]
    assert signed and signed[0].date == "2024-03-06"


def test_conditional_harmful_act_is_a_threat(run):
    evs = run("Russia will withdraw its troops from Armenia unless Yerevan pays the debt.")
    assert _kinds(evs) == {("THREATEN", "RUS", "ARM")}
    [plain] = run("Russia will withdraw its troops from Armenia in May.")
    assert plain.type == "RETREAT" and plain.planned
