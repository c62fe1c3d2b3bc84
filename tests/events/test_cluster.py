"""Clustering event mentions across sentences and documents."""
from __future__ import annotations

from bilat.events import EventClusterer, cluster_events, event_row, row_key
from bilat.events.cluster import date_span, dates_compatible
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


def test_places_must_agree_when_known(gazetteer):
    rows = [row("a", location="Dushanbe"), row("b", location="Khujand"), row("c")]
    ids = cluster_events(rows, places=gazetteer)
    assert ids[row_key(rows[0])] != ids[row_key(rows[1])]


def test_a_place_inside_another_is_the_same_place(gazetteer):
    # one outlet says Putin visited Tajikistan, another that he landed in Dushanbe
    rows = [row("a", location="Tajikistan", day="2022-06"), row("b", location="Dushanbe", day="2022-06-28"),
            row("c", typ="CONSULT", mode="meet", location="Kremlin", src="TJK", tgt="RUS"),
            row("d", typ="CONSULT", mode="meet", location="Moscow", src="RUS", tgt="TJK"),
            row("e", location="Russia", day="2022-06-28")]
    ids = cluster_events(rows, places=gazetteer)
    assert ids[row_key(rows[0])] == ids[row_key(rows[1])]
    assert ids[row_key(rows[2])] == ids[row_key(rows[3])]
    assert ids[row_key(rows[4])] != ids[row_key(rows[1])]  # Dushanbe is not in Russia


def test_precision_compatibility():
    assert dates_compatible("2022-06", "2022-06-28") and dates_compatible("2022", "2022-06-28")
    assert dates_compatible("2022", "2022-06") and not dates_compatible("2021", "2022-06-28")
    assert not dates_compatible("2022-05", "2022-06-28") and not dates_compatible("2022-06-28", "2022-06-27", 0)
    assert dates_compatible("2022-06-28", "2022-06-26", 2) and not dates_compatible("2022-06-28", "2022-06-25", 2)
    # "last week" may be any day of that week; a dateline's day is the filing day or up to two before it
    assert dates_compatible("2024-03-11", "2024-03-13", 0, "week", "day")
    assert date_span("2024-03-25", "day", "dateline") == (date_span("2024-03-23")[0], date_span("2024-03-25")[1])
    assert dates_compatible("2024-03-25", "2024-03-24", 0, "day", "day", "dateline", "weekday")
    assert dates_compatible(None, "2024") is None and date_span("garbled") is None


def test_one_day_occasions_on_different_days_are_different_events():
    calls = [row("a", mode="phone", day="2024-03-10"), row("b", mode="phone", day="2024-03-11"),
             row("c", mode="phone", day="2024-03")]
    ids = cluster_events(calls)
    assert ids[row_key(calls[0])] != ids[row_key(calls[1])]
    # the month report joins one of them, and does not chain the two days into one event
    assert ids[row_key(calls[2])] in (ids[row_key(calls[0])], ids[row_key(calls[1])])
    assert len(set(ids.values())) == 2


def test_planned_and_past_reports_of_one_visit_are_one_event():
    rows = [row("a", day="2025-10", planned=True), row("b", day="2025-10-08", planned=True),
            row("c", day="2025-10-09", mode="host", src="TJK", tgt="RUS"), row("d", day="2004-10")]
    ids = cluster_events(rows)
    assert len({ids[row_key(r)] for r in rows[:3]}) == 1
    assert ids[row_key(rows[3])] != ids[row_key(rows[0])]  # a visit in another year


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


def test_many_reports_of_one_occasion_and_many_occasions():
    # a summit told 1500 times (reprints included) is one event; 400 different calls stay 400
    summit = [row(f"s{i}", mode="multilateral", tgt="CIS", day="2024-10-08" if i % 3 else "2024-10",
                  sentence=i, duplicate_of=(f"s{i - 1}" if i % 7 == 0 else None)) for i in range(1, 1501)]
    calls = [row(f"c{i}", mode="phone", day=f"{2000 + i // 20}-{i % 12 + 1:02d}-{i % 20 + 5:02d}") for i in range(400)]
    ids = cluster_events(summit + calls)
    assert len({ids[row_key(r)] for r in summit}) == 1
    assert len({ids[row_key(r)] for r in calls}) == 400
