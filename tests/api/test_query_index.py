"""EventIndex's lookups (binary search, per-actor counts) and its bounded memo, against plain SQL."""
from __future__ import annotations

import pyarrow as pa
import pytest

from bilat.errors import NotFound
from bilat.store import queries
from bilat.store.queries import EventIndex, Filters
from bilat.store.writer import connect


@pytest.fixture(scope="module")
def store(sample_db):
    con = connect(sample_db, read_only=True)
    ix = EventIndex(con)
    ix.ensure()
    yield con, ix
    ix.close()
    con.close()


def test_ranks_of_agrees_with_sql(store):
    con, ix = store
    c = ix.cursor()
    for key in [r[0] for r in c.execute("SELECT DISTINCT event_key FROM ev").fetchall()] + ["nope", ""]:
        expected = [r[0] for r in c.execute("SELECT rk FROM ev WHERE event_key = ? ORDER BY rk", [key]).fetchall()]
        assert ix.ranks_of("event_key", key) == expected
    for doc in [r[0] for r in con.execute("SELECT doc_id FROM documents").fetchall()] + ["missing"]:
        expected = [r[0] for r in c.execute("SELECT rk FROM ev WHERE doc_id = ? ORDER BY idx", [doc]).fetchall()]
        assert ix.ranks_of("doc_id", doc) == expected
        assert ix.count_of("doc_id", [doc]) == {doc: len(expected)}
    c.close()


def test_actor_counts_agree_with_sql(store):
    con, ix = store
    table = queries.actors(con, ix, limit=500)
    for row in table.records():
        n = con.execute("SELECT count(*) FILTER (WHERE source_actor = ?) + count(*) FILTER (WHERE target_actor = ?) "
                        "FROM events", [row["name"], row["name"]]).fetchone()[0]
        assert row["events"] == n
    assert [r["name"] for r in queries.actors(con, ix, q="TAJIK").records()] == ["Tajikistan"]
    assert queries.actors(con, ix, q="%").total == 0  # a literal, not a wildcard
    with pytest.raises(NotFound):
        queries.actor(con, ix, "Nobody")


def test_memo_is_bounded_by_rows(store, monkeypatch):
    _, ix = store
    monkeypatch.setattr(queries, "MEMO_ROWS", 10)
    calls = []

    def answer(n):
        calls.append(n)
        return list(range(n))

    assert ix.memo(("t", 4), lambda: answer(4)) == [0, 1, 2, 3]
    assert ix.memo(("t", 4), lambda: answer(4)) == [0, 1, 2, 3] and calls == [4]  # kept
    ix.memo(("t", 11), lambda: answer(11))  # heavier than the whole budget: answered, not kept
    ix.memo(("t", 11), lambda: answer(11))
    assert calls == [4, 11, 11]
    ix.memo(("t", 7), lambda: answer(7))  # 4 + 7 > 10: the oldest goes
    ix.memo(("t", 4), lambda: answer(4))
    assert calls == [4, 11, 11, 7, 4]
    assert queries._weight(pa.table({"a": [1, 2, 3]})) == 3 and queries._weight({"nodes": [1], "edges": [1, 2]}) == 4


def test_memoised_aggregates_follow_the_filters(store):
    _, ix = store
    every = queries.events_by_type(ix)
    agree = queries.events_by_type(ix, Filters(types=("AGREE",)))
    assert sum(r["events"] for r in every) > sum(r["events"] for r in agree) > 0
    assert {r["type"] for r in agree} == {"AGREE"}
