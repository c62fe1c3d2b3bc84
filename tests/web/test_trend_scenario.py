"""Issue 18, acceptance 2: the RUS–TJK trend by quarter on the demo corpus, the "why" panel of the quarter with
the most conflict, and the numbers against a count in SQL over distinct events that are not negated (nor
hypothetical nor planned, the view's default)."""
import warnings

import duckdb
import pytest

from bilat.events.quads import load_quads

QUARTER_SQL = """
SELECT substr(day, 1, 4) || '-Q' || CAST((CAST(substr(day, 6, 2) AS INTEGER) - 1) // 3 + 1 AS VARCHAR) AS quarter,
       count(DISTINCT event_id) AS events,
       count(DISTINCT event_id) FILTER (WHERE type IN (SELECT unnest(?))) AS conflict
FROM (SELECT e.event_id, e.type, coalesce(e.date, d.published) AS day FROM events e JOIN documents d USING (doc_id)
      WHERE least(e.source, e.target) = 'RUS' AND greatest(e.source, e.target) = 'TJK'
        AND NOT e.negated AND NOT e.hypothetical AND NOT e.planned)
WHERE length(day) >= 7 GROUP BY 1
"""


@pytest.fixture(scope="module")
def client(demo_db, tmp_path_factory):
    from bilat.server import create_app

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    app = create_app(demo_db, index_path=tmp_path_factory.mktemp("scenario") / "search.sqlite")
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


@pytest.fixture(scope="module")
def sql(demo_db):
    conflict = [t for t, q in load_quads().items() if q.endswith("conflict")]
    with duckdb.connect(str(demo_db), read_only=True) as con:
        rows = con.execute(QUARTER_SQL, [conflict]).fetchall()
        # events dated at least to the month: a quarter can hold them
        placed = con.execute(
            "SELECT count(DISTINCT e.event_id) FROM events e JOIN documents d USING (doc_id) "
            "WHERE least(e.source, e.target) = 'RUS' AND greatest(e.source, e.target) = 'TJK' AND NOT e.negated "
            "AND NOT e.hypothetical AND NOT e.planned AND length(coalesce(e.date, d.published)) >= 7").fetchone()[0]
        intensity = con.execute(
            "SELECT event_id, avg(intensity) FROM events WHERE least(source, target) = 'RUS' "
            "AND greatest(source, target) = 'TJK' AND NOT negated AND NOT hypothetical AND NOT planned "
            "GROUP BY 1").fetchall()
    return {"quarters": {q: (n, c) for q, n, c in rows}, "placed": placed, "intensity": dict(intensity)}


def test_rus_tjk_by_quarter_matches_sql(client, sql):
    answer = client.get("/api/trend", params={"series": "RUS-TJK", "bin": "quarter"}).json()
    assert answer["bin"] == "quarter" and answer["unit"] == "events"
    (series,) = answer["series"]
    points = {p["period"]: p for p in series["points"]}
    assert list(points) == answer["periods"]
    # every quarter from the first to the last event is there; those without events count 0
    assert min(sql["quarters"]) == answer["periods"][0] and max(sql["quarters"]) == answer["periods"][-1]
    empty = [p for p in points.values() if p["events"] == 0]
    assert empty and all(p["net"] == 0 and not any(p["quads"].values()) for p in empty)
    for quarter, point in points.items():
        events, conflict = sql["quarters"].get(quarter, (0, 0))
        assert point["events"] == events, quarter
        assert point["quads"]["verbal conflict"] + point["quads"]["material conflict"] == conflict, quarter
    # no event counted in two quarters
    assert series["events"] == sum(n for n, _ in sql["quarters"].values()) == sql["placed"]


def test_why_of_the_quarter_with_most_conflict(client, sql):
    answer = client.get("/api/trend", params={"series": "RUS-TJK", "bin": "quarter"}).json()
    points = answer["series"][0]["points"]
    worst = max(points, key=lambda p: (p["quads"]["verbal conflict"] + p["quads"]["material conflict"], -p["net"]))
    assert worst["quads"]["verbal conflict"] + worst["quads"]["material conflict"] >= 1
    why = client.get("/api/trend/why", params={"series": "RUS-TJK", "period": worst["period"]}).json()
    assert why["period"] == worst["period"] and why["net"] == worst["net"] and why["events"] == worst["events"]
    assert len(why["items"]) == sql["quarters"][worst["period"]][0]
    # the index is the sum of its events' contributions, each the mean intensity of the event's reports
    assert sum(i["contribution"] for i in why["items"]) == pytest.approx(why["net"], abs=0.06)
    for item in why["items"]:
        assert item["contribution"] == pytest.approx(sql["intensity"][item["event_key"]], abs=0.005)
        assert item["evidence"] and item["outlets"] and item["reports"] >= 1
    sizes = [abs(i["contribution"]) for i in why["items"]]
    assert sizes == sorted(sizes, reverse=True)
    assert any(i["quad"].endswith("conflict") for i in why["items"])

    # the page shows the same, one click (a link of the chart or table) from the trend
    page = client.get("/trends", params={"series": "RUS-TJK", "bin": "quarter"}).text
    assert f"why=RUS-TJK&amp;period={worst['period']}#why" in page
    html = client.get("/trends", params={"series": "RUS-TJK", "bin": "quarter", "why": "RUS-TJK",
                                         "period": worst["period"]}).text
    assert f"Why RUS-TJK in {worst['period']}" in html
    assert html.count('class="report why-event') == len(why["items"])
    for item in why["items"]:
        assert item["outlets"][0] in html
