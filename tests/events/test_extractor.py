"""The extractor's mechanisms: rules and ontology, cue check, document-level context, conventions."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bilat.errors import ConfigError
from bilat.events import PLOVER_TYPES, EventExtractor, Ontology, RuleSet
from bilat.model import DatedValue, Document, Sentence


def test_ontology_has_every_type_with_codes():
    onto = Ontology()
    assert set(onto.types) == set(PLOVER_TYPES)
    assert onto.code("CONSULT", "visit") == ("042", 1.9)
    assert onto.code("ASSAULT", None)[1] == -10.0
    assert onto.code("AGREE", "sign", "0571")[0] == "0571"  # a rule's own code wins
    assert onto.mode_group("CONSULT", "host") == onto.mode_group("CONSULT", "visit")
    assert {onto.quad(t) for t in PLOVER_TYPES} == {1, 2, 3, 4}
    for et in onto.types.values():
        assert -10 <= et.intensity <= 10 and et.cameo.isdigit()


def test_consult_modes_follow_plover():
    modes = set(Ontology().types["CONSULT"].modes)
    assert {"visit", "host", "meet", "phone", "multilateral", "third-party"} <= modes


def test_rules_name_their_file_and_version():
    rules = RuleSet()
    ids = {r.rule_id for r in rules.verbs} | {r.rule_id for r in rules.nouns}
    assert "verbs.visit.v1" in ids and "nouns.meeting.v1" in ids
    assert all(r.type in PLOVER_TYPES for r in rules.verbs + rules.nouns)
    # every PLOVER type has at least one verb or noun trigger
    assert {r.type for r in rules.verbs + rules.nouns} == set(PLOVER_TYPES)


def test_bad_rules_are_refused(tmp_path: Path):
    src = Path(__file__).resolve().parents[2] / "src" / "bilat" / "events" / "rules"
    for f in src.glob("*.yaml"):
        (tmp_path / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    verbs = tmp_path / "verbs.yaml"
    verbs.write_text(verbs.read_text(encoding="utf-8").replace("type: CONSULT, mode: visit,", "type: VISIT, mode: visit,", 1),
                     encoding="utf-8")
    with pytest.raises(ConfigError):
        RuleSet(tmp_path)


@pytest.mark.parametrize("text, expected", [
    ("Putin met Rahmon.", True),
    ("The two presidents held talks.", True),
    ("Kazakhstan imposed a ban.", True),
    ("The weather was warm in Dushanbe.", False),
    ("Prices rose by eight percent.", False),
])
def test_cue_check_on_text(extractor, text, expected):
    assert extractor.has_event_cue(text) is expected


def test_cue_check_on_tokens(extractor, nlp):
    assert extractor.has_event_cue(nlp("Lavrov visited Dushanbe."))
    assert not extractor.has_event_cue(nlp("It rained in Dushanbe."))


def test_event_fields(run):
    [ev] = run("Lavrov visited Dushanbe on Tuesday.")
    assert (ev.type, ev.mode, ev.source, ev.target) == ("CONSULT", "visit", "RUS", "TJK")
    assert ev.source_actor == "Sergei Lavrov" and ev.target_actor is None
    assert ev.cameo == "042" and ev.intensity == 1.9
    assert ev.rule == "verbs.visit.v1" and ev.trigger == "visited"
    assert ev.evidence == "Lavrov visited Dushanbe on Tuesday." and ev.span == (0, 35) and ev.sentence == 0


def test_document_date_is_flagged(run):
    [ev] = run("Putin met Tokayev in Astana.")
    assert ev.date == "2024-03-15" and ev.date_method == "document-date"
    [ev] = run("Putin met Tokayev in Astana.", published=None)
    assert ev.date is None


def test_date_carries_to_following_sentences(run):
    evs = run("Putin arrived in Dushanbe on Monday. He met Rahmon, and Russia and Tajikistan signed an agreement on energy.")
    assert [e.type for e in evs] == ["CONSULT", "CONSULT", "AGREE"]
    assert all(e.date == "2024-03-11" for e in evs)
    assert evs[1].date_method == "previous-event"


def test_each_event_gets_the_date_of_its_own_clause(run):
    evs = run("Lavrov, who visited Dushanbe on Monday, will meet Tokayev on Thursday next week.")
    by_mode = {e.mode: e for e in evs}
    assert by_mode["visit"].date == "2024-03-11" and not by_mode["visit"].planned
    assert by_mode["meet"].planned


def test_later_mentions_of_the_same_event_are_merged(run, extractor):
    text = ("Putin arrived in Dushanbe on Monday. Putin's visit to Dushanbe was the first of his trips in months. "
            "Tajik media praised Putin's visit to Dushanbe.")
    evs = run(text)
    assert sum(e.type == "CONSULT" for e in evs) == 1
    keep_all = EventExtractor(merge_repeats=False)
    assert sum(e.type == "CONSULT" for e in run(text, ex=keep_all)) == 3


def test_a_visit_without_destination_goes_to_the_last_partner(run):
    evs = run("Putin held talks with Rahmon on Monday. No agreements will be signed during Putin's visit.")
    agree = [e for e in evs if e.type == "AGREE"]
    assert agree and {agree[0].source, agree[0].target} == {"RUS", "TJK"}
    assert agree[0].negated and agree[0].planned


def test_two_people_of_one_side_make_two_events(run):
    evs = run("Lavrov will meet with Rahmon and Muhriddin in Dushanbe.")
    assert sorted(e.target_actor for e in evs) == ["Emomali Rahmon", "Sirojiddin Muhriddin"]


def test_collective_coreference(run):
    evs = run("Putin arrived in Dushanbe on Monday. The two leaders signed a treaty on Tuesday.")
    agree = [e for e in evs if e.type == "AGREE"]
    assert agree and {agree[0].source, agree[0].target} == {"RUS", "TJK"} and agree[0].date == "2024-03-12"


def test_multilateral_summit_gives_one_event_per_participant(run):
    evs = run("Leaders of Kazakhstan, Kyrgyzstan and Uzbekistan will take part in the CIS summit.")
    assert {(e.source, e.target) for e in evs} == {("KAZ", "CIS"), ("KGZ", "CIS"), ("UZB", "CIS")}
    assert all(e.planned and e.mode == "multilateral" for e in evs)


def test_the_meeting_of_an_organisation_named_just_before_is_its_summit(run):
    evs = run("The CIS summit opened in Minsk on Friday. On its second day Kazakhstan, Kyrgyzstan and Uzbekistan "
              "joined the talks. Tajikistan's president attended the summit as well.")
    assert {(e.source, e.target) for e in evs} == {("KAZ", "CIS"), ("KGZ", "CIS"), ("UZB", "CIS"), ("TJK", "CIS")}
    far = run("The CIS summit opened in Minsk on Friday. It rained. Prices rose. Roads closed. Schools shut. "
              "Tajikistan's president attended the meeting in Minsk.")
    assert [(e.source, e.target) for e in far] == [("TJK", "BLR")]  # too far back: the host country


def test_same_country_is_not_an_event(run):
    assert run("The Russian president met Russian governors in Moscow.") == []


def test_refusal_is_reject_not_negated_agree(run):
    evs = run("Tajikistan refused to sign the agreement with Russia.")
    assert [(e.type, e.negated) for e in evs] == [("REJECT", False)]


def test_the_content_of_an_appeal_is_not_a_second_event(run):
    evs = run("Russia urged Armenia to withdraw its troops from Azerbaijan.")
    assert [e.type for e in evs] == ["REQUEST"]


def test_plover_convention_keeps_one_sided_and_compound_events(run):
    plover = EventExtractor(convention="plover")
    evs = run("Kazakhstan and Uzbekistan agreed on Wednesday to build a railway.", ex=plover)
    assert {(e.source, e.target) for e in evs} == {("KAZ", None), ("UZB", None)}
    dyadic = run("Kazakhstan and Uzbekistan agreed on Wednesday to build a railway.")
    assert [(e.source, e.target) for e in dyadic] == [("KAZ", "UZB")]
    with pytest.raises(ValueError):
        EventExtractor(convention="other")


def test_location_from_the_gazetteer(run, gazetteer):
    if gazetteer is None:
        pytest.skip("where.py not present")
    [ev] = run("Putin met Tokayev in Astana on Monday.")
    assert ev.location and "Astana" in ev.location and ev.lat is not None


def test_future_date_makes_an_event_planned(run):
    [ev] = run("Putin meets Tokayev in Astana on March 20.")
    assert ev.date == "2024-03-20" and ev.planned


def test_anchor_of_a_year_only_document(nlp, tagger, extractor, resolver):
    from bilat.model import DatedValue, Document, Sentence
    text = "On October 8, Putin arrived in Dushanbe."
    sdoc = nlp(text)
    doc = Document("y", "t", "txt", text, published=DatedValue("2025", "year", "text"),
                   sentences=[Sentence(s.start_char, s.end_char, s.text) for s in sdoc.sents])
    [ev] = extractor.extract(doc, sdoc, tagger.tag(text), time_resolver=resolver)
    assert ev.date == "2025-10-08"
    assert date.fromisoformat(ev.date).year == 2025


@pytest.mark.parametrize("text, expected", [
    # verbs in another sense: no event, or the event the idiom means
    ("Armenia, which shares a border with Iran, reopened its consulate.", []),
    ("Turkey, which holds the rotating NATO chairmanship, hosted the ministers.", []),
    ("Ankara traded insults with Athens over the islands.", [("ACCUSE", "TUR", "GRC")]),
    ("Georgian and Russian troops exchanged fire near the border.", [("ASSAULT", "GEO", "RUS")]),
    ("Kyrgyzstan turned down the Chinese offer.", [("REJECT", "KGZ", "CHN")]),
    ("Japan helped Mongolia build a new airport.", [("AID", "JPN", "MNG")]),
    ("Lavrov will speak to Zarifi on Monday.", [("CONSULT", "RUS", "TJK")]),
    ("Tajikistan's border chief contacted his Kyrgyz counterpart.", [("CONSULT", "TJK", "KGZ")]),
    ("Contacts between Tajikistan and Kyrgyzstan resumed.", [("CONSULT", "TJK", "KGZ")]),
    # the partner hung on the place or the date by the parser
    ("German officials conferred October 9 in Berlin with the Polish president.", [("CONSULT", "DEU", "POL")]),
    ("Israel agreed to US mediation in the final talks with Egypt.", [("AGREE", "ISR", "USA")]),
    # a refusal that names no one answers the request of the same sentence
    ("Armenia asked Russia to send troops, but Moscow declined.", [("REQUEST", "ARM", "RUS"), ("REJECT", "RUS", "ARM")]),
    ("Serbia declined.", []),
    ("A unit of the Kazakh army marched across the square with troops from other CIS states.", []),
    ("Thousands of Armenians marched against the Turkish embassy.", [("PROTEST", "ARM", "TUR")]),
    # a question put is not an act asked for
    ("Asked whether Kazakhstan would raise the matter with China, the minister said it was for Astana to decide.", []),
])
def test_idioms(run, text, expected):
    assert [(e.type, e.source, e.target) for e in run(text) if e.rule] == expected


@pytest.mark.parametrize("text, expected", [
    ("Moscow promised to help rebuild the Kyrgyz army.", ("AID", "RUS", "KGZ", True)),
    ("Tokyo offered to finance a new port for Sri Lanka.", ("AID", "JPN", "LKA", True)),
    ("Moscow promised Yerevan a new gas price.", ("AGREE", "RUS", "ARM", False)),
])
def test_promised_help_is_planned_aid(run, text, expected):
    [ev] = [e for e in run(text) if e.rule]
    assert (ev.type, ev.source, ev.target, ev.planned) == expected


def test_a_weekday_in_a_text_known_only_by_its_year_gives_the_year(nlp, tagger, extractor, resolver):
    # "on Tuesday" cannot be counted from a year: the event keeps the year, not a made-up day
    text = "Lavrov met Zarifi in Moscow on Tuesday. Tajikistan accused Russia of delays."
    sdoc = nlp(text)
    doc = Document("t", "test", "txt", text, published=DatedValue("2021", "year", "years"),
                   sentences=[Sentence(s.start_char, s.end_char, s.text) for s in sdoc.sents])
    mentions = tagger.tag(text, [(s.start, s.end) for s in doc.sentences])
    events = extractor.extract(doc, sdoc, mentions, time_resolver=resolver)
    assert events and all(e.date == "2021" and e.date_precision == "year" for e in events)
