"""Event clustering on the stored demo corpus (examples/corpus, ingested once per session).

What the demo corpus is built to show (examples/gold/README.md): a syndicated reprint
(hub_crocus_syndicated reprints caw_phone_crocus) must not add events of its own, one real event
has one event id, and different occasions of the same kind (visits in different years) stay apart.
"""
from __future__ import annotations

from collections import defaultdict

import duckdb
import pytest

from bilat.events.cluster import date_span

ORIGINAL, REPRINT = "caw_phone_crocus", "hub_crocus_syndicated"
VISIT_MODES = ("visit", "host")  # one mode group in rules/plover.yaml


@pytest.fixture(scope="module")
def con(demo_db):
    c = duckdb.connect(str(demo_db), read_only=True)
    yield c
    c.close()


def rows(con, sql: str, params: list | None = None) -> list[dict]:
    cur = con.execute(sql, params or [])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def rus_tjk(con, type_: str, modes: tuple[str, ...], like: str) -> list[dict]:
    marks = ", ".join("?" for _ in modes)
    return rows(con, "SELECT e.event_id, e.doc_id, e.date, e.date_precision, e.date_method, e.planned, "
                     "coalesce(d.duplicate_of, e.doc_id) AS origin, d.outlet FROM events e JOIN documents d "
                     f"USING (doc_id) WHERE e.type = ? AND e.mode IN ({marks}) AND least(e.source, e.target) = 'RUS' "
                     "AND greatest(e.source, e.target) = 'TJK' AND e.date LIKE ?", [type_, *modes, like])


def test_every_event_has_an_id(con):
    assert con.execute("SELECT count(*) FROM events WHERE event_id IS NULL").fetchone()[0] == 0
    n_rows, n_ids = con.execute("SELECT count(*), count(DISTINCT event_id) FROM events").fetchone()
    assert 0 < n_ids < n_rows  # some mentions were grouped


def test_reprint_adds_no_event_of_its_own(con):
    dup = con.execute("SELECT duplicate_of FROM documents WHERE doc_id = ?", [REPRINT]).fetchone()
    assert dup == (ORIGINAL,)
    ids = defaultdict(set)
    for r in rows(con, "SELECT doc_id, event_id FROM events WHERE doc_id IN (?, ?)", [ORIGINAL, REPRINT]):
        ids[r["doc_id"]].add(r["event_id"])
    assert ids[ORIGINAL] and ids[REPRINT] == ids[ORIGINAL]
    # so the store holds no more events than its original documents do
    total = con.execute("SELECT count(DISTINCT event_id) FROM events").fetchone()[0]
    originals = con.execute("SELECT count(DISTINCT e.event_id) FROM events e JOIN documents d USING (doc_id) "
                            "WHERE d.duplicate_of IS NULL").fetchone()[0]
    assert total == originals


def test_the_crocus_phone_call_is_one_event_told_by_two_documents_and_one_source(con):
    call = rus_tjk(con, "CONSULT", ("phone",), "2024-03%")
    assert {r["event_id"] for r in call} and len({r["event_id"] for r in call}) == 1
    assert {r["doc_id"] for r in call} == {ORIGINAL, REPRINT}  # two documents ...
    assert {r["origin"] for r in call} == {ORIGINAL}  # ... one original report
    assert any(r["date"] == "2024-03-24" for r in call)  # "on Sunday", not the dateline's March 25


def test_every_report_of_the_june_2022_visit_is_one_event(con):
    visit = rus_tjk(con, "CONSULT", VISIT_MODES, "2022-06%")
    assert visit, "the June 2022 visit to Dushanbe (sm-0002) is not stored"
    assert len({r["event_id"] for r in visit}) == 1
    assert "sm-0002" in {r["doc_id"] for r in visit}
    # "It will be Putin's first visit to Tajikistan since June 2022" (post_putin_visit_announced) speaks
    # of the October 2025 visit: June 2022 bounds it, it does not date it
    assert "post_putin_visit_announced" not in {r["doc_id"] for r in visit}


def test_visits_of_different_years_stay_apart(con):
    visits = rus_tjk(con, "CONSULT", VISIT_MODES, "%")
    years = defaultdict(set)
    for r in visits:
        if r["date_method"] != "document-date":
            years[r["event_id"]].add(r["date"][:4])
    assert all(len(y) == 1 for y in years.values()), years
    by_year = {y for ys in years.values() for y in ys}
    assert {"2012", "2015", "2022"} <= by_year  # caw_base_extension, post_csto_summit, sm-0002
    assert len(years) >= len(by_year)  # at least one event a year


def test_no_event_joins_dates_that_cannot_be_the_same_occasion(con):
    """Within one event id all dated mentions overlap (a month holds the day; two days of a visit may
    differ by two); planned and past mentions may share an id."""
    spans = defaultdict(list)
    for r in rows(con, "SELECT event_id, date, date_precision, date_method FROM events "
                       "WHERE date IS NOT NULL AND date_method <> 'document-date'"):
        span = date_span(r["date"], r["date_precision"], r["date_method"])
        if span is not None:
            spans[r["event_id"]].append(span)
    for eid, ss in spans.items():
        lo = max(s[0] for s in ss)
        hi = min(s[1] for s in ss)
        assert (lo - hi).days <= 2, (eid, ss)
