"""Events stage: PLOVER events from parsed sentences, with modality, dates, places and clusters.

    EventExtractor(rules_dir=None, convention="news").extract(doc, sdoc, mentions, time_resolver, gazetteer)
    EventExtractor().has_event_cue(sentence) -> bool
    cluster_events(rows) -> {row_key: event_id}
"""
from .cluster import EventClusterer, cluster_events, event_row, row_key
from .extract import EventExtractor
from .modality import Modality, ModalityReader
from .ontology import PLOVER_TYPES, Ontology, RuleSet

__all__ = ["EventClusterer", "EventExtractor", "Modality", "ModalityReader", "Ontology", "PLOVER_TYPES",
           "RuleSet", "cluster_events", "event_row", "row_key"]
