"""Pages from the in-memory event index equal a plain ORDER BY over the store, windows and all."""
import pytest
from make_big_db import make_big_db

from bilat.store import queries
from bilat.store.queries import EventIndex, Filters
from bilat.store.writer import connect

WHEN = "coalesce(e.date, d.published)"


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    path = tmp_path_factory.mktemp("paging") / "big.duckdb"
    make_big_db(path, n_events=30_000, n_docs=3_000)
    con = connect(path, read_only=True)
    yield con, EventIndex(con)
    con.close()


def reference(con, f: Filters, limit: int, offset: int, asc: bool) -> tuple[list[tuple[str, int]], int]:
    """The page and the total by a plain join and ORDER BY over the store."""
    clauses, params = [], []
    if f.pair:
        a, b = f.pair
        clauses.append("((e.source = ? AND e.target = ?) OR (e.source = ? AND e.target = ?))")
        params += [a, b, b, a]
    if f.types:
        clauses.append("e.type IN (" + ", ".join("?" for _ in f.types) + ")")
        params += list(f.types)
    if f.outlet:
        clauses.append("d.outlet = ?")
        params.append(f.outlet)
    if f.since:
        clauses.append(f"{WHEN} >= ?")
        params.append(f.since)
    where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
    direction = "ASC" if asc else "DESC"
    body = f"FROM events e JOIN documents d USING (doc_id){where}"
    sql = (f"SELECT e.doc_id, e.idx {body} "
           f"ORDER BY {WHEN} {direction}, e.doc_id {direction}, e.idx {direction} LIMIT ? OFFSET ?")
    page = [tuple(r) for r in con.execute(sql, [*params, limit, offset]).fetchall()]
    return page, con.execute(f"SELECT count(*) {body}", params).fetchone()[0]


@pytest.mark.parametrize("f", [Filters(), Filters(dyad="RUS-TJK"), Filters(types=("AID",), outlet="Oxus Daily"),
                               Filters(dyad="KAZ-CHN", since="2024-06-01")])
@pytest.mark.parametrize("limit,offset", [(50, 0), (100, 1000), (500, 37)])
@pytest.mark.parametrize("asc", [True, False])
def test_pages_match_plain_sql(big, f, limit, offset, asc):
    con, ix = big
    table = queries.events(ix, f, limit, offset, order="asc" if asc else "desc")
    want, total = reference(con, f, limit, offset, asc)
    assert [(r["doc_id"], r["idx"]) for r in table.records()] == want
    assert table.total == total


@pytest.mark.parametrize("f", [Filters(dyad="RUS-TJK"), Filters(dyad="RUS-TJK", types=("AID", "AGREE")),
                               Filters(since="2010", until="2012-06"), Filters(dyad="KAZ-CHN", since="2024-06-15"),
                               Filters(outlet="Oxus Daily")])
def test_monthly_sums_match_reports(big, f):
    from bilat.events.quads import load_quads

    con, ix = big
    quads = load_quads()
    monthly = queries.quad_monthly(ix, f, quads)
    reports = queries.events(ix, f, 100_000, download=True).records()
    by_month: dict = {}
    for r in reports:
        key = (r["date"][:7], quads[r["type"]])
        by_month[key] = by_month.get(key, 0) + 1
    assert {(m["month"], m["quad"]): m["events"] for m in monthly} == by_month
