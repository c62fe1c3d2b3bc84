"""The story's venue: events whose own sentence names no place (events/venue.py), real gazetteer."""
from __future__ import annotations

from bilat.events.venue import place_events
from bilat.model import Document, Event, Sentence


def _story(nlp, text: str, types: list[tuple[int, str]]) -> tuple[Document, object, list[Event]]:
    sdoc = nlp(text)
    doc = Document("v", "test", "txt", text, sentences=[Sentence(s.start_char, s.end_char, s.text) for s in sdoc.sents])
    n = len(doc.sentences)
    events = [Event(t, None, "PER", "CHL", (doc.sentences[i].start, doc.sentences[i].end), doc.sentences[i].text,
                    i % n) for i, t in types]  # -1: the last sentence
    return doc, sdoc, events


def test_events_take_the_city_of_their_sentence_then_the_one_named_before(nlp, gazetteer):
    text = ("The Peruvian leader arrived in Santiago on Friday for talks. He praised his hosts. "
            "Both sides signed six deals. Trade grew last year.")
    doc, sdoc, events = _story(nlp, text, [(0, "CONSULT"), (1, "SUPPORT"), (2, "AGREE")])
    place_events(doc, sdoc, events, gazetteer)
    assert [e.location for e in events] == ["Santiago", "Santiago", "Santiago"]
    assert events[1].lat is not None and events[1].lon is not None


def test_the_dateline_city_places_what_the_text_does_not(nlp, gazetteer):
    text = "TASHKENT, May 3 (Wire) - Uzbekistan and Kazakhstan agreed to open a new border crossing."
    doc, sdoc, events = _story(nlp, text, [(0, "AGREE")])
    place_events(doc, sdoc, events, gazetteer)
    assert events[0].location == "Tashkent"


def test_a_country_gives_way_to_its_city_and_field_acts_keep_their_own(nlp, gazetteer):
    text = ("The Kazakh president flew to Moscow on Monday. Russia and Kazakhstan signed a gas deal. "
            "Border guards fired on a truck. Officials praised the deal.")
    doc, sdoc, events = _story(nlp, text, [(1, "AGREE"), (2, "ASSAULT"), (3, "SUPPORT")])
    events[0].location = "Russia"  # as a sentence naming only the country would place it
    place_events(doc, sdoc, events, gazetteer)
    assert events[0].location == "Moscow"
    assert events[1].location is None  # an attack happens at the front, not where the story is
    assert events[2].location == "Moscow"


def test_a_landmark_shows_its_city_and_a_venue_stops_carrying_after_a_few_sentences(nlp, gazetteer):
    text = ("The talks were held in the Kremlin. One. Two. Three. Four. Both leaders then praised the ties.")
    doc, sdoc, events = _story(nlp, text, [(0, "CONSULT"), (-1, "SUPPORT")])
    place_events(doc, sdoc, events, gazetteer)
    assert events[0].location == "Kremlin, Moscow"
    assert events[1].location is None


def test_a_meeting_told_far_below_the_lead_takes_the_story_venue(nlp, gazetteer):
    text = ("The summit of the bloc opened in Bishkek on Tuesday. One. Two. Three. Four. "
            "The Chilean minister also attended the meeting. He criticised the host. "
            "The two had last met in 2015.")
    doc, sdoc, events = _story(nlp, text, [(5, "CONSULT"), (6, "ACCUSE"), (7, "CONSULT")])
    events[2].date, events[2].date_method = "2015", "explicit"  # a meeting of another day
    place_events(doc, sdoc, events, gazetteer)
    assert events[0].location == "Bishkek"
    assert events[1].location is None  # words are told anywhere: no venue guessed
    assert events[2].location is None


def test_the_dateline_pattern_is_linear_on_a_hostile_first_line():
    import time

    from bilat.clean.dates import default_inferrer
    for line in ("A" + "b-" * 50_000, "Ab " * 33_000, " " * 100_000 + "x", "Ab/" * 33_000):
        started = time.perf_counter()
        default_inferrer().dateline_place(line + "\n" + line)
        assert time.perf_counter() - started < 1.0


def test_a_headline_takes_the_venue_its_lead_names(nlp, gazetteer):
    text = ("Chile recalls envoy over border row\n\nChile recalled its ambassador to Peru on Monday, "
            "the foreign ministry said in Santiago. Officials praised the decision.")
    doc, sdoc, events = _story(nlp, text, [(0, "SANCTION")])
    place_events(doc, sdoc, events, gazetteer)
    assert events[0].location == "Santiago"
    # a full sentence first is the lead itself, not a headline: it takes no place from what follows
    text = "Chile recalled its ambassador. The decision was announced in Santiago."
    doc, sdoc, events = _story(nlp, text, [(0, "SANCTION")])
    place_events(doc, sdoc, events, gazetteer)
    assert events[0].location is None
