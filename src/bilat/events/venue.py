"""Where an event happened when its own sentence does not say: the story's venue.

News names the venue once ("X met Y in Hanoi on Friday", or only the dateline "HANOI, June 2
(Wire) -") and tells the rest of the visit without it. The extractor places a rule event at a place
its own sentence names (extract.py); the model's events and the rest have none. This pass, run on
the document's final events:
- an event without a place takes a city or venue its own sentence names after a locative cue ("in",
  "at", "arrived in"), else the city named so in the last ``CARRY`` sentences before it, else (for a
  headline) in the ``LEAD`` sentences after it, else, for a meeting or signing no date of its own sets
  apart from the story's day, the first venue of the headline and lead (``STORY_LEAD``: "the meeting"
  told far below), else the dateline's city (read by the cleaning stage, ``clean.dates``);
- an event placed only in a country (a place of kind country) is placed in that city instead when
  the city lies in that country ("in Russia" while the story is in Moscow);
- acts in the field (``FIELD_TYPES``: attacks, troop moves, seizures, withdrawals) take only what
  their own sentence names: they happen at the front, not where the story is filed; a telephone
  call (``NO_VENUE_MODES``) has no venue.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence

from spacy.tokens import Doc as SpacyDoc

from ..clean.dates import default_inferrer
from ..model import Document, Event
from .protocols import PlaceFinder
from .syntax import _entity_list, sentence_entities
from .where import Place

logger = logging.getLogger(__name__)

CARRY = 3  # sentences back a venue still holds
LEAD = 2  # sentences after a headline that may say where its event happened
FIELD_TYPES = frozenset({"ASSAULT", "MOBILIZE", "COERCE", "RETREAT"})
NO_VENUE_MODES = frozenset({"phone"})
VENUE_KINDS = ("city", "landmark")
STORY_LEAD = 3  # the sentences (headline and lead) whose first venue is the story's
VENUE_TYPES = frozenset({"CONSULT", "AGREE"})  # acts done at a meeting place; words are told anywhere
# events dated by nothing of their own: told on the story's day, so at the story's venue
_TOLD_ON_THE_STORY_DAY = frozenset({None, "document-date", "previous-event"})


def place_events(doc: Document, sdoc: SpacyDoc, events: list[Event], places: PlaceFinder | None) -> None:
    """Fill ``location``/``lat``/``lon`` of events in place (see the module's docstring)."""
    if places is None or not events or not doc.sentences:
        return
    entities = _entity_list(sdoc)
    found: dict[int, list[Place]] = {}

    def venues(i: int) -> list[Place]:
        if i not in found:
            found[i] = _venues(doc, i, entities, places) if 0 <= i < len(doc.sentences) else []
        return found[i]

    dateline = _dateline_city(doc.text, places)
    for ev in events:
        if ev.mode in NO_VENUE_MODES:
            continue
        own = venues(ev.sentence)
        if ev.type in FIELD_TYPES:
            if ev.location is None and own:
                _set(ev, own[0])
            continue
        # a headline says what happened, the lead where: "X expels envoy" / "... expelled in New Delhi"
        lead = (p for k in range(ev.sentence + 1, ev.sentence + 1 + LEAD) for p in venues(k)) \
            if _is_headline(doc, ev.sentence) else iter(())
        city = own[0] if own else carried_venue(ev, venues, lead, dateline)
        if city is not None and (ev.location is None or _country_of(ev.location, city, places)):
            _set(ev, city)


def carried_venue(ev: Event, venues: Callable[[int], Sequence[Place]], lead: Iterator[Place],
                  dateline: Place | None) -> Place | None:
    """Where an event its own sentence does not place happened (English and Russian alike): a venue of the
    ``CARRY`` sentences before, else of the ``lead`` (a headline's), else for a meeting or signing of the
    story's day the first venue of the ``STORY_LEAD`` sentences ("the meeting" told far below the lead
    that placed it), else the dateline's city. ``venues(k)``: sentence k's venues, [] out of range."""
    before = (p for k in range(ev.sentence - 1, ev.sentence - 1 - CARRY, -1) for p in venues(k))
    city = next(before, None) or next(lead, None)
    if city is None and ev.type in VENUE_TYPES and ev.date_method in _TOLD_ON_THE_STORY_DAY:
        city = next((p for k in range(STORY_LEAD) for p in venues(k)), None)
    return city or dateline


def _is_headline(doc: Document, i: int) -> bool:
    """The document's first sentence where it is a title: the reader's title, or a line without a full stop."""
    if i != 0:
        return False
    text = doc.sentences[0].text.strip()
    return bool(doc.title and doc.title.strip()[:40] in text) or not text.endswith((".", "!", "?", '"', "”"))


def _set(ev: Event, place: Place) -> None:
    ev.location, ev.lat, ev.lon = place.label, place.lat, place.lon


def _country_of(location: str, city: Place, places: PlaceFinder) -> bool:
    """True where ``location`` is the country the city lies in."""
    p = places.lookup(location)
    return p is not None and p.kind == "country" and p.country == city.country


def _venues(doc: Document, i: int, entities: list[tuple[int, int, str, str]], places: PlaceFinder) -> list[Place]:
    sent = doc.sentences[i]
    try:
        hits = places.find_locations(sent.text, sentence_entities(entities, sent.start, sent.end),
                                     locative_only=True)
    except Exception as exc:  # a gazetteer's bug must not lose the events: kept unplaced, the log says why
        logger.exception("gazetteer failed in %s sentence %d", doc.doc_id, i)
        doc.recover("events.where", exc)
        return []
    return [p for p, _, _ in hits if p.kind in VENUE_KINDS]


def _dateline_city(text: str, places: PlaceFinder) -> Place | None:
    """The dateline's city, read by the cleaning stage's dateline reader (clean/dates.py)."""
    name = default_inferrer().dateline_place(text)
    p = places.lookup(name) if name else None
    return p if p is not None and p.kind == "city" else None
