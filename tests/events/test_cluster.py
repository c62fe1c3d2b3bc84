"""Clustering event mentions across sentences and documents."""
from __future__ import annotations

from bilat.events import EventClusterer, cluster_events, event_row, row_key
from bilat.model import Event


def row(doc, typ="CONSULT", mode="visit", src="RUS", tgt="TJK", day="2024-03-11", **kw):
    r = {"doc_id": doc, "sentence": kw.pop("sentence", 0), "type": typ, "mode": mode, "source": src,
         "target": tgt, "date": day, "negated": False, "location": None, "trigger": "t"}
    r.update(kw)
    return r


def test_same_visit_in_two_documents_is_one_event():
    rows = [row("a"), row("b", src="TJK", tgt="RUS", mode="host"), row("c", day="2024-03-12")]
    ids = cluster_events(rows)
    assert len(set(ids.values())) == 1


def test_month_contains_day_and_two_day_slack():
    rows = [row("a", day="2024-03"), row("b", day="2024-03-14"), row("c", day="2024-03-16")]
    ids = cluster_events(rows)
    assert ids[row_key(rows[0])] == ids[row_key(rows[1])]
    assert len(set(ids.values())) == 1  # 14 and 16 are two days apart


def test_different_dates_types_or_negation_are_different_events():
    rows = [row("a"), row("b", day="2024-05-02"), row("c", typ="AGREE", mode="sign"),
            row("d", negated=True), row("e", tgt="KGZ"), row("f", mode="phone")]
    assert len(set(cluster_events(rows).values())) == 6


def test_places_must_agree_when_known():
    rows = [row("a", location="Dushanbe"), row("b", location="Khujand"), row("c")]
    ids = cluster_events(rows)
    assert ids[row_key(rows[0])] != ids[row_key(rows[1])]


def test_undated_rows_join_only_their_own_document():
    rows = [row("a"), row("a", day=None, sentence=3), row("b", day=None)]
    ids = cluster_events(rows)
    assert ids[row_key(rows[0])] == ids[row_key(rows[1])] != ids[row_key(rows[2])]


def test_document_date_is_not_an_event_date():
    rows = [row("a", day="2024-03-15", date_method="document-date"), row("b", day="2024-03-15", date_method="document-date")]
    ids = cluster_events(rows)
    assert len(set(ids.values())) == 2


def test_near_duplicates_count_once():
    rows = [row("a"), row("a2", duplicate_of="a"), row("b")]
    c = EventClusterer()
    ids = c.cluster(rows)
    assert len(set(ids.values())) == 1
    assert c.support(rows, ids) == {ids[row_key(rows[0])]: 2}


def test_ids_are_stable_when_rows_are_added():
    rows = [row("a"), row("b")]
    first = cluster_events(rows)
    more = cluster_events(rows + [row("c", day="2024-03-12")])
    assert first[row_key(rows[0])] == more[row_key(rows[0])]
    assert first[row_key(rows[0])].startswith("ev-")


def test_event_row_from_event():
    ev = Event("CONSULT", "visit", "RUS", "TJK", (0, 10), "x", 2, date="2024-03-11", trigger="visited")
    r = event_row(ev, "doc1")
    assert r["doc_id"] == "doc1" and r["sentence"] == 2 and r["type"] == "CONSULT"
    assert cluster_events([r, dict(r, doc_id="doc2")]) and len(set(cluster_events([r, dict(r, doc_id="doc2")]).values())) == 1
